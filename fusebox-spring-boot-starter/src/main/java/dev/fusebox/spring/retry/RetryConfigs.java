package dev.fusebox.spring.retry;

import static dev.fusebox.spring.support.ConfigBuilding.set;
import static dev.fusebox.spring.support.ConfigBuilding.types;

import dev.fusebox.retry.RetryBudget;
import dev.fusebox.retry.RetryConfig;
import dev.fusebox.spring.support.ConfigBuilding;
import dev.fusebox.spring.support.PolicyProperties;
import java.util.List;
import java.util.Map;

/**
 * Builds a retry's configuration from its resolved properties, each option passed to the builder only
 * when it is set, so that the core's defaults apply to the rest.
 */
final class RetryConfigs {

  private RetryConfigs() {}

  static RetryConfig build(
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
}
