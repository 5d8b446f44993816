package dev.fusebox.spring;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Builds a core configuration from resolved properties and turns the core's validation message into
 * messages that name property paths.
 *
 * <p>The core reports every violation of one {@code build()} in one {@link IllegalArgumentException}:
 * {@code "Invalid CircuitBreakerConfig: failureRateThreshold must be in (0, 100], was 120.0"}, or
 * {@code "Invalid RetryConfig (2 problems): a ...; b ..."}. Each violation starts with the option's name,
 * sometimes followed by the name of one of its arguments ({@code "openStateBackoff max ..."}). That name
 * is replaced by the property path of the entry that set the value, so the message reads
 * {@code "fusebox.circuitbreaker.instances.backend.failure-rate-threshold must be in (0, 100], was 120.0"}.
 */
final class ConfigBuilding {

  private ConfigBuilding() {}

  /**
   * Runs {@code build}; on an {@link IllegalArgumentException} adds one problem per violation to
   * {@code problems} and returns {@code null}.
   *
   * @param aliases core option names that are set through a field of another name (the window options
   *     through {@code slidingWindowSize}, say), to the field's name
   */
  static <C> C build(
      PolicyProperties.Resolved<?> resolved, Map<String, String> aliases, Supplier<C> build, List<String> problems) {
    try {
      return build.get();
    } catch (IllegalArgumentException e) {
      for (String violation : violations(e.getMessage())) {
        problems.add(withPath(resolved, aliases, violation));
      }
      return null;
    }
  }

  /** Hands a property's value to a builder option when the property is set; unset keeps the core's default. */
  static <T> void set(T value, Consumer<? super T> option) {
    if (value != null) {
      option.accept(value);
    }
  }

  /** Splits a core validation message into its violations. */
  static List<String> violations(String message) {
    if (message == null) {
      return List.of("invalid");
    }
    String body = message;
    if (body.startsWith("Invalid ")) {
      int colon = body.indexOf(": ");
      if (colon > 0) {
        body = body.substring(colon + 2);
      }
    }
    List<String> result = new ArrayList<>();
    for (String part : body.split("; ")) {
      if (!part.isBlank()) {
        result.add(part.strip());
      }
    }
    return result;
  }

  private static String withPath(PolicyProperties.Resolved<?> resolved, Map<String, String> aliases, String violation) {
    int space = violation.indexOf(' ');
    if (space <= 0) {
      return resolved.path() + ": " + violation;
    }
    String option = violation.substring(0, space);
    String rest = violation.substring(space + 1);
    String field = aliases.getOrDefault(option, option);
    if (!field.chars().allMatch(Character::isLetterOrDigit)) {
      return resolved.path() + ": " + violation;
    }
    String path = resolved.pathOf(field);
    // "openStateBackoff max must be ...": the second word names a nested property when it is one word
    // followed by the rule.
    int next = rest.indexOf(' ');
    if (next > 0) {
      String argument = rest.substring(0, next);
      if (NESTED.contains(field + "." + argument)) {
        path = path + "." + PolicyProperties.kebab(argument);
        rest = rest.substring(next + 1);
      }
    }
    return path + " " + rest;
  }

  /** The options whose violations name an argument: an option of the core taking two values. */
  private static final List<String> NESTED =
      List.of(
          "openStateBackoff.multiplier",
          "openStateBackoff.max",
          "exponentialBackoff.multiplier",
          "exponentialBackoff.maxWaitDuration");
}
