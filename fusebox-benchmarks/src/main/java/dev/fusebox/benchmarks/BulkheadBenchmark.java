package dev.fusebox.benchmarks;

import org.openjdk.jmh.annotations.Param;

/**
 * Issue 7: a semaphore bulkhead's cost on a call it admits: take a permit, run, give the permit back.
 * Fusebox's and Resilience4j's semaphore bulkheads and Failsafe's {@code Bulkhead}, 25 permits, no waiting;
 * the one benchmark thread never finds them all taken.
 *
 * <p>{@link #success()} isolates taking and returning a bulkhead permit around a successful call. On one
 * thread, as every {@link PolicyBenchmark}.
 */
public class BulkheadBenchmark extends PolicyBenchmark {

  /** The library measured in this run; JMH sets it from the {@code @Param} values. */
  @Param({PolicyContenders.FUSEBOX, PolicyContenders.RESILIENCE4J, PolicyContenders.FAILSAFE})
  public String contender;

  /** Creates the benchmark; JMH calls it. */
  public BulkheadBenchmark() {
    super(PolicyContenders.Policy.BULKHEAD);
  }

  @Override
  String contender() {
    return contender;
  }
}
