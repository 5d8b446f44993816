package dev.fusebox.circuitbreaker;

import dev.fusebox.Ticker;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.IntFunction;
import java.util.function.Predicate;

/**
 * What a configuration means to the call path, worked out once per {@link CircuitBreakerConfig} and shared
 * by every breaker built from it: a registry of a million breakers keeps one copy, not a million.
 */
final class CompiledConfig {

  /** The configuration this was compiled from: what {@link CircuitBreaker#config()} returns. */
  final CircuitBreakerConfig config;
  final Ticker ticker;
  final Classifier classifier;
  final Predicate<Object> recordResult;
  final boolean slowDetection;
  final boolean timeWindow;
  final long slowNanos;
  final int consecutiveFailures;
  /** The quantile of {@code failureRateConfidence}, or 0 when the plain rate decides. */
  final double failureZ;
  /** Whether slow calls are judged by the breaker's own latency ({@link LatencyBaseline}). */
  final boolean baseline;
  final double baselinePercentile;
  final double baselineMultiplier;
  final long baselinePeriodNanos;
  final int baselineMinimumCalls;
  final int deployFailures;
  final float failureThreshold;
  final float slowThreshold;
  /** The slow-call threshold for {@link Window#reached}: infinity, which never reaches, with detection off. */
  final float slowVerdictThreshold;
  final long waitNanos;
  final long maxWaitNanos;
  final long rampNanos;
  final long maxHalfOpenNanos;
  /** Whether a half-open stay that waited too long closes instead of re-opening. */
  final boolean closeAfterMaxWait;
  final IntFunction<Duration> waitFunction;
  final BiFunction<Object, Throwable, Optional<Duration>> tripWhen;

  CompiledConfig(CircuitBreakerConfig config) {
    this.config = config;
    this.ticker = config.ticker();
    this.classifier = new Classifier(config);
    this.recordResult = config.recordResultOrNull();
    this.slowDetection = config.slowCallDetection();
    this.timeWindow = config.windowType() == CircuitBreakerConfig.WindowType.TIME_BASED;
    this.slowNanos = config.slowCallDurationThreshold().toNanos();
    this.consecutiveFailures = config.consecutiveFailureThreshold();
    this.failureZ = config.failureRateConfidence() > 0 ? Significance.z(config.failureRateConfidence()) : 0;
    this.baseline = config.slowCallDetection() && config.slowCallDurationPercentile() > 0;
    this.baselinePercentile = config.slowCallDurationPercentile();
    this.baselineMultiplier = config.slowCallDurationMultiplier();
    this.baselinePeriodNanos = config.slowCallBaselinePeriod().toNanos();
    this.baselineMinimumCalls = config.slowCallBaselineMinimumCalls();
    this.deployFailures = config.deployModeFailureThreshold();
    this.failureThreshold = (float) config.failureRateThreshold();
    this.slowThreshold = (float) config.slowCallRateThreshold();
    this.slowVerdictThreshold = slowDetection ? slowThreshold : Float.POSITIVE_INFINITY;
    this.waitNanos = config.waitDurationInOpenState().toNanos();
    this.maxWaitNanos = config.openStateBackoffMax().toNanos();
    this.rampNanos = config.recoveryRamp().toNanos();
    this.maxHalfOpenNanos = config.maxWaitDurationInHalfOpenState().toNanos();
    this.closeAfterMaxWait = config.transitionToStateAfterWaitDuration() == CircuitBreaker.State.CLOSED;
    this.waitFunction = config.openStateWaitFunctionOrNull();
    this.tripWhen = config.tripWhenOrNull();
  }
}
