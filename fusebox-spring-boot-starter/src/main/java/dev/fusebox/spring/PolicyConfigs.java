package dev.fusebox.spring;

import static dev.fusebox.spring.ConfigBuilding.set;

import dev.fusebox.bulkhead.AdaptiveBulkheadConfig;
import dev.fusebox.bulkhead.BulkheadConfig;
import dev.fusebox.chaos.ChaosConfig;
import dev.fusebox.circuitbreaker.CircuitBreakerConfig;
import dev.fusebox.ratelimiter.RateLimiterConfig;
import dev.fusebox.retry.RetryBudget;
import dev.fusebox.retry.RetryConfig;
import dev.fusebox.timelimiter.TimeLimiterConfig;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * Builds the core configurations from resolved properties: one method per policy, each option passed to
 * the builder only when it is set, so that the core's defaults apply to the rest. Problems are collected,
 * each with its property path, rather than thrown one at a time.
 */
final class PolicyConfigs {

  private PolicyConfigs() {}

  static CircuitBreakerConfig circuitBreaker(
      String name,
      PolicyProperties.Resolved<CircuitBreakerProperties.Instance> resolved,
      List<CircuitBreakerCustomizer> customizers,
      List<String> problems) {
    CircuitBreakerProperties.Instance p = resolved.values();
    CircuitBreakerConfig.Builder b = CircuitBreakerConfig.builder();
    Map<String, String> aliases = new HashMap<>();
    boolean sliding = p.getSlidingWindowType() != null || p.getSlidingWindowSize() != null;
    int windows = (p.getCountBasedWindow() != null ? 1 : 0) + (p.getTimeBasedWindow() != null ? 1 : 0) + (sliding ? 1 : 0);
    if (windows > 1) {
      problems.add(resolved.path() + " sets more than one window: use one of count-based-window, time-based-window,"
          + " or sliding-window-type with sliding-window-size");
    }
    set(p.getCountBasedWindow(), b::countBasedWindow);
    set(p.getTimeBasedWindow(), b::timeBasedWindow);
    if (sliding) {
      int size = p.getSlidingWindowSize() != null ? p.getSlidingWindowSize() : 100;
      aliases.put("countBasedWindow", "slidingWindowSize");
      aliases.put("timeBasedWindow", "slidingWindowSize");
      if (p.getSlidingWindowType() == CircuitBreakerConfig.WindowType.TIME_BASED) {
        b.timeBasedWindow(Duration.ofSeconds(size));
      } else {
        b.countBasedWindow(size);
      }
    }
    set(p.getMinimumNumberOfCalls(), b::minimumNumberOfCalls);
    set(p.getFailureRateThreshold(), b::failureRateThreshold);
    set(p.getSlowCallRateThreshold(), b::slowCallRateThreshold);
    set(p.getSlowCallDurationThreshold(), b::slowCallDurationThreshold);
    set(p.getSlowCallDetection(), b::slowCallDetection);
    set(p.getConsecutiveFailureThreshold(), b::consecutiveFailureThreshold);
    set(p.getWaitDurationInOpenState(), b::waitDurationInOpenState);
    CircuitBreakerProperties.Backoff backoff = p.getOpenStateBackoff();
    if (backoff != null) {
      if (backoff.getMultiplier() == null || backoff.getMax() == null) {
        problems.add(resolved.pathOf("openStateBackoff") + " needs both multiplier and max");
      } else {
        b.openStateBackoff(backoff.getMultiplier(), backoff.getMax());
      }
    }
    set(p.getOpenStateJitter(), b::openStateJitter);
    set(p.getPermittedNumberOfCallsInHalfOpenState(), b::permittedNumberOfCallsInHalfOpenState);
    set(p.getMaxWaitDurationInHalfOpenState(), b::maxWaitDurationInHalfOpenState);
    set(p.getAutomaticTransitionFromOpenToHalfOpenEnabled(), b::automaticTransitionFromOpenToHalfOpenEnabled);
    set(p.getRecoveryRamp(), b::recoveryRamp);
    set(p.getRecordExceptions(), list -> b.recordExceptions(types(list)));
    set(p.getIgnoreExceptions(), list -> b.ignoreExceptions(types(list)));
    customizers.forEach(c -> c.customize(name, b));
    return ConfigBuilding.build(resolved, aliases, b::build, problems);
  }

  static RetryConfig retry(
      String name,
      PolicyProperties.Resolved<RetryProperties.Instance> resolved,
      List<RetryCustomizer> customizers,
      Map<String, RetryBudget> budgets,
      List<String> problems) {
    RetryProperties.Instance p = resolved.values();
    RetryConfig.Builder b = RetryConfig.builder();
    set(p.getMaxAttempts(), b::maxAttempts);
    set(p.getWaitDuration(), b::waitDuration);
    RetryProperties.ExponentialBackoff backoff = p.getExponentialBackoff();
    if (backoff != null) {
      if (backoff.getMultiplier() == null || backoff.getMaxWaitDuration() == null) {
        problems.add(resolved.pathOf("exponentialBackoff") + " needs both multiplier and max-wait-duration");
      } else {
        b.exponentialBackoff(backoff.getMultiplier(), backoff.getMaxWaitDuration());
      }
    }
    set(p.getJitter(), b::jitter);
    set(p.getMaxDuration(), b::maxDuration);
    set(p.getRetryExceptions(), list -> b.retryExceptions(types(list)));
    set(p.getIgnoreExceptions(), list -> b.ignoreExceptions(types(list)));
    set(p.getFailAfterMaxAttempts(), b::failAfterMaxAttempts);
    if (p.getRetryBudget() != null) {
      // One budget per place it is written: every retry inheriting it shares it, which is its point.
      String path = resolved.pathOf("retryBudget");
      RetryBudget budget = budgets.get(path);
      if (budget == null && !budgets.containsKey(path)) {
        budget = budget(path, p.getRetryBudget(), problems);
        budgets.put(path, budget);
      }
      if (budget != null) {
        b.retryBudget(budget);
      }
    }
    customizers.forEach(c -> c.customize(name, b));
    return ConfigBuilding.build(resolved, Map.of(), b::build, problems);
  }

  private static RetryBudget budget(String path, RetryProperties.Budget p, List<String> problems) {
    RetryBudget.Builder b = RetryBudget.builder();
    set(p.getRetryPercent(), b::retryPercent);
    set(p.getMinRetriesPerSecond(), b::minRetriesPerSecond);
    set(p.getWindow(), b::window);
    return ConfigBuilding.build(new PolicyProperties.Resolved<>(path, p, Map.of()), Map.of(), b::build, problems);
  }

  static TimeLimiterConfig timeLimiter(
      String name,
      PolicyProperties.Resolved<TimeLimiterProperties.Instance> resolved,
      List<TimeLimiterCustomizer> customizers,
      Executor blockingExecutor,
      List<String> problems) {
    TimeLimiterProperties.Instance p = resolved.values();
    TimeLimiterConfig.Builder b = TimeLimiterConfig.builder();
    set(p.getTimeoutDuration(), b::timeoutDuration);
    set(p.getCancelRunningFuture(), b::cancelRunningFuture);
    if (blockingExecutor != null) {
      b.executor(blockingExecutor);
    }
    customizers.forEach(c -> c.customize(name, b));
    return ConfigBuilding.build(resolved, Map.of(), b::build, problems);
  }

  static BulkheadConfig bulkhead(
      String name,
      PolicyProperties.Resolved<BulkheadProperties.Instance> resolved,
      List<BulkheadCustomizer> customizers,
      List<String> problems) {
    BulkheadProperties.Instance p = resolved.values();
    BulkheadConfig.Builder b = BulkheadConfig.builder();
    set(p.getMaxConcurrentCalls(), b::maxConcurrentCalls);
    set(p.getMaxWaitDuration(), b::maxWaitDuration);
    customizers.forEach(c -> c.customize(name, b));
    return ConfigBuilding.build(resolved, Map.of(), b::build, problems);
  }

  static AdaptiveBulkheadConfig adaptiveBulkhead(
      String name,
      PolicyProperties.Resolved<AdaptiveBulkheadProperties.Instance> resolved,
      List<AdaptiveBulkheadCustomizer> customizers,
      List<String> problems) {
    AdaptiveBulkheadProperties.Instance p = resolved.values();
    AdaptiveBulkheadConfig.Builder b = AdaptiveBulkheadConfig.builder();
    set(p.getInitialLimit(), b::initialLimit);
    set(p.getMinLimit(), b::minLimit);
    set(p.getMaxLimit(), b::maxLimit);
    set(p.getAlpha(), b::alpha);
    set(p.getBeta(), b::beta);
    set(p.getBackoffRatio(), b::backoffRatio);
    set(p.getSampleWindowSize(), b::sampleWindowSize);
    set(p.getProbeInterval(), b::probeInterval);
    if (p.getDropExceptions() != null) {
      List<Class<? extends Throwable>> drops = List.copyOf(p.getDropExceptions());
      b.dropWhen(e -> drops.stream().anyMatch(type -> type.isInstance(e)));
    }
    customizers.forEach(c -> c.customize(name, b));
    return ConfigBuilding.build(resolved, Map.of(), b::build, problems);
  }

  static ChaosConfig chaos(
      String name,
      PolicyProperties.Resolved<ChaosProperties.Instance> resolved,
      List<ChaosCustomizer> customizers,
      List<String> problems) {
    ChaosProperties.Instance p = resolved.values();
    ChaosConfig.Builder b = ChaosConfig.builder();
    set(p.getEnabled(), b::enabled);
    set(p.getFaultRate(), b::faultRate);
    set(p.getLatencyRate(), b::latencyRate);
    set(p.getLatency(), b::latency);
    customizers.forEach(c -> c.customize(name, b));
    return ConfigBuilding.build(resolved, Map.of(), b::build, problems);
  }

  static RateLimiterConfig rateLimiter(
      String name,
      PolicyProperties.Resolved<RateLimiterProperties.Instance> resolved,
      List<RateLimiterCustomizer> customizers,
      List<String> problems) {
    RateLimiterProperties.Instance p = resolved.values();
    RateLimiterConfig.Builder b = RateLimiterConfig.builder();
    set(p.getAlgorithm(), b::algorithm);
    set(p.getLimitForPeriod(), b::limitForPeriod);
    set(p.getLimitRefreshPeriod(), b::limitRefreshPeriod);
    set(p.getTimeoutDuration(), b::timeoutDuration);
    set(p.getBurstCapacity(), b::burstCapacity);
    customizers.forEach(c -> c.customize(name, b));
    return ConfigBuilding.build(resolved, Map.of(), b::build, problems);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Class<? extends Throwable>[] types(List<Class<? extends Throwable>> types) {
    return types.toArray(new Class[0]);
  }
}
