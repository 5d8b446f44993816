package dev.fusebox.benchmarks;

import org.openjdk.jmh.annotations.Param;

/**
 * Issue 7: a time limiter's cost on a call that finishes in time: for Fusebox and Resilience4j, a 1 s limit
 * around a {@code CompletionStage} that is already complete, so each call schedules a timer, sees the stage
 * complete, completes its own stage and cancels the timer; both use one daemon scheduler thread that drops
 * cancelled timers. Failsafe times a stage only by running the supplier on its executor (a thread hand-off
 * that would dominate), so its row is its {@code Timeout} on a synchronous call, which also schedules and
 * cancels a timer per call: context, not the same operation.
 *
 * <p>{@link #success()} isolates bounding an already-complete call in time: schedule a timer, observe
 * completion, cancel it. On one thread, as every {@link PolicyBenchmark}.
 */
public class TimeLimiterBenchmark extends PolicyBenchmark {

  /** The library measured in this run; JMH sets it from the {@code @Param} values. */
  @Param({PolicyContenders.FUSEBOX, PolicyContenders.RESILIENCE4J, PolicyContenders.FAILSAFE})
  public String contender;

  /** Creates the benchmark; JMH calls it. */
  public TimeLimiterBenchmark() {
    super(PolicyContenders.Policy.TIME_LIMITER);
  }

  @Override
  String contender() {
    return contender;
  }
}
