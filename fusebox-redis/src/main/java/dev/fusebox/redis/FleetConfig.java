package dev.fusebox.redis;

import dev.fusebox.circuitbreaker.CircuitBreakerConfig;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;

/**
 * The part of a breaker's configuration that the flush script evaluates the fleet with, in the order of
 * its arguments, and a fingerprint of it so that instances can tell when they disagree.
 *
 * <p>The fleet window is time-based in Redis: a time-based breaker keeps its own span (at least two sync
 * periods, since counts arrive once per period); a count-based breaker looks at its last
 * {@code windowSize} calls across the fleet within {@code fleetWindow}. Rules that only make sense per
 * process, such as {@code consecutiveFailureThreshold}, stay local.
 */
final class FleetConfig {

  /** Buckets per window span: the window slides in steps of a tenth of its span. */
  static final int BUCKETS = 10;

  final long spanMs;
  final long bucketMs;
  final int windowSize;
  final int minimumCalls;
  final double failureRateThreshold;
  final double slowCallRateThreshold;
  final long waitMs;
  final double backoffMultiplier;
  final long backoffMaxMs;
  final double jitter;
  final int permittedTrials;
  final long halfOpenMaxMs;
  final long rampMs;
  final String fingerprint;

  FleetConfig(CircuitBreakerConfig config, Duration fleetWindow, Duration syncInterval) {
    boolean countBased = config.windowType() == CircuitBreakerConfig.WindowType.COUNT_BASED;
    Duration span = countBased ? fleetWindow : max(config.windowSpan(), syncInterval.multipliedBy(2));
    this.spanMs = ceilMillis(span);
    this.bucketMs = Math.max(1, spanMs / BUCKETS);
    this.windowSize = countBased ? config.windowSize() : 0;
    this.minimumCalls = config.minimumNumberOfCalls();
    this.failureRateThreshold = config.failureRateThreshold();
    this.slowCallRateThreshold = config.slowCallDetection() ? config.slowCallRateThreshold() : 0;
    this.waitMs = ceilMillis(config.waitDurationInOpenState());
    this.backoffMultiplier = config.openStateBackoffMultiplier();
    this.backoffMaxMs = ceilMillis(config.openStateBackoffMax());
    this.jitter = config.openStateJitter();
    this.permittedTrials = config.permittedNumberOfCallsInHalfOpenState();
    this.halfOpenMaxMs = ceilMillis(config.maxWaitDurationInHalfOpenState());
    this.rampMs = ceilMillis(config.recoveryRamp());
    this.fingerprint =
        fingerprint(
            List.of(
                config.windowType(),
                config.windowSize(),
                config.windowSpan(),
                countBased ? fleetWindow : Duration.ZERO,
                minimumCalls,
                failureRateThreshold,
                slowCallRateThreshold,
                config.slowCallDurationThreshold(),
                config.waitDurationInOpenState(),
                backoffMultiplier,
                config.openStateBackoffMax(),
                jitter,
                permittedTrials,
                config.maxWaitDurationInHalfOpenState(),
                config.recoveryRamp()));
  }

  /**
   * The longest open wait this configuration can give (the backoff's maximum, with jitter): no fleet
   * opening of this breaker lasts longer, so no message or view may claim it does.
   */
  long longestWaitMs() {
    long longest = backoffMultiplier > 1 ? Math.max(waitMs, backoffMaxMs) : waitMs;
    return (long) Math.ceil(longest * (1 + jitter));
  }

  /** The fingerprint: the first 8 bytes of a SHA-256 of the values, in hex. */
  private static String fingerprint(List<Object> values) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(values.toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  static long ceilMillis(Duration d) {
    long ms = d.toMillis();
    return d.minusMillis(ms).isZero() ? ms : ms + 1;
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }
}
