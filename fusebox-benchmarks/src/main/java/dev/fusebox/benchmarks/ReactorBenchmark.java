package dev.fusebox.benchmarks;

import dev.fusebox.bulkhead.Bulkhead;
import dev.fusebox.bulkhead.BulkheadConfig;
import dev.fusebox.circuitbreaker.CircuitBreaker;
import dev.fusebox.reactor.BulkheadOperator;
import dev.fusebox.reactor.CircuitBreakerOperator;
import dev.fusebox.reactor.RetryOperator;
import dev.fusebox.retry.Retry;
import dev.fusebox.retry.RetryConfig;
import java.util.function.Function;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;

/**
 * Issue 16: what one subscription to a successful {@code Mono} costs through Fusebox's Reactor operators
 * and through Resilience4j's reactor module ({@code resilience4j-reactor}), for the breaker, the retry and
 * the bulkhead, in time and in bytes allocated per subscription. Contender {@code reactor} is the same
 * {@code Mono} through {@code transformDeferred(identity)}: the floor that Reactor itself costs.
 *
 * <p>Each {@code Mono} is assembled once, in the {@code @Setup}, as {@code Mono.just(x).transformDeferred(op)};
 * a benchmark subscribes to it once per operation with a subscriber that requests everything and keeps
 * the value, so what is measured is the subscription: the deferred operator's application, the
 * permission, the value, the outcome. Configurations are those of {@link PolicyContenders} (retry: three
 * attempts; bulkhead: 25 permits, no wait) and the breakers' defaults (see {@link Contenders}). One
 * thread.
 */
@Threads(1)
public class ReactorBenchmark extends BenchmarkDefaults {

  static final String REACTOR = "reactor";

  /** The three guarded {@code Mono}s of one contender, and the subscriber that drains them. */
  @State(Scope.Benchmark)
  public static class Guarded {
    /** The library measured in this run; JMH sets it from the {@code @Param} values. */
    @Param({PolicyContenders.FUSEBOX, PolicyContenders.RESILIENCE4J, REACTOR})
    public String contender;

    Mono<Object> circuitBreaker;
    Mono<Object> retry;
    Mono<Object> bulkhead;
    final Sink sink = new Sink();
    private Runnable check;

    /** Builds the contender's operators once per trial, before any measured call. */
    @Setup(Level.Trial)
    public void create() {
      Mono<Object> source = Mono.just(Calls.RESULT);
      switch (contender) {
        case PolicyContenders.FUSEBOX -> {
          CircuitBreaker breaker = CircuitBreaker.ofDefaults("reactor");
          Retry r = Retry.of("reactor", RetryConfig.builder().maxAttempts(PolicyContenders.MAX_ATTEMPTS)
              .waitDuration(PolicyContenders.RETRY_WAIT).build());
          Bulkhead b = Bulkhead.of("reactor",
              BulkheadConfig.builder().maxConcurrentCalls(PolicyContenders.MAX_CONCURRENT_CALLS).build());
          circuitBreaker = source.transformDeferred(CircuitBreakerOperator.of(breaker));
          retry = source.transformDeferred(RetryOperator.of(r));
          bulkhead = source.transformDeferred(BulkheadOperator.of(b));
          check = () -> expect(breaker.metrics().numberOfFailedCalls() == 0
              && r.metrics().numberOfTotalRetryAttempts() == 0
              && b.metrics().availableConcurrentCalls() == PolicyContenders.MAX_CONCURRENT_CALLS);
        }
        case PolicyContenders.RESILIENCE4J -> {
          var breaker = io.github.resilience4j.circuitbreaker.CircuitBreaker.ofDefaults("reactor");
          var r = io.github.resilience4j.retry.Retry.of("reactor", io.github.resilience4j.retry.RetryConfig.custom()
              .maxAttempts(PolicyContenders.MAX_ATTEMPTS).waitDuration(PolicyContenders.RETRY_WAIT).build());
          var b = io.github.resilience4j.bulkhead.Bulkhead.of("reactor",
              io.github.resilience4j.bulkhead.BulkheadConfig.custom()
                  .maxConcurrentCalls(PolicyContenders.MAX_CONCURRENT_CALLS)
                  .maxWaitDuration(java.time.Duration.ZERO)
                  .build());
          circuitBreaker = source.transformDeferred(
              io.github.resilience4j.reactor.circuitbreaker.operator.CircuitBreakerOperator.of(breaker));
          retry = source.transformDeferred(io.github.resilience4j.reactor.retry.RetryOperator.of(r));
          bulkhead = source.transformDeferred(
              io.github.resilience4j.reactor.bulkhead.operator.BulkheadOperator.of(b));
          check = () -> expect(breaker.getMetrics().getNumberOfFailedCalls() == 0
              && r.getMetrics().getNumberOfTotalCalls() == r.getMetrics().getNumberOfSuccessfulCallsWithoutRetryAttempt()
              && b.getMetrics().getAvailableConcurrentCalls() == PolicyContenders.MAX_CONCURRENT_CALLS);
        }
        case REACTOR -> {
          Mono<Object> plain = source.transformDeferred(Function.identity());
          circuitBreaker = plain;
          retry = plain;
          bulkhead = plain;
          check = () -> {};
        }
        default -> throw new IllegalArgumentException("unknown contender " + contender);
      }
    }

    /** Fails the iteration if an operator did anything but pass the value through. */
    @TearDown(Level.Iteration)
    public void check() {
      expect(sink.received > 0 && sink.value == Calls.RESULT && sink.failure == null);
      check.run();
    }

    private static void expect(boolean healthy) {
      if (!healthy) {
        throw new IllegalStateException("the benchmark did not measure what it says: a call failed or leaked");
      }
    }
  }

  /**
   * Requests everything and keeps the last value. One instance serves every subscription of a run: they
   * follow one another on the benchmark's thread, each complete before the next starts.
   */
  static final class Sink implements CoreSubscriber<Object> {
    Object value;
    Throwable failure;
    long received;

    @Override
    public void onSubscribe(Subscription s) {
      s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(Object o) {
      value = o;
      received++;
    }

    @Override
    public void onError(Throwable t) {
      failure = t;
    }

    @Override
    public void onComplete() {}
  }

  /**
   * A subscription through the breaker operator: permit, value, success recorded.
   *
   * @param s the state: the contender's operators, built once per trial
   * @return the value the subscriber received, handed to JMH
   */
  @Benchmark
  public Object circuitBreaker(Guarded s) {
    s.circuitBreaker.subscribe(s.sink);
    return s.sink.value;
  }

  /**
   * A subscription through the retry operator: a call of the retry that succeeds at its first attempt.
   *
   * @param s the state: the contender's operators, built once per trial
   * @return the value the subscriber received, handed to JMH
   */
  @Benchmark
  public Object retry(Guarded s) {
    s.retry.subscribe(s.sink);
    return s.sink.value;
  }

  /**
   * A subscription through the bulkhead operator: permit taken and given back.
   *
   * @param s the state: the contender's operators, built once per trial
   * @return the value the subscriber received, handed to JMH
   */
  @Benchmark
  public Object bulkhead(Guarded s) {
    s.bulkhead.subscribe(s.sink);
    return s.sink.value;
  }
}
