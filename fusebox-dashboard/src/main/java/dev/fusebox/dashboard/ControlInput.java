package dev.fusebox.dashboard;

import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;

/**
 * The parameters of one control request, read from its JSON body, with the checks every panel needs: only
 * known members, numbers where numbers are due, and each within its range. A check that fails throws an
 * {@link IllegalArgumentException} naming the member, its value and the range; the handler answers it with
 * 400 and that message, and nothing has changed.
 *
 * <p>Immutable and threadsafe.
 */
final class ControlInput {

  static final ControlInput NONE = new ControlInput(Map.of());

  private final Map<String, Object> members;

  ControlInput(Map<String, Object> members) {
    this.members = Map.copyOf(members.entrySet().stream()
        .filter(e -> e.getValue() != null)
        .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
  }

  /** Refuses any member outside {@code allowed}, so that a misspelt option is never silently ignored. */
  ControlInput allowOnly(Set<String> allowed) {
    Set<String> unknown = new TreeSet<>(members.keySet());
    unknown.removeAll(allowed);
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException(
          "unknown " + (unknown.size() == 1 ? "member " : "members ") + String.join(", ", unknown)
              + "; this action takes " + (allowed.isEmpty() ? "none" : String.join(", ", new TreeSet<>(allowed))));
    }
    return this;
  }

  boolean isEmpty() {
    return members.isEmpty();
  }

  /** Returns a text member, which must be a string of at most {@code maxLength} characters. */
  java.util.Optional<String> text(String name, int maxLength) {
    Object value = members.get(name);
    if (value == null) {
      return java.util.Optional.empty();
    }
    if (!(value instanceof String text)) {
      throw new IllegalArgumentException(name + " must be a string, was " + value);
    }
    if (text.length() > maxLength) {
      throw new IllegalArgumentException(name + " must be at most " + maxLength + " characters, was " + text.length());
    }
    return java.util.Optional.of(text);
  }

  /** Returns a probability member, which must be a number in [0, 1]. */
  OptionalDouble rate(String name) {
    Double value = number(name);
    if (value == null) {
      return OptionalDouble.empty();
    }
    if (!(value >= 0 && value <= 1)) {
      throw new IllegalArgumentException(name + " must be in [0, 1], was " + format(value));
    }
    return OptionalDouble.of(value);
  }

  /** Returns a whole number of milliseconds in [0, max]. */
  OptionalLong millis(String name, long max) {
    Double value = number(name);
    if (value == null) {
      return OptionalLong.empty();
    }
    if (!(value >= 0 && value <= max) || value != Math.rint(value)) {
      throw new IllegalArgumentException(name + " must be a whole number in [0, " + max + "], was " + format(value));
    }
    return OptionalLong.of(value.longValue());
  }

  private Double number(String name) {
    Object value = members.get(name);
    if (value == null) {
      return null;
    }
    if (!(value instanceof Double d)) {
      throw new IllegalArgumentException(name + " must be a number, was " + (value instanceof String ? "a string" : value));
    }
    return d;
  }

  private static String format(double value) {
    return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value) : Double.toString(value);
  }
}
