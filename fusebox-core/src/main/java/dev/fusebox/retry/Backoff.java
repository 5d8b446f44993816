package dev.fusebox.retry;

import java.util.random.RandomGenerator;

/**
 * Computes the wait before each retry, as the AWS Architecture Blog's "Exponential Backoff And Jitter"
 * defines the variants, with its factor 2 (3 for decorrelated jitter) generalised to the configured
 * multiplier:
 * <ul>
 *   <li>none: {@code min(cap, base * multiplier^(n-1))} for the n-th retry;</li>
 *   <li>full: uniform in {@code [0, min(cap, base * multiplier^(n-1))]};</li>
 *   <li>equal: half of that ceiling plus uniform in {@code [0, half]};</li>
 *   <li>decorrelated: {@code min(cap, uniform in [base, previous * multiplier])}, starting from
 *       {@code previous = base}.</li>
 * </ul>
 * A pure function of its arguments, so the property tests can check the bounds directly.
 */
final class Backoff {

  private final long baseNanos;
  private final double multiplier;
  private final long capNanos;
  private final RetryConfig.Jitter jitter;

  Backoff(long baseNanos, double multiplier, long capNanos, RetryConfig.Jitter jitter) {
    this.baseNanos = baseNanos;
    this.multiplier = multiplier;
    this.capNanos = capNanos;
    this.jitter = jitter;
  }

  static Backoff of(RetryConfig config) {
    return new Backoff(
        config.waitDuration().toNanos(),
        config.exponentialBackoffMultiplier(),
        config.exponentialMaxWaitDuration().toNanos(),
        config.jitter());
  }

  /**
   * Returns the wait in nanoseconds before retry number {@code retry} (1 for the first retry).
   *
   * @param previousNanos the wait this method returned for the previous retry; ignored for the first
   */
  long waitNanos(int retry, long previousNanos, RandomGenerator random) {
    switch (jitter) {
      case NONE:
        return ceiling(retry);
      case FULL:
        return uniform(0, ceiling(retry), random);
      case EQUAL: {
        long ceiling = ceiling(retry);
        long half = ceiling / 2;
        return ceiling - half + uniform(0, half, random);
      }
      case DECORRELATED:
      default: {
        long previous = retry <= 1 ? baseNanos : Math.max(baseNanos, previousNanos);
        double upper = Math.min((double) Long.MAX_VALUE, previous * multiplier);
        long drawn = uniform(baseNanos, (long) upper, random);
        return Math.min(capNanos, drawn);
      }
    }
  }

  /** {@code min(cap, base * multiplier^(retry-1))}, computed in doubles so that large exponents saturate. */
  long ceiling(int retry) {
    double exact = baseNanos * Math.pow(multiplier, Math.max(0, retry - 1));
    return exact >= capNanos ? capNanos : (long) exact;
  }

  /** Uniform in {@code [low, high]}, both included; {@code low} when the range is empty. */
  private static long uniform(long low, long high, RandomGenerator random) {
    if (high <= low) {
      return low;
    }
    long span = high - low;
    return span == Long.MAX_VALUE ? low + random.nextLong(span) : low + random.nextLong(span + 1);
  }
}
