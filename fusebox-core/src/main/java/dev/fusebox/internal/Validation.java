package dev.fusebox.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Collects every violation of a builder's options so that {@code build()} reports them all at once, each
 * naming the option, the value and the allowed range: {@code "failureRateThreshold must be in (0, 100],
 * was 120.0"}.
 *
 * <p>Not threadsafe; one instance per {@code build()} call.
 */
public final class Validation {

  private final String what;
  private final List<String> violations = new ArrayList<>();

  /** @param what names the thing being built, for instance {@code "CircuitBreakerConfig"} */
  public Validation(String what) {
    this.what = what;
  }

  /**
   * Records a violation when {@code ok} is false.
   *
   * @param ok whether the value is valid
   * @param option the option's name, as the message shows it
   * @param rule what a valid value is, for the message: {@code "in (0, 1)"}
   * @param value the option's value
   * @return this validation, for the next check
   */
  public Validation check(boolean ok, String option, String rule, Object value) {
    if (!ok) {
      violations.add(option + " " + rule + ", was " + value);
    }
    return this;
  }

  /**
   * Records a free-form violation when {@code ok} is false.
   *
   * @param ok whether the options are valid
   * @param message the violation, as the exception lists it
   * @return this validation, for the next check
   */
  public Validation require(boolean ok, String message) {
    if (!ok) {
      violations.add(message);
    }
    return this;
  }

  /**
   * Checks that {@code value} lies in {@code (0, 100]}.
   *
   * @param option the option's name, as the message shows it
   * @param value the option's value
   * @return this validation, for the next check
   */
  public Validation percent(String option, double value) {
    return check(value > 0 && value <= 100, option, "must be in (0, 100]", value);
  }

  /**
   * Checks that {@code value >= min}.
   *
   * @param option the option's name, as the message shows it
   * @param value the option's value
   * @param min the smallest valid value
   * @return this validation, for the next check
   */
  public Validation atLeast(String option, long value, long min) {
    return check(value >= min, option, "must be at least " + min, value);
  }

  /**
   * Checks that {@code value} is positive.
   *
   * @param option the option's name, as the message shows it
   * @param value the option's value
   * @return this validation, for the next check
   */
  public Validation positive(String option, Duration value) {
    return check(!value.isNegative() && !value.isZero(), option, "must be positive", value);
  }

  /**
   * Checks that {@code value} is zero or positive.
   *
   * @param option the option's name, as the message shows it
   * @param value the option's value
   * @return this validation, for the next check
   */
  public Validation notNegative(String option, Duration value) {
    return check(!value.isNegative(), option, "must not be negative", value);
  }

  /**
   * Checks that the duration fits a {@code long} of nanoseconds, which every time computation uses.
   *
   * @param option the option's name, as the message shows it
   * @param value the option's value
   * @return this validation, for the next check
   */
  public Validation fitsNanos(String option, Duration value) {
    boolean fits;
    try {
      value.toNanos();
      fits = true;
    } catch (ArithmeticException e) {
      fits = false;
    }
    return check(fits, option, "must be at most " + Duration.ofNanos(Long.MAX_VALUE), value);
  }

  /** Throws an {@link IllegalArgumentException} listing every recorded violation, if any. */
  public void throwIfInvalid() {
    if (violations.isEmpty()) {
      return;
    }
    String message =
        violations.size() == 1
            ? "Invalid " + what + ": " + violations.get(0)
            : "Invalid " + what + " (" + violations.size() + " problems): " + String.join("; ", violations);
    throw new IllegalArgumentException(message);
  }
}
