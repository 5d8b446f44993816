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
 * Issue 7: a semaphore bulkhead's cost on a call it admits: take a permit, run, give the permit back.
 * Fusebox's and Resilience4j's semaphore bulkheads and Failsafe's {@code Bulkhead}, 25 permits, no waiting;
 * the one benchmark thread never finds them all taken.
 *
 * <p>One thread (the run measures it once); the configuration each library gets is in {@link Companions}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(2)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Threads(1)
public class BulkheadBenchmark {

  /** A bulkhead of one contender, never full. */
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
      guarded = Companions.create(Companions.Policy.BULKHEAD, contender);
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
   * Isolates taking and returning a bulkhead permit around a successful call.
   *
   * @param s the state: the contender's policy, built once per trial
   * @return the call's result, handed to JMH so that the call is not optimised away
   */
  @Benchmark
  public Object success(Guarded s) {
    return s.call.get();
  }
}
