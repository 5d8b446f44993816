package dev.fusebox.spring.annotation;

import dev.fusebox.rxjava3.AdaptiveBulkheadOperator;
import dev.fusebox.rxjava3.AdaptiveThrottleOperator;
import dev.fusebox.rxjava3.BulkheadOperator;
import dev.fusebox.rxjava3.ChaosOperator;
import dev.fusebox.rxjava3.CircuitBreakerOperator;
import dev.fusebox.rxjava3.RateLimiterOperator;
import dev.fusebox.rxjava3.RetryOperator;
import dev.fusebox.rxjava3.TimeLimiterOperator;
import dev.fusebox.rxjava3.Transformer;
import io.reactivex.rxjava3.core.Completable;
import io.reactivex.rxjava3.core.Flowable;
import io.reactivex.rxjava3.core.Maybe;
import io.reactivex.rxjava3.core.Observable;
import io.reactivex.rxjava3.core.Single;
import java.util.List;
import java.util.function.Function;
import org.aopalliance.intercept.MethodInvocation;

/**
 * The policies of a method returning one of RxJava 3's five types, as fusebox-rxjava3 operators composed
 * onto the source it returns, so that they act per subscription, as {@link ReactorPlan} does for Reactor:
 * permission when subscribed, the outcome at the end, a retry by subscribing again. Loaded only for such
 * methods, so that neither RxJava nor fusebox-rxjava3 is needed otherwise.
 */
final class RxJavaPlan {

  /**
   * Innermost first: chaos, bulkhead, time limiter, rate limiter, throttle, breaker, retry, as the blocking
   * pipeline stacks them.
   */
  private final List<Transformer<Object>> operators;

  RxJavaPlan(Policies policies) {
    this.operators = policies.innermostFirst(ChaosOperator::of, BulkheadOperator::of, AdaptiveBulkheadOperator::of,
        TimeLimiterOperator::of, RateLimiterOperator::of, AdaptiveThrottleOperator::of, CircuitBreakerOperator::of,
        RetryOperator::of);
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
    Kind kind = Kind.of(plan.method.getReturnType());
    Object guarded = Policies.assemble(plan, invocation, kind::error);
    for (Transformer<Object> operator : operators) {
      guarded = kind.compose(guarded, operator);
    }
    return plan.fallback == null ? guarded
        : kind.resume(guarded, failure -> Policies.fallback(plan, invocation, target, failure, kind::error));
  }

  /**
   * What differs between the five types: each has its own {@code compose}, {@code onErrorResumeNext} and
   * {@code error}, with no common supertype to call them on.
   */
  @SuppressWarnings("unchecked")
  private enum Kind {
    FLOWABLE {
      Object compose(Object source, Transformer<Object> operator) {
        return ((Flowable<Object>) source).compose(operator);
      }

      Object resume(Object source, Function<Throwable, Object> fallback) {
        return ((Flowable<Object>) source).onErrorResumeNext(e -> (Flowable<Object>) fallback.apply(e));
      }

      Object error(Throwable failure) {
        return Flowable.error(failure);
      }
    },
    OBSERVABLE {
      Object compose(Object source, Transformer<Object> operator) {
        return ((Observable<Object>) source).compose(operator);
      }

      Object resume(Object source, Function<Throwable, Object> fallback) {
        return ((Observable<Object>) source).onErrorResumeNext(e -> (Observable<Object>) fallback.apply(e));
      }

      Object error(Throwable failure) {
        return Observable.error(failure);
      }
    },
    SINGLE {
      Object compose(Object source, Transformer<Object> operator) {
        return ((Single<Object>) source).compose(operator);
      }

      Object resume(Object source, Function<Throwable, Object> fallback) {
        return ((Single<Object>) source).onErrorResumeNext(e -> (Single<Object>) fallback.apply(e));
      }

      Object error(Throwable failure) {
        return Single.error(failure);
      }
    },
    MAYBE {
      Object compose(Object source, Transformer<Object> operator) {
        return ((Maybe<Object>) source).compose(operator);
      }

      Object resume(Object source, Function<Throwable, Object> fallback) {
        return ((Maybe<Object>) source).onErrorResumeNext(e -> (Maybe<Object>) fallback.apply(e));
      }

      Object error(Throwable failure) {
        return Maybe.error(failure);
      }
    },
    COMPLETABLE {
      Object compose(Object source, Transformer<Object> operator) {
        return ((Completable) source).compose(operator);
      }

      Object resume(Object source, Function<Throwable, Object> fallback) {
        return ((Completable) source).onErrorResumeNext(e -> (Completable) fallback.apply(e));
      }

      Object error(Throwable failure) {
        return Completable.error(failure);
      }
    };

    abstract Object compose(Object source, Transformer<Object> operator);

    abstract Object resume(Object source, Function<Throwable, Object> fallback);

    abstract Object error(Throwable failure);

    static Kind of(Class<?> type) {
      if (type == Flowable.class) {
        return FLOWABLE;
      }
      if (type == Observable.class) {
        return OBSERVABLE;
      }
      if (type == Single.class) {
        return SINGLE;
      }
      return type == Maybe.class ? MAYBE : COMPLETABLE;
    }
  }
}
