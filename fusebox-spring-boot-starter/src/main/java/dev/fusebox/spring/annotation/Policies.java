package dev.fusebox.spring.annotation;

import dev.fusebox.bulkhead.AdaptiveBulkhead;
import dev.fusebox.bulkhead.Bulkhead;
import dev.fusebox.chaos.Chaos;
import dev.fusebox.circuitbreaker.CircuitBreaker;
import dev.fusebox.ratelimiter.RateLimiter;
import dev.fusebox.retry.Retry;
import dev.fusebox.throttle.AdaptiveThrottle;
import dev.fusebox.timelimiter.TimeLimiter;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.aopalliance.intercept.MethodInvocation;

/**
 * The policies of a method whose result is guarded when it is subscribed to or collected (Reactor, RxJava,
 * Kotlin Flow), and what every such plan does alike: the operators' order, the call, the fallback. Each
 * plan brings only its library's operators and its type's error.
 */
record Policies(
    Retry retry,
    CircuitBreaker breaker,
    RateLimiter rateLimiter,
    TimeLimiter timeLimiter,
    Bulkhead bulkhead,
    AdaptiveBulkhead adaptiveBulkhead,
    AdaptiveThrottle throttle,
    Chaos chaos) {

  /**
   * One library's operators for the policies present, innermost first, as the blocking pipeline stacks
   * them: chaos, bulkhead, adaptive bulkhead, time limiter, rate limiter, adaptive throttle, breaker, retry.
   */
  <T> List<T> innermostFirst(
      Function<Chaos, T> chaosOperator,
      Function<Bulkhead, T> bulkheadOperator,
      Function<AdaptiveBulkhead, T> adaptiveBulkheadOperator,
      Function<TimeLimiter, T> timeLimiterOperator,
      Function<RateLimiter, T> rateLimiterOperator,
      Function<AdaptiveThrottle, T> throttleOperator,
      Function<CircuitBreaker, T> breakerOperator,
      Function<Retry, T> retryOperator) {
    List<T> list = new ArrayList<>();
    add(list, chaos, chaosOperator);
    add(list, bulkhead, bulkheadOperator);
    add(list, adaptiveBulkhead, adaptiveBulkheadOperator);
    add(list, timeLimiter, timeLimiterOperator);
    add(list, rateLimiter, rateLimiterOperator);
    add(list, throttle, throttleOperator);
    add(list, breaker, breakerOperator);
    add(list, retry, retryOperator);
    return List.copyOf(list);
  }

  private static <P, T> void add(List<T> list, P policy, Function<P, T> operator) {
    if (policy != null) {
      list.add(operator.apply(policy));
    }
  }

  /**
   * Calls the method. A null it returns, or an exception it throws while assembling its result, is an
   * outcome of the call all the same: it becomes {@code error}'s result, which the policies see when it is
   * subscribed to.
   */
  static Object assemble(MethodPlan plan, MethodInvocation invocation, Function<Throwable, Object> error) {
    try {
      Object source = invocation.proceed();
      return source != null ? source : error.apply(new NullPointerException(plan.method + " returned null"));
    } catch (Throwable assembly) {
      return error.apply(assembly);
    }
  }

  /**
   * The fallback's answer to {@code failure}: its result, or, when no overload takes the failure, when it
   * returns null or when it throws, {@code error}'s result for that.
   */
  static Object fallback(
      MethodPlan plan, MethodInvocation invocation, Object target, Throwable failure,
      Function<Throwable, Object> error) {
    Optional<Method> overload = plan.fallback.overloadFor(failure);
    if (overload.isEmpty()) {
      return error.apply(failure);
    }
    try {
      Object result = plan.fallback.invoke(overload.get(), target, invocation.getArguments(), failure);
      return result != null ? result
          : error.apply(new NullPointerException("fallback of " + plan.method + " returned null"));
    } catch (Throwable own) {
      return error.apply(own);
    }
  }
}
