package dev.fusebox.circuitbreaker;

import static dev.fusebox.circuitbreaker.Fixtures.attempt;
import static dev.fusebox.circuitbreaker.Fixtures.config;
import static dev.fusebox.circuitbreaker.Fixtures.fail;
import static dev.fusebox.circuitbreaker.Fixtures.rejection;
import static dev.fusebox.circuitbreaker.Fixtures.succeed;
import static dev.fusebox.circuitbreaker.Fixtures.tripped;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fusebox.testing.ManualTicker;
import dev.fusebox.circuitbreaker.CircuitBreaker.State;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Rule 8: the states only an operator sets, and reset. */
class ManualStatesTest {

  private final ManualTicker ticker = new ManualTicker();

  private CircuitBreaker breaker() {
    return CircuitBreaker.of("ops", config(ticker).countBasedWindow(4).build());
  }

  @Test
  void forcedOpenRejectsEverythingUntilMovedByHand() {
    CircuitBreaker breaker = breaker();
    succeed(breaker, 2);
    breaker.transitionToForcedOpenState();
    ticker.advance(Duration.ofDays(3));
    assertThat(attempt(breaker)).isFalse();
    CallNotPermittedException e = rejection(breaker);
    assertThat(e.state()).isEqualTo(State.FORCED_OPEN);
    assertThat(e.retryAfter()).isEmpty();
    assertThat(breaker.state()).isEqualTo(State.FORCED_OPEN);
    assertThat(breaker.metrics().numberOfBufferedCalls()).isEqualTo(2);
    assertThat(breaker.metrics().nextTrialIn()).isEmpty();
    breaker.transitionToClosedState();
    assertThat(attempt(breaker)).isTrue();
  }

  @Test
  void disabledAdmitsEverythingAndRecordsNothing() {
    CircuitBreaker breaker = breaker();
    breaker.transitionToDisabledState();
    fail(breaker, 10);
    succeed(breaker, 3);
    breaker.onError(5, new RuntimeException());
    assertThat(breaker.state()).isEqualTo(State.DISABLED);
    CircuitBreaker.Metrics m = breaker.metrics();
    assertThat(m.numberOfBufferedCalls()).isZero();
    assertThat(m.totalFailedCalls()).isZero();
    assertThat(m.totalSuccessfulCalls()).isZero();
    assertThat(m.failureRate()).isEqualTo(-1.0);
  }

  @Test
  void metricsOnlyAdmitsAndRecordsButNeverOpens() {
    CircuitBreaker breaker = breaker();
    breaker.transitionToMetricsOnlyState();
    fail(breaker, 10);
    assertThat(breaker.state()).isEqualTo(State.METRICS_ONLY);
    assertThat(breaker.metrics().numberOfBufferedCalls()).isEqualTo(4);
    assertThat(breaker.metrics().failureRate()).isEqualTo(100.0);
    assertThat(breaker.metrics().totalFailedCalls()).isEqualTo(10);
  }

  @Test
  void metricsOnlyAnnouncesThatARateExceededItsThresholdOncePerStayAsResilience4jDoes() {
    CircuitBreaker breaker = breaker();
    breaker.transitionToMetricsOnlyState();
    List<CircuitBreakerEvent> events = new CopyOnWriteArrayList<>();
    breaker.onEvent(e -> {
      if (e.type() == CircuitBreakerEvent.Type.FAILURE_RATE_EXCEEDED) {
        events.add(e);
      }
    });
    fail(breaker, 6);
    assertThat(events).hasSize(1);
    assertThat(((CircuitBreakerEvent.FailureRateExceeded) events.get(0)).failureRate()).isEqualTo(100.0);
    succeed(breaker, 4);
    fail(breaker, 2);
    assertThat(events).as("the same stay, above its threshold again").hasSize(1);

    breaker.transitionToMetricsOnlyState();
    fail(breaker, 4);
    assertThat(events).as("a new stay announces again").hasSize(2);
  }

  @Test
  void aForcedOpenBreakerCountsItsRejectionsButPublishesNoEventForEach() {
    CircuitBreaker breaker = breaker();
    List<CircuitBreakerEvent> events = new CopyOnWriteArrayList<>();
    breaker.onEvent(events::add);
    breaker.transitionToForcedOpenState();

    assertThat(attempt(breaker)).isFalse();
    assertThat(breaker.tryAcquirePermission()).isFalse();

    assertThat(events).extracting(CircuitBreakerEvent::type).containsExactly(CircuitBreakerEvent.Type.STATE_TRANSITION);
    assertThat(breaker.metrics().numberOfNotPermittedCalls()).isEqualTo(2);
  }

  @Test
  void resetReturnsToClosedWithEmptyMetricsAndTheBackoffAtItsBase() {
    CircuitBreaker breaker =
        tripped(config(ticker).openStateBackoff(2, Duration.ofMinutes(10)));
    breaker.transitionToOpenState();
    assertThat(breaker.metrics().nextTrialIn()).contains(Duration.ofSeconds(120));
    assertThat(attempt(breaker)).isFalse();
    breaker.reset();
    assertThat(breaker.state()).isEqualTo(State.CLOSED);
    CircuitBreaker.Metrics m = breaker.metrics();
    assertThat(m.numberOfBufferedCalls()).isZero();
    assertThat(m.numberOfNotPermittedCalls()).isZero();
    assertThat(m.totalNotPermittedCalls()).isEqualTo(1);
    assertThat(m.totalFailedCalls()).isEqualTo(1);
    fail(breaker);
    assertThat(breaker.metrics().nextTrialIn()).contains(Duration.ofSeconds(60));
  }

  @Test
  void everyManualTransitionIsPublishedWithItsEnds() {
    CircuitBreaker breaker = breaker();
    List<String> seen = new CopyOnWriteArrayList<>();
    breaker.onStateTransition(t -> seen.add(t.from() + ">" + t.to()));
    breaker.transitionToOpenState();
    breaker.transitionToHalfOpenState();
    breaker.transitionToForcedOpenState();
    breaker.transitionToDisabledState();
    breaker.transitionToMetricsOnlyState();
    breaker.transitionToClosedState();
    breaker.transitionToClosedState();
    assertThat(seen)
        .containsExactly(
            "CLOSED>OPEN",
            "OPEN>HALF_OPEN",
            "HALF_OPEN>FORCED_OPEN",
            "FORCED_OPEN>DISABLED",
            "DISABLED>METRICS_ONLY",
            "METRICS_ONLY>CLOSED",
            "CLOSED>CLOSED");
  }

  @Test
  void resetPublishesATransitionOnlyWhenTheStateChanges() {
    CircuitBreaker breaker = breaker();
    List<CircuitBreakerEvent.Type> seen = new CopyOnWriteArrayList<>();
    breaker.onEvent(e -> seen.add(e.type()));
    breaker.reset();
    assertThat(seen).containsExactly(CircuitBreakerEvent.Type.RESET);
    breaker.transitionToForcedOpenState();
    seen.clear();
    breaker.reset();
    assertThat(seen).containsExactly(CircuitBreakerEvent.Type.STATE_TRANSITION, CircuitBreakerEvent.Type.RESET);
  }

  @Test
  void transitionToClosedStateEmptiesTheWindow() {
    CircuitBreaker breaker = breaker();
    fail(breaker, 3);
    breaker.transitionToClosedState();
    assertThat(breaker.metrics().numberOfBufferedCalls()).isZero();
    assertThat(breaker.metrics().totalFailedCalls()).isEqualTo(3);
  }

  @Test
  void manualHalfOpenStartsWithAllItsPermits() {
    CircuitBreaker breaker =
        CircuitBreaker.of("h", config(ticker).permittedNumberOfCallsInHalfOpenState(2).build());
    breaker.transitionToHalfOpenState();
    assertThat(breaker.tryAcquirePermission()).isTrue();
    assertThat(breaker.tryAcquirePermission()).isTrue();
    assertThat(breaker.tryAcquirePermission()).isFalse();
  }
}
