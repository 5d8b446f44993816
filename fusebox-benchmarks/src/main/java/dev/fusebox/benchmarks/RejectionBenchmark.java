package dev.fusebox.benchmarks;

import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Item 3: rejection by an open breaker, the cost callers pay while a dependency is down.
 *
 * <p>The breaker is opened by hand with a one-hour wait, so nothing moves it to half-open during a run. Two
 * APIs: the throwing one (the call API, whose exception the benchmark catches) and the boolean
 * {@code tryAcquirePermission()} ({@code tryAcquirePermit()} in Failsafe). Resilience4j builds a new
 * {@code CallNotPermittedException} per rejection, with a stack trace by default: it is measured with its
 * default and with {@code writableStackTraceEnabled(false)}. Failsafe builds a new
 * {@code CircuitBreakerOpenException} (with a stack trace) per rejection. Fusebox throws one stackless
 * instance per open stay. Resilience4j's window strategy plays no part in the open state, so only its
 * default (SYNCHRONIZED) is measured here.
 */
public class RejectionBenchmark extends BenchmarkDefaults {

  /** An open breaker, rejected through the call API. */
  @State(Scope.Benchmark)
  public static class OpenForCalls {
    /** The library measured in this run; JMH sets it from the {@code @Param} values. */
    @Param({
      Contenders.FUSEBOX,
      Contenders.R4J_SYNCHRONIZED,
      Contenders.R4J_STACKLESS,
      Contenders.FAILSAFE_EXECUTOR,
      Contenders.FAILSAFE_STANDALONE
    })
    public String contender;

    Subject subject;
    Supplier<Object> succeed;

    /** Builds the contender's policy once per trial, before any measured call. */
    @Setup(Level.Trial)
    public void create() {
      subject = Contenders.create(contender, Contenders.Scenario.OPEN, Window.COUNT, 0);
      succeed = subject.succeed;
    }

    /** Fails the iteration if the breaker left the open state, which the figure is about. */
    @TearDown(Level.Iteration)
    public void stillOpen() {
      subject.expect("OPEN");
    }
  }

  /** An open breaker, asked for a permit without a call. */
  @State(Scope.Benchmark)
  public static class OpenForPermits {
    /** The library measured in this run; JMH sets it from the {@code @Param} values. */
    @Param({Contenders.FUSEBOX, Contenders.R4J_SYNCHRONIZED, Contenders.FAILSAFE_STANDALONE})
    public String contender;

    Subject subject;
    BooleanSupplier tryAcquire;

    /** Builds the contender's policy once per trial, before any measured call. */
    @Setup(Level.Trial)
    public void create() {
      subject = Contenders.create(contender, Contenders.Scenario.OPEN, Window.COUNT, 0);
      tryAcquire = subject.tryAcquire;
    }

    /** Fails the iteration if the breaker left the open state, which the figure is about. */
    @TearDown(Level.Iteration)
    public void stillOpen() {
      subject.expect("OPEN");
    }
  }

  /**
   * Isolates a rejection through the call API: the open-state check, counting the rejection, and getting the
   * exception to the caller (building it, where the library builds one per call).
    *
    * @param s the state: the contender's policy, built once per trial
    * @return the call's result, handed to JMH so that the call is not optimised away
   */
  @Benchmark
  public Object throwing(OpenForCalls s) {
    try {
      return s.succeed.get();
    } catch (RuntimeException rejected) {
      return rejected;
    }
  }

  /**
   * Isolates a rejection without an exception: the open-state check and counting the rejection.
   *
   * @param s the state: the contender's policy, built once per trial
   * @return the call's result, handed to JMH so that the call is not optimised away
   */
  @Benchmark
  public boolean tryAcquire(OpenForPermits s) {
    return s.tryAcquire.getAsBoolean();
  }
}
