package dev.fusebox.circuitbreaker;

import dev.fusebox.Scheduler;
import dev.fusebox.Ticker;
import dev.fusebox.internal.Validation;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.IntFunction;
import java.util.function.Predicate;

/**
 * The immutable configuration of a {@link CircuitBreaker}, built by a validating {@link Builder}.
 *
 * <p>The option names are Resilience4j's where the meaning is the same, so a configuration moves over by
 * renaming little (see the mapping table in docs/circuit-breaker.md). Defaults:
 *
 * <table>
 *   <caption>Options and their defaults</caption>
 *   <tr><th>Option</th><th>Default</th></tr>
 *   <tr><td>{@link Builder#countBasedWindow(int) countBasedWindow} / {@link Builder#timeBasedWindow(Duration)
 *       timeBasedWindow}</td><td>the last 100 calls</td></tr>
 *   <tr><td>{@link Builder#minimumNumberOfCalls(int) minimumNumberOfCalls}</td><td>100, or the window size
 *       when a count-based window is smaller</td></tr>
 *   <tr><td>{@link Builder#failureRateThreshold(double) failureRateThreshold}</td><td>50 (percent)</td></tr>
 *   <tr><td>{@link Builder#slowCallRateThreshold(double) slowCallRateThreshold}</td><td>100 (percent)</td></tr>
 *   <tr><td>{@link Builder#slowCallDurationThreshold(Duration) slowCallDurationThreshold}</td><td>60 s</td></tr>
 *   <tr><td>{@link Builder#slowCallDetection(boolean) slowCallDetection}</td><td>on</td></tr>
 *   <tr><td>{@link Builder#consecutiveFailureThreshold(int) consecutiveFailureThreshold}</td><td>off</td></tr>
 *   <tr><td>{@link Builder#failureRateConfidence(double) failureRateConfidence}</td><td>off: the plain
 *       rate decides</td></tr>
 *   <tr><td>{@link Builder#slowCallDurationPercentile(double, double) slowCallDurationPercentile}</td>
 *       <td>off: {@code slowCallDurationThreshold} decides</td></tr>
 *   <tr><td>{@link Builder#slowCallBaselinePeriod(Duration) slowCallBaselinePeriod}</td><td>1 minute</td></tr>
 *   <tr><td>{@link Builder#slowCallBaselineMinimumCalls(int) slowCallBaselineMinimumCalls}</td><td>100</td></tr>
 *   <tr><td>{@link Builder#deployModeFailureThreshold(int) deployModeFailureThreshold}</td><td>1</td></tr>
 *   <tr><td>{@link Builder#waitDurationInOpenState(Duration) waitDurationInOpenState}</td><td>60 s</td></tr>
 *   <tr><td>{@link Builder#openStateBackoff(double, Duration) openStateBackoff}</td><td>off</td></tr>
 *   <tr><td>{@link Builder#openStateJitter(double) openStateJitter}</td><td>0</td></tr>
 *   <tr><td>{@link Builder#permittedNumberOfCallsInHalfOpenState(int)
 *       permittedNumberOfCallsInHalfOpenState}</td><td>10</td></tr>
 *   <tr><td>{@link Builder#maxWaitDurationInHalfOpenState(Duration) maxWaitDurationInHalfOpenState}</td>
 *       <td>0 (no limit)</td></tr>
 *   <tr><td>{@link Builder#automaticTransitionFromOpenToHalfOpenEnabled(boolean)
 *       automaticTransitionFromOpenToHalfOpenEnabled}</td><td>off: the next call moves the breaker</td></tr>
 *   <tr><td>{@link Builder#recoveryRamp(Duration) recoveryRamp}</td><td>off</td></tr>
 *   <tr><td>{@link Builder#initialState(CircuitBreaker.State) initialState}</td><td>{@code CLOSED}</td></tr>
 *   <tr><td>{@link Builder#transitionToStateAfterWaitDuration(CircuitBreaker.State)
 *       transitionToStateAfterWaitDuration}</td><td>{@code OPEN}</td></tr>
 *   <tr><td>{@link Builder#openStateWaitFunction(IntFunction) openStateWaitFunction}</td><td>none: the wait,
 *       backoff and jitter above</td></tr>
 *   <tr><td>{@link Builder#tripWhen(BiFunction) tripWhen}</td><td>none</td></tr>
 *   <tr><td>{@link Builder#healthProbe(HealthProbe) healthProbe}</td><td>none</td></tr>
 *   <tr><td>{@link Builder#recordExceptions recordExceptions}, {@link Builder#recordException
 *       recordException}</td><td>every exception is a failure</td></tr>
 *   <tr><td>{@link Builder#ignoreExceptions ignoreExceptions}, {@link Builder#ignoreException
 *       ignoreException}</td><td>none ignored</td></tr>
 *   <tr><td>{@link Builder#recordResult(Predicate) recordResult}</td><td>no result is a failure</td></tr>
 *   <tr><td>{@link Builder#ticker(Ticker) ticker}</td><td>{@link Ticker#coarse()}, or {@link Ticker#system()}
 *       when slow calls are shorter than 100 ms</td></tr>
 *   <tr><td>{@link Builder#scheduler(Scheduler) scheduler}</td><td>{@link Scheduler#system()}, used only by
 *       the automatic transition</td></tr>
 * </table>
 *
 * <pre>{@code
 * CircuitBreakerConfig config = CircuitBreakerConfig.builder()
 *     .countBasedWindow(50)
 *     .failureRateThreshold(25)
 *     .waitDurationInOpenState(Duration.ofSeconds(10))
 *     .openStateBackoff(2.0, Duration.ofMinutes(5))
 *     .ignoreExceptions(IllegalArgumentException.class)
 *     .build();
 * }</pre>
 *
 * <p>A rule that throws ({@code recordException}, {@code ignoreException}, {@code recordResult}) counts the
 * call as a failure, since it could not say the outcome was harmless; the caller still gets its own
 * exception, with the rule's attached as suppressed, or the rule's exception in place of a result.
 *
 * <p>Instances are immutable and threadsafe; one configuration can serve any number of breakers.
 */
public final class CircuitBreakerConfig {

  /** How the sliding window that closed-state decisions are based on is measured. */
  public enum WindowType {
    /** The window holds the outcomes of the last N calls. */
    COUNT_BASED,
    /** The window holds the outcomes of the calls that ended within the last span of time. */
    TIME_BASED
  }

  static final int DEFAULT_WINDOW_SIZE = 100;
  static final int DEFAULT_MINIMUM_NUMBER_OF_CALLS = 100;
  static final double DEFAULT_FAILURE_RATE_THRESHOLD = 50;
  static final double DEFAULT_SLOW_CALL_RATE_THRESHOLD = 100;
  static final Duration DEFAULT_SLOW_CALL_DURATION_THRESHOLD = Duration.ofSeconds(60);
  static final Duration DEFAULT_WAIT_DURATION_IN_OPEN_STATE = Duration.ofSeconds(60);
  static final int DEFAULT_PERMITTED_CALLS_IN_HALF_OPEN_STATE = 10;
  /** Below this slow-call threshold the coarse ticker's millisecond would be more than 1% of it. */
  static final Duration PRECISE_TICKER_BELOW = Duration.ofMillis(100);
  static final Duration DEFAULT_SLOW_CALL_BASELINE_PERIOD = Duration.ofMinutes(1);
  static final int DEFAULT_SLOW_CALL_BASELINE_MINIMUM_CALLS = 100;

  private static final CircuitBreakerConfig DEFAULTS = builder().build();

  private final WindowType windowType;
  private final int windowSize;
  private final Duration windowSpan;
  private final int minimumNumberOfCalls;
  /** The value the user set, or null when the minimum is derived from the window; for toBuilder(). */
  private final Integer explicitMinimumNumberOfCalls;
  private final double failureRateThreshold;
  private final double slowCallRateThreshold;
  private final Duration slowCallDurationThreshold;
  private final boolean slowCallDetection;
  private final int consecutiveFailureThreshold;
  private final double failureRateConfidence;
  private final double slowCallDurationPercentile;
  private final double slowCallDurationMultiplier;
  private final Duration slowCallBaselinePeriod;
  private final int slowCallBaselineMinimumCalls;
  private final int deployModeFailureThreshold;
  private final Duration waitDurationInOpenState;
  private final double openStateBackoffMultiplier;
  private final Duration openStateBackoffMax;
  private final double openStateJitter;
  private final int permittedNumberOfCallsInHalfOpenState;
  private final Duration maxWaitDurationInHalfOpenState;
  private final boolean automaticTransitionFromOpenToHalfOpenEnabled;
  private final Duration recoveryRamp;
  private final CircuitBreaker.State initialState;
  private final CircuitBreaker.State transitionToStateAfterWaitDuration;
  private final IntFunction<Duration> openStateWaitFunction;
  private final BiFunction<Object, Throwable, Optional<Duration>> tripWhen;
  private final HealthProbe healthProbe;
  private final List<Class<? extends Throwable>> recordExceptions;
  private final List<Class<? extends Throwable>> ignoreExceptions;
  private final Predicate<Throwable> recordException;
  private final Predicate<Throwable> ignoreException;
  private final Predicate<Object> recordResult;
  private final Ticker ticker;
  private final boolean tickerSet;
  private final Scheduler scheduler;
  /** The call path's view of this configuration, shared by every breaker built from it. */
  private final CompiledConfig compiled;

  private CircuitBreakerConfig(Builder b) {
    this.windowType = b.windowType;
    this.windowSize = b.windowSize;
    this.windowSpan = b.windowSpan;
    this.minimumNumberOfCalls =
        b.minimumNumberOfCalls != null
            ? b.minimumNumberOfCalls
            : b.failureRateConfidence > 0
                ? 1 // the confidence rule itself refuses to decide on a handful of calls
            : b.windowType == WindowType.COUNT_BASED
                ? Math.min(DEFAULT_MINIMUM_NUMBER_OF_CALLS, b.windowSize)
                : DEFAULT_MINIMUM_NUMBER_OF_CALLS;
    this.explicitMinimumNumberOfCalls = b.minimumNumberOfCalls;
    this.failureRateThreshold = b.failureRateThreshold;
    this.slowCallRateThreshold = b.slowCallRateThreshold;
    this.slowCallDurationThreshold = b.slowCallDurationThreshold;
    this.slowCallDetection = b.slowCallDetection;
    this.consecutiveFailureThreshold = b.consecutiveFailureThreshold;
    this.failureRateConfidence = b.failureRateConfidence;
    this.slowCallDurationPercentile = b.slowCallDurationPercentile;
    this.slowCallDurationMultiplier = b.slowCallDurationMultiplier;
    this.slowCallBaselinePeriod = b.slowCallBaselinePeriod;
    this.slowCallBaselineMinimumCalls = b.slowCallBaselineMinimumCalls;
    this.deployModeFailureThreshold = b.deployModeFailureThreshold;
    this.waitDurationInOpenState = b.waitDurationInOpenState;
    this.openStateBackoffMultiplier = b.openStateBackoffMultiplier;
    this.openStateBackoffMax = b.openStateBackoffMax;
    this.openStateJitter = b.openStateJitter;
    this.permittedNumberOfCallsInHalfOpenState = b.permittedNumberOfCallsInHalfOpenState;
    this.maxWaitDurationInHalfOpenState = b.maxWaitDurationInHalfOpenState;
    this.automaticTransitionFromOpenToHalfOpenEnabled = b.automaticTransitionFromOpenToHalfOpenEnabled;
    this.recoveryRamp = b.recoveryRamp;
    this.initialState = b.initialState;
    this.transitionToStateAfterWaitDuration = b.transitionToStateAfterWaitDuration;
    this.openStateWaitFunction = b.openStateWaitFunction;
    this.tripWhen = b.tripWhen;
    this.healthProbe = b.healthProbe;
    this.recordExceptions = b.recordExceptions;
    this.ignoreExceptions = b.ignoreExceptions;
    this.recordException = b.recordException;
    this.ignoreException = b.ignoreException;
    this.recordResult = b.recordResult;
    this.tickerSet = b.ticker != null;
    this.ticker =
        b.ticker != null
            ? b.ticker
            : b.slowCallDetection
                    && (b.slowCallDurationThreshold.compareTo(PRECISE_TICKER_BELOW) < 0
                        || b.slowCallDurationPercentile > 0)
                ? Ticker.system()
                : Ticker.coarse();
    this.scheduler = b.scheduler;
    this.compiled = new CompiledConfig(this);
  }

  CompiledConfig compiled() {
    return compiled;
  }

  /**
   * Returns a builder with every option at its default.
   *
   * @return a builder with every option at its default
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns the configuration with every option at its default.
   *
   * @return the configuration with every option at its default
   */
  public static CircuitBreakerConfig ofDefaults() {
    return DEFAULTS;
  }

  /**
   * Returns a builder holding this configuration's options, to derive a variant from it.
   *
   * @return a builder holding this configuration's options, to derive a variant from it
   */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /**
   * Returns whether the window counts calls or spans time.
   *
   * @return whether the window counts calls or spans time
   */
  public WindowType windowType() {
    return windowType;
  }

  /**
   * Returns the number of calls in a count-based window; 0 for a time-based window.
   *
   * @return the number of calls in a count-based window; 0 for a time-based window
   */
  public int windowSize() {
    return windowType == WindowType.COUNT_BASED ? windowSize : 0;
  }

  /**
   * Returns the span of a time-based window; {@link Duration#ZERO} for a count-based window.
   *
   * @return the span of a time-based window; {@link Duration#ZERO} for a count-based window
   */
  public Duration windowSpan() {
    return windowType == WindowType.TIME_BASED ? windowSpan : Duration.ZERO;
  }

  /**
   * See {@link Builder#minimumNumberOfCalls(int)}.
   *
   * @return how many outcomes the window must hold before a rate can open the breaker (at least 1)
   */
  public int minimumNumberOfCalls() {
    return minimumNumberOfCalls;
  }

  /**
   * See {@link Builder#failureRateThreshold(double)}.
   *
   * @return the failure rate, in percent of the calls in the window, at or above which the breaker opens
   */
  public double failureRateThreshold() {
    return failureRateThreshold;
  }

  /**
   * See {@link Builder#slowCallRateThreshold(double)}.
   *
   * @return the rate of slow calls, in percent, at or above which the breaker opens
   */
  public double slowCallRateThreshold() {
    return slowCallRateThreshold;
  }

  /**
   * See {@link Builder#slowCallDurationThreshold(Duration)}.
   *
   * @return the duration a call must exceed to count as slow (positive; default 60 s)
   */
  public Duration slowCallDurationThreshold() {
    return slowCallDurationThreshold;
  }

  /**
   * See {@link Builder#slowCallDetection(boolean)}.
   *
   * @return whether calls slower than the slow-call threshold are counted at all
   */
  public boolean slowCallDetection() {
    return slowCallDetection;
  }

  /**
   * Returns the consecutive-failure threshold, or 0 when that rule is off.
   *
   * @return the consecutive-failure threshold, or 0 when that rule is off
   */
  public int consecutiveFailureThreshold() {
    return consecutiveFailureThreshold;
  }

  /**
   * Returns the one-sided confidence with which the failure rate must be shown to reach its threshold, in
   * (0, 1); 0 when off, and the plain rate decides.
   *
   * @return the confidence, or 0
   */
  public double failureRateConfidence() {
    return failureRateConfidence;
  }

  /**
   * Returns the percentile of the breaker's own recent latency that, times {@link #slowCallDurationMultiplier()},
   * makes a call slow; 0 when off, and {@link #slowCallDurationThreshold()} alone decides.
   *
   * @return the percentile, in (0, 100), or 0
   */
  public double slowCallDurationPercentile() {
    return slowCallDurationPercentile;
  }

  /**
   * Returns the multiple of the latency percentile over which a call is slow; meaningful with a percentile.
   *
   * @return the multiplier, at least 1
   */
  public double slowCallDurationMultiplier() {
    return slowCallDurationMultiplier;
  }

  /**
   * Returns the period over which the latency percentile is measured before it becomes the next baseline.
   *
   * @return the period
   */
  public Duration slowCallBaselinePeriod() {
    return slowCallBaselinePeriod;
  }

  /**
   * Returns how many calls a period must hold before its percentile becomes the baseline.
   *
   * @return the minimum number of calls
   */
  public int slowCallBaselineMinimumCalls() {
    return slowCallBaselineMinimumCalls;
  }

  /**
   * Returns how many failures open a closed breaker in {@linkplain CircuitBreaker#startDeployMode deploy mode}.
   *
   * @return the number of failures
   */
  public int deployModeFailureThreshold() {
    return deployModeFailureThreshold;
  }

  /**
   * See {@link Builder#waitDurationInOpenState(Duration)}.
   *
   * @return how long the breaker stays open before it lets trial calls through (positive; default 60 s)
   */
  public Duration waitDurationInOpenState() {
    return waitDurationInOpenState;
  }

  /**
   * Returns the backoff multiplier of the open-state wait; 1 when backoff is off.
   *
   * @return the backoff multiplier of the open-state wait; 1 when backoff is off
   */
  public double openStateBackoffMultiplier() {
    return openStateBackoffMultiplier;
  }

  /**
   * Returns the longest open-state wait under backoff; the base wait when backoff is off.
   *
   * @return the longest open-state wait under backoff; the base wait when backoff is off
   */
  public Duration openStateBackoffMax() {
    return openStateBackoffMax != null ? openStateBackoffMax : waitDurationInOpenState;
  }

  /**
   * See {@link Builder#openStateJitter(double)}.
   *
   * @return the most each open-state wait is spread at random, as a fraction of it; 0 when off
   */
  public double openStateJitter() {
    return openStateJitter;
  }

  /**
   * See {@link Builder#permittedNumberOfCallsInHalfOpenState(int)}.
   *
   * @return how many trial calls the half-open state admits (at least 1; default 10)
   */
  public int permittedNumberOfCallsInHalfOpenState() {
    return permittedNumberOfCallsInHalfOpenState;
  }

  /**
   * Returns the longest stay in the half-open state; {@link Duration#ZERO} means no limit.
   *
   * @return the longest stay in the half-open state; {@link Duration#ZERO} means no limit
   */
  public Duration maxWaitDurationInHalfOpenState() {
    return maxWaitDurationInHalfOpenState;
  }

  /**
   * See {@link Builder#automaticTransitionFromOpenToHalfOpenEnabled(boolean)}.
   *
   * @return whether an open breaker turns half-open on the scheduler's thread when its wait is over
   */
  public boolean automaticTransitionFromOpenToHalfOpenEnabled() {
    return automaticTransitionFromOpenToHalfOpenEnabled;
  }

  /**
   * Returns the scheduler of the automatic transition.
   *
   * @return the scheduler of the automatic transition
   */
  public Scheduler scheduler() {
    return scheduler;
  }

  /**
   * Returns the span of the recovery ramp; {@link Duration#ZERO} when the ramp is off.
   *
   * @return the span of the recovery ramp; {@link Duration#ZERO} when the ramp is off
   */
  public Duration recoveryRamp() {
    return recoveryRamp;
  }

  /**
   * See {@link Builder#initialState(CircuitBreaker.State)}.
   *
   * @return the state a new breaker starts in (default {@code CLOSED}), as Resilience4j's {@code
   *     initialState}: {@code OPEN} waits its first open-state wait from the breaker's creation (and counts
   *     as the first opening in a row for the backoff), {@code HALF_OPEN} admits its trials at once, and
   *     {@code FORCED_OPEN}, {@code DISABLED} and {@code METRICS_ONLY} hold until the breaker is moved by
   *     hand
   */
  public CircuitBreaker.State initialState() {
    return initialState;
  }

  /**
   * See {@link Builder#transitionToStateAfterWaitDuration(CircuitBreaker.State)}.
   *
   * @return what a half-open breaker becomes when {@link Builder#maxWaitDurationInHalfOpenState(Duration) its
   *     maximum wait} runs out before its trials have decided: {@code OPEN} (the default), or {@code CLOSED},
   *     as Resilience4j's option of the same name
   */
  public CircuitBreaker.State transitionToStateAfterWaitDuration() {
    return transitionToStateAfterWaitDuration;
  }

  /**
   * Returns the function of the open-state wait, if one was set; see {@link Builder#openStateWaitFunction}.
   *
   * @return the function of the open-state wait, if one was set; see {@link Builder#openStateWaitFunction}
   */
  public Optional<IntFunction<Duration>> openStateWaitFunction() {
    return Optional.ofNullable(openStateWaitFunction);
  }

  /**
   * Returns the rule that opens the breaker on an outcome, if one was set; see {@link Builder#tripWhen}.
   *
   * @return the rule that opens the breaker on an outcome, if one was set; see {@link Builder#tripWhen}
   */
  public Optional<BiFunction<Object, Throwable, Optional<Duration>>> tripWhen() {
    return Optional.ofNullable(tripWhen);
  }

  IntFunction<Duration> openStateWaitFunctionOrNull() {
    return openStateWaitFunction;
  }

  /**
   * Returns the health probe the breaker runs, if one was set; see {@link Builder#healthProbe}.
   *
   * @return the health probe the breaker runs, if one was set; see {@link Builder#healthProbe}
   */
  public Optional<HealthProbe> healthProbe() {
    return Optional.ofNullable(healthProbe);
  }

  BiFunction<Object, Throwable, Optional<Duration>> tripWhenOrNull() {
    return tripWhen;
  }

  /**
   * Returns the exception types recorded as failures; empty means every exception not ignored.
   *
   * @return the exception types recorded as failures; empty means every exception not ignored
   */
  public List<Class<? extends Throwable>> recordExceptions() {
    return recordExceptions;
  }

  /**
   * Returns the exception types that are ignored.
   *
   * @return the exception types that are ignored
   */
  public List<Class<? extends Throwable>> ignoreExceptions() {
    return ignoreExceptions;
  }

  /**
   * Returns the predicate of exceptions recorded as failures, if one was set.
   *
   * @return the predicate of exceptions recorded as failures, if one was set
   */
  public Optional<Predicate<Throwable>> recordException() {
    return Optional.ofNullable(recordException);
  }

  /**
   * Returns the predicate of exceptions that are ignored, if one was set.
   *
   * @return the predicate of exceptions that are ignored, if one was set
   */
  public Optional<Predicate<Throwable>> ignoreException() {
    return Optional.ofNullable(ignoreException);
  }

  /**
   * Returns the predicate of results recorded as failures, if one was set.
   *
   * @return the predicate of results recorded as failures, if one was set
   */
  public Optional<Predicate<Object>> recordResult() {
    return Optional.ofNullable(recordResult);
  }

  /**
   * Returns the ticker the breaker reads: the configured one, or the default described above.
   *
   * @return the ticker the breaker reads: the configured one, or the default described above
   */
  public Ticker ticker() {
    return ticker;
  }

  boolean tickerSet() {
    return tickerSet;
  }

  Predicate<Object> recordResultOrNull() {
    return recordResult;
  }

  Predicate<Throwable> recordExceptionOrNull() {
    return recordException;
  }

  Predicate<Throwable> ignoreExceptionOrNull() {
    return ignoreException;
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("CircuitBreakerConfig{");
    if (windowType == WindowType.COUNT_BASED) {
      s.append("countBasedWindow=").append(windowSize);
    } else {
      s.append("timeBasedWindow=").append(windowSpan);
    }
    s.append(", minimumNumberOfCalls=").append(minimumNumberOfCalls)
        .append(", failureRateThreshold=").append(failureRateThreshold)
        .append(", slowCallRateThreshold=").append(slowCallRateThreshold)
        .append(", slowCallDurationThreshold=").append(slowCallDurationThreshold)
        .append(", slowCallDetection=").append(slowCallDetection)
        .append(", consecutiveFailureThreshold=").append(consecutiveFailureThreshold)
        .append(", failureRateConfidence=").append(failureRateConfidence)
        .append(", slowCallDurationPercentile=").append(slowCallDurationPercentile)
        .append('x').append(slowCallDurationMultiplier)
        .append(", slowCallBaselinePeriod=").append(slowCallBaselinePeriod)
        .append(", slowCallBaselineMinimumCalls=").append(slowCallBaselineMinimumCalls)
        .append(", deployModeFailureThreshold=").append(deployModeFailureThreshold)
        .append(", waitDurationInOpenState=").append(waitDurationInOpenState)
        .append(", openStateBackoff=").append(openStateBackoffMultiplier).append('/').append(openStateBackoffMax())
        .append(", openStateJitter=").append(openStateJitter)
        .append(", permittedNumberOfCallsInHalfOpenState=").append(permittedNumberOfCallsInHalfOpenState)
        .append(", maxWaitDurationInHalfOpenState=").append(maxWaitDurationInHalfOpenState)
        .append(", automaticTransitionFromOpenToHalfOpenEnabled=").append(automaticTransitionFromOpenToHalfOpenEnabled)
        .append(", recoveryRamp=").append(recoveryRamp)
        .append(", initialState=").append(initialState)
        .append(", transitionToStateAfterWaitDuration=").append(transitionToStateAfterWaitDuration)
        .append(", openStateWaitFunction=").append(openStateWaitFunction != null ? "set" : "none")
        .append(", tripWhen=").append(tripWhen != null ? "set" : "none")
        .append(", healthProbe=").append(healthProbe != null ? healthProbe : "none")
        .append(", recordExceptions=").append(names(recordExceptions))
        .append(", ignoreExceptions=").append(names(ignoreExceptions))
        .append(", recordException=").append(recordException != null ? "set" : "none")
        .append(", ignoreException=").append(ignoreException != null ? "set" : "none")
        .append(", recordResult=").append(recordResult != null ? "set" : "none")
        .append(", ticker=").append(ticker)
        .append(", scheduler=").append(scheduler)
        .append('}');
    return s.toString();
  }

  private static String names(List<Class<? extends Throwable>> types) {
    return types.stream().map(Class::getName).toList().toString();
  }

  /**
   * Builds a {@link CircuitBreakerConfig}. Setters reject {@code null} at once with a
   * {@link NullPointerException}; every range is checked in {@link #build()}, which reports all violations
   * in one {@link IllegalArgumentException}. Nothing is clamped or replaced silently.
   *
   * <p>Not threadsafe; build the configuration once and share it.
   */
  public static final class Builder {
    private WindowType windowType = WindowType.COUNT_BASED;
    private int windowSize = DEFAULT_WINDOW_SIZE;
    private Duration windowSpan = Duration.ZERO;
    private Integer minimumNumberOfCalls;
    private double failureRateThreshold = DEFAULT_FAILURE_RATE_THRESHOLD;
    private double slowCallRateThreshold = DEFAULT_SLOW_CALL_RATE_THRESHOLD;
    private Duration slowCallDurationThreshold = DEFAULT_SLOW_CALL_DURATION_THRESHOLD;
    private boolean slowCallDetection = true;
    private int consecutiveFailureThreshold;
    private boolean consecutiveFailureThresholdSet;
    private double failureRateConfidence;
    private boolean failureRateConfidenceSet;
    private double slowCallDurationPercentile;
    private double slowCallDurationMultiplier = 1;
    private boolean slowCallDurationPercentileSet;
    private Duration slowCallBaselinePeriod = DEFAULT_SLOW_CALL_BASELINE_PERIOD;
    private int slowCallBaselineMinimumCalls = DEFAULT_SLOW_CALL_BASELINE_MINIMUM_CALLS;
    private int deployModeFailureThreshold = 1;
    private Duration waitDurationInOpenState = DEFAULT_WAIT_DURATION_IN_OPEN_STATE;
    private double openStateBackoffMultiplier = 1;
    private Duration openStateBackoffMax;
    private double openStateJitter;
    private int permittedNumberOfCallsInHalfOpenState = DEFAULT_PERMITTED_CALLS_IN_HALF_OPEN_STATE;
    private Duration maxWaitDurationInHalfOpenState = Duration.ZERO;
    private boolean automaticTransitionFromOpenToHalfOpenEnabled;
    private Duration recoveryRamp = Duration.ZERO;
    private CircuitBreaker.State initialState = CircuitBreaker.State.CLOSED;
    private CircuitBreaker.State transitionToStateAfterWaitDuration = CircuitBreaker.State.OPEN;
    private IntFunction<Duration> openStateWaitFunction;
    private BiFunction<Object, Throwable, Optional<Duration>> tripWhen;
    private HealthProbe healthProbe;
    private List<Class<? extends Throwable>> recordExceptions = List.of();
    private List<Class<? extends Throwable>> ignoreExceptions = List.of();
    private Predicate<Throwable> recordException;
    private Predicate<Throwable> ignoreException;
    private Predicate<Object> recordResult;
    private Ticker ticker;
    private Scheduler scheduler = Scheduler.system();

    private Builder() {}

    private Builder(CircuitBreakerConfig c) {
      this.windowType = c.windowType;
      this.windowSize = c.windowSize;
      this.windowSpan = c.windowSpan;
      this.minimumNumberOfCalls = c.explicitMinimumNumberOfCalls;
      this.failureRateThreshold = c.failureRateThreshold;
      this.slowCallRateThreshold = c.slowCallRateThreshold;
      this.slowCallDurationThreshold = c.slowCallDurationThreshold;
      this.slowCallDetection = c.slowCallDetection;
      this.consecutiveFailureThreshold = c.consecutiveFailureThreshold;
      this.consecutiveFailureThresholdSet = c.consecutiveFailureThreshold > 0;
      this.failureRateConfidence = c.failureRateConfidence;
      this.failureRateConfidenceSet = c.failureRateConfidence > 0;
      this.slowCallDurationPercentile = c.slowCallDurationPercentile;
      this.slowCallDurationMultiplier = c.slowCallDurationMultiplier;
      this.slowCallDurationPercentileSet = c.slowCallDurationPercentile > 0;
      this.slowCallBaselinePeriod = c.slowCallBaselinePeriod;
      this.slowCallBaselineMinimumCalls = c.slowCallBaselineMinimumCalls;
      this.deployModeFailureThreshold = c.deployModeFailureThreshold;
      this.waitDurationInOpenState = c.waitDurationInOpenState;
      this.openStateBackoffMultiplier = c.openStateBackoffMultiplier;
      this.openStateBackoffMax = c.openStateBackoffMax;
      this.openStateJitter = c.openStateJitter;
      this.permittedNumberOfCallsInHalfOpenState = c.permittedNumberOfCallsInHalfOpenState;
      this.maxWaitDurationInHalfOpenState = c.maxWaitDurationInHalfOpenState;
      this.automaticTransitionFromOpenToHalfOpenEnabled = c.automaticTransitionFromOpenToHalfOpenEnabled;
      this.recoveryRamp = c.recoveryRamp;
      this.initialState = c.initialState;
      this.transitionToStateAfterWaitDuration = c.transitionToStateAfterWaitDuration;
      this.openStateWaitFunction = c.openStateWaitFunction;
      this.tripWhen = c.tripWhen;
      this.healthProbe = c.healthProbe;
      this.recordExceptions = c.recordExceptions;
      this.ignoreExceptions = c.ignoreExceptions;
      this.recordException = c.recordException;
      this.ignoreException = c.ignoreException;
      this.recordResult = c.recordResult;
      this.ticker = c.tickerSet ? c.ticker : null;
      this.scheduler = c.scheduler;
    }

    /**
     * Bases closed-state decisions on the outcomes of the last {@code calls} calls (at least 1). This is the
     * default, with 100 calls. Replaces a time-based window set earlier.
     *
     * @param calls the number of most recent calls the window holds; at least 1
     * @return this builder
     */
    public Builder countBasedWindow(int calls) {
      this.windowType = WindowType.COUNT_BASED;
      this.windowSize = calls;
      return this;
    }

    /**
     * Bases closed-state decisions on the outcomes of the calls that ended within the last {@code span}
     * (positive). The window is kept in buckets: one per second when the span is a whole number of seconds
     * up to 1,000 seconds (as Resilience4j does), else 10 to 1,000 equal buckets. Replaces a count-based
     * window set earlier.
     *
     * @param span how far back the window reaches; positive
     * @return this builder
     */
    public Builder timeBasedWindow(Duration span) {
      this.windowType = WindowType.TIME_BASED;
      this.windowSpan = Objects.requireNonNull(span, "timeBasedWindow span must not be null");
      return this;
    }

    /**
     * Sets how many outcomes the window must hold before a rate can open the breaker (at least 1). The
     * default is 100, or the window size when a count-based window is smaller; an explicit value larger
     * than a count-based window is rejected, since the breaker could never open.
     *
     * @param calls how many outcomes the window must hold before a rate can open the breaker (at least 1)
     * @return this builder
     */
    public Builder minimumNumberOfCalls(int calls) {
      this.minimumNumberOfCalls = calls;
      return this;
    }

    /**
     * Sets the failure rate, in percent of the calls in the window, at or above which the breaker opens.
     * Must be in (0, 100]; default 50.
     *
     * @param percent the failure rate, in percent of the calls in the window, at or above which the breaker
     *     opens
     * @return this builder
     */
    public Builder failureRateThreshold(double percent) {
      this.failureRateThreshold = percent;
      return this;
    }

    /**
     * Sets the rate of slow calls, in percent, at or above which the breaker opens. Must be in (0, 100];
     * default 100, so only a window of nothing but slow calls opens it.
     *
     * @param percent the rate of slow calls, in percent, at or above which the breaker opens
     * @return this builder
     */
    public Builder slowCallRateThreshold(double percent) {
      this.slowCallRateThreshold = percent;
      return this;
    }

    /**
     * Sets the duration a call must exceed to count as slow (positive; default 60 s). A slow failure counts
     * both as a failure and as a slow call.
     *
     * @param threshold the duration a call must exceed to count as slow (positive; default 60 s)
     * @return this builder
     */
    public Builder slowCallDurationThreshold(Duration threshold) {
      this.slowCallDurationThreshold =
          Objects.requireNonNull(threshold, "slowCallDurationThreshold must not be null");
      return this;
    }

    /**
     * Switches slow-call detection on (the default) or off. Off, a breaker with a count-based window reads no
     * clock at all on the call path, and {@link #slowCallRateThreshold} never opens it.
     *
     * @param enabled whether slow calls are counted; off, a count-based window reads no clock
     * @return this builder
     */
    public Builder slowCallDetection(boolean enabled) {
      this.slowCallDetection = enabled;
      return this;
    }

    /**
     * Also opens the breaker after {@code failures} failures in a row (at least 1), whatever the window's
     * rates; a success resets the count. Off by default.
     *
     * @param failures the failures in a row that open the breaker; at least 1
     * @return this builder
     */
    public Builder consecutiveFailureThreshold(int failures) {
      this.consecutiveFailureThreshold = failures;
      this.consecutiveFailureThresholdSet = true;
      return this;
    }

    /**
     * Makes the failure threshold follow traffic: the breaker opens on the failure rate only once the calls
     * in the window show, with this one-sided {@code confidence} (in (0, 1), 0.95 say), that the true rate is
     * at least {@link #failureRateThreshold}: the lower bound of the Wilson score interval of the observed
     * rate must reach the threshold. At high traffic that takes about the threshold's share of the calls; at
     * low traffic a higher share of fewer calls; and a handful of calls never suffices. At 50% and 0.95:
     *
     * <table>
     *   <caption>Failures that open the breaker, by calls in the window (50%, confidence 0.95)</caption>
     *   <tr><th>calls</th><td>1</td><td>2</td><td>3</td><td>5</td><td>10</td><td>20</td><td>100</td>
     *       <td>1,000</td></tr>
     *   <tr><th>failures</th><td>never</td><td>never</td><td>3</td><td>5</td><td>8</td><td>14</td><td>59</td>
     *       <td>527</td></tr>
     * </table>
     *
     * <p>With this option {@link #minimumNumberOfCalls} defaults to 1, since the rule decides how many calls
     * are enough; set it to keep a floor. A {@code failureRateThreshold} of 100 is refused with it: no finite
     * number of calls shows a rate of 100% with confidence. The half-open verdict is unchanged: its trials
     * are a fixed sample, judged by the plain rate. Off by default.
     *
     * <pre>{@code
     * CircuitBreakerConfig.builder()
     *     .timeBasedWindow(Duration.ofMinutes(1))
     *     .failureRateThreshold(50)
     *     .failureRateConfidence(0.95)
     *     .build();
     * }</pre>
     *
     * @param confidence the one-sided confidence, in (0, 1)
     * @return this builder
     */
    public Builder failureRateConfidence(double confidence) {
      this.failureRateConfidence = confidence;
      this.failureRateConfidenceSet = true;
      return this;
    }

    /**
     * Judges slow calls by the breaker's own latency rather than a fixed duration: a call is slow when it
     * lasts longer than {@code multiplier} times the {@code percentile} (in (0, 100)) of the calls of the
     * last calm period of {@link #slowCallBaselinePeriod}: a period with at least
     * {@link #slowCallBaselineMinimumCalls} calls in which the breaker stayed CLOSED, so that a degradation
     * that opened it never becomes the baseline. Until a first period qualifies, and after
     * {@link CircuitBreaker#reset()}, {@link #slowCallDurationThreshold} decides. The percentile is measured
     * to within 12.5%, rounded up. {@link CircuitBreaker#slowCallDurationThreshold()} says what decides now.
     * Needs {@link #slowCallDetection} on; the default ticker is then {@link Ticker#system()}.
     *
     * <pre>{@code
     * .slowCallDurationPercentile(99, 3.0)      // slower than 3 x its p99 is slow
     * .slowCallRateThreshold(20)
     * }</pre>
     *
     * @param percentile the percentile of recent latency, in (0, 100)
     * @param multiplier how many times that percentile a call must exceed to be slow (at least 1)
     * @return this builder
     */
    public Builder slowCallDurationPercentile(double percentile, double multiplier) {
      this.slowCallDurationPercentile = percentile;
      this.slowCallDurationMultiplier = multiplier;
      this.slowCallDurationPercentileSet = true;
      return this;
    }

    /**
     * Sets how long a latency period lasts before its percentile becomes the baseline (positive; 1 minute).
     *
     * @param period the length of a period
     * @return this builder
     */
    public Builder slowCallBaselinePeriod(Duration period) {
      this.slowCallBaselinePeriod = Objects.requireNonNull(period, "slowCallBaselinePeriod must not be null");
      return this;
    }

    /**
     * Sets how many calls a latency period needs to become the baseline (at least 1; default 100).
     *
     * @param calls the minimum number of calls
     * @return this builder
     */
    public Builder slowCallBaselineMinimumCalls(int calls) {
      this.slowCallBaselineMinimumCalls = calls;
      return this;
    }

    /**
     * Sets how many failures open a closed breaker while it is in
     * {@linkplain CircuitBreaker#startDeployMode(Duration) deploy mode}, whatever the window holds (at least
     * 1; default 1: the first failure opens it).
     *
     * @param failures the number of failures
     * @return this builder
     */
    public Builder deployModeFailureThreshold(int failures) {
      this.deployModeFailureThreshold = failures;
      return this;
    }

    /**
     * Sets how long the breaker stays open before it lets trial calls through (positive; default 60 s). The
     * first call attempted once the wait has fully elapsed moves the breaker to half-open and is admitted
     * as a trial; no background thread is involved.
     *
     * @param wait how long the breaker stays open before it lets trial calls through (positive; default 60 s)
     * @return this builder
     */
    public Builder waitDurationInOpenState(Duration wait) {
      this.waitDurationInOpenState = Objects.requireNonNull(wait, "waitDurationInOpenState must not be null");
      return this;
    }

    /**
     * Lengthens the wait of each opening that follows another without a completed recovery in between: the
     * k-th such opening waits {@code min(wait * multiplier^(k-1), max)}. With a 60 s wait, 2.0 and 5
     * minutes: 60 s, 120 s, 240 s, 300 s, 300 s. The level goes back to the base once the breaker has
     * closed (and finished its {@link #recoveryRamp(Duration) recovery ramp}). The multiplier must be at
     * least 1 and {@code max} at least the base wait. Off by default.
     *
     * @param multiplier what each opening in a row multiplies the wait by; at least 1
     * @param max the longest wait backoff reaches; at least the base wait
     * @return this builder
     */
    public Builder openStateBackoff(double multiplier, Duration max) {
      this.openStateBackoffMultiplier = multiplier;
      this.openStateBackoffMax = Objects.requireNonNull(max, "openStateBackoff max must not be null");
      return this;
    }

    /**
     * Spreads each open-state wait at random by up to plus or minus this fraction of it, so that the
     * instances of a service do not all send their trial calls at the same moment. Must be in [0, 1);
     * default 0.
     *
     * @param fraction the most each wait is lengthened or shortened, as a fraction of it; in [0, 1)
     * @return this builder
     */
    public Builder openStateJitter(double fraction) {
      this.openStateJitter = fraction;
      return this;
    }

    /**
     * Sets how many trial calls the half-open state admits (at least 1; default 10). Once that many outcomes
     * are in, a failure or slow-call rate at or above its threshold re-opens the breaker; otherwise it
     * closes. Never more trials than this are in flight, under any race.
     *
     * @param calls how many trial calls the half-open state admits (at least 1; default 10)
     * @return this builder
     */
    public Builder permittedNumberOfCallsInHalfOpenState(int calls) {
      this.permittedNumberOfCallsInHalfOpenState = calls;
      return this;
    }

    /**
     * Sets the longest stay in the half-open state; a breaker whose trials have not all reported by then
     * re-opens on its next call. Zero (the default) means no limit.
     *
     * @param max the longest stay in the half-open state; a breaker whose trials have not all reported by
     *     then re-opens on its next call
     * @return this builder
     */
    public Builder maxWaitDurationInHalfOpenState(Duration max) {
      this.maxWaitDurationInHalfOpenState =
          Objects.requireNonNull(max, "maxWaitDurationInHalfOpenState must not be null");
      return this;
    }

    /**
     * Moves an open breaker to half-open as soon as its wait has elapsed, on the
     * {@link #scheduler(Scheduler) scheduler}'s thread, instead of on the next call. Useful when calls are
     * rare and dashboards should show the trial phase promptly; off by default, so that no thread does
     * anything for a breaker nobody calls.
     *
     * @param enabled whether the scheduler moves the breaker to half-open, rather than the next call
     * @return this builder
     */
    public Builder automaticTransitionFromOpenToHalfOpenEnabled(boolean enabled) {
      this.automaticTransitionFromOpenToHalfOpenEnabled = enabled;
      return this;
    }

    /**
     * Sets the scheduler of the {@link #automaticTransitionFromOpenToHalfOpenEnabled automatic transition};
     * by default {@link Scheduler#system()}. It should run in the time of the {@link #ticker(Ticker)
     * ticker}; tests pass one driven by the same hand-moved ticker.
     *
     * @param scheduler the scheduler of the {@link #automaticTransitionFromOpenToHalfOpenEnabled automatic
     *     transition}; by default {@link Scheduler#system()}
     * @return this builder
     */
    public Builder scheduler(Scheduler scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler must not be null");
      return this;
    }

    /**
     * After the half-open trials succeed, admits only 10%, then 25%, then 50% of the calls, each for a third
     * of {@code span}, then all of them; calls over the share are rejected as when open. The share is exact
     * over any run of calls (every 10th, 4th, 2nd call), failures during the ramp are recorded as usual and
     * can re-open the breaker. Zero (the default) switches the ramp off.
     *
     * @param span how long the ramp lasts; {@link Duration#ZERO} turns it off
     * @return this builder
     */
    public Builder recoveryRamp(Duration span) {
      this.recoveryRamp = Objects.requireNonNull(span, "recoveryRamp must not be null");
      return this;
    }

    /**
     * Sets the state a new breaker starts in (default {@code CLOSED}), as Resilience4j's
     * {@code initialState}: {@code OPEN} waits its first open-state wait from the breaker's creation (and
     * counts as the first opening in a row for the backoff), {@code HALF_OPEN} admits its trials at once, and
     * {@code FORCED_OPEN}, {@code DISABLED} and {@code METRICS_ONLY} hold until the breaker is moved by hand.
     * A registry's breakers each start so, and {@link CircuitBreaker#reset()} still returns to closed.
     *
     * @param state the state a new breaker starts in (default {@code CLOSED}), as Resilience4j's {@code
     *     initialState}: {@code OPEN} waits its first open-state wait from the breaker's creation (and counts
     *     as the first opening in a row for the backoff), {@code HALF_OPEN} admits its trials at once, and
     *     {@code FORCED_OPEN}, {@code DISABLED} and {@code METRICS_ONLY} hold until the breaker is moved by
     *     hand
     * @return this builder
     */
    public Builder initialState(CircuitBreaker.State state) {
      this.initialState = Objects.requireNonNull(state, "initialState must not be null");
      return this;
    }

    /**
     * Sets what a half-open breaker becomes when {@link #maxWaitDurationInHalfOpenState(Duration) its maximum
     * wait} runs out before its trials have decided: {@code OPEN} (the default), or {@code CLOSED}, as
     * Resilience4j's option of the same name. Closing this way is a recovery like any other: the ramp runs,
     * if configured. Other states are refused.
     *
     * @param state what a half-open breaker becomes when {@link #maxWaitDurationInHalfOpenState(Duration) its
     *     maximum wait} runs out before its trials have decided: {@code OPEN} (the default), or {@code
     *     CLOSED}, as Resilience4j's option of the same name
     * @return this builder
     */
    public Builder transitionToStateAfterWaitDuration(CircuitBreaker.State state) {
      this.transitionToStateAfterWaitDuration =
          Objects.requireNonNull(state, "transitionToStateAfterWaitDuration must not be null");
      return this;
    }

    /**
     * Computes each open-state wait from the number of openings in a row (1 for an opening after a full
     * recovery, 2 for the next one without, and so on), as Resilience4j's
     * {@code waitIntervalFunctionInOpenState} does from its attempt count: for waits no multiplier describes
     * (a fixed schedule, a Fibonacci sequence, a wait read from configuration at run time). It replaces
     * {@link #openStateBackoff} and {@link #openStateJitter}, which cannot be combined with it. The function
     * runs on the thread whose call opens the breaker, so it must be quick; should it throw, or return
     * {@code null} or a wait that is not positive, the breaker waits {@link #waitDurationInOpenState} and
     * logs a warning rather than fail that call. A wait longer than 292 years is held at 292 years.
     *
     * @param waitOfOpening maps the number of openings in a row, from 1, to the wait; must be quick
     * @return this builder
     */
    public Builder openStateWaitFunction(IntFunction<Duration> waitOfOpening) {
      this.openStateWaitFunction = Objects.requireNonNull(waitOfOpening, "openStateWaitFunction must not be null");
      return this;
    }

    /**
     * Opens the breaker at once, for exactly the returned duration, when an outcome asks for it: a 429 with a
     * {@code Retry-After}, a response that says the client is banned. The rule sees every recorded outcome
     * of a closed or half-open breaker, after it is recorded, as {@code (result, null)} for a call that
     * returned a result and {@code (null, exception)} for one that threw (a {@code CompletionException} or
     * {@code ExecutionException} unwrapped); calls without a result and ignored exceptions never reach it,
     * as with Resilience4j's {@code transitionOnResult}. An empty answer, a {@code null} or a duration that
     * is not positive leaves the breaker as it is. The opening counts as the next in a row for the backoff,
     * like {@link CircuitBreaker#transitionToOpenStateFor}, and only the state that admitted the call can be
     * opened so: a late outcome never opens a breaker that has moved on. A rule that throws changes nothing;
     * its exception reaches the caller, attached as suppressed to the call's own exception, or in place of
     * the result.
     *
     * <pre>{@code
     * .tripWhen((result, error) -> result instanceof HttpResponse<?> r && r.statusCode() == 429
     *     ? r.headers().firstValue("Retry-After").map(s -> Duration.ofSeconds(Long.parseLong(s)))
     *     : Optional.empty())
     * }</pre>
     *
     * @param rule given {@code (result, null)} or {@code (null, exception)}, how long to open for, or empty
     * @return this builder
     */
    public Builder tripWhen(BiFunction<Object, Throwable, Optional<Duration>> rule) {
      this.tripWhen = Objects.requireNonNull(rule, "tripWhen must not be null");
      return this;
    }

    /**
     * Has the breaker check its dependency by itself: while open, a successful probe moves it to half-open
     * before the wait is over; while closed, with {@link HealthProbe.Builder#failuresToOpen}, failed probes
     * in a row open it. Probes run on the {@link #scheduler} (a blocking check on the probe's executor),
     * never on a caller's thread.
     *
     * <pre>{@code
     * .healthProbe(HealthProbe.of(() -> inventory.ping()).interval(Duration.ofSeconds(5)).build())
     * }</pre>
     *
     * @param probe checks the dependency while the breaker is open
     * @return this builder
     */
    public Builder healthProbe(HealthProbe probe) {
      this.healthProbe = Objects.requireNonNull(probe, "healthProbe must not be null");
      return this;
    }

    /**
     * Records only exceptions of these types (and their subtypes) as failures; any other exception that is
     * not ignored counts as a success, as in Resilience4j. Replaces the types set before. An {@link Error}
     * is recorded only when a record rule names it; otherwise it is ignored (not recorded, its permit given
     * back, the caller gets it unchanged), since Resilience4j never records one. A
     * {@code CompletionException} or {@code ExecutionException} with a cause is classified by its cause.
     *
     * @param types the exception types recorded as failures
     * @return this builder
     */
    @SafeVarargs
    public final Builder recordExceptions(Class<? extends Throwable>... types) {
      this.recordExceptions = copyTypes("recordExceptions", types);
      return this;
    }

    /**
     * Ignores exceptions of these types (and their subtypes): they are not recorded, reach the caller
     * unchanged, and give back a half-open permit. Ignoring wins over recording. Replaces the types set
     * before.
     *
     * @param types the exception types that are neither failures nor successes
     * @return this builder
     */
    @SafeVarargs
    public final Builder ignoreExceptions(Class<? extends Throwable>... types) {
      this.ignoreExceptions = copyTypes("ignoreExceptions", types);
      return this;
    }

    /**
     * Records exceptions matching this predicate as failures, in addition to {@link #recordExceptions}; once
     * either is set, other exceptions that are not ignored count as successes.
     *
     * @param predicate true for an exception to record as a failure
     * @return this builder
     */
    public Builder recordException(Predicate<Throwable> predicate) {
      this.recordException = Objects.requireNonNull(predicate, "recordException predicate must not be null");
      return this;
    }

    /**
     * Ignores exceptions matching this predicate, in addition to {@link #ignoreExceptions}.
     *
     * @param predicate true for an exception to ignore
     * @return this builder
     */
    public Builder ignoreException(Predicate<Throwable> predicate) {
      this.ignoreException = Objects.requireNonNull(predicate, "ignoreException predicate must not be null");
      return this;
    }

    /**
     * Records results matching this predicate as failures (an HTTP 503, say). The result is still returned
     * to the caller. A call without a result (a {@code Runnable}, a {@code null}, a
     * {@code CompletionStage<Void>}) is a success and never reaches the predicate, as in Resilience4j.
     *
     * @param predicate true for a result to record as a failure
     * @return this builder
     */
    public Builder recordResult(Predicate<Object> predicate) {
      this.recordResult = Objects.requireNonNull(predicate, "recordResult predicate must not be null");
      return this;
    }

    /**
     * Sets the time source for every decision: windows, waits, slow calls. Tests pass a hand-driven ticker.
     * By default {@link Ticker#coarse()}, or {@link Ticker#system()} when slow-call detection is on with a
     * threshold under 100 ms; {@link Ticker#coarse()} set explicitly with such a threshold is refused, since
     * its lag (a millisecond, at times tens) would decide which calls count as slow.
     *
     * @param ticker the time source for every decision: windows, waits, slow calls
     * @return this builder
     */
    public Builder ticker(Ticker ticker) {
      this.ticker = Objects.requireNonNull(ticker, "ticker must not be null");
      return this;
    }

    /**
     * Validates every option and builds the configuration.
     *
     * @return the configuration
     * @throws IllegalArgumentException naming every option whose value is out of range
     */
    public CircuitBreakerConfig build() {
      Validation v = new Validation("CircuitBreakerConfig");
      if (windowType == WindowType.COUNT_BASED) {
        v.atLeast("countBasedWindow", windowSize, 1);
        if (minimumNumberOfCalls != null && windowSize >= 1) {
          v.check(
              minimumNumberOfCalls <= windowSize,
              "minimumNumberOfCalls",
              "must be at most the count-based window size " + windowSize,
              minimumNumberOfCalls);
        }
      } else {
        v.positive("timeBasedWindow", windowSpan).fitsNanos("timeBasedWindow", windowSpan);
      }
      if (minimumNumberOfCalls != null) {
        v.atLeast("minimumNumberOfCalls", minimumNumberOfCalls, 1);
      }
      v.percent("failureRateThreshold", failureRateThreshold)
          .percent("slowCallRateThreshold", slowCallRateThreshold)
          .positive("slowCallDurationThreshold", slowCallDurationThreshold)
          .fitsNanos("slowCallDurationThreshold", slowCallDurationThreshold);
      if (ticker == Ticker.coarse() && slowCallDetection) {
        v.check(
            slowCallDurationThreshold.compareTo(PRECISE_TICKER_BELOW) >= 0,
            "slowCallDurationThreshold",
            "must be at least " + PRECISE_TICKER_BELOW.toMillis() + " ms with Ticker.coarse(), whose readings lag by"
                + " a millisecond and at times by tens (choose Ticker.system())",
            slowCallDurationThreshold);
      }
      if (consecutiveFailureThresholdSet) {
        v.atLeast("consecutiveFailureThreshold", consecutiveFailureThreshold, 1);
      }
      if (failureRateConfidenceSet) {
        v.check(
            failureRateConfidence > 0 && failureRateConfidence < 1,
            "failureRateConfidence",
            "must be in (0, 1)",
            failureRateConfidence);
        v.check(
            failureRateThreshold < 100,
            "failureRateThreshold",
            "must be under 100 with failureRateConfidence: no finite number of calls shows a rate of 100% with"
                + " confidence",
            failureRateThreshold);
      }
      if (slowCallDurationPercentileSet) {
        v.check(
            slowCallDurationPercentile > 0 && slowCallDurationPercentile < 100,
            "slowCallDurationPercentile",
            "must be in (0, 100)",
            slowCallDurationPercentile);
        v.check(
            slowCallDurationMultiplier >= 1 && Double.isFinite(slowCallDurationMultiplier),
            "slowCallDurationPercentile multiplier",
            "must be a finite number of at least 1",
            slowCallDurationMultiplier);
        v.check(
            slowCallDetection,
            "slowCallDurationPercentile",
            "needs slowCallDetection on",
            slowCallDurationPercentile);
      }
      v.positive("slowCallBaselinePeriod", slowCallBaselinePeriod)
          .fitsNanos("slowCallBaselinePeriod", slowCallBaselinePeriod);
      v.atLeast("slowCallBaselineMinimumCalls", slowCallBaselineMinimumCalls, 1);
      v.atLeast("deployModeFailureThreshold", deployModeFailureThreshold, 1);
      v.positive("waitDurationInOpenState", waitDurationInOpenState)
          .fitsNanos("waitDurationInOpenState", waitDurationInOpenState);
      if (openStateBackoffMax != null) {
        v.check(
            openStateBackoffMultiplier >= 1 && Double.isFinite(openStateBackoffMultiplier),
            "openStateBackoff multiplier",
            "must be a finite number of at least 1",
            openStateBackoffMultiplier);
        v.check(
            openStateBackoffMax.compareTo(waitDurationInOpenState) >= 0,
            "openStateBackoff max",
            "must be at least waitDurationInOpenState " + waitDurationInOpenState,
            openStateBackoffMax);
        v.fitsNanos("openStateBackoff max", openStateBackoffMax);
      }
      v.check(
          openStateJitter >= 0 && openStateJitter < 1, "openStateJitter", "must be in [0, 1)", openStateJitter);
      v.atLeast("permittedNumberOfCallsInHalfOpenState", permittedNumberOfCallsInHalfOpenState, 1);
      v.notNegative("maxWaitDurationInHalfOpenState", maxWaitDurationInHalfOpenState)
          .fitsNanos("maxWaitDurationInHalfOpenState", maxWaitDurationInHalfOpenState);
      v.notNegative("recoveryRamp", recoveryRamp).fitsNanos("recoveryRamp", recoveryRamp);
      v.check(
          transitionToStateAfterWaitDuration == CircuitBreaker.State.OPEN
              || transitionToStateAfterWaitDuration == CircuitBreaker.State.CLOSED,
          "transitionToStateAfterWaitDuration",
          "must be OPEN or CLOSED",
          transitionToStateAfterWaitDuration);
      if (openStateWaitFunction != null) {
        v.check(
            openStateBackoffMax == null,
            "openStateWaitFunction",
            "cannot be combined with openStateBackoff, which it replaces",
            "set");
        v.check(
            openStateJitter == 0,
            "openStateWaitFunction",
            "cannot be combined with openStateJitter, which it replaces",
            "set");
      }
      v.throwIfInvalid();
      return new CircuitBreakerConfig(this);
    }

    private static List<Class<? extends Throwable>> copyTypes(
        String option, Class<? extends Throwable>[] types) {
      Objects.requireNonNull(types, option + " must not be null");
      for (int i = 0; i < types.length; i++) {
        if (types[i] == null) {
          throw new NullPointerException(option + " must not contain null, found one at index " + i);
        }
      }
      return List.copyOf(Arrays.asList(types));
    }
  }
}
