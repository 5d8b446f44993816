package dev.fusebox.micrometer;

import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import java.util.Objects;
import java.util.Set;

/** The checks on the common tags a binder adds to every meter. */
final class CommonTags {

  private CommonTags() {}

  /**
   * Returns the tags, after checking that none uses a key the binder sets itself: a common tag of the same
   * key would make Micrometer reject or merge meters in ways no user wants.
   *
   * @throws IllegalArgumentException naming the key and the reserved keys
   */
  static Tags checked(Iterable<Tag> tags, Set<String> reserved) {
    Objects.requireNonNull(tags, "tags must not be null");
    for (Tag tag : tags) {
      Objects.requireNonNull(tag, "tags must not contain null");
      if (reserved.contains(tag.getKey())) {
        throw new IllegalArgumentException(
            "tags must not use the key '" + tag.getKey() + "', which the binding sets itself; reserved: "
                + reserved.stream().sorted().toList());
      }
    }
    return Tags.of(tags);
  }
}
