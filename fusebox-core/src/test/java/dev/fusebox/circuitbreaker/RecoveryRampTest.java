package dev.fusebox.circuitbreaker;

import static dev.fusebox.circuitbreaker.Fixtures.attempt;
import static dev.fusebox.circuitbreaker.Fixtures.config;
import static dev.fusebox.circuitbreaker.Fixtures.fail;
import static dev.fusebox.circuitbreaker.Fixtures.rejection;
import static dev.fusebox.circuitbreaker.Fixtures.succeed;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fusebox.testing.ManualTicker;
import dev.fusebox.circuitbreaker.CircuitBreaker.State;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Rule 7: after recovering, the breaker admits 10%, 25%, 50%, then all calls. */
class RecoveryRampTest {

  private final ManualTicker ticker = new ManualTicker();

  private CircuitBreaker recovered(CircuitBreakerConfig.Builder builder) {
    CircuitBreaker breaker =
        CircuitBreaker.of(
            "ramp",
            builder
                .permittedNumberOfCallsInHalfOpenState(1)
                .recoveryRamp(Duration.ofSeconds(30))
                .build());
    breaker.transitionToOpenState();
    ticker.advance(Duration.ofSeconds(60));
    succeed(breaker);
    assertThat(breaker.state()).isEqualTo(State.CLOSED);
    return breaker;
  }

  private int admittedOf(CircuitBreaker breaker, int attempts) {
    int admitted = 0;
    for (int i = 0; i < attempts; i++) {
      if (attempt(breaker)) {
        admitted++;
      }
    }
    return admitted;
  }

  @Test
  void admitsTenThenTwentyFiveThenFiftyPercentForAThirdOfTheSpanEachThenEverything() {
    CircuitBreaker breaker = recovered(config(ticker));
    assertThat(admittedOf(breaker, 100)).isEqualTo(10);
    ticker.advance(Duration.ofSeconds(10));
    assertThat(admittedOf(breaker, 100)).isEqualTo(25);
    ticker.advance(Duration.ofSeconds(10));
    assertThat(admittedOf(breaker, 100)).isEqualTo(50);
    ticker.advance(Duration.ofSeconds(10));
    assertThat(admittedOf(breaker, 100)).isEqualTo(100);
    assertThat(breaker.state()).isEqualTo(State.CLOSED);
  }

  @Test
  void theShareIsExactOverAnyRunOfCalls() {
    CircuitBreaker breaker = recovered(config(ticker));
    // Every run of 10 consecutive attempts in the first stage admits exactly one.
    for (int run = 0; run < 20; run++) {
      assertThat(admittedOf(breaker, 10)).isEqualTo(1);
    }
    ticker.advance(Duration.ofSeconds(10));
    for (int run = 0; run < 20; run++) {
      assertThat(admittedOf(breaker, 4)).isEqualTo(1);
    }
    ticker.advance(Duration.ofSeconds(10));
    for (int run = 0; run < 20; run++) {
      assertThat(admittedOf(breaker, 2)).isEqualTo(1);
    }
  }

  @Test
  void callsOverTheShareAreRejectedAsWhenOpenAndCounted() {
    CircuitBreaker breaker = recovered(config(ticker));
    assertThat(attempt(breaker)).isTrue();
    CallNotPermittedException e = rejection(breaker);
    assertThat(e.state()).isEqualTo(State.CLOSED);
    assertThat(e.retryAfter()).isEmpty();
    assertThat(e.getMessage()).contains("recovering");
    assertThat(breaker.metrics().numberOfNotPermittedCalls()).isEqualTo(1);
  }

  @Test
  void theMetricsShowTheRamp() {
    CircuitBreaker breaker = recovered(config(ticker));
    assertThat(breaker.metrics().rampPercentage()).isEqualTo(10.0);
    ticker.advance(Duration.ofSeconds(10));
    assertThat(breaker.metrics().rampPercentage()).isEqualTo(25.0);
    ticker.advance(Duration.ofSeconds(10));
    assertThat(breaker.metrics().rampPercentage()).isEqualTo(50.0);
    ticker.advance(Duration.ofSeconds(10));
    assertThat(breaker.metrics().rampPercentage()).isEqualTo(100.0);
  }

  @Test
  void failuresDuringTheRampAreRecordedAndCanReopenTheBreaker() {
    CircuitBreaker breaker = recovered(config(ticker).countBasedWindow(2));
    ticker.advance(Duration.ofSeconds(20));
    // 50% stage: attempts alternate admitted, rejected.
    fail(breaker);
    assertThat(attempt(breaker)).isFalse();
    fail(breaker);
    assertThat(breaker.state()).isEqualTo(State.OPEN);
  }

  @Test
  void aManualCloseDoesNotRamp() {
    CircuitBreaker breaker =
        CircuitBreaker.of("manual", config(ticker).recoveryRamp(Duration.ofSeconds(30)).build());
    breaker.transitionToOpenState();
    breaker.transitionToClosedState();
    assertThat(admittedOf(breaker, 10)).isEqualTo(10);
    assertThat(breaker.metrics().rampPercentage()).isEqualTo(100.0);
  }

  /** Takes a permit while ramping, trying as many calls as the ramp's share makes it take. */
  private static CircuitBreaker.Permit rampPermit(CircuitBreaker breaker) {
    for (int i = 0; i < 10; i++) {
      CircuitBreaker.Permit permit = breaker.tryAcquirePermit();
      if (permit != null) {
        return permit;
      }
    }
    throw new AssertionError("the ramp admitted none of 10 calls");
  }

  private CircuitBreaker streakBreaker() {
    return recovered(config(ticker).countBasedWindow(100).minimumNumberOfCalls(100).consecutiveFailureThreshold(3));
  }

  @Test
  void threeFailuresInARowOpenTheBreakerEvenWhenTheRampEndsBetweenThem() {
    CircuitBreaker breaker = streakBreaker();
    CircuitBreaker.Permit admittedWhileRamping = rampPermit(breaker);
    ticker.advance(Duration.ofSeconds(30));
    CircuitBreaker.Permit admittedAfterTheRamp = breaker.tryAcquirePermit();

    admittedWhileRamping.onError(1, new IllegalStateException("one"));
    admittedAfterTheRamp.onError(1, new IllegalStateException("two"));
    assertThat(breaker.state()).isEqualTo(State.CLOSED);
    fail(breaker);

    assertThat(breaker.state()).isEqualTo(State.OPEN);
  }

  @Test
  void aSuccessBetweenFailuresEndsTheStreakEvenWhenTheRampEndsBetweenThem() {
    CircuitBreaker breaker = streakBreaker();
    CircuitBreaker.Permit first = rampPermit(breaker);
    CircuitBreaker.Permit second = rampPermit(breaker);
    CircuitBreaker.Permit third = rampPermit(breaker);
    first.onError(1, new IllegalStateException("F"));
    second.onError(1, new IllegalStateException("F"));
    ticker.advance(Duration.ofSeconds(30));
    CircuitBreaker.Permit afterTheRamp = breaker.tryAcquirePermit();

    third.onSuccess(1);
    afterTheRamp.onError(1, new IllegalStateException("F"));

    assertThat(breaker.state()).as("F F S F with a threshold of 3").isEqualTo(State.CLOSED);
  }
}
