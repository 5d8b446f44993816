package dev.fusebox.internal;

import java.util.Map;
import java.util.Objects;

/**
 * The tags of policies and registries: string pairs integrations publish with their metrics.
 *
 * <p>Not API: {@code dev.fusebox.internal} is not exported.
 */
public final class Tags {

  private Tags() {}

  /**
   * Returns an immutable copy of {@code tags}, refusing a null map, key or value with a message that says
   * which.
   *
   * @param tags the tags to copy
   * @return an immutable copy of {@code tags}, refusing a null map, key or value with a message that says
   *     which
   */
  public static Map<String, String> copyOf(Map<String, String> tags) {
    Objects.requireNonNull(tags, "tags must not be null");
    tags.forEach(
        (key, value) -> {
          Objects.requireNonNull(key, "tags must not have a null key");
          Objects.requireNonNull(value, () -> "tag '" + key + "' must not have a null value");
        });
    return Map.copyOf(tags);
  }
}
