package dev.fusebox.benchmarks;

import java.util.function.Supplier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * What every policy benchmark shares, its JMH state included: one contender's policy around a call that
 * succeeds at once, decorated once per trial, checked after each iteration, closed after the trial, and
 * measured by {@link #success()} on one thread (the run measures it once). A policy's benchmark names the
 * policy and the contenders it measures as its {@code @Param}; the configuration each library gets is in
 * {@link PolicyContenders}:
 *
 * <pre>{@code
 * public class RetryBenchmark extends PolicyBenchmark {
 *   @Param({PolicyContenders.FUSEBOX, PolicyContenders.RESILIENCE4J, PolicyContenders.FAILSAFE})
 *   public String contender;
 *
 *   public RetryBenchmark() {
 *     super(PolicyContenders.Policy.RETRY);
 *   }
 *
 *   String contender() {
 *     return contender;
 *   }
 * }
 * }</pre>
 */
@Threads(1)
@State(Scope.Benchmark)
public abstract class PolicyBenchmark extends BenchmarkDefaults {

  private final PolicyContenders.Policy policy;
  private PolicyContenders.Guarded guarded;
  private Supplier<Object> call;

  PolicyBenchmark(PolicyContenders.Policy policy) {
    this.policy = policy;
  }

  /** Returns the library measured in this run, the {@code @Param} JMH set. */
  abstract String contender();

  /** Builds the contender's policy once per trial, before any measured call. */
  @Setup(Level.Trial)
  public void create() {
    guarded = PolicyContenders.create(policy, contender());
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

  /**
   * Isolates the policy around a successful call, as its benchmark's description says.
   *
   * @return the call's result, handed to JMH so that the call is not optimised away
   */
  @Benchmark
  public Object success() {
    return call.get();
  }
}
