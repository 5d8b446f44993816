package dev.fusebox.spring.annotation;

import dev.fusebox.reactor.AdaptiveBulkheadOperator;
import dev.fusebox.reactor.AdaptiveThrottleOperator;
import dev.fusebox.reactor.BulkheadOperator;
import dev.fusebox.reactor.ChaosOperator;
import dev.fusebox.reactor.CircuitBreakerOperator;
import dev.fusebox.reactor.RateLimiterOperator;
import dev.fusebox.reactor.RetryOperator;
import dev.fusebox.reactor.TimeLimiterOperator;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.aopalliance.intercept.MethodInvocation;
import org.reactivestreams.Publisher;
import org.springframework.core.ResolvableType;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The policies of a method returning a {@code Mono} or a {@code Flux}, as fusebox-reactor operators on the
 * publisher it returns, so that they act per subscription: permission when subscribed, the outcome at the
 * end, a retry by subscribing again. Loaded only for such methods, so that neither Reactor nor
 * fusebox-reactor is needed otherwise.
 *
 * <p>A Kotlin suspend function comes here too: Spring's proxy invokes it as a {@code Mono} (a {@code Flux}
 * if it returns a Flow), which runs the function's body per subscription, and awaits what this returns. So
 * the permission is taken when the coroutine calls, a retry runs the body again, and the coroutine's
 * cancellation cancels the subscription, which gives the permit back.
 */
final class ReactorPlan {

  /**
   * Innermost first: chaos, bulkhead, time limiter, rate limiter, throttle, breaker, retry, as the blocking
   * pipeline stacks them.
   */
  private final List<UnaryOperator<Publisher<Object>>> operators;

  private final boolean mono;
  private final boolean suspending;

  ReactorPlan(Method method, boolean suspending, Policies policies) {
    this.operators = policies.innermostFirst(ChaosOperator::of, BulkheadOperator::of, AdaptiveBulkheadOperator::of,
        TimeLimiterOperator::of, RateLimiterOperator::of, AdaptiveThrottleOperator::of, CircuitBreakerOperator::of,
        RetryOperator::of);
    this.suspending = suspending;
    this.mono = suspending
        ? !ResolvableType.forType(MethodPlan.suspendReturnType(method)).toClass().getName().equals("kotlinx.coroutines.flow.Flow")
        : method.getReturnType() == Mono.class;
  }

  static boolean handles(Class<?> returnType) {
    String name = returnType.getName();
    return name.equals("reactor.core.publisher.Mono") || name.equals("reactor.core.publisher.Flux");
  }

  @SuppressWarnings("unchecked")
  Object invoke(MethodPlan plan, MethodInvocation invocation, Object target) {
    Publisher<Object> source = (Publisher<Object>) Policies.assemble(plan, invocation, this::error);
    if (mono) {
      Mono<Object> guarded = Mono.from(source);
      for (UnaryOperator<Publisher<Object>> operator : operators) {
        guarded = guarded.transformDeferred(operator);
      }
      return plan.fallback == null ? guarded
          : guarded.onErrorResume(failure -> Mono.from(fallback(plan, invocation, target, failure)));
    }
    Flux<Object> guarded = Flux.from(source);
    for (UnaryOperator<Publisher<Object>> operator : operators) {
      guarded = guarded.transformDeferred(operator);
    }
    return plan.fallback == null ? guarded
        : guarded.onErrorResume(failure -> fallback(plan, invocation, target, failure));
  }

  @SuppressWarnings("unchecked")
  private Publisher<Object> fallback(MethodPlan plan, MethodInvocation invocation, Object target, Throwable failure) {
    if (!suspending) {
      return (Publisher<Object>) Policies.fallback(plan, invocation, target, failure, this::error);
    }
    Optional<Method> overload = plan.fallback.overloadFor(failure);
    if (overload.isEmpty()) {
      return error(failure);
    }
    try {
      Publisher<Object> answer =
          (Publisher<Object>) SuspendingCalls.invoke(overload.get(), target, invocation.getArguments(), failure);
      // As for a plain fallback: its own exception carries the failure it answered.
      return mono ? Mono.from(answer).onErrorMap(own -> withSuppressed(own, failure))
          : Flux.from(answer).onErrorMap(own -> withSuppressed(own, failure));
    } catch (Throwable own) {
      return error(own);
    }
  }

  private static Throwable withSuppressed(Throwable own, Throwable failure) {
    if (own != failure) {
      own.addSuppressed(failure);
    }
    return own;
  }

  private Publisher<Object> error(Throwable failure) {
    return mono ? Mono.error(failure) : Flux.error(failure);
  }
}
