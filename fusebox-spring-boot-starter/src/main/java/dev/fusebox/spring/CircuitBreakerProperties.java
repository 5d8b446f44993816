package dev.fusebox.spring;

import dev.fusebox.circuitbreaker.CircuitBreakerConfig;
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
   */
  public boolean isCritical(String name) {
    return effective(name).isCritical();
  }

  /** Returns whether the breaker of that name has a health component (the default). */
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

  /** Returns how many recent events are kept per breaker. */
  public int getEventHistoryCapacity() {
    return eventHistoryCapacity;
  }

  /** Sets how many recent events are kept per breaker (1 to 1,048,576; default 100). */
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

    /** Returns the count-based window size. */
    public Integer getCountBasedWindow() {
      return countBasedWindow;
    }

    /** Bases decisions on the last N calls (at least 1; default 100). */
    public void setCountBasedWindow(Integer countBasedWindow) {
      this.countBasedWindow = countBasedWindow;
    }

    /** Returns the time-based window span. */
    public Duration getTimeBasedWindow() {
      return timeBasedWindow;
    }

    /** Bases decisions on the calls that ended within the span (positive). */
    public void setTimeBasedWindow(Duration timeBasedWindow) {
      this.timeBasedWindow = timeBasedWindow;
    }

    /** Returns Resilience4j's window type. */
    public CircuitBreakerConfig.WindowType getSlidingWindowType() {
      return slidingWindowType;
    }

    /** Sets Resilience4j's window type: COUNT_BASED (default) or TIME_BASED. */
    public void setSlidingWindowType(CircuitBreakerConfig.WindowType slidingWindowType) {
      this.slidingWindowType = slidingWindowType;
    }

    /** Returns Resilience4j's window size. */
    public Integer getSlidingWindowSize() {
      return slidingWindowSize;
    }

    /** Sets Resilience4j's window size: calls, or seconds for a TIME_BASED window. */
    public void setSlidingWindowSize(Integer slidingWindowSize) {
      this.slidingWindowSize = slidingWindowSize;
    }

    /** Returns the minimum number of calls. */
    public Integer getMinimumNumberOfCalls() {
      return minimumNumberOfCalls;
    }

    /** Sets the outcomes needed before a rate can open the breaker (default 100, or the count window). */
    public void setMinimumNumberOfCalls(Integer minimumNumberOfCalls) {
      this.minimumNumberOfCalls = minimumNumberOfCalls;
    }

    /** Returns the failure-rate threshold. */
    public Double getFailureRateThreshold() {
      return failureRateThreshold;
    }

    /** Sets the failure rate in percent, in (0, 100], that opens the breaker (default 50). */
    public void setFailureRateThreshold(Double failureRateThreshold) {
      this.failureRateThreshold = failureRateThreshold;
    }

    /** Returns the slow-call-rate threshold. */
    public Double getSlowCallRateThreshold() {
      return slowCallRateThreshold;
    }

    /** Sets the slow-call rate in percent, in (0, 100], that opens the breaker (default 100). */
    public void setSlowCallRateThreshold(Double slowCallRateThreshold) {
      this.slowCallRateThreshold = slowCallRateThreshold;
    }

    /** Returns the slow-call duration threshold. */
    public Duration getSlowCallDurationThreshold() {
      return slowCallDurationThreshold;
    }

    /** Sets the duration above which a call is slow (default 60s). */
    public void setSlowCallDurationThreshold(Duration slowCallDurationThreshold) {
      this.slowCallDurationThreshold = slowCallDurationThreshold;
    }

    /** Returns whether slow calls are detected. */
    public Boolean getSlowCallDetection() {
      return slowCallDetection;
    }

    /** Switches slow-call detection (default on). */
    public void setSlowCallDetection(Boolean slowCallDetection) {
      this.slowCallDetection = slowCallDetection;
    }

    /** Returns the consecutive-failure threshold. */
    public Integer getConsecutiveFailureThreshold() {
      return consecutiveFailureThreshold;
    }

    /** Also opens after this many failures in a row (at least 1; default off). */
    public void setConsecutiveFailureThreshold(Integer consecutiveFailureThreshold) {
      this.consecutiveFailureThreshold = consecutiveFailureThreshold;
    }

    /** Returns the open-state wait. */
    public Duration getWaitDurationInOpenState() {
      return waitDurationInOpenState;
    }

    /** Sets how long an opening rejects calls (default 60s). */
    public void setWaitDurationInOpenState(Duration waitDurationInOpenState) {
      this.waitDurationInOpenState = waitDurationInOpenState;
    }

    /** Returns the open-state backoff. */
    public Backoff getOpenStateBackoff() {
      return openStateBackoff;
    }

    /** Sets the backoff of consecutive openings (default off). */
    public void setOpenStateBackoff(Backoff openStateBackoff) {
      this.openStateBackoff = openStateBackoff;
    }

    /** Returns the open-state jitter. */
    public Double getOpenStateJitter() {
      return openStateJitter;
    }

    /** Spreads each open wait by up to this fraction, in [0, 1) (default 0). */
    public void setOpenStateJitter(Double openStateJitter) {
      this.openStateJitter = openStateJitter;
    }

    /** Returns the number of half-open trials. */
    public Integer getPermittedNumberOfCallsInHalfOpenState() {
      return permittedNumberOfCallsInHalfOpenState;
    }

    /** Sets the trial calls in half-open (at least 1; default 10). */
    public void setPermittedNumberOfCallsInHalfOpenState(Integer permittedNumberOfCallsInHalfOpenState) {
      this.permittedNumberOfCallsInHalfOpenState = permittedNumberOfCallsInHalfOpenState;
    }

    /** Returns the longest half-open stay. */
    public Duration getMaxWaitDurationInHalfOpenState() {
      return maxWaitDurationInHalfOpenState;
    }

    /** Sets the longest half-open stay; 0 (the default) means no limit. */
    public void setMaxWaitDurationInHalfOpenState(Duration maxWaitDurationInHalfOpenState) {
      this.maxWaitDurationInHalfOpenState = maxWaitDurationInHalfOpenState;
    }

    /** Returns whether the open-to-half-open transition is automatic. */
    public Boolean getAutomaticTransitionFromOpenToHalfOpenEnabled() {
      return automaticTransitionFromOpenToHalfOpenEnabled;
    }

    /** Moves to half-open when the wait ends, on a scheduler (default off: on the next call). */
    public void setAutomaticTransitionFromOpenToHalfOpenEnabled(Boolean enabled) {
      this.automaticTransitionFromOpenToHalfOpenEnabled = enabled;
    }

    /** Returns the recovery ramp. */
    public Duration getRecoveryRamp() {
      return recoveryRamp;
    }

    /** Sets the span of the recovery ramp; 0 (the default) switches it off. */
    public void setRecoveryRamp(Duration recoveryRamp) {
      this.recoveryRamp = recoveryRamp;
    }

    /** Returns the exceptions recorded as failures. */
    public List<Class<? extends Throwable>> getRecordExceptions() {
      return recordExceptions;
    }

    /** Records only these exceptions (and subclasses) as failures (default: every exception). */
    public void setRecordExceptions(List<Class<? extends Throwable>> recordExceptions) {
      this.recordExceptions = recordExceptions;
    }

    /** Returns the ignored exceptions. */
    public List<Class<? extends Throwable>> getIgnoreExceptions() {
      return ignoreExceptions;
    }

    /** Ignores these exceptions (and subclasses): not recorded at all (default: none). */
    public void setIgnoreExceptions(List<Class<? extends Throwable>> ignoreExceptions) {
      this.ignoreExceptions = ignoreExceptions;
    }

    /** Returns whether the breaker has a health component. */
    public Boolean getRegisterHealthIndicator() {
      return registerHealthIndicator;
    }

    /** Whether the breaker appears in the health endpoint (default true). */
    public void setRegisterHealthIndicator(Boolean registerHealthIndicator) {
      this.registerHealthIndicator = registerHealthIndicator;
    }

    /** Returns whether the breaker is critical. */
    public Boolean getCritical() {
      return critical;
    }

    /** Whether this breaker open makes the application DOWN rather than DEGRADED (default false). */
    public void setCritical(Boolean critical) {
      this.critical = critical;
    }

    /** Returns Resilience4j's name for {@link #getCritical()}. */
    public Boolean getAllowHealthIndicatorToFail() {
      return allowHealthIndicatorToFail;
    }

    /** Resilience4j's name for {@link #setCritical(Boolean)}. */
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

    /** Returns the multiplier. */
    public Double getMultiplier() {
      return multiplier;
    }

    /** Sets the factor of each wait over the previous one (at least 1). */
    public void setMultiplier(Double multiplier) {
      this.multiplier = multiplier;
    }

    /** Returns the longest wait. */
    public Duration getMax() {
      return max;
    }

    /** Sets the longest wait (at least wait-duration-in-open-state). */
    public void setMax(Duration max) {
      this.max = max;
    }
  }
}
