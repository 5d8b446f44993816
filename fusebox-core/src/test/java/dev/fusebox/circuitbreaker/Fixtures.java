package dev.fusebox.circuitbreaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fusebox.testing.ManualTicker;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/** Drives breakers through calls with known outcomes and durations, on a hand-moved ticker. */
final class Fixtures {

  /** The exception the tests' failing calls throw. */
  static final class Boom extends RuntimeException {
    Boom() {
      super("boom");
    }
  }

  /** An exception the tests configure as ignored. */
  static final class Ignorable extends RuntimeException {
    Ignorable() {
      super("ignore me");
    }
  }

  private Fixtures() {}

  static CircuitBreakerConfig.Builder config(ManualTicker ticker) {
    return CircuitBreakerConfig.builder().ticker(ticker);
  }

  static void succeed(CircuitBreaker breaker) {
    assertThat(breaker.executeSupplier(() -> "ok")).isEqualTo("ok");
  }

  static void succeed(CircuitBreaker breaker, int times) {
    for (int i = 0; i < times; i++) {
      succeed(breaker);
    }
  }

  static void succeedTaking(CircuitBreaker breaker, ManualTicker ticker, Duration duration) {
    breaker.executeSupplier(
        () -> {
          ticker.advance(duration);
          return "ok";
        });
  }

  static void fail(CircuitBreaker breaker) {
    Boom boom = new Boom();
    assertThatThrownBy(() -> breaker.executeSupplier(() -> { throw boom; })).isSameAs(boom);
  }

  static void fail(CircuitBreaker breaker, int times) {
    for (int i = 0; i < times; i++) {
      fail(breaker);
    }
  }

  static void failTaking(CircuitBreaker breaker, ManualTicker ticker, Duration duration) {
    Boom boom = new Boom();
    assertThatThrownBy(
            () ->
                breaker.executeSupplier(
                    () -> {
                      ticker.advance(duration);
                      throw boom;
                    }))
        .isSameAs(boom);
  }

  static void throwIgnored(CircuitBreaker breaker) {
    Ignorable ignorable = new Ignorable();
    assertThatThrownBy(() -> breaker.executeSupplier(() -> { throw ignorable; })).isSameAs(ignorable);
  }

  /** Attempts a call; returns whether the breaker let it run. */
  static boolean attempt(CircuitBreaker breaker) {
    AtomicInteger ran = new AtomicInteger();
    try {
      breaker.executeRunnable(ran::incrementAndGet);
    } catch (CallNotPermittedException e) {
      assertThat(ran).hasValue(0);
      return false;
    }
    assertThat(ran).hasValue(1);
    return true;
  }

  static CallNotPermittedException rejection(CircuitBreaker breaker) {
    try {
      breaker.executeRunnable(() -> org.assertj.core.api.Assertions.fail("a rejected call must not run"));
    } catch (CallNotPermittedException e) {
      return e;
    }
    throw new AssertionError("expected the call to be rejected in state " + breaker.state());
  }

  /** Opens a breaker with a 1-call window by failing once. */
  static CircuitBreaker tripped(CircuitBreakerConfig.Builder builder) {
    CircuitBreaker breaker =
        CircuitBreaker.of("test", builder.countBasedWindow(1).minimumNumberOfCalls(1).build());
    fail(breaker);
    assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
    return breaker;
  }
}
