package dev.fusebox.spring.annotation;

import dev.fusebox.kotlin.bulkhead.BulkheadKt;
import dev.fusebox.kotlin.chaos.ChaosKt;
import dev.fusebox.kotlin.circuitbreaker.CircuitBreakerKt;
import dev.fusebox.kotlin.ratelimiter.RateLimiterKt;
import dev.fusebox.kotlin.retry.RetryKt;
import dev.fusebox.kotlin.throttle.AdaptiveThrottleKt;
import dev.fusebox.kotlin.timelimiter.TimeLimiterKt;
import java.lang.reflect.Method;
import java.util.List;
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

  /**
   * Innermost first: chaos, bulkhead, time limiter, rate limiter, throttle, breaker, retry, as the blocking
   * pipeline stacks them.
   */
  private final List<UnaryOperator<Flow<Object>>> operators;

  FlowPlan(Policies policies) {
    this.operators = policies.<UnaryOperator<Flow<Object>>>innermostFirst(
        chaos -> flow -> ChaosKt.chaos(flow, chaos),
        bulkhead -> flow -> BulkheadKt.bulkhead(flow, bulkhead),
        adaptive -> flow -> BulkheadKt.bulkhead(flow, adaptive),
        limiter -> flow -> TimeLimiterKt.timeLimiter(flow, limiter),
        limiter -> flow -> RateLimiterKt.rateLimiter(flow, limiter),
        throttle -> flow -> AdaptiveThrottleKt.adaptiveThrottle(flow, throttle),
        breaker -> flow -> CircuitBreakerKt.circuitBreaker(flow, breaker),
        retry -> flow -> RetryKt.retry(flow, retry));
  }

  @SuppressWarnings("unchecked")
  Object invoke(MethodPlan plan, MethodInvocation invocation, Object target) {
    Flow<Object> guarded = (Flow<Object>) Policies.assemble(plan, invocation, FlowPlan::failing);
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
    return (Flow<Object>) Policies.fallback(plan, invocation, target, failure, FlowPlan::failing);
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
