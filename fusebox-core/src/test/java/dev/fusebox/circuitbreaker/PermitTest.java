package dev.fusebox.circuitbreaker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusebox.circuitbreaker.CircuitBreaker.State;
import dev.fusebox.testing.ManualTicker;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The permit-carrying manual API: a permit's outcome reaches only the stay that issued it. */
class PermitTest {

  private final ManualTicker ticker = new ManualTicker();

  private CircuitBreaker breaker(int trials) {
    return CircuitBreaker.of(
        "inventory",
        CircuitBreakerConfig.builder()
            .countBasedWindow(4)
            .minimumNumberOfCalls(4)
            .permittedNumberOfCallsInHalfOpenState(trials)
            .waitDurationInOpenState(Duration.ofSeconds(60))
            .ticker(ticker)
            .build());
  }

  @Test
  void aPermitOfAClosedStayGivenBackWhileHalfOpenFreesNoTrialSlot() {
    CircuitBreaker breaker = breaker(1);
    CircuitBreaker.Permit closedPermit = breaker.tryAcquirePermit();
    breaker.transitionToHalfOpenState();
    CircuitBreaker.Permit trial = breaker.tryAcquirePermit();
    assertThat(trial).isNotNull();

    closedPermit.release();

    assertThat(breaker.tryAcquirePermit()).isNull();
    assertThat(breaker.metrics().numberOfNotPermittedCalls()).isEqualTo(1);
  }

  @Test
  void aLateFailureOfAClosedStayNeverCountsAsATrial() {
    CircuitBreaker breaker = breaker(1);
    CircuitBreaker.Permit closedPermit = breaker.tryAcquirePermit();
    breaker.transitionToHalfOpenState();
    CircuitBreaker.Permit trial = breaker.tryAcquirePermit();

    closedPermit.onError(5, new IllegalStateException("late"));
    assertThat(breaker.state()).isEqualTo(State.HALF_OPEN);
    trial.onSuccess(5);

    assertThat(breaker.state()).isEqualTo(State.CLOSED);
    assertThat(breaker.metrics().totalFailedCalls()).isEqualTo(1);
  }

  @Test
  void permitsOfTheCurrentStayRecordLikeTheExecuteForms() {
    CircuitBreaker breaker = breaker(1);
    for (int i = 0; i < 4; i++) {
      CircuitBreaker.Permit permit = breaker.tryAcquirePermit();
      permit.onError(1, new IllegalStateException("down"));
    }

    assertThat(breaker.state()).isEqualTo(State.OPEN);
    assertThat(breaker.tryAcquirePermit()).isNull();
    ticker.advance(Duration.ofSeconds(60));
    CircuitBreaker.Permit trial = breaker.tryAcquirePermit();
    assertThat(breaker.state()).isEqualTo(State.HALF_OPEN);
    trial.onResult(1, "fine");
    assertThat(breaker.state()).isEqualTo(State.CLOSED);
  }

  @Test
  void aDisabledBreakersPermitsRecordNothing() {
    CircuitBreaker breaker = breaker(1);
    breaker.transitionToDisabledState();
    CircuitBreaker.Permit permit = breaker.tryAcquirePermit();

    permit.onError(1, new IllegalStateException("down"));

    assertThat(breaker.metrics().totalFailedCalls()).isZero();
  }

  @Test
  void anAnonymousGiveBackWhileNoAnonymousTrialIsOutFreesNoTrialSlot() {
    CircuitBreaker breaker = breaker(1);
    assertThat(breaker.tryAcquirePermission()).isTrue();
    breaker.transitionToHalfOpenState();
    assertThat(breaker.tryAcquirePermit()).isNotNull();

    breaker.releasePermission();

    assertThat(breaker.tryAcquirePermit()).isNull();
  }

  @Test
  void anAnonymousLateFailureWhileNoAnonymousTrialIsOutCountsOnlyInTheTotals() {
    CircuitBreaker breaker = breaker(1);
    assertThat(breaker.tryAcquirePermission()).isTrue();
    breaker.transitionToHalfOpenState();
    CircuitBreaker.Permit trial = breaker.tryAcquirePermit();

    breaker.onError(5, new IllegalStateException("late"));

    assertThat(breaker.state()).isEqualTo(State.HALF_OPEN);
    assertThat(breaker.metrics().totalFailedCalls()).isEqualTo(1);
    assertThat(breaker.metrics().numberOfBufferedCalls()).isZero();
    trial.onSuccess(5);
    assertThat(breaker.state()).isEqualTo(State.CLOSED);
  }

  @Test
  void anAnonymousTrialStillCountsAsATrial() {
    CircuitBreaker breaker = breaker(1);
    breaker.transitionToHalfOpenState();
    assertThat(breaker.tryAcquirePermission()).isTrue();

    breaker.onError(5, new IllegalStateException("trial failed"));

    assertThat(breaker.state()).isEqualTo(State.OPEN);
  }
}
