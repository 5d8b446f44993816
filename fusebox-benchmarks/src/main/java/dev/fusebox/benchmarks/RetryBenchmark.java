package dev.fusebox.benchmarks;

import org.openjdk.jmh.annotations.Param;

/**
 * Issue 7: a retry's cost on a call that succeeds at its first attempt, the case a healthy dependency pays
 * on every call: Fusebox's {@code Retry}, Resilience4j's {@code Retry}, Failsafe's {@code RetryPolicy}
 * through {@code Failsafe.with(retryPolicy)}. Resilience4j builds a context object per call; Fusebox keeps
 * no per-call state until a first failure.
 *
 * <p>{@link #success()} isolates a retry letting a successful first attempt through: no wait, no second
 * attempt. On one thread, as every {@link PolicyBenchmark}.
 */
public class RetryBenchmark extends PolicyBenchmark {

  /** The library measured in this run; JMH sets it from the {@code @Param} values. */
  @Param({PolicyContenders.FUSEBOX, PolicyContenders.RESILIENCE4J, PolicyContenders.FAILSAFE})
  public String contender;

  /** Creates the benchmark; JMH calls it. */
  public RetryBenchmark() {
    super(PolicyContenders.Policy.RETRY);
  }

  @Override
  String contender() {
    return contender;
  }
}
