package dev.fusebox.benchmarks;

import dev.fusebox.circuitbreaker.CircuitBreakerConfig;
import dev.fusebox.circuitbreaker.CircuitBreakerRegistry;
import dev.fusebox.micrometer.FuseboxMetrics;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
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
 * Issue 4: what binding a breaker's registry to Micrometer adds to the call path. The same closed-path call
 * as {@link ClosedPathBenchmark} (Fusebox's default configuration, count window), on a breaker taken from a
 * {@code CircuitBreakerRegistry}: unbound ({@code fusebox}), bound with {@code FuseboxMetrics.bind} to a
 * {@code PrometheusMeterRegistry} ({@code fusebox-micrometer}, the default binding, whose meters read the
 * breaker's own counters when scraped), and bound with {@code percentileHistogram(true)}
 * ({@code fusebox-micrometer-histogram}, which listens to every call: documented as not free, shown for
 * context). Target: the default binding within 1.1x of unbound. One thread.
 */
@Threads(1)
public class MicrometerBenchmark extends BenchmarkDefaults {

  static final String BOUND = "fusebox-micrometer";
  static final String HISTOGRAM = "fusebox-micrometer-histogram";

  /** A closed breaker from a registry, bound to Micrometer or not. */
  @State(Scope.Benchmark)
  public static class Breaker {
    /** The library measured in this run; JMH sets it from the {@code @Param} values. */
    @Param({Contenders.FUSEBOX, BOUND, HISTOGRAM})
    public String contender;

    Subject subject;
    Supplier<Object> succeed;
    PrometheusMeterRegistry meters;
    FuseboxMetrics binding;

    /** Builds the contender's policy once per trial, before any measured call. */
    @Setup(Level.Trial)
    public void create() {
      CircuitBreakerConfig config =
          (CircuitBreakerConfig)
              Contenders.factory(Contenders.FUSEBOX, Contenders.Scenario.CLOSED, Window.COUNT, 0).sharedConfig();
      CircuitBreakerRegistry registry = CircuitBreakerRegistry.of(config);
      if (!contender.equals(Contenders.FUSEBOX)) {
        meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        binding =
            FuseboxMetrics.builder(registry).percentileHistogram(contender.equals(HISTOGRAM)).build();
        binding.bindTo(meters);
      }
      subject = Contenders.subject(registry.circuitBreaker("dep"));
      succeed = subject.succeed;
    }

    /** Still closed, and the binding sees the calls (a scrape outside the measured time). */
    @TearDown(Level.Iteration)
    public void check() {
      subject.expect("CLOSED");
      if (meters != null) {
        FunctionCounter successful =
            meters.find(FuseboxMetrics.CALLS).tag("name", "dep").tag("kind", "successful").functionCounter();
        if (successful == null || successful.count() <= 0) {
          throw new IllegalStateException("the Micrometer binding does not see the breaker's calls");
        }
        meters.scrape();
      }
    }

    /** Releases what the trial set up, after it. */
    @TearDown(Level.Trial)
    public void close() {
      if (binding != null) {
        binding.close();
        meters.close();
      }
    }
  }

  /**
   * Isolates the closed-path call with the breaker's registry bound to Micrometer, or not.
   *
   * @param s the state: the contender's policy, built once per trial
   * @return the call's result, handed to JMH so that the call is not optimised away
   */
  @Benchmark
  public Object success(Breaker s) {
    return s.succeed.get();
  }
}
