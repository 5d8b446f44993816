package dev.fusebox.spring.annotation;

import dev.fusebox.bulkhead.AdaptiveBulkhead;
import dev.fusebox.bulkhead.Bulkhead;
import dev.fusebox.circuitbreaker.CircuitBreaker;
import dev.fusebox.ratelimiter.RateLimiter;
import dev.fusebox.retry.Retry;
import dev.fusebox.rxjava3.AdaptiveBulkheadOperator;
import dev.fusebox.rxjava3.BulkheadOperator;
import dev.fusebox.rxjava3.CircuitBreakerOperator;
import dev.fusebox.rxjava3.RateLimiterOperator;
import dev.fusebox.rxjava3.RetryOperator;
import dev.fusebox.rxjava3.TimeLimiterOperator;
import dev.fusebox.rxjava3.Transformer;
import dev.fusebox.timelimiter.TimeLimiter;
import io.reactivex.rxjava3.core.Completable;
import io.reactivex.rxjava3.core.Flowable;
import io.reactivex.rxjava3.core.Maybe;
import io.reactivex.rxjava3.core.Observable;
import io.reactivex.rxjava3.core.Single;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.aopalliance.intercept.MethodInvocation;

/**
 * The policies of a method returning one of RxJava 3's five types, as fusebox-rxjava3 operators composed
 * onto the source it returns, so that they act per subscription, as {@link ReactorPlan} does for Reactor:
 * permission when subscribed, the outcome at the end, a retry by subscribing again. Loaded only for such
 * methods, so that neither RxJava nor fusebox-rxjava3 is needed otherwise.
 */
final class RxJavaPlan {

  /** Innermost first: bulkhead, time limiter, rate limiter, breaker, retry, as the blocking pipeline stacks them. */
  private final List<Transformer<Object>> operators;

  RxJavaPlan(Retry retry, CircuitBreaker breaker, RateLimiter rateLimiter, TimeLimiter timeLimiter,
      Bulkhead bulkhead, AdaptiveBulkhead adaptiveBulkhead) {
    List<Transformer<Object>> list = new ArrayList<>();
    if (bulkhead != null) {
      list.add(BulkheadOperator.of(bulkhead));
    }
    if (adaptiveBulkhead != null) {
      list.add(AdaptiveBulkheadOperator.of(adaptiveBulkhead));
    }
    if (timeLimiter != null) {
      list.add(TimeLimiterOperator.of(timeLimiter));
    }
    if (rateLimiter != null) {
      list.add(RateLimiterOperator.of(rateLimiter));
    }
    if (breaker != null) {
      list.add(CircuitBreakerOperator.of(breaker));
    }
    if (retry != null) {
      list.add(RetryOperator.of(retry));
    }
    this.operators = List.copyOf(list);
  }

  /**
   * Exactly the five types, by name so that MethodPlan can ask without RxJava: a subclass (a subject, a
   * processor, a connectable source) has semantics of its own that a composed operator would not keep, so
   * it stays refused as any other reactive type.
   */
  static boolean handles(Class<?> returnType) {
    return switch (returnType.getName()) {
      case "io.reactivex.rxjava3.core.Flowable", "io.reactivex.rxjava3.core.Observable",
          "io.reactivex.rxjava3.core.Single", "io.reactivex.rxjava3.core.Maybe",
          "io.reactivex.rxjava3.core.Completable" -> true;
      default -> false;
    };
  }

  Object invoke(MethodPlan plan, MethodInvocation invocation, Object target) {
    Class<?> type = plan.method.getReturnType();
    Object source;
    try {
      source = invocation.proceed();
      if (source == null) {
        source = error(type, new NullPointerException(plan.method + " returned null"));
      }
    } catch (Throwable assembly) {
      // Thrown while assembling: an outcome of the call all the same, seen by the policies when subscribed.
      source = error(type, assembly);
    }
    return guard(type, source, plan.fallback == null ? null : failure -> fallback(plan, invocation, target, failure));
  }

  @SuppressWarnings("unchecked")
  private Object guard(Class<?> type, Object source, Function<Throwable, Object> fallback) {
    if (type == Flowable.class) {
      Flowable<Object> guarded = (Flowable<Object>) source;
      for (Transformer<Object> operator : operators) {
        guarded = guarded.compose(operator);
      }
      return fallback == null ? guarded
          : guarded.onErrorResumeNext(failure -> (Flowable<Object>) fallback.apply(failure));
    }
    if (type == Observable.class) {
      Observable<Object> guarded = (Observable<Object>) source;
      for (Transformer<Object> operator : operators) {
        guarded = guarded.compose(operator);
      }
      return fallback == null ? guarded
          : guarded.onErrorResumeNext(failure -> (Observable<Object>) fallback.apply(failure));
    }
    if (type == Single.class) {
      Single<Object> guarded = (Single<Object>) source;
      for (Transformer<Object> operator : operators) {
        guarded = guarded.compose(operator);
      }
      return fallback == null ? guarded
          : guarded.onErrorResumeNext(failure -> (Single<Object>) fallback.apply(failure));
    }
    if (type == Maybe.class) {
      Maybe<Object> guarded = (Maybe<Object>) source;
      for (Transformer<Object> operator : operators) {
        guarded = guarded.compose(operator);
      }
      return fallback == null ? guarded
          : guarded.onErrorResumeNext(failure -> (Maybe<Object>) fallback.apply(failure));
    }
    Completable guarded = (Completable) source;
    for (Transformer<Object> operator : operators) {
      guarded = guarded.compose(operator);
    }
    return fallback == null ? guarded
        : guarded.onErrorResumeNext(failure -> (Completable) fallback.apply(failure));
  }

  private static Object fallback(MethodPlan plan, MethodInvocation invocation, Object target, Throwable failure) {
    Class<?> type = plan.method.getReturnType();
    Optional<Method> overload = plan.fallback.overloadFor(failure);
    if (overload.isEmpty()) {
      return error(type, failure);
    }
    try {
      Object result = plan.fallback.invoke(overload.get(), target, invocation.getArguments(), failure);
      return result != null ? result
          : error(type, new NullPointerException("fallback of " + plan.method + " returned null"));
    } catch (Throwable own) {
      return error(type, own);
    }
  }

  private static Object error(Class<?> type, Throwable failure) {
    if (type == Flowable.class) {
      return Flowable.error(failure);
    }
    if (type == Observable.class) {
      return Observable.error(failure);
    }
    if (type == Single.class) {
      return Single.error(failure);
    }
    if (type == Maybe.class) {
      return Maybe.error(failure);
    }
    return Completable.error(failure);
  }
}
