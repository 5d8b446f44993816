package dev.fusebox.benchmarks;

import org.openjdk.jmh.annotations.Param;

/**
 * Issue 7: a rate limiter's cost on a call it admits: one permit taken from a fixed window that always has
 * ample permits (a billion per second), so the clock read and the window's atomic update are what is
 * measured, never a refusal or a wait. Fusebox's {@code FIXED_WINDOW}, Resilience4j's default
 * {@code AtomicRateLimiter}, Failsafe's bursty {@code RateLimiter}.
 *
 * <p>{@link #success()} isolates taking one permit from a rate limiter that has plenty, around a successful
 * call. On one thread, as every {@link PolicyBenchmark}.
 */
public class RateLimiterBenchmark extends PolicyBenchmark {

  /** The library measured in this run; JMH sets it from the {@code @Param} values. */
  @Param({PolicyContenders.FUSEBOX, PolicyContenders.RESILIENCE4J, PolicyContenders.FAILSAFE})
  public String contender;

  /** Creates the benchmark; JMH calls it. */
  public RateLimiterBenchmark() {
    super(PolicyContenders.Policy.RATE_LIMITER);
  }

  @Override
  String contender() {
    return contender;
  }
}
