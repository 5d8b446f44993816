package dev.fusebox.spring.annotation;

import java.lang.reflect.Method;
import java.lang.reflect.UndeclaredThrowableException;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.springframework.aop.ProxyMethodInvocation;
import org.springframework.aop.support.AopUtils;

/**
 * Runs an annotated method through its layers, outermost first: fallback, retry, circuit breaker, rate
 * limiter, time limiter, bulkhead, call: the order of {@code dev.fusebox.pipeline}. The bulkhead is
 * innermost so that it bounds the calls actually running, a timed-out call's permit being released when
 * the call ends; the rate limiter is inside the breaker, so an open breaker spends no permit. A retried call proceeds on a fresh copy of the invocation each attempt, so that the
 * interceptors inside this one (a transaction, say) run again for every attempt.
 */
final class PolicyInterceptor implements MethodInterceptor {

  private final Plans plans;

  PolicyInterceptor(Plans plans) {
    this.plans = plans;
  }

  @Override
  public Object invoke(MethodInvocation invocation) throws Throwable {
    Object target = invocation.getThis();
    Class<?> targetClass = target != null ? AopUtils.getTargetClass(target) : invocation.getMethod().getDeclaringClass();
    MethodPlan plan = plans.find(invocation.getMethod(), targetClass);
    if (plan == null) {
      return invocation.proceed();
    }
    return plan.async ? async(plan, invocation, target) : sync(plan, invocation, target);
  }

  private static Object sync(MethodPlan plan, MethodInvocation invocation, Object target) throws Throwable {
    boolean again = plan.retry != null;
    Callable<Object> call = () -> proceed(again ? ((ProxyMethodInvocation) invocation).invocableClone() : invocation);
    if (plan.bulkhead != null) {
      call = plan.bulkhead.decorateCallable(call);
    }
    if (plan.timeLimiter != null) {
      call = plan.timeLimiter.decorateCallable(call);
    }
    if (plan.rateLimiter != null) {
      call = plan.rateLimiter.decorateCallable(call);
    }
    if (plan.circuitBreaker != null) {
      call = plan.circuitBreaker.decorateCallable(call);
    }
    if (plan.retry != null) {
      call = plan.retry.decorateCallable(call);
    }
    try {
      return call.call();
    } catch (Throwable failure) {
      if (plan.fallback == null) {
        throw failure;
      }
      Optional<Method> overload = plan.fallback.overloadFor(failure);
      if (overload.isEmpty()) {
        throw failure;
      }
      return plan.fallback.invoke(overload.get(), target, invocation.getArguments(), failure);
    }
  }

  @SuppressWarnings("unchecked")
  private static Object async(MethodPlan plan, MethodInvocation invocation, Object target) {
    boolean again = plan.retry != null;
    Supplier<CompletionStage<Object>> call = () -> {
      try {
        Object stage = proceed(again ? ((ProxyMethodInvocation) invocation).invocableClone() : invocation);
        return stage != null
            ? (CompletionStage<Object>) stage
            : CompletableFuture.failedFuture(new NullPointerException(plan.method + " returned null"));
      } catch (Exception e) {
        return CompletableFuture.failedFuture(e);
      }
    };
    if (plan.bulkhead != null) {
      call = plan.bulkhead.decorateCompletionStage(call);
    }
    if (plan.timeLimiter != null) {
      call = plan.timeLimiter.decorateCompletionStage(call);
    }
    if (plan.rateLimiter != null) {
      call = plan.rateLimiter.decorateCompletionStage(call);
    }
    if (plan.circuitBreaker != null) {
      call = plan.circuitBreaker.decorateCompletionStage(call);
    }
    if (plan.retry != null) {
      Supplier<CompletionStage<Object>> inner = call;
      dev.fusebox.retry.Retry retry = plan.retry;
      call = () -> retry.executeCompletionStage(inner);
    }
    CompletionStage<Object> stage = call.get();
    if (plan.fallback != null) {
      stage = stage.exceptionallyCompose(wrapped -> fallback(plan, invocation, target, unwrap(wrapped)));
    }
    return plan.completableFuture ? stage.toCompletableFuture() : stage;
  }

  @SuppressWarnings("unchecked")
  private static CompletionStage<Object> fallback(
      MethodPlan plan, MethodInvocation invocation, Object target, Throwable failure) {
    Optional<Method> overload = plan.fallback.overloadFor(failure);
    if (overload.isEmpty()) {
      return CompletableFuture.failedFuture(failure);
    }
    try {
      Object result = plan.fallback.invoke(overload.get(), target, invocation.getArguments(), failure);
      if (plan.fallback.valueForStage()) {
        return CompletableFuture.completedFuture(result);
      }
      return result != null
          ? (CompletionStage<Object>) result
          : CompletableFuture.failedFuture(new NullPointerException("fallback of " + plan.method + " returned null"));
    } catch (Throwable own) {
      return CompletableFuture.failedFuture(own);
    }
  }

  private static Throwable unwrap(Throwable t) {
    while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  /** Proceeds with the invocation, letting exceptions and errors through as they are. */
  private static Object proceed(MethodInvocation invocation) throws Exception {
    try {
      return invocation.proceed();
    } catch (Exception | Error e) {
      throw e;
    } catch (Throwable other) {
      throw new UndeclaredThrowableException(other);
    }
  }
}
