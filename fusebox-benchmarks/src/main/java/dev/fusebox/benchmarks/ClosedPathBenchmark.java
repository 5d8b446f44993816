package dev.fusebox.benchmarks;

import java.util.function.Supplier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Item 1: the closed-state success path, the cost a healthy dependency pays on every call.
 *
 * <p>One breaker shared by all benchmark threads (run at 1, 2 and 4 threads), with a count window of 100
 * calls or a time window of 10 s. Fusebox appears three times: its default configuration (coarse ticker,
 * slow-call detection on), which is the headline figure; with {@code ticker(Ticker.system())}, to show what
 * the precise clock costs; and with {@code slowCallDetection(false)}. Resilience4j cannot switch slow-call
 * detection off (it always reads {@code System.nanoTime()} twice); Failsafe has no slow-call detection at all.
 */
public class ClosedPathBenchmark extends BenchmarkDefaults {

  /** A closed breaker of one contender. */
  @State(Scope.Benchmark)
  public static class Closed {
    /** The library measured in this run; JMH sets it from the {@code @Param} values. */
    @Param({
      Contenders.FUSEBOX,
      Contenders.FUSEBOX_SYSTEM_TICKER,
      Contenders.FUSEBOX_NO_SLOW_CALLS,
      Contenders.R4J_SYNCHRONIZED,
      Contenders.R4J_LOCK_FREE,
      Contenders.FAILSAFE_EXECUTOR,
      Contenders.FAILSAFE_STANDALONE
    })
    public String contender;

    /** The breaker's window, by count of calls or by time; JMH sets it from {@code @Param}. */
    @Param({"COUNT", "TIME"})
    public Window window;

    Subject subject;
    Supplier<Object> succeed;

    /** Builds the contender's policy once per trial, before any measured call. */
    @Setup(Level.Trial)
    public void create() {
      subject = Contenders.create(contender, Contenders.Scenario.CLOSED, window, 0);
      succeed = subject.succeed;
    }

    /** Fails the iteration if the breaker left the closed state, which the figure is about. */
    @TearDown(Level.Iteration)
    public void stillClosed() {
      subject.expect("CLOSED");
    }
  }

  /**
   * Isolates admission plus recording of a successful call: permission check, the call (which returns a
   * constant), clock reads where the library takes them, and the window update.
    *
    * @param s the state: the contender's policy, built once per trial
    * @return the call's result, handed to JMH so that the call is not optimised away
   */
  @Benchmark
  public Object success(Closed s) {
    return s.succeed.get();
  }
}
