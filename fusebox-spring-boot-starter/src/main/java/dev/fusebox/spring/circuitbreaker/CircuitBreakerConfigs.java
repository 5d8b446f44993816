package dev.fusebox.spring.circuitbreaker;

import static dev.fusebox.spring.support.ConfigBuilding.set;
import static dev.fusebox.spring.support.ConfigBuilding.types;

import dev.fusebox.circuitbreaker.CircuitBreakerConfig;
import dev.fusebox.spring.support.ConfigBuilding;
import dev.fusebox.spring.support.PolicyProperties;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a breaker's configuration from its resolved properties, each option passed to the builder only
 * when it is set, so that the core's defaults apply to the rest.
 */
final class CircuitBreakerConfigs {

  private CircuitBreakerConfigs() {}

  static CircuitBreakerConfig build(
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
    set(p.getFailureRateConfidence(), b::failureRateConfidence);
    // One option of the core in two properties, inherited each on its own. A percentile needs its multiplier
    // (no guess at how much slower is slow); a multiplier alone is a default for the heirs of a configuration
    // that set the percentile, and refused where it would do nothing: written on an instance itself.
    Double percentile = p.getSlowCallDurationPercentile();
    Double multiplier = p.getSlowCallDurationMultiplier();
    if (percentile != null && multiplier != null) {
      b.slowCallDurationPercentile(percentile, multiplier);
    } else if (percentile != null) {
      problems.add(resolved.pathOf("slowCallDurationPercentile") + " needs slow-call-duration-multiplier too:"
          + " a call is slow over multiplier times the percentile (3 for 3 x p99, say)");
    } else if (multiplier != null
        && resolved.pathOf("slowCallDurationMultiplier").equals(resolved.path() + ".slow-call-duration-multiplier")
        && resolved.path().contains(".instances.")) {
      problems.add(resolved.pathOf("slowCallDurationMultiplier") + " needs slow-call-duration-percentile too:"
          + " a call is slow over multiplier times the percentile (99 for 3 x p99, say)");
    }
    set(p.getSlowCallBaselinePeriod(), b::slowCallBaselinePeriod);
    set(p.getSlowCallBaselineMinimumCalls(), b::slowCallBaselineMinimumCalls);
    set(p.getDeployModeFailureThreshold(), b::deployModeFailureThreshold);
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
}
