package dev.fusebox.dashboard;

import dev.fusebox.circuitbreaker.CallNotPermittedException;
import dev.fusebox.circuitbreaker.CircuitBreaker;
import java.time.Duration;

/**
 * Plays two minutes of traffic on a hand-moved clock, one sample a second, so that the page opens on
 * charts with a story: a steady catalog, an inventory with a few failures, payments that failed, were
 * rejected and are recovering, and a search service forced open by hand.
 */
final class History {

  private History() {}

  static void play(Breakers breakers, DashboardHandler handler) {
    CircuitBreaker catalog = breakers.registry.circuitBreaker("catalog");
    CircuitBreaker inventory = breakers.registry.circuitBreaker("inventory");
    CircuitBreaker payments =
        breakers.registry.circuitBreaker(
            "payments", breakers.registry.defaultConfig().toBuilder().recoveryRamp(Duration.ofMinutes(5)).build());
    CircuitBreaker search = breakers.registry.circuitBreaker("search");
    handler.sampleNow();
    for (int second = 1; second <= 120; second++) {
      Breakers.succeed(catalog, 30 + (int) (8 * Math.sin(second / 9.0)) + second % 3);
      Breakers.succeed(inventory, 12 + second % 5);
      if (second % 17 == 0) {
        Breakers.fail(inventory, 1);
      }
      if (second < 50) {
        Breakers.succeed(payments, 18 + second % 4);
      } else if (second == 50) {
        Breakers.fail(payments, 10);
      } else {
        attempt(payments, 20 + second % 4);
      }
      if (second < 100) {
        Breakers.succeed(search, 8 + second % 3);
      } else if (second == 100) {
        search.transitionToForcedOpenState();
      } else {
        attempt(search, 9);
      }
      breakers.ticker.advance(Duration.ofSeconds(1));
      handler.sampleNow();
    }
  }

  /** Plays one more second of the steady traffic, leaving inventory to the test. */
  static void steady(Breakers breakers, int second) {
    Breakers.succeed(breakers.registry.circuitBreaker("catalog"), 30 + (int) (8 * Math.sin(second / 9.0)) + second % 3);
    attempt(breakers.registry.circuitBreaker("payments"), 20 + second % 4);
    attempt(breakers.registry.circuitBreaker("search"), 9);
  }

  /** Calls through the breaker, which may admit or reject each. */
  private static void attempt(CircuitBreaker breaker, int calls) {
    for (int i = 0; i < calls; i++) {
      try {
        breaker.executeSupplier(() -> "ok");
      } catch (CallNotPermittedException rejected) {
        // shown as a rejection
      }
    }
  }
}
