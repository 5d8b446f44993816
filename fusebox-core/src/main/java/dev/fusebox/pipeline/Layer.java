package dev.fusebox.pipeline;

import dev.fusebox.bulkhead.AdaptiveBulkhead;
import dev.fusebox.bulkhead.Bulkhead;
import dev.fusebox.chaos.Chaos;
import dev.fusebox.circuitbreaker.CircuitBreaker;
import dev.fusebox.ratelimiter.RateLimiter;
import dev.fusebox.retry.Retry;
import dev.fusebox.timelimiter.TimeLimiter;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One policy of a pipeline, seen only as something that wraps a call. Each implementation forwards to the
 * policy's own {@code decorate} methods, so a pipeline adds no behaviour of its own between layers.
 */
abstract class Layer {

  final String kind;
  final String name;

  private Layer(String kind, String name) {
    this.kind = kind;
    this.name = name;
  }

  abstract <X> Supplier<X> supplier(Supplier<X> call);

  abstract <X> Callable<X> callable(Callable<X> call);

  abstract <A, X> Function<A, X> function(Function<A, X> call);

  abstract <X> Supplier<CompletionStage<X>> stage(Supplier<? extends CompletionStage<X>> call);

  @Override
  public String toString() {
    return kind + " '" + name + "'";
  }

  static Layer of(Retry retry) {
    return new Layer("retry", retry.name()) {
      <X> Supplier<X> supplier(Supplier<X> c) { return retry.decorateSupplier(c); }
      <X> Callable<X> callable(Callable<X> c) { return retry.decorateCallable(c); }
      <A, X> Function<A, X> function(Function<A, X> c) { return retry.decorateFunction(c); }
      <X> Supplier<CompletionStage<X>> stage(Supplier<? extends CompletionStage<X>> c) {
        return retry.decorateCompletionStage(c);
      }
    };
  }

  static Layer of(CircuitBreaker breaker) {
    return new Layer("circuitBreaker", breaker.name()) {
      <X> Supplier<X> supplier(Supplier<X> c) { return breaker.decorateSupplier(c); }
      <X> Callable<X> callable(Callable<X> c) { return breaker.decorateCallable(c); }
      <A, X> Function<A, X> function(Function<A, X> c) { return breaker.decorateFunction(c); }
      <X> Supplier<CompletionStage<X>> stage(Supplier<? extends CompletionStage<X>> c) {
        return breaker.decorateCompletionStage(c);
      }
    };
  }

  static Layer of(RateLimiter limiter) {
    return new Layer("rateLimiter", limiter.name()) {
      <X> Supplier<X> supplier(Supplier<X> c) { return limiter.decorateSupplier(c); }
      <X> Callable<X> callable(Callable<X> c) { return limiter.decorateCallable(c); }
      <A, X> Function<A, X> function(Function<A, X> c) { return limiter.decorateFunction(c); }
      <X> Supplier<CompletionStage<X>> stage(Supplier<? extends CompletionStage<X>> c) {
        return limiter.decorateCompletionStage(c);
      }
    };
  }

  static Layer of(TimeLimiter limiter) {
    return new Layer("timeLimiter", limiter.name()) {
      <X> Supplier<X> supplier(Supplier<X> c) { return limiter.decorateSupplier(c); }
      <X> Callable<X> callable(Callable<X> c) { return limiter.decorateCallable(c); }
      <A, X> Function<A, X> function(Function<A, X> c) { return limiter.decorateFunction(c); }
      <X> Supplier<CompletionStage<X>> stage(Supplier<? extends CompletionStage<X>> c) {
        return limiter.decorateCompletionStage(c);
      }
    };
  }

  static Layer of(Bulkhead bulkhead) {
    return new Layer("bulkhead", bulkhead.name()) {
      <X> Supplier<X> supplier(Supplier<X> c) { return bulkhead.decorateSupplier(c); }
      <X> Callable<X> callable(Callable<X> c) { return bulkhead.decorateCallable(c); }
      <A, X> Function<A, X> function(Function<A, X> c) { return bulkhead.decorateFunction(c); }
      <X> Supplier<CompletionStage<X>> stage(Supplier<? extends CompletionStage<X>> c) {
        return bulkhead.decorateCompletionStage(c);
      }
    };
  }

  static Layer of(AdaptiveBulkhead bulkhead) {
    return new Layer("adaptiveBulkhead", bulkhead.name()) {
      <X> Supplier<X> supplier(Supplier<X> c) { return bulkhead.decorateSupplier(c); }
      <X> Callable<X> callable(Callable<X> c) { return bulkhead.decorateCallable(c); }
      <A, X> Function<A, X> function(Function<A, X> c) { return bulkhead.decorateFunction(c); }
      <X> Supplier<CompletionStage<X>> stage(Supplier<? extends CompletionStage<X>> c) {
        return bulkhead.decorateCompletionStage(c);
      }
    };
  }

  static Layer of(Chaos chaos) {
    return new Layer("chaos", chaos.name()) {
      <X> Supplier<X> supplier(Supplier<X> c) { return chaos.decorateSupplier(c); }
      <X> Callable<X> callable(Callable<X> c) { return chaos.decorateCallable(c); }
      <A, X> Function<A, X> function(Function<A, X> c) { return chaos.decorateFunction(c); }
      <X> Supplier<CompletionStage<X>> stage(Supplier<? extends CompletionStage<X>> c) {
        return chaos.decorateCompletionStage(c);
      }
    };
  }
}
