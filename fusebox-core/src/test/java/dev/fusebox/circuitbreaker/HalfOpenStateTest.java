package dev.fusebox.circuitbreaker;

import static dev.fusebox.circuitbreaker.Fixtures.attempt;
import static dev.fusebox.circuitbreaker.Fixtures.config;
import static dev.fusebox.circuitbreaker.Fixtures.fail;
import static dev.fusebox.circuitbreaker.Fixtures.failTaking;
import static dev.fusebox.circuitbreaker.Fixtures.succeed;
import static dev.fusebox.circuitbreaker.Fixtures.succeedTaking;
import static dev.fusebox.circuitbreaker.Fixtures.throwIgnored;
import static dev.fusebox.circuitbreaker.Fixtures.tripped;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fusebox.testing.ManualTicker;
import dev.fusebox.circuitbreaker.CircuitBreaker.State;
import dev.fusebox.circuitbreaker.Fixtures.Boom;
import dev.fusebox.circuitbreaker.Fixtures.Ignorable;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Rules 5 and 9: trial calls, the half-open decision, and calls admitted before a transition. */
class HalfOpenStateTest {

  private final ManualTicker ticker = new ManualTicker();

  private CircuitBreaker halfOpenReady(int permitted) {
    CircuitBreaker breaker =
        tripped(
            config(ticker)
                .permittedNumberOfCallsInHalfOpenState(permitted)
                .failureRateThreshold(50)
                .slowCallRateThreshold(50)
                .slowCallDurationThreshold(Duration.ofSeconds(1))
                .ignoreExceptions(Ignorable.class));
    ticker.advance(Duration.ofSeconds(60));
    return breaker;
  }

  @Test
  void admitsExactlyThePermittedNumberOfTrials() {
    CircuitBreaker breaker = halfOpenReady(3);
    assertThat(breaker.tryAcquirePermission()).isTrue();
    assertThat(breaker.state()).isEqualTo(State.HALF_OPEN);
    assertThat(breaker.tryAcquirePermission()).isTrue();
    assertThat(breaker.tryAcquirePermission()).isTrue();
    assertThat(breaker.tryAcquirePermission()).isFalse();
    assertThat(breaker.metrics().numberOfNotPermittedCalls()).isEqualTo(1);
    CallNotPermittedException e = Fixtures.rejection(breaker);
    assertThat(e.state()).isEqualTo(State.HALF_OPEN);
    assertThat(e.retryAfter()).isEmpty();
  }

  @Test
  void closesWithAnEmptyWindowWhenTheTrialsRateStaysBelowTheThreshold() {
    CircuitBreaker breaker = halfOpenReady(4);
    succeed(breaker, 3);
    assertThat(breaker.state()).isEqualTo(State.HALF_OPEN);
    fail(breaker);
    assertThat(breaker.state()).isEqualTo(State.CLOSED);
    assertThat(breaker.metrics().numberOfBufferedCalls()).isZero();
    assertThat(breaker.metrics().failureRate()).isEqualTo(-1.0);
  }

  @Test
  void reopensWhenTheTrialsFailureRateReachesTheThreshold() {
    CircuitBreaker breaker = halfOpenReady(4);
    succeed(breaker, 2);
    fail(breaker);
    assertThat(breaker.state()).isEqualTo(State.HALF_OPEN);
    fail(breaker);
    assertThat(breaker.state()).isEqualTo(State.OPEN);
    assertThat(breaker.metrics().failureRate()).isEqualTo(50.0);
  }

  @Test
  void reopensWhenTheTrialsSlowCallRateReachesTheThreshold() {
    CircuitBreaker breaker = halfOpenReady(2);
    succeed(breaker);
    succeedTaking(breaker, ticker, Duration.ofSeconds(2));
    assertThat(breaker.state()).isEqualTo(State.OPEN);
    assertThat(breaker.metrics().slowCallRate()).isEqualTo(50.0);
  }

  @Test
  void decidesOnlyOnceEveryTrialHasReportedEvenIfAllFailed() {
    CircuitBreaker breaker = halfOpenReady(5);
    fail(breaker, 4);
    assertThat(breaker.state()).isEqualTo(State.HALF_OPEN);
    assertThat(breaker.metrics().numberOfFailedCalls()).isEqualTo(4);
    assertThat(breaker.metrics().failureRate()).isEqualTo(-1.0);
    failTaking(breaker, ticker, Duration.ZERO);
    assertThat(breaker.state()).isEqualTo(State.OPEN);
  }

  @Test
  void anIgnoredExceptionGivesTheTrialPermitBack() {
    CircuitBreaker breaker = halfOpenReady(1);
    throwIgnored(breaker);
    assertThat(breaker.state()).isEqualTo(State.HALF_OPEN);
    assertThat(attempt(breaker)).isTrue();
    assertThat(breaker.state()).isEqualTo(State.CLOSED);
  }

  @Test
  void releasePermissionGivesAnUnusedTrialPermitBack() {
    CircuitBreaker breaker = halfOpenReady(1);
    assertThat(breaker.tryAcquirePermission()).isTrue();
    assertThat(breaker.tryAcquirePermission()).isFalse();
    breaker.releasePermission();
    assertThat(breaker.tryAcquirePermission()).isTrue();
  }

  @Test
  void maxWaitDurationInHalfOpenStateReopensABreakerStuckHalfOpen() {
    CircuitBreaker breaker =
        tripped(
            config(ticker)
                .permittedNumberOfCallsInHalfOpenState(2)
                .maxWaitDurationInHalfOpenState(Duration.ofSeconds(10)));
    ticker.advance(Duration.ofSeconds(60));
    assertThat(breaker.tryAcquirePermission()).isTrue();
    ticker.advance(Duration.ofSeconds(10).minusNanos(1));
    assertThat(breaker.tryAcquirePermission()).isTrue();
    assertThat(breaker.state()).isEqualTo(State.HALF_OPEN);
    ticker.advanceNanos(1);
    assertThat(attempt(breaker)).isFalse();
    assertThat(breaker.state()).isEqualTo(State.OPEN);
  }

  @Test
  void withoutMaxWaitAHalfOpenBreakerWaitsForItsTrialsForever() {
    CircuitBreaker breaker = halfOpenReady(1);
    assertThat(breaker.tryAcquirePermission()).isTrue();
    ticker.advance(Duration.ofDays(30));
    assertThat(breaker.tryAcquirePermission()).isFalse();
    assertThat(breaker.state()).isEqualTo(State.HALF_OPEN);
  }

  @Test
  void aCallAdmittedWhileClosedThatEndsWhileHalfOpenIsNotATrial() {
    CircuitBreaker breaker =
        CircuitBreaker.of("late", config(ticker).countBasedWindow(1).permittedNumberOfCallsInHalfOpenState(1).build());
    String result =
        breaker.executeSupplier(
            () -> {
              // While this call runs, the breaker opens, waits and admits a trial that is still running.
              breaker.transitionToOpenState();
              ticker.advance(Duration.ofSeconds(60));
              assertThat(breaker.tryAcquirePermission()).isTrue();
              assertThat(breaker.state()).isEqualTo(State.HALF_OPEN);
              return "late";
            });
    assertThat(result).isEqualTo("late");
    assertThat(breaker.state()).isEqualTo(State.HALF_OPEN);
    assertThat(breaker.metrics().numberOfBufferedCalls()).isZero();
    assertThat(breaker.metrics().totalSuccessfulCalls()).isEqualTo(1);
  }

  @Test
  void aLateFailureFromAnEarlierStateCannotReopenTheBreaker() {
    CircuitBreaker breaker =
        CircuitBreaker.of("late", config(ticker).countBasedWindow(1).permittedNumberOfCallsInHalfOpenState(1).build());
    Boom boom = new Boom();
    assertThatThrownBy(
            () ->
                breaker.executeSupplier(
                    () -> {
                      breaker.transitionToOpenState();
                      ticker.advance(Duration.ofSeconds(60));
                      assertThat(attempt(breaker)).isTrue();
                      assertThat(breaker.state()).isEqualTo(State.CLOSED);
                      throw boom;
                    }))
        .isSameAs(boom);
    assertThat(breaker.state()).isEqualTo(State.CLOSED);
    assertThat(breaker.metrics().numberOfBufferedCalls()).isZero();
    assertThat(breaker.metrics().totalFailedCalls()).isEqualTo(1);
  }

  @Test
  void aLateTrialFromAnEarlierHalfOpenStayCannotDecideTheNextOne() {
    CircuitBreaker breaker = halfOpenReady(1);
    String result =
        breaker.executeSupplier(
            () -> {
              breaker.transitionToOpenState();
              ticker.advance(Duration.ofMinutes(5));
              assertThat(breaker.tryAcquirePermission()).isTrue();
              return "first trial, reported late";
            });
    assertThat(result).startsWith("first trial");
    assertThat(breaker.state()).isEqualTo(State.HALF_OPEN);
    assertThat(breaker.metrics().numberOfBufferedCalls()).isZero();
    breaker.onSuccess(0);
    assertThat(breaker.state()).isEqualTo(State.CLOSED);
  }


  /** Makes every per-call event of the breaker blow the listener's stack, as a recursive listener bug would. */
  private static void overflowOnOutcomes(CircuitBreaker breaker) {
    breaker.onEvent(
        java.util.EnumSet.of(CircuitBreakerEvent.Type.SUCCESS, CircuitBreakerEvent.Type.ERROR),
        event -> {
          throw new StackOverflowError("listener recursed");
        });
  }

  @Test
  void aTrialWhoseListenerOverflowsItsStackIsStillRecordedAndDecided() {
    CircuitBreaker breaker = halfOpenReady(1);
    overflowOnOutcomes(breaker);

    assertThatThrownBy(() -> succeed(breaker)).isInstanceOf(StackOverflowError.class);

    assertThat(breaker.state()).isEqualTo(State.CLOSED);
    ticker.advance(Duration.ofDays(365));
    assertThat(breaker.tryAcquirePermit()).as("a year later").isNotNull();
  }

  @Test
  void aFailedTrialWhoseListenerOverflowsItsStackStillReopensTheBreaker() {
    CircuitBreaker breaker = halfOpenReady(1);
    overflowOnOutcomes(breaker);

    assertThatThrownBy(() -> breaker.executeSupplier(() -> { throw new Boom(); }))
        .isInstanceOf(StackOverflowError.class);

    assertThat(breaker.state()).isEqualTo(State.OPEN);
    assertThat(breaker.metrics().totalFailedCalls()).isEqualTo(2);
  }
}
