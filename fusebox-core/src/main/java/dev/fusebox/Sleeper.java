package dev.fusebox;

import java.util.concurrent.TimeUnit;

/**
 * Blocks the calling thread for a while, for the policies that wait on the caller's thread: synchronous
 * retries between attempts, injected latency, a blocking rate-limiter acquire.
 *
 * <p>{@link #system()} sleeps for real; a virtual thread that sleeps releases its carrier. Tests pass a
 * sleeper that moves their hand-driven {@link Ticker} instead, so that no test ever sleeps:
 *
 * <pre>{@code
 * ManualTicker ticker = new ManualTicker();
 * Sleeper sleeper = nanos -> ticker.advanceNanos(nanos);
 * }</pre>
 */
@FunctionalInterface
public interface Sleeper {

  /**
   * Blocks for {@code nanos} nanoseconds; returns at once if not positive.
   *
   * @param nanos how long to block, in nanoseconds
   * @throws InterruptedException if the thread is interrupted while waiting
   */
  void sleep(long nanos) throws InterruptedException;

  /**
   * Returns the sleeper that sleeps for real.
   *
   * @return the sleeper that sleeps for real
   */
  static Sleeper system() {
    return nanos -> {
      if (nanos > 0) {
        TimeUnit.NANOSECONDS.sleep(nanos);
      }
    };
  }
}
