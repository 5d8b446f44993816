package dev.fusebox.benchmarks;

import org.openjdk.jmh.annotations.Param;

/**
 * Issue 7: the whole synchronous stack around a successful call, decorated once and called many times:
 * fallback, retry, circuit breaker, rate limiter, bulkhead, outermost first, each configured as in its own
 * benchmark and the breaker with the common configuration (count window). Fusebox's {@code Pipeline};
 * Resilience4j's {@code Decorators} with the same stack, with its breaker's SYNCHRONIZED (default) and
 * LOCK_FREE windows; {@code Failsafe.with(fallback, retry, breaker, rateLimiter, bulkhead)} for context.
 * No time limiter: Resilience4j's limits futures only. Target: Fusebox at most 0.5 of Resilience4j's best.
 *
 * <p>{@link #success()} isolates the five layers letting a successful call through, with no policy ever
 * acting. On one thread, as every {@link PolicyBenchmark}.
 */
public class PipelineBenchmark extends PolicyBenchmark {

  /** The library measured in this run; JMH sets it from the {@code @Param} values. */
  @Param({PolicyContenders.FUSEBOX, Contenders.R4J_SYNCHRONIZED, Contenders.R4J_LOCK_FREE, PolicyContenders.FAILSAFE})
  public String contender;

  /** Creates the benchmark; JMH calls it. */
  public PipelineBenchmark() {
    super(PolicyContenders.Policy.PIPELINE);
  }

  @Override
  String contender() {
    return contender;
  }
}
