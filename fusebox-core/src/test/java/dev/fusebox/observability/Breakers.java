package dev.fusebox.observability;

import dev.fusebox.testing.ManualTicker;
import dev.fusebox.circuitbreaker.CircuitBreaker;
import dev.fusebox.circuitbreaker.CircuitBreakerConfig;
import dev.fusebox.circuitbreaker.CallNotPermittedException;
import java.time.Duration;

/** Breakers on a hand-driven ticker, and ways to move them into every state. */
final class Breakers {

  static final Duration WAIT = Duration.ofSeconds(60);
  static final Duration RAMP = Duration.ofSeconds(30);

  private Breakers() {}

  /** Four calls in the window, opening at 50% failures, one trial call, a 30 s ramp after recovery. */
  static CircuitBreakerConfig config(ManualTicker ticker) {
    return CircuitBreakerConfig.builder()
        .countBasedWindow(4)
        .minimumNumberOfCalls(4)
        .failureRateThreshold(50)
        .waitDurationInOpenState(WAIT)
        .permittedNumberOfCallsInHalfOpenState(1)
        .recoveryRamp(RAMP)
        .ticker(ticker)
        .build();
  }

  static void fail(CircuitBreaker breaker, int times) {
    for (int i = 0; i < times; i++) {
      try {
        breaker.executeSupplier(() -> {
          throw new IllegalStateException("down");
        });
      } catch (IllegalStateException expected) {
        // the call's own failure
      }
    }
  }

  static void succeed(CircuitBreaker breaker, int times) {
    for (int i = 0; i < times; i++) {
      breaker.executeSupplier(() -> "ok");
    }
  }

  /** Returns how many of {@code times} calls were rejected. */
  static int attempt(CircuitBreaker breaker, int times) {
    int rejected = 0;
    for (int i = 0; i < times; i++) {
      try {
        breaker.executeSupplier(() -> "ok");
      } catch (CallNotPermittedException e) {
        rejected++;
      }
    }
    return rejected;
  }

  /** Trips a breaker built with {@link #config}: four failures open it. */
  static void trip(CircuitBreaker breaker) {
    fail(breaker, 4);
  }

  /** Moves a breaker built with {@link #config} through a trial into the closed state, ramping up. */
  static void recoverIntoRamp(CircuitBreaker breaker) {
    breaker.transitionToHalfOpenState();
    succeed(breaker, 1);
  }

  /** Moves the breaker into the state by hand; CLOSED is a fresh closed state without ramp. */
  static void moveTo(CircuitBreaker breaker, CircuitBreaker.State state) {
    switch (state) {
      case CLOSED -> breaker.transitionToClosedState();
      case OPEN -> breaker.transitionToOpenState();
      case HALF_OPEN -> breaker.transitionToHalfOpenState();
      case FORCED_OPEN -> breaker.transitionToForcedOpenState();
      case DISABLED -> breaker.transitionToDisabledState();
      case METRICS_ONLY -> breaker.transitionToMetricsOnlyState();
    }
  }
}
