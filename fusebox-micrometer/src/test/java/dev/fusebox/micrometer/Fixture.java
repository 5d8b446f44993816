package dev.fusebox.micrometer;

import dev.fusebox.testing.ManualTicker;
import dev.fusebox.circuitbreaker.CallNotPermittedException;
import dev.fusebox.circuitbreaker.CircuitBreaker;
import dev.fusebox.circuitbreaker.CircuitBreakerConfig;
import dev.fusebox.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;

/** Breakers on a hand-driven ticker, driven into every state, and a real Prometheus registry. */
final class Fixture {

  static final Duration WAIT = Duration.ofSeconds(60);
  static final Duration SLOW = Duration.ofSeconds(1);

  final ManualTicker ticker = new ManualTicker();
  final CircuitBreakerRegistry breakers = CircuitBreakerRegistry.of(config());
  final PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  /** Four calls in the window, opening at 50% failures, slow above 1 s, one trial, a 30 s ramp. */
  CircuitBreakerConfig config() {
    return CircuitBreakerConfig.builder()
        .countBasedWindow(4)
        .minimumNumberOfCalls(4)
        .failureRateThreshold(50)
        .slowCallDurationThreshold(SLOW)
        .waitDurationInOpenState(WAIT)
        .permittedNumberOfCallsInHalfOpenState(1)
        .recoveryRamp(Duration.ofSeconds(30))
        .ignoreExceptions(IllegalArgumentException.class)
        .ticker(ticker)
        .build();
  }

  PrometheusText scrape() {
    return PrometheusText.parse(prometheus.scrape());
  }

  void succeed(CircuitBreaker breaker) {
    breaker.executeSupplier(() -> "ok");
  }

  void succeedSlowly(CircuitBreaker breaker, Duration took) {
    breaker.executeSupplier(() -> ticker.advance(took));
  }

  void fail(CircuitBreaker breaker) {
    failTaking(breaker, Duration.ZERO);
  }

  void failTaking(CircuitBreaker breaker, Duration took) {
    try {
      breaker.executeSupplier(() -> {
        ticker.advance(took);
        throw new IllegalStateException("down");
      });
    } catch (IllegalStateException expected) {
      // the call's own failure
    }
  }

  void ignored(CircuitBreaker breaker) {
    try {
      breaker.executeSupplier(() -> {
        throw new IllegalArgumentException("not the dependency's fault");
      });
    } catch (IllegalArgumentException expected) {
      // ignored by the configuration
    }
  }

  void rejected(CircuitBreaker breaker, int times) {
    for (int i = 0; i < times; i++) {
      try {
        breaker.executeSupplier(() -> "ok");
        throw new AssertionError("the call was admitted");
      } catch (CallNotPermittedException expected) {
        // counted as not permitted
      }
    }
  }

  /** Four failures: 100% of a full window. */
  void trip(CircuitBreaker breaker) {
    for (int i = 0; i < 4; i++) {
      fail(breaker);
    }
  }
}
