package dev.fusebox.spring.circuitbreaker;

import dev.fusebox.circuitbreaker.CircuitBreakerConfig;
import dev.fusebox.spring.support.PolicyProperties;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Circuit breakers under {@code fusebox.circuitbreaker}: named configurations ({@code configs.<name>}),
 * instances ({@code instances.<name>}), each option named as the core names it, in kebab case.
 *
 * <pre>{@code
 * fusebox:
 *   circuitbreaker:
 *     configs:
 *       default:
 *         failure-rate-threshold: 50
 *         wait-duration-in-open-state: 30s
 *     instances:
 *       inventory:
 *         count-based-window: 20
 *         recovery-ramp: 30s
 *       payments:
 *         base-config: strict
 *         critical: true
 * }</pre>
 *
 * <p>Unknown keys under the prefix fail start-up, so a misspelt option is never silently ignored.
 */
@ConfigurationProperties(prefix = "fusebox.circuitbreaker", ignoreUnknownFields = false)
public class CircuitBreakerProperties extends PolicyProperties<CircuitBreakerProperties.Instance> {

  /** Recent events kept per breaker for the {@code circuitbreakerevents} endpoint and the dashboard. */
  private int eventHistoryCapacity = 100;

  private final transient Map<String, Instance> effective = new ConcurrentHashMap<>();

  /** Creates empty properties, for the binder. */
  public CircuitBreakerProperties() {}

  @Override
  protected String prefix() {
    return "fusebox.circuitbreaker";
  }

  /**
   * Returns whether the breaker of that name is critical for health: when open, the application is DOWN
   * rather than DEGRADED. Names without an instance entry follow {@code configs.default}.
    *
    * @param name the breaker's name
    * @return true if its opening makes the application DOWN
   */
  public boolean isCritical(String name) {
    return effective(name).isCritical();
  }

  /**
   * Returns whether the breaker of that name has a health component (the default).
   *
   * @param name the breaker's name
   * @return true unless its {@code register-health-indicator} is false
   */
  public boolean isHealthIndicatorRegistered(String name) {
    Boolean registered = effective(name).getRegisterHealthIndicator();
    return registered == null || registered;
  }

  private Instance effective(String name) {
    return effective.computeIfAbsent(name, n -> {
      List<String> alreadyReported = new ArrayList<>();
      if (getInstances().containsKey(n)) {
        return resolveInstance(n, alreadyReported).values();
      }
      return getConfigs().containsKey(DEFAULT) ? resolveConfig(DEFAULT, alreadyReported).values() : new Instance();
    });
  }

  /**
   * Returns how many recent events are kept per breaker.
   *
   * @return recent events kept per breaker for the {@code circuitbreakerevents} endpoint and the dashboard
   */
  public int getEventHistoryCapacity() {
    return eventHistoryCapacity;
  }

  /**
   * Sets how many recent events are kept per breaker (1 to 1,048,576; default 100).
   *
   * @param eventHistoryCapacity recent events kept per breaker for the {@code circuitbreakerevents} endpoint
   *     and the dashboard
   */
  public void setEventHistoryCapacity(int eventHistoryCapacity) {
    this.eventHistoryCapacity = eventHistoryCapacity;
  }

  /** The settings of one breaker or named configuration; unset options are inherited or the core's defaults. */
  public static class Instance extends PolicyProperties.Entry {

    /** Window of the last N calls (Fusebox name; Resilience4j: sliding-window-size with COUNT_BASED). */
    private Integer countBasedWindow;

    /** Window of the calls of the last span of time (Fusebox name). */
    private Duration timeBasedWindow;

    /** Resilience4j's window kind; with sliding-window-size, an alternative to the two window options. */
    private CircuitBreakerConfig.WindowType slidingWindowType;

    /** Resilience4j's window size: calls when COUNT_BASED (the default), seconds when TIME_BASED. */
    private Integer slidingWindowSize;

    /** Outcomes the window must hold before a rate can open the breaker. */
    private Integer minimumNumberOfCalls;

    /** Failure rate in percent, in (0, 100], at or above which the breaker opens. */
    private Double failureRateThreshold;

    /** Slow-call rate in percent, in (0, 100], at or above which the breaker opens. */
    private Double slowCallRateThreshold;

    /** Duration above which a call counts as slow. */
    private Duration slowCallDurationThreshold;

    /** Whether slow calls are detected at all; off, a count window reads no clock. */
    private Boolean slowCallDetection;

    /** Also open after this many failures in a row. */
    private Integer consecutiveFailureThreshold;

    /** Open on the failure rate only once the window shows it with this one-sided confidence, in (0, 1). */
    private Double failureRateConfidence;

    /** Percentile of the breaker's own recent latency, in (0, 100), that times the multiplier makes a call slow. */
    private Double slowCallDurationPercentile;

    /** How many times the latency percentile a call must last to be slow, at least 1. */
    private Double slowCallDurationMultiplier;

    /** Period over which the latency percentile is measured before it becomes the baseline. */
    private Duration slowCallBaselinePeriod;

    /** Calls a period must hold before its percentile becomes the baseline. */
    private Integer slowCallBaselineMinimumCalls;

    /** Failures that open a closed breaker in deploy mode. */
    private Integer deployModeFailureThreshold;

    /** How long an opening rejects calls before the next trial. */
    private Duration waitDurationInOpenState;

    /** Longer waits for openings that follow each other: multiplier and max. */
    private Backoff openStateBackoff;

    /** Spreads each open wait by up to plus or minus this fraction, in [0, 1). */
    private Double openStateJitter;

    /** Trial calls in the half-open state. */
    private Integer permittedNumberOfCallsInHalfOpenState;

    /** Longest stay in the half-open state; 0 means no limit. */
    private Duration maxWaitDurationInHalfOpenState;

    /** Move to half-open when the wait ends instead of on the next call. */
    private Boolean automaticTransitionFromOpenToHalfOpenEnabled;

    /** After closing, admit 10%, 25%, 50% of calls for a third of this span each. */
    private Duration recoveryRamp;

    /** Only these exceptions (and subclasses) are failures. */
    private List<Class<? extends Throwable>> recordExceptions;

    /** These exceptions (and subclasses) are not recorded at all. */
    private List<Class<? extends Throwable>> ignoreExceptions;

    /** Whether the breaker has a health component. */
    private Boolean registerHealthIndicator;

    /** Whether the breaker open makes the application's health DOWN instead of DEGRADED. */
    private Boolean critical;

    /** Resilience4j's name for critical. */
    private Boolean allowHealthIndicatorToFail;

    /** Creates empty settings, for the binder. */
    public Instance() {}

    /**
     * Returns the count-based window size.
     *
     * @return window of the last N calls (Fusebox name; Resilience4j: sliding-window-size with COUNT_BASED);
     *     null when unset
     */
    public Integer getCountBasedWindow() {
      return countBasedWindow;
    }

    /**
     * Bases decisions on the last N calls (at least 1; default 100).
     *
     * @param countBasedWindow window of the last N calls (Fusebox name; Resilience4j: sliding-window-size with
     *     COUNT_BASED); null to leave it unset
     */
    public void setCountBasedWindow(Integer countBasedWindow) {
      this.countBasedWindow = countBasedWindow;
    }

    /**
     * Returns the time-based window span.
     *
     * @return window of the calls of the last span of time (Fusebox name); null when unset
     */
    public Duration getTimeBasedWindow() {
      return timeBasedWindow;
    }

    /**
     * Bases decisions on the calls that ended within the span (positive).
     *
     * @param timeBasedWindow window of the calls of the last span of time (Fusebox name); null to leave it
     *     unset
     */
    public void setTimeBasedWindow(Duration timeBasedWindow) {
      this.timeBasedWindow = timeBasedWindow;
    }

    /**
     * Returns Resilience4j's window type.
     *
     * @return Resilience4j's window kind; with sliding-window-size, an alternative to the two window options;
     *     null when unset
     */
    public CircuitBreakerConfig.WindowType getSlidingWindowType() {
      return slidingWindowType;
    }

    /**
     * Sets Resilience4j's window type: COUNT_BASED (default) or TIME_BASED.
     *
     * @param slidingWindowType Resilience4j's window kind; with sliding-window-size, an alternative to the two
     *     window options; null to leave it unset
     */
    public void setSlidingWindowType(CircuitBreakerConfig.WindowType slidingWindowType) {
      this.slidingWindowType = slidingWindowType;
    }

    /**
     * Returns Resilience4j's window size.
     *
     * @return Resilience4j's window size: calls when COUNT_BASED (the default), seconds when TIME_BASED; null
     *     when unset
     */
    public Integer getSlidingWindowSize() {
      return slidingWindowSize;
    }

    /**
     * Sets Resilience4j's window size: calls, or seconds for a TIME_BASED window.
     *
     * @param slidingWindowSize Resilience4j's window size: calls when COUNT_BASED (the default), seconds when
     *     TIME_BASED; null to leave it unset
     */
    public void setSlidingWindowSize(Integer slidingWindowSize) {
      this.slidingWindowSize = slidingWindowSize;
    }

    /**
     * Returns the minimum number of calls.
     *
     * @return outcomes the window must hold before a rate can open the breaker; null when unset
     */
    public Integer getMinimumNumberOfCalls() {
      return minimumNumberOfCalls;
    }

    /**
     * Sets the outcomes needed before a rate can open the breaker (default 100, or the count window).
     *
     * @param minimumNumberOfCalls outcomes the window must hold before a rate can open the breaker; null to
     *     leave it unset
     */
    public void setMinimumNumberOfCalls(Integer minimumNumberOfCalls) {
      this.minimumNumberOfCalls = minimumNumberOfCalls;
    }

    /**
     * Returns the failure-rate threshold.
     *
     * @return failure rate in percent, in (0, 100], at or above which the breaker opens; null when unset
     */
    public Double getFailureRateThreshold() {
      return failureRateThreshold;
    }

    /**
     * Sets the failure rate in percent, in (0, 100], that opens the breaker (default 50).
     *
     * @param failureRateThreshold failure rate in percent, in (0, 100], at or above which the breaker opens;
     *     null to leave it unset
     */
    public void setFailureRateThreshold(Double failureRateThreshold) {
      this.failureRateThreshold = failureRateThreshold;
    }

    /**
     * Returns the slow-call-rate threshold.
     *
     * @return slow-call rate in percent, in (0, 100], at or above which the breaker opens; null when unset
     */
    public Double getSlowCallRateThreshold() {
      return slowCallRateThreshold;
    }

    /**
     * Sets the slow-call rate in percent, in (0, 100], that opens the breaker (default 100).
     *
     * @param slowCallRateThreshold slow-call rate in percent, in (0, 100], at or above which the breaker opens;
     *     null to leave it unset
     */
    public void setSlowCallRateThreshold(Double slowCallRateThreshold) {
      this.slowCallRateThreshold = slowCallRateThreshold;
    }

    /**
     * Returns the slow-call duration threshold.
     *
     * @return duration above which a call counts as slow; null when unset
     */
    public Duration getSlowCallDurationThreshold() {
      return slowCallDurationThreshold;
    }

    /**
     * Sets the duration above which a call is slow (default 60s).
     *
     * @param slowCallDurationThreshold duration above which a call counts as slow; null to leave it unset
     */
    public void setSlowCallDurationThreshold(Duration slowCallDurationThreshold) {
      this.slowCallDurationThreshold = slowCallDurationThreshold;
    }

    /**
     * Returns whether slow calls are detected.
     *
     * @return whether slow calls are detected at all; off, a count window reads no clock; null when unset
     */
    public Boolean getSlowCallDetection() {
      return slowCallDetection;
    }

    /**
     * Switches slow-call detection (default on).
     *
     * @param slowCallDetection whether slow calls are detected at all; off, a count window reads no clock; null
     *     to leave it unset
     */
    public void setSlowCallDetection(Boolean slowCallDetection) {
      this.slowCallDetection = slowCallDetection;
    }

    /**
     * Returns the consecutive-failure threshold.
     *
     * @return also open after this many failures in a row; null when unset
     */
    public Integer getConsecutiveFailureThreshold() {
      return consecutiveFailureThreshold;
    }

    /**
     * Also opens after this many failures in a row (at least 1; default off).
     *
     * @param consecutiveFailureThreshold also open after this many failures in a row; null to leave it unset
     */
    public void setConsecutiveFailureThreshold(Integer consecutiveFailureThreshold) {
      this.consecutiveFailureThreshold = consecutiveFailureThreshold;
    }

    /**
     * Returns the failure-rate confidence.
     *
     * @return open on the failure rate only once the window shows it with this one-sided confidence, in (0, 1);
     *     null when unset
     */
    public Double getFailureRateConfidence() {
      return failureRateConfidence;
    }

    /**
     * Makes the failure threshold follow traffic: the rate must be shown with this confidence, in (0, 1)
     * (0.95, say; default off).
     *
     * @param failureRateConfidence open on the failure rate only once the window shows it with this one-sided
     *     confidence, in (0, 1); null to leave it unset
     */
    public void setFailureRateConfidence(Double failureRateConfidence) {
      this.failureRateConfidence = failureRateConfidence;
    }

    /**
     * Returns the slow-call latency percentile.
     *
     * @return percentile of the breaker's own recent latency, in (0, 100), that times the multiplier makes a
     *     call slow; null when unset
     */
    public Double getSlowCallDurationPercentile() {
      return slowCallDurationPercentile;
    }

    /**
     * Judges slow calls by the breaker's own latency: over multiplier times this percentile (default off);
     * needs {@code slow-call-duration-multiplier} too.
     *
     * @param slowCallDurationPercentile percentile of the breaker's own recent latency, in (0, 100), that times
     *     the multiplier makes a call slow; null to leave it unset
     */
    public void setSlowCallDurationPercentile(Double slowCallDurationPercentile) {
      this.slowCallDurationPercentile = slowCallDurationPercentile;
    }

    /**
     * Returns the slow-call latency multiplier.
     *
     * @return how many times the latency percentile a call must last to be slow, at least 1; null when unset
     */
    public Double getSlowCallDurationMultiplier() {
      return slowCallDurationMultiplier;
    }

    /**
     * Sets how many times the latency percentile a call must last to be slow (at least 1). Needed with
     * {@code slow-call-duration-percentile}; alone in a named configuration it is a default for the heirs that
     * set the percentile, alone on an instance it is refused.
     *
     * @param slowCallDurationMultiplier how many times the latency percentile a call must last to be slow, at
     *     least 1; null to leave it unset
     */
    public void setSlowCallDurationMultiplier(Double slowCallDurationMultiplier) {
      this.slowCallDurationMultiplier = slowCallDurationMultiplier;
    }

    /**
     * Returns the latency baseline period.
     *
     * @return period over which the latency percentile is measured before it becomes the baseline; null when
     *     unset
     */
    public Duration getSlowCallBaselinePeriod() {
      return slowCallBaselinePeriod;
    }

    /**
     * Sets the period over which the latency percentile is measured (positive; default 1m).
     *
     * @param slowCallBaselinePeriod period over which the latency percentile is measured before it becomes the
     *     baseline; null to leave it unset
     */
    public void setSlowCallBaselinePeriod(Duration slowCallBaselinePeriod) {
      this.slowCallBaselinePeriod = slowCallBaselinePeriod;
    }

    /**
     * Returns the calls a latency period needs.
     *
     * @return calls a period must hold before its percentile becomes the baseline; null when unset
     */
    public Integer getSlowCallBaselineMinimumCalls() {
      return slowCallBaselineMinimumCalls;
    }

    /**
     * Sets the calls a latency period needs to become the baseline (at least 1; default 100).
     *
     * @param slowCallBaselineMinimumCalls calls a period must hold before its percentile becomes the baseline;
     *     null to leave it unset
     */
    public void setSlowCallBaselineMinimumCalls(Integer slowCallBaselineMinimumCalls) {
      this.slowCallBaselineMinimumCalls = slowCallBaselineMinimumCalls;
    }

    /**
     * Returns the deploy-mode failure threshold.
     *
     * @return failures that open a closed breaker in deploy mode; null when unset
     */
    public Integer getDeployModeFailureThreshold() {
      return deployModeFailureThreshold;
    }

    /**
     * Sets the failures that open a closed breaker in deploy mode (at least 1; default 1).
     *
     * @param deployModeFailureThreshold failures that open a closed breaker in deploy mode; null to leave it
     *     unset
     */
    public void setDeployModeFailureThreshold(Integer deployModeFailureThreshold) {
      this.deployModeFailureThreshold = deployModeFailureThreshold;
    }

    /**
     * Returns the open-state wait.
     *
     * @return how long an opening rejects calls before the next trial; null when unset
     */
    public Duration getWaitDurationInOpenState() {
      return waitDurationInOpenState;
    }

    /**
     * Sets how long an opening rejects calls (default 60s).
     *
     * @param waitDurationInOpenState how long an opening rejects calls before the next trial; null to leave it
     *     unset
     */
    public void setWaitDurationInOpenState(Duration waitDurationInOpenState) {
      this.waitDurationInOpenState = waitDurationInOpenState;
    }

    /**
     * Returns the open-state backoff.
     *
     * @return longer waits for openings that follow each other: multiplier and max; null when unset
     */
    public Backoff getOpenStateBackoff() {
      return openStateBackoff;
    }

    /**
     * Sets the backoff of consecutive openings (default off).
     *
     * @param openStateBackoff longer waits for openings that follow each other: multiplier and max; null to
     *     leave it unset
     */
    public void setOpenStateBackoff(Backoff openStateBackoff) {
      this.openStateBackoff = openStateBackoff;
    }

    /**
     * Returns the open-state jitter.
     *
     * @return spreads each open wait by up to plus or minus this fraction, in [0, 1); null when unset
     */
    public Double getOpenStateJitter() {
      return openStateJitter;
    }

    /**
     * Spreads each open wait by up to this fraction, in [0, 1) (default 0).
     *
     * @param openStateJitter spreads each open wait by up to plus or minus this fraction, in [0, 1); null to
     *     leave it unset
     */
    public void setOpenStateJitter(Double openStateJitter) {
      this.openStateJitter = openStateJitter;
    }

    /**
     * Returns the number of half-open trials.
     *
     * @return trial calls in the half-open state; null when unset
     */
    public Integer getPermittedNumberOfCallsInHalfOpenState() {
      return permittedNumberOfCallsInHalfOpenState;
    }

    /**
     * Sets the trial calls in half-open (at least 1; default 10).
     *
     * @param permittedNumberOfCallsInHalfOpenState trial calls in the half-open state; null to leave it unset
     */
    public void setPermittedNumberOfCallsInHalfOpenState(Integer permittedNumberOfCallsInHalfOpenState) {
      this.permittedNumberOfCallsInHalfOpenState = permittedNumberOfCallsInHalfOpenState;
    }

    /**
     * Returns the longest half-open stay.
     *
     * @return longest stay in the half-open state; 0 means no limit; null when unset
     */
    public Duration getMaxWaitDurationInHalfOpenState() {
      return maxWaitDurationInHalfOpenState;
    }

    /**
     * Sets the longest half-open stay; 0 (the default) means no limit.
     *
     * @param maxWaitDurationInHalfOpenState longest stay in the half-open state; 0 means no limit; null to
     *     leave it unset
     */
    public void setMaxWaitDurationInHalfOpenState(Duration maxWaitDurationInHalfOpenState) {
      this.maxWaitDurationInHalfOpenState = maxWaitDurationInHalfOpenState;
    }

    /**
     * Returns whether the open-to-half-open transition is automatic.
     *
     * @return move to half-open when the wait ends instead of on the next call; null when unset
     */
    public Boolean getAutomaticTransitionFromOpenToHalfOpenEnabled() {
      return automaticTransitionFromOpenToHalfOpenEnabled;
    }

    /**
     * Moves to half-open when the wait ends, on a scheduler (default off: on the next call).
     *
     * @param enabled move to half-open when the wait ends instead of on the next call; null to leave it unset
     */
    public void setAutomaticTransitionFromOpenToHalfOpenEnabled(Boolean enabled) {
      this.automaticTransitionFromOpenToHalfOpenEnabled = enabled;
    }

    /**
     * Returns the recovery ramp.
     *
     * @return after closing, admit 10%, 25%, 50% of calls for a third of this span each; null when unset
     */
    public Duration getRecoveryRamp() {
      return recoveryRamp;
    }

    /**
     * Sets the span of the recovery ramp; 0 (the default) switches it off.
     *
     * @param recoveryRamp after closing, admit 10%, 25%, 50% of calls for a third of this span each; null to
     *     leave it unset
     */
    public void setRecoveryRamp(Duration recoveryRamp) {
      this.recoveryRamp = recoveryRamp;
    }

    /**
     * Returns the exceptions recorded as failures.
     *
     * @return only these exceptions (and subclasses) are failures; null when unset
     */
    public List<Class<? extends Throwable>> getRecordExceptions() {
      return recordExceptions;
    }

    /**
     * Records only these exceptions (and subclasses) as failures (default: every exception).
     *
     * @param recordExceptions only these exceptions (and subclasses) are failures; null to leave it unset
     */
    public void setRecordExceptions(List<Class<? extends Throwable>> recordExceptions) {
      this.recordExceptions = recordExceptions;
    }

    /**
     * Returns the ignored exceptions.
     *
     * @return these exceptions (and subclasses) are not recorded at all; null when unset
     */
    public List<Class<? extends Throwable>> getIgnoreExceptions() {
      return ignoreExceptions;
    }

    /**
     * Ignores these exceptions (and subclasses): not recorded at all (default: none).
     *
     * @param ignoreExceptions these exceptions (and subclasses) are not recorded at all; null to leave it unset
     */
    public void setIgnoreExceptions(List<Class<? extends Throwable>> ignoreExceptions) {
      this.ignoreExceptions = ignoreExceptions;
    }

    /**
     * Returns whether the breaker has a health component.
     *
     * @return whether the breaker has a health component; null when unset
     */
    public Boolean getRegisterHealthIndicator() {
      return registerHealthIndicator;
    }

    /**
     * Whether the breaker appears in the health endpoint (default true).
     *
     * @param registerHealthIndicator whether the breaker has a health component; null to leave it unset
     */
    public void setRegisterHealthIndicator(Boolean registerHealthIndicator) {
      this.registerHealthIndicator = registerHealthIndicator;
    }

    /**
     * Returns whether the breaker is critical.
     *
     * @return whether the breaker open makes the application's health DOWN instead of DEGRADED; null when unset
     */
    public Boolean getCritical() {
      return critical;
    }

    /**
     * Whether this breaker open makes the application DOWN rather than DEGRADED (default false).
     *
     * @param critical whether the breaker open makes the application's health DOWN instead of DEGRADED; null to
     *     leave it unset
     */
    public void setCritical(Boolean critical) {
      this.critical = critical;
    }

    /**
     * Returns Resilience4j's name for {@link #getCritical()}.
     *
     * @return Resilience4j's name for critical; null when unset
     */
    public Boolean getAllowHealthIndicatorToFail() {
      return allowHealthIndicatorToFail;
    }

    /**
     * Resilience4j's name for {@link #setCritical(Boolean)}.
     *
     * @param allowHealthIndicatorToFail Resilience4j's name for critical; null to leave it unset
     */
    public void setAllowHealthIndicatorToFail(Boolean allowHealthIndicatorToFail) {
      this.allowHealthIndicatorToFail = allowHealthIndicatorToFail;
    }

    /** Returns whether this breaker counts as critical for health: {@code critical} or its Resilience4j alias. */
    boolean isCritical() {
      return Boolean.TRUE.equals(critical) || (critical == null && Boolean.TRUE.equals(allowHealthIndicatorToFail));
    }
  }

  /** The two values of {@code open-state-backoff}. */
  public static class Backoff {

    /** Factor of each wait over the previous one, at least 1. */
    private Double multiplier;

    /** Longest wait, at least wait-duration-in-open-state. */
    private Duration max;

    /** Creates an empty backoff, for the binder. */
    public Backoff() {}

    /**
     * Returns the multiplier.
     *
     * @return factor of each wait over the previous one, at least 1; null when unset
     */
    public Double getMultiplier() {
      return multiplier;
    }

    /**
     * Sets the factor of each wait over the previous one (at least 1).
     *
     * @param multiplier factor of each wait over the previous one, at least 1; null to leave it unset
     */
    public void setMultiplier(Double multiplier) {
      this.multiplier = multiplier;
    }

    /**
     * Returns the longest wait.
     *
     * @return longest wait, at least wait-duration-in-open-state; null when unset
     */
    public Duration getMax() {
      return max;
    }

    /**
     * Sets the longest wait (at least wait-duration-in-open-state).
     *
     * @param max longest wait, at least wait-duration-in-open-state; null to leave it unset
     */
    public void setMax(Duration max) {
      this.max = max;
    }
  }
}
