package dev.fusebox.spring;

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
    if (p.getCountBasedWindow() != null) {
      b.countBasedWindow(p.getCountBasedWindow());
    }
    if (p.getTimeBasedWindow() != null) {
      b.timeBasedWindow(p.getTimeBasedWindow());
    }
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
    if (p.getMinimumNumberOfCalls() != null) {
      b.minimumNumberOfCalls(p.getMinimumNumberOfCalls());
    }
    if (p.getFailureRateThreshold() != null) {
      b.failureRateThreshold(p.getFailureRateThreshold());
    }
    if (p.getSlowCallRateThreshold() != null) {
      b.slowCallRateThreshold(p.getSlowCallRateThreshold());
    }
    if (p.getSlowCallDurationThreshold() != null) {
      b.slowCallDurationThreshold(p.getSlowCallDurationThreshold());
    }
    if (p.getSlowCallDetection() != null) {
      b.slowCallDetection(p.getSlowCallDetection());
    }
    if (p.getConsecutiveFailureThreshold() != null) {
      b.consecutiveFailureThreshold(p.getConsecutiveFailureThreshold());
    }
    if (p.getWaitDurationInOpenState() != null) {
      b.waitDurationInOpenState(p.getWaitDurationInOpenState());
    }
    CircuitBreakerProperties.Backoff backoff = p.getOpenStateBackoff();
    if (backoff != null) {
      if (backoff.getMultiplier() == null || backoff.getMax() == null) {
        problems.add(resolved.pathOf("openStateBackoff") + " needs both multiplier and max");
      } else {
        b.openStateBackoff(backoff.getMultiplier(), backoff.getMax());
      }
    }
    if (p.getOpenStateJitter() != null) {
      b.openStateJitter(p.getOpenStateJitter());
    }
    if (p.getPermittedNumberOfCallsInHalfOpenState() != null) {
      b.permittedNumberOfCallsInHalfOpenState(p.getPermittedNumberOfCallsInHalfOpenState());
    }
    if (p.getMaxWaitDurationInHalfOpenState() != null) {
      b.maxWaitDurationInHalfOpenState(p.getMaxWaitDurationInHalfOpenState());
    }
    if (p.getAutomaticTransitionFromOpenToHalfOpenEnabled() != null) {
      b.automaticTransitionFromOpenToHalfOpenEnabled(p.getAutomaticTransitionFromOpenToHalfOpenEnabled());
    }
    if (p.getRecoveryRamp() != null) {
      b.recoveryRamp(p.getRecoveryRamp());
    }
    if (p.getRecordExceptions() != null) {
      b.recordExceptions(types(p.getRecordExceptions()));
    }
    if (p.getIgnoreExceptions() != null) {
      b.ignoreExceptions(types(p.getIgnoreExceptions()));
    }
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
    if (p.getMaxAttempts() != null) {
      b.maxAttempts(p.getMaxAttempts());
    }
    if (p.getWaitDuration() != null) {
      b.waitDuration(p.getWaitDuration());
    }
    RetryProperties.ExponentialBackoff backoff = p.getExponentialBackoff();
    if (backoff != null) {
      if (backoff.getMultiplier() == null || backoff.getMaxWaitDuration() == null) {
        problems.add(resolved.pathOf("exponentialBackoff") + " needs both multiplier and max-wait-duration");
      } else {
        b.exponentialBackoff(backoff.getMultiplier(), backoff.getMaxWaitDuration());
      }
    }
    if (p.getJitter() != null) {
      b.jitter(p.getJitter());
    }
    if (p.getMaxDuration() != null) {
      b.maxDuration(p.getMaxDuration());
    }
    if (p.getRetryExceptions() != null) {
      b.retryExceptions(types(p.getRetryExceptions()));
    }
    if (p.getIgnoreExceptions() != null) {
      b.ignoreExceptions(types(p.getIgnoreExceptions()));
    }
    if (p.getFailAfterMaxAttempts() != null) {
      b.failAfterMaxAttempts(p.getFailAfterMaxAttempts());
    }
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
    if (p.getRetryPercent() != null) {
      b.retryPercent(p.getRetryPercent());
    }
    if (p.getMinRetriesPerSecond() != null) {
      b.minRetriesPerSecond(p.getMinRetriesPerSecond());
    }
    if (p.getWindow() != null) {
      b.window(p.getWindow());
    }
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
    if (p.getTimeoutDuration() != null) {
      b.timeoutDuration(p.getTimeoutDuration());
    }
    if (p.getCancelRunningFuture() != null) {
      b.cancelRunningFuture(p.getCancelRunningFuture());
    }
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
    if (p.getMaxConcurrentCalls() != null) {
      b.maxConcurrentCalls(p.getMaxConcurrentCalls());
    }
    if (p.getMaxWaitDuration() != null) {
      b.maxWaitDuration(p.getMaxWaitDuration());
    }
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
    if (p.getInitialLimit() != null) {
      b.initialLimit(p.getInitialLimit());
    }
    if (p.getMinLimit() != null) {
      b.minLimit(p.getMinLimit());
    }
    if (p.getMaxLimit() != null) {
      b.maxLimit(p.getMaxLimit());
    }
    if (p.getAlpha() != null) {
      b.alpha(p.getAlpha());
    }
    if (p.getBeta() != null) {
      b.beta(p.getBeta());
    }
    if (p.getBackoffRatio() != null) {
      b.backoffRatio(p.getBackoffRatio());
    }
    if (p.getSampleWindowSize() != null) {
      b.sampleWindowSize(p.getSampleWindowSize());
    }
    if (p.getProbeInterval() != null) {
      b.probeInterval(p.getProbeInterval());
    }
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
    if (p.getEnabled() != null) {
      b.enabled(p.getEnabled());
    }
    if (p.getFaultRate() != null) {
      b.faultRate(p.getFaultRate());
    }
    if (p.getLatencyRate() != null) {
      b.latencyRate(p.getLatencyRate());
    }
    if (p.getLatency() != null) {
      b.latency(p.getLatency());
    }
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
    if (p.getAlgorithm() != null) {
      b.algorithm(p.getAlgorithm());
    }
    if (p.getLimitForPeriod() != null) {
      b.limitForPeriod(p.getLimitForPeriod());
    }
    if (p.getLimitRefreshPeriod() != null) {
      b.limitRefreshPeriod(p.getLimitRefreshPeriod());
    }
    if (p.getTimeoutDuration() != null) {
      b.timeoutDuration(p.getTimeoutDuration());
    }
    if (p.getBurstCapacity() != null) {
      b.burstCapacity(p.getBurstCapacity());
    }
    customizers.forEach(c -> c.customize(name, b));
    return ConfigBuilding.build(resolved, Map.of(), b::build, problems);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Class<? extends Throwable>[] types(List<Class<? extends Throwable>> types) {
    return types.toArray(new Class[0]);
  }
}
