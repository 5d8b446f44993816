package dev.fusebox.internal;

import java.time.Duration;

/**
 * Durations as the {@code long} nanoseconds every time computation uses.
 *
 * <p>Not API: {@code dev.fusebox.internal} is not exported.
 */
public final class Nanos {

  private Nanos() {}

  /**
   * Returns the duration in nanoseconds, held at {@link Long#MAX_VALUE} or {@link Long#MIN_VALUE} when it is
   * longer than a {@code long} of nanoseconds can hold (292 years): for durations that come from outside, a
   * {@code Retry-After} header say, which must not make the caller fail with an {@link ArithmeticException}.
   *
   * @param duration the duration to convert
   * @return the duration in nanoseconds, held at {@link Long#MAX_VALUE} or {@link Long#MIN_VALUE} when it is
   *     longer than a {@code long} of nanoseconds can hold (292 years): for durations that come from outside,
   *     a {@code Retry-After} header say, which must not make the caller fail with an {@link
   *     ArithmeticException}
   */
  public static long saturated(Duration duration) {
    try {
      return duration.toNanos();
    } catch (ArithmeticException e) {
      return duration.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
  }
}
