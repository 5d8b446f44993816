package dev.fusebox.spring.cloud;

import dev.fusebox.bulkhead.Bulkhead;
import dev.fusebox.reactor.BulkheadOperator;
import dev.fusebox.reactor.CircuitBreakerOperator;
import dev.fusebox.reactor.TimeLimiterOperator;
import dev.fusebox.timelimiter.TimeLimiter;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.reactivestreams.Publisher;
import org.springframework.cloud.client.circuitbreaker.ReactiveCircuitBreaker;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A Spring Cloud reactive circuit breaker over fusebox-reactor's operators: permission at each
 * subscription, one outcome per subscription (a Flux's at its end), a cancelled subscription records
 * nothing.
 */
final class ReactiveFuseboxCircuitBreaker implements ReactiveCircuitBreaker {

  private final String name;
  // The operators are immutable and hold no element type: built once, shared by every subscription.
  private final UnaryOperator<Publisher<Object>> breaker;
  private final UnaryOperator<Publisher<Object>> limiter;
  private final UnaryOperator<Publisher<Object>> bulkhead;

  ReactiveFuseboxCircuitBreaker(dev.fusebox.circuitbreaker.CircuitBreaker breaker, TimeLimiter limiter, Bulkhead bulkhead) {
    this.name = breaker.name();
    this.breaker = CircuitBreakerOperator.of(breaker);
    this.limiter = limiter == null ? null : TimeLimiterOperator.of(limiter);
    this.bulkhead = bulkhead == null ? null : BulkheadOperator.of(bulkhead);
  }

  @Override
  public <T> Mono<T> run(Mono<T> toRun, Function<Throwable, Mono<T>> fallback) {
    Objects.requireNonNull(toRun, "toRun must not be null");
    Objects.requireNonNull(fallback, "fallback must not be null");
    Mono<T> guarded = toRun;
    if (limiter != null) {
      guarded = guarded.transformDeferred(typed(limiter));
    }
    guarded = guarded.transformDeferred(typed(breaker));
    if (bulkhead != null) {
      guarded = guarded.transformDeferred(typed(bulkhead));
    }
    return guarded.onErrorResume(fallback);
  }

  @Override
  public <T> Flux<T> run(Flux<T> toRun, Function<Throwable, Flux<T>> fallback) {
    Objects.requireNonNull(toRun, "toRun must not be null");
    Objects.requireNonNull(fallback, "fallback must not be null");
    Flux<T> guarded = toRun;
    if (limiter != null) {
      guarded = guarded.transformDeferred(typed(limiter));
    }
    guarded = guarded.transformDeferred(typed(breaker));
    if (bulkhead != null) {
      guarded = guarded.transformDeferred(typed(bulkhead));
    }
    return guarded.onErrorResume(fallback);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static <T> UnaryOperator<Publisher<T>> typed(UnaryOperator<Publisher<Object>> operator) {
    return (UnaryOperator) operator;
  }

  @Override
  public String toString() {
    return "ReactiveFuseboxCircuitBreaker{" + name + '}';
  }
}
