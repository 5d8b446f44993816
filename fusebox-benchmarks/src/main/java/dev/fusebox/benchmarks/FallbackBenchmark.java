package dev.fusebox.benchmarks;

import org.openjdk.jmh.annotations.Param;

/**
 * Issue 7: a fallback's cost on a call that succeeds, so the fallback is never used: Fusebox's
 * {@code Fallback} with a fallback value, Resilience4j's {@code Decorators.withFallback} (it has no fallback
 * policy of its own), Failsafe's {@code Fallback.of(value)}; each handles every exception.
 *
 * <p>{@link #success()} isolates a fallback standing by around a successful call. On one thread, as every
 * {@link PolicyBenchmark}.
 */
public class FallbackBenchmark extends PolicyBenchmark {

  /** The library measured in this run; JMH sets it from the {@code @Param} values. */
  @Param({PolicyContenders.FUSEBOX, PolicyContenders.RESILIENCE4J, PolicyContenders.FAILSAFE})
  public String contender;

  /** Creates the benchmark; JMH calls it. */
  public FallbackBenchmark() {
    super(PolicyContenders.Policy.FALLBACK);
  }

  @Override
  String contender() {
    return contender;
  }
}
