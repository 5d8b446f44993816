package dev.fusebox.spring.annotation;

import dev.fusebox.bulkhead.AdaptiveBulkhead;
import dev.fusebox.bulkhead.Bulkhead;
import dev.fusebox.circuitbreaker.CircuitBreaker;
import dev.fusebox.kotlin.bulkhead.BulkheadKt;
import dev.fusebox.kotlin.circuitbreaker.CircuitBreakerKt;
import dev.fusebox.kotlin.ratelimiter.RateLimiterKt;
import dev.fusebox.kotlin.retry.RetryKt;
import dev.fusebox.kotlin.timelimiter.TimeLimiterKt;
import dev.fusebox.ratelimiter.RateLimiter;
import dev.fusebox.retry.Retry;
import dev.fusebox.timelimiter.TimeLimiter;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import kotlin.jvm.functions.Function3;
import kotlinx.coroutines.flow.Flow;
import kotlinx.coroutines.flow.FlowCollector;
import kotlinx.coroutines.flow.FlowKt;
import org.aopalliance.intercept.MethodInvocation;
import org.springframework.util.Assert;
import org.springframework.util.ReflectionUtils;

/**
 * The policies of a function returning a Kotlin {@code Flow}, as fusebox-kotlin's Flow operators on the
 * flow it returns, so that they act per collection with that module's contract: permission when collected,
 * one outcome when the flow ends, the permit given back when the collector stops early or is cancelled, a
 * retry by collecting again. Loaded only for such functions, so that no Kotlin is needed otherwise.
 */
final class FlowPlan {

  /**
   * Flow's {@code catch}, the fallback's hook: its name is a keyword in Java, so it is looked up once
   * rather than called by name.
   */
  private static final Method CATCH = ReflectionUtils.findMethod(FlowKt.class, "catch", Flow.class, Function3.class);

  static {
    Assert.state(CATCH != null, "kotlinx-coroutines has no Flow.catch");
  }

  /** Innermost first: bulkhead, time limiter, rate limiter, breaker, retry, as the blocking pipeline stacks them. */
  private final List<UnaryOperator<Flow<Object>>> operators;

  FlowPlan(Retry retry, CircuitBreaker breaker, RateLimiter rateLimiter, TimeLimiter timeLimiter,
      Bulkhead bulkhead, AdaptiveBulkhead adaptiveBulkhead) {
    List<UnaryOperator<Flow<Object>>> list = new ArrayList<>();
    if (bulkhead != null) {
      list.add(flow -> BulkheadKt.bulkhead(flow, bulkhead));
    }
    if (adaptiveBulkhead != null) {
      list.add(flow -> BulkheadKt.bulkhead(flow, adaptiveBulkhead));
    }
    if (timeLimiter != null) {
      list.add(flow -> TimeLimiterKt.timeLimiter(flow, timeLimiter));
    }
    if (rateLimiter != null) {
      list.add(flow -> RateLimiterKt.rateLimiter(flow, rateLimiter));
    }
    if (breaker != null) {
      list.add(flow -> CircuitBreakerKt.circuitBreaker(flow, breaker));
    }
    if (retry != null) {
      list.add(flow -> RetryKt.retry(flow, retry));
    }
    this.operators = List.copyOf(list);
  }

  @SuppressWarnings("unchecked")
  Object invoke(MethodPlan plan, MethodInvocation invocation, Object target) {
    Flow<Object> guarded;
    try {
      guarded = (Flow<Object>) invocation.proceed();
      if (guarded == null) {
        guarded = failing(new NullPointerException(plan.method + " returned null"));
      }
    } catch (Throwable assembly) {
      // Thrown while assembling: an outcome of the call all the same, seen by the policies when collected.
      guarded = failing(assembly);
    }
    for (UnaryOperator<Flow<Object>> operator : operators) {
      guarded = operator.apply(guarded);
    }
    if (plan.fallback == null) {
      return guarded;
    }
    // A Java lambda may stand for the suspending handler as long as it only passes its continuation on,
    // in tail position, to one suspend function: here, emitting the fallback's flow.
    Function3<FlowCollector<? super Object>, Throwable, kotlin.coroutines.Continuation<? super kotlin.Unit>, Object> handler =
        (collector, failure, continuation) ->
            FlowKt.emitAll(collector, fallback(plan, invocation, target, failure), continuation);
    return ReflectionUtils.invokeMethod(CATCH, null, guarded, handler);
  }

  @SuppressWarnings("unchecked")
  private static Flow<Object> fallback(MethodPlan plan, MethodInvocation invocation, Object target, Throwable failure) {
    Optional<Method> overload = plan.fallback.overloadFor(failure);
    if (overload.isEmpty()) {
      return failing(failure);
    }
    try {
      Object result = plan.fallback.invoke(overload.get(), target, invocation.getArguments(), failure);
      return result != null ? (Flow<Object>) result
          : failing(new NullPointerException("fallback of " + plan.method + " returned null"));
    } catch (Throwable own) {
      return failing(own);
    }
  }

  /** A flow that fails when collected: what {@code flow { throw failure }} is in Kotlin. */
  private static Flow<Object> failing(Throwable failure) {
    return FlowKt.flow((collector, continuation) -> {
      throw FlowPlan.<RuntimeException>sneaky(failure);
    });
  }

  @SuppressWarnings("unchecked")
  private static <T extends Throwable> T sneaky(Throwable failure) throws T {
    throw (T) failure;
  }
}
