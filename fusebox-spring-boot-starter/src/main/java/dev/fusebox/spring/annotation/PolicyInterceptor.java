package dev.fusebox.spring.annotation;

import java.lang.reflect.Method;
import java.lang.reflect.UndeclaredThrowableException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.springframework.aop.ProxyMethodInvocation;
import org.springframework.aop.support.AopUtils;

/**
 * Runs an annotated method through its {@link dev.fusebox.pipeline.Pipeline}, and its fallback around it:
 * fallback, retry, circuit breaker, rate limiter, time limiter, bulkhead, chaos, call (the retry inside the
 * breaker when {@link Retry#order()} says so). A retried call proceeds on a fresh copy of the invocation each attempt, so that the
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
    if (plan.reactor != null) {
      return ((ReactorPlan) plan.reactor).invoke(plan, invocation, target);
    }
    if (plan.rxjava != null) {
      return ((RxJavaPlan) plan.rxjava).invoke(plan, invocation, target);
    }
    if (plan.flow != null) {
      return ((FlowPlan) plan.flow).invoke(plan, invocation, target);
    }
    return plan.async ? async(plan, invocation, target) : sync(plan, invocation, target);
  }

  private static Object sync(MethodPlan plan, MethodInvocation invocation, Object target) throws Throwable {
    try {
      return plan.pipeline.executeCallable(() -> proceed(attempt(plan, invocation)));
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
    CompletionStage<Object> stage = plan.pipeline.executeCompletionStage(() -> {
      try {
        Object result = proceed(attempt(plan, invocation));
        return result != null
            ? (CompletionStage<Object>) result
            : CompletableFuture.failedFuture(new NullPointerException(plan.method + " returned null"));
      } catch (Exception e) {
        return CompletableFuture.failedFuture(e);
      }
    });
    if (plan.fallback != null) {
      stage = stage.exceptionallyCompose(wrapped -> fallback(plan, invocation, target, unwrap(wrapped)));
    }
    return plan.completableFuture ? stage.toCompletableFuture() : stage;
  }

  /** The invocation of one attempt: a fresh copy when the call may be attempted again. */
  private static MethodInvocation attempt(MethodPlan plan, MethodInvocation invocation) {
    return plan.retried ? ((ProxyMethodInvocation) invocation).invocableClone() : invocation;
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
