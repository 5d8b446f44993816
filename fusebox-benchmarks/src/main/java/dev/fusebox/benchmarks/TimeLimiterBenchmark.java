package dev.fusebox.benchmarks;

import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Issue 7: a time limiter's cost on a call that finishes in time: for Fusebox and Resilience4j, a 1 s limit
 * around a {@code CompletionStage} that is already complete, so each call schedules a timer, sees the stage
 * complete, completes its own stage and cancels the timer; both use one daemon scheduler thread that drops
 * cancelled timers. Failsafe times a stage only by running the supplier on its executor (a thread hand-off
 * that would dominate), so its row is its {@code Timeout} on a synchronous call, which also schedules and
 * cancels a timer per call: context, not the same operation.
 *
 * <p>One thread (the run measures it once); the configuration each library gets is in {@link Companions}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(2)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Threads(1)
public class TimeLimiterBenchmark {

  /** A time limiter of one contender, around a call that is already complete. */
  @State(Scope.Benchmark)
  public static class Guarded {
    /** The library measured in this run; JMH sets it from the {@code @Param} values. */
    @Param({Companions.FUSEBOX, Companions.RESILIENCE4J, Companions.FAILSAFE})
    public String contender;

    Companions.Guarded guarded;
    Supplier<Object> call;

    /** Builds the contender's policy once per trial, before any measured call. */
    @Setup(Level.Trial)
    public void create() {
      guarded = Companions.create(Companions.Policy.TIME_LIMITER, contender);
      call = guarded.call();
    }

    /** Fails the iteration if the policy did anything but let the calls through. */
    @TearDown(Level.Iteration)
    public void check() {
      guarded.check().run();
    }

    /**
     * Releases the contender's threads and schedulers after the trial.
     *
     * @throws Exception if the contender's resources fail to close
     */
    @TearDown(Level.Trial)
    public void close() throws Exception {
      guarded.close();
    }
  }

  /**
   * Isolates bounding an already-complete call in time: schedule a timer, observe completion, cancel it.
   *
   * @param s the state: the contender's policy, built once per trial
   * @return the call's result, handed to JMH so that the call is not optimised away
   */
  @Benchmark
  public Object success(Guarded s) {
    return s.call.get();
  }
}
