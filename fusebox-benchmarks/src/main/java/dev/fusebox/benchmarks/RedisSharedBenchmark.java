package dev.fusebox.benchmarks;

import dev.fusebox.circuitbreaker.CircuitBreakerConfig;
import dev.fusebox.circuitbreaker.CircuitBreakerRegistry;
import dev.fusebox.redis.RedisSharedState;
import java.time.Duration;
import java.util.function.Supplier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * Issue 8: what sharing a breaker through Redis adds to the call path. The same closed-path call as
 * {@link ClosedPathBenchmark} (Fusebox's default configuration, count window) on a local breaker
 * ({@code fusebox}) and on a breaker of a {@code RedisSharedState} registry ({@code fusebox-redis}) whose
 * sync thread flushes to the Redis at 127.0.0.1:6379 every 500 ms while the benchmark runs; Redis is never
 * called on the calling thread, so the difference is the shared breaker's per-call bookkeeping. Target:
 * within 1.2x of the local breaker. One thread. {@link Main} leaves this class out when no Redis answers
 * there, and the report says so; the Redis load itself is measured by {@link RedisLoad}.
 */
@Threads(1)
public class RedisSharedBenchmark extends BenchmarkDefaults {

  static final String SHARED = "fusebox-redis";

  /** A closed breaker, local or shared through Redis. */
  @State(Scope.Benchmark)
  public static class Breaker {
    /** The library measured in this run; JMH sets it from the {@code @Param} values. */
    @Param({Contenders.FUSEBOX, SHARED})
    public String contender;

    Subject subject;
    Supplier<Object> succeed;
    RedisSharedState shared;
    String prefix;

    /** Builds the contender's policy once per trial, before any measured call. */
    @Setup(Level.Trial)
    public void create() {
      CircuitBreakerConfig config =
          (CircuitBreakerConfig)
              Contenders.factory(Contenders.FUSEBOX, Contenders.Scenario.CLOSED, Window.COUNT, 0).sharedConfig();
      CircuitBreakerRegistry registry;
      if (contender.equals(SHARED)) {
        prefix = LocalRedis.newPrefix("call-path");
        shared = LocalRedis.state(prefix, "bench");
        registry = shared.registry(config);
      } else {
        registry = CircuitBreakerRegistry.of(config);
      }
      subject = Contenders.subject(registry.circuitBreaker("dep"));
      succeed = subject.succeed;
      if (shared != null) {
        LocalRedis.awaitFirstFlush(shared, Duration.ofSeconds(10));
      }
    }

    /** Still closed, and still sharing: a degraded instance would be measuring a local breaker. */
    @TearDown(Level.Iteration)
    public void check() {
      subject.expect("CLOSED");
      if (shared != null && shared.mode() != RedisSharedState.Mode.SHARED) {
        throw new IllegalStateException("the shared state is " + shared.mode() + ": " + shared.metrics());
      }
    }

    /** Releases what the trial set up, after it. */
    @TearDown(Level.Trial)
    public void close() {
      if (shared != null) {
        shared.close();
        LocalRedis.deleteKeys(prefix);
      }
    }
  }

  /**
   * Isolates the closed-path call on a local breaker, or on one shared through Redis.
   *
   * @param s the state: the contender's policy, built once per trial
   * @return the call's result, handed to JMH so that the call is not optimised away
   */
  @Benchmark
  public Object success(Breaker s) {
    return s.succeed.get();
  }
}
