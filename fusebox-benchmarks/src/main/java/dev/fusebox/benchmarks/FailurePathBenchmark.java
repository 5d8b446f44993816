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
 * Item 2: the failure path (a recorded exception) and the ignored-exception path, on a breaker that stays
 * closed.
 *
 * <p>Every library is kept closed the same way (see {@link Contenders}): a failure-rate threshold of 100%,
 * and nine failures then one success per thread, so no window of 100 calls is ever all failures. Each
 * recorded failure therefore goes through the whole decision (record, compute the rates, compare with the
 * thresholds, stay closed). The exceptions are preallocated and stackless, so their construction does not
 * dominate. Failsafe has no ignore list: the "ignored" exception is one its failure predicate rejects, which
 * it records as a success.
 */
public class FailurePathBenchmark extends BenchmarkDefaults {

  /** A closed breaker of one contender, with a failure-rate threshold of 100%. */
  @State(Scope.Benchmark)
  public static class Failing {
    /** The library measured in this run; JMH sets it from the {@code @Param} values. */
    @Param({
      Contenders.FUSEBOX,
      Contenders.R4J_SYNCHRONIZED,
      Contenders.R4J_LOCK_FREE,
      Contenders.FAILSAFE_EXECUTOR,
      Contenders.FAILSAFE_STANDALONE
    })
    public String contender;

    /** The breaker's window, by count of calls or by time; JMH sets it from {@code @Param}. */
    @Param({"COUNT"})
    public Window window;

    Subject subject;
    Supplier<Object> succeed;
    Supplier<Object> fail;
    Supplier<Object> failIgnored;

    /** Builds the contender's policy once per trial, before any measured call. */
    @Setup(Level.Trial)
    public void create() {
      subject = Contenders.create(contender, Contenders.Scenario.FAILING, window, 0);
      succeed = subject.succeed;
      fail = subject.fail;
      failIgnored = subject.failIgnored;
    }

    /** Fails the iteration if the breaker left the closed state, which the figure is about. */
    @TearDown(Level.Iteration)
    public void stillClosed() {
      subject.expect("CLOSED");
    }
  }

  /** Each thread's place in its nine-failures-one-success cycle. */
  @State(Scope.Thread)
  public static class Mix {
    int calls;

    boolean nextSucceeds() {
      if (++calls == 10) {
        calls = 0;
        return true;
      }
      return false;
    }
  }

  /**
   * Isolates recording a failure and evaluating the rates after it: 90% of the calls throw a recorded
   * exception, 10% succeed (so the figure is 0.9 failure + 0.1 success).
    *
    * @param s the state: the contender's policy, built once per trial
    * @param mix where this thread is in its nine-failures-one-success cycle
    * @return the call's result, handed to JMH so that the call is not optimised away
   */
  @Benchmark
  public Object recorded(Failing s, Mix mix) {
    try {
      return mix.nextSucceeds() ? s.succeed.get() : s.fail.get();
    } catch (Calls.RecordedFailure e) {
      return e;
    }
  }

  /**
   * Isolates classifying an exception as ignored and giving the permit back; nothing is recorded.
   *
   * @param s the state: the contender's policy, built once per trial
   * @return the call's result, handed to JMH so that the call is not optimised away
   */
  @Benchmark
  public Object ignored(Failing s) {
    try {
      return s.failIgnored.get();
    } catch (Calls.IgnoredFailure e) {
      return e;
    }
  }
}
