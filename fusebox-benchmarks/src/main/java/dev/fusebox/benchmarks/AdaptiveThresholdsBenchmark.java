package dev.fusebox.benchmarks;

import dev.fusebox.Ticker;
import dev.fusebox.circuitbreaker.CircuitBreaker;
import dev.fusebox.circuitbreaker.CircuitBreakerConfig;
import java.time.Duration;
import java.util.function.Supplier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * Issue 17 part 3 on the call path: what each option that follows traffic adds to the breaker of
 * {@link ClosedPathBenchmark} (Fusebox's configuration, count window), against that same breaker without
 * it, in the same run. {@code fusebox-percentile} judges slow calls by its own p99 (one histogram increment
 * per call; its default ticker is {@link Ticker#system()}, so {@code fusebox-system-ticker} is its fair
 * plain counterpart); {@code fusebox-confidence} decides failures with {@code failureRateConfidence};
 * {@code fusebox-deploy-mode} runs in deploy mode with a threshold it never reaches. Shown for context: the
 * issue sets no limit. One thread.
 */
@Threads(1)
public class AdaptiveThresholdsBenchmark extends BenchmarkDefaults {

  static final String PERCENTILE = "fusebox-percentile";
  static final String CONFIDENCE = "fusebox-confidence";
  static final String DEPLOY_MODE = "fusebox-deploy-mode";

  /** A closed breaker with one of the options, or none. */
  @State(Scope.Benchmark)
  public static class Breaker {
    /** The variant measured in this run; JMH sets it from the {@code @Param} values. */
    @Param({Contenders.FUSEBOX, Contenders.FUSEBOX_SYSTEM_TICKER, PERCENTILE, CONFIDENCE, DEPLOY_MODE})
    public String contender;

    Subject subject;
    Supplier<Object> succeed;
    Supplier<Object> fail;

    /** Builds the variant once per trial, before any measured call. */
    @Setup(Level.Trial)
    public void create() {
      CircuitBreakerConfig base =
          (CircuitBreakerConfig)
              Contenders.factory(
                      contender.equals(Contenders.FUSEBOX_SYSTEM_TICKER) ? contender : Contenders.FUSEBOX,
                      Contenders.Scenario.FAILING,
                      Window.COUNT,
                      0)
                  .sharedConfig();
      CircuitBreakerConfig config = switch (contender) {
        case PERCENTILE -> base.toBuilder().slowCallDurationPercentile(99, 3).build();
        case CONFIDENCE -> base.toBuilder().failureRateThreshold(99).failureRateConfidence(0.95).build();
        case DEPLOY_MODE -> base.toBuilder().deployModeFailureThreshold(Integer.MAX_VALUE).build();
        default -> base;
      };
      CircuitBreaker breaker = CircuitBreaker.of("dep", config);
      if (contender.equals(DEPLOY_MODE)) {
        breaker.startDeployMode(Duration.ofDays(365));
      }
      subject = Contenders.subject(breaker);
      succeed = subject.succeed;
      fail = subject.fail;
    }

    /** Fails the iteration if the breaker left the closed state, which the figures are about. */
    @TearDown(Level.Iteration)
    public void stillClosed() {
      subject.expect("CLOSED");
    }
  }

  /**
   * A successful call through the closed breaker.
   *
   * @param s the state: the variant's breaker, built once per trial
   * @return the call's result, handed to JMH so that the call is not optimised away
   */
  @Benchmark
  public Object success(Breaker s) {
    return s.succeed.get();
  }

  /**
   * Nine recorded failures in ten calls, each decided with the variant's rules.
   *
   * @param s the state: the variant's breaker, built once per trial
   * @param mix where this thread is in its cycle, as in {@link FailurePathBenchmark}
   * @return the call's result or its exception, handed to JMH
   */
  @Benchmark
  public Object recorded(Breaker s, FailurePathBenchmark.Mix mix) {
    try {
      return mix.nextSucceeds() ? s.succeed.get() : s.fail.get();
    } catch (Calls.RecordedFailure e) {
      return e;
    }
  }
}
