package dev.fusebox.dashboard;

import dev.fusebox.circuitbreaker.CallNotPermittedException;
import dev.fusebox.circuitbreaker.CircuitBreaker;
import dev.fusebox.circuitbreaker.CircuitBreakerConfig;
import dev.fusebox.circuitbreaker.CircuitBreakerRegistry;
import dev.fusebox.testing.ManualTicker;
import java.time.Duration;

/** Breakers on a hand-moved clock, and calls that succeed, fail or are rejected on demand. */
final class Breakers {

  final ManualTicker ticker = new ManualTicker();
  final CircuitBreakerRegistry registry =
      CircuitBreakerRegistry.of(
          CircuitBreakerConfig.builder()
              .ticker(ticker)
              .countBasedWindow(10)
              .minimumNumberOfCalls(10)
              .failureRateThreshold(50)
              .waitDurationInOpenState(Duration.ofSeconds(30))
              .permittedNumberOfCallsInHalfOpenState(2)
              .build());

  static void succeed(CircuitBreaker breaker, int calls) {
    for (int i = 0; i < calls; i++) {
      breaker.executeSupplier(() -> "ok");
    }
  }

  /** Makes failing calls; once the breaker opens, the rest are rejected. */
  static void fail(CircuitBreaker breaker, int calls) {
    for (int i = 0; i < calls; i++) {
      try {
        breaker.executeRunnable(() -> {
          throw new IllegalStateException("dependency down");
        });
      } catch (IllegalStateException expected) {
        // recorded as a failure
      } catch (CallNotPermittedException expected) {
        // the breaker has opened
      }
    }
  }

  /** Attempts calls on an open breaker; each is rejected. */
  static void reject(CircuitBreaker breaker, int calls) {
    for (int i = 0; i < calls; i++) {
      try {
        breaker.executeSupplier(() -> "never");
        throw new AssertionError("the call was admitted");
      } catch (CallNotPermittedException expected) {
        // counted as not permitted
      }
    }
  }

  /** Opens the breaker through its window: 4 successes and 6 failures. */
  static void trip(CircuitBreaker breaker) {
    succeed(breaker, 4);
    fail(breaker, 6);
  }
}
