package dev.fusebox.benchmarks;

import java.util.function.Supplier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Item 4: the half-open trial path, one thread.
 *
 * <p>A trial is a call through the call API while the breaker is half-open: take a trial permit, run, record
 * the success among the trials. To keep measuring exactly that, each invocation runs a batch of
 * {@value #TRIALS} trials in a fresh half-open stay that admits {@value #TRIALS} + 1, so the batch never
 * reaches the decision that would close the breaker. Entering that stay (opening then half-opening the
 * breaker by hand) happens in a per-invocation {@code @Setup}, outside the measured time; its timestamps cost
 * well under a nanosecond per trial at this batch size. Failsafe returns a half-open permit whenever an
 * outcome is recorded, so its permits never run out either.
 */
@Threads(1)
public class HalfOpenBenchmark extends BenchmarkDefaults {

  /** Trials per invocation. */
  static final int TRIALS = 1000;

  /** A breaker of one contender, put into a fresh half-open stay before each batch. */
  @State(Scope.Benchmark)
  public static class HalfOpen {
    /** The library measured in this run; JMH sets it from the {@code @Param} values. */
    @Param({
      Contenders.FUSEBOX,
      Contenders.R4J_SYNCHRONIZED,
      Contenders.R4J_LOCK_FREE,
      Contenders.FAILSAFE_EXECUTOR,
      Contenders.FAILSAFE_STANDALONE
    })
    public String contender;

    Subject subject;
    Supplier<Object> succeed;

    /** Builds the contender's policy once per trial, before any measured call. */
    @Setup(Level.Trial)
    public void create() {
      subject = Contenders.create(contender, Contenders.Scenario.HALF_OPEN, Window.COUNT, TRIALS);
      succeed = subject.succeed;
    }

    /** Open then half-open: every library accepts that path from any state, half-open included. */
    @Setup(Level.Invocation)
    public void reenterHalfOpen() {
      subject.open.run();
      subject.halfOpen.run();
    }

    /** Fails the iteration if the breaker left the half-open state, which the figure is about. */
    @TearDown(Level.Invocation)
    public void stillHalfOpen() {
      subject.expect("HALF_OPEN");
    }
  }

  /**
   * Isolates a trial call: taking a trial permit and recording the trial's success.
   *
   * @param s the state: the contender's policy, built once per trial
   * @param blackhole takes each trial's result, so that the calls are not optimised away
   */
  @Benchmark
  @OperationsPerInvocation(TRIALS)
  public void trial(HalfOpen s, Blackhole blackhole) {
    Supplier<Object> succeed = s.succeed;
    for (int i = 0; i < TRIALS; i++) {
      blackhole.consume(succeed.get());
    }
  }
}
