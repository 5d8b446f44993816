package dev.fusebox.testsupport;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Waits for something asynchronous (a flush, a message, a reconnection, a page update) with a deadline,
 * as tests must instead of sleeping: the deadline is generous, since the machine may be loaded, and the
 * condition is checked often, so a passing test waits no longer than it must. A wait that runs out fails
 * with an {@link AssertionError} that names what was awaited.
 *
 * <pre>{@code
 * Poll.until(Duration.ofSeconds(20), "the breaker to open", () -> breaker.state() == State.OPEN);
 * }</pre>
 *
 * <p>The deadline is measured on {@link System#nanoTime()}: it bounds how long a test may wait, and no
 * behaviour under test depends on it. Stateless and threadsafe.
 */
public final class Poll {

  /** How long a wait parks between two checks unless told otherwise: short, the checks are cheap. */
  public static final Duration DEFAULT_INTERVAL = Duration.ofMillis(2);

  private Poll() {}

  /**
   * Waits until {@code condition} holds, checking it every {@link #DEFAULT_INTERVAL}.
   *
   * @param limit how long to wait at most
   * @param what what is awaited, for the failure's message ("the breaker to open")
   * @param condition checked until it returns true
   * @throws AssertionError if {@code condition} does not hold within {@code limit}
   */
  public static void until(Duration limit, String what, BooleanSupplier condition) {
    until(limit, DEFAULT_INTERVAL, what, condition, () -> {});
  }

  /**
   * Waits until {@code condition} holds, checking it every {@code interval} and running {@code between}
   * after each check that found it false: a test that drives what it waits for (samples a dashboard,
   * moves a clock) does it there.
   *
   * @param limit how long to wait at most
   * @param interval how long to park between two checks; longer for checks that cost (a browser's)
   * @param what what is awaited, for the failure's message
   * @param condition checked until it returns true
   * @param between run after each check that found the condition false, before parking
   * @throws AssertionError if {@code condition} does not hold within {@code limit}
   */
  public static void until(
      Duration limit, Duration interval, String what, BooleanSupplier condition, Runnable between) {
    Objects.requireNonNull(what, "what must not be null");
    if (!within(limit, interval, condition, between)) {
      throw new AssertionError("Timed out after " + limit + " waiting until " + what);
    }
  }

  /**
   * Returns whether {@code condition} held within {@code limit}, checking it every {@link
   * #DEFAULT_INTERVAL}: for a test that asserts something does not happen, or handles both outcomes.
   *
   * @param limit how long to wait at most
   * @param condition checked until it returns true
   * @return true as soon as the condition holds, false once {@code limit} has passed without it
   */
  public static boolean within(Duration limit, BooleanSupplier condition) {
    return within(limit, DEFAULT_INTERVAL, condition, () -> {});
  }

  private static boolean within(Duration limit, Duration interval, BooleanSupplier condition, Runnable between) {
    Objects.requireNonNull(limit, "limit must not be null");
    Objects.requireNonNull(interval, "interval must not be null");
    Objects.requireNonNull(condition, "condition must not be null");
    Objects.requireNonNull(between, "between must not be null");
    if (limit.isNegative() || interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException(
          "limit must not be negative and interval must be positive, were " + limit + " and " + interval);
    }
    long deadline = System.nanoTime() + limit.toNanos();
    while (!condition.getAsBoolean()) {
      // Compared by difference, which stays right when nanoTime() wraps around.
      if (System.nanoTime() - deadline > 0) {
        return false;
      }
      between.run();
      LockSupport.parkNanos(interval.toNanos());
    }
    return true;
  }
}
