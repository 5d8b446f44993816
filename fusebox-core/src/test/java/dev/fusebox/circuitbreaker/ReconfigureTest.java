package dev.fusebox.circuitbreaker;

import static dev.fusebox.circuitbreaker.Fixtures.attempt;
import static dev.fusebox.circuitbreaker.Fixtures.config;
import static dev.fusebox.circuitbreaker.Fixtures.fail;
import static dev.fusebox.circuitbreaker.Fixtures.succeed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fusebox.circuitbreaker.CircuitBreaker.State;
import dev.fusebox.observability.EventHistory;
import dev.fusebox.testing.ManualScheduler;
import dev.fusebox.testing.ManualTicker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Issue 18, part 1: a breaker reconfigured live keeps its state, state by state. */
class ReconfigureTest {

  private final ManualTicker ticker = new ManualTicker(1_000_000_000_000L);

  private CircuitBreaker breaker(CircuitBreakerConfig.Builder builder) {
    return CircuitBreaker.of("test", builder.build());
  }

  @Test
  void aNullConfigurationIsRefusedByName() {
    CircuitBreaker breaker = breaker(config(ticker));
    assertThatThrownBy(() -> breaker.reconfigure(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("config");
  }

  @Test
  void configReturnsTheNewConfigurationAfterwards() {
    CircuitBreaker breaker = breaker(config(ticker));
    CircuitBreakerConfig next = breaker.config().toBuilder().failureRateThreshold(25).build();
    breaker.reconfigure(next);
    assertThat(breaker.config()).isSameAs(next);
    assertThat(breaker.state()).isEqualTo(State.CLOSED);
  }

  // ---------------------------------------------------------------------------------------------------
  // CLOSED

  @Test
  void aSmallerCountWindowKeepsTheNewestOutcomesAndShowsItsSizeAtOnce() {
    CircuitBreaker breaker = breaker(config(ticker).countBasedWindow(10).minimumNumberOfCalls(10).failureRateThreshold(50));
    succeed(breaker, 7);
    fail(breaker, 3);
    assertThat(breaker.metrics().numberOfBufferedCalls()).isEqualTo(10);

    breaker.reconfigure(breaker.config().toBuilder().countBasedWindow(5).minimumNumberOfCalls(5).build());

    assertThat(breaker.metrics().numberOfBufferedCalls()).isEqualTo(5);
    assertThat(breaker.metrics().numberOfFailedCalls()).isEqualTo(3);
    assertThat(breaker.metrics().failureRate()).isEqualTo(60.0);
    // The new window's rate is over the threshold, but a change is not an outcome: the next one decides.
    assertThat(breaker.state()).isEqualTo(State.CLOSED);
    succeed(breaker);
    assertThat(breaker.state()).isEqualTo(State.OPEN);
  }

  @Test
  void aLargerCountWindowKeepsEveryOutcome() {
    CircuitBreaker breaker = breaker(config(ticker).countBasedWindow(4).minimumNumberOfCalls(4).failureRateThreshold(90));
    fail(breaker);
    succeed(breaker, 3);
    breaker.reconfigure(breaker.config().toBuilder().countBasedWindow(10).minimumNumberOfCalls(4).build());
    assertThat(breaker.metrics().numberOfBufferedCalls()).isEqualTo(4);
    assertThat(breaker.metrics().numberOfFailedCalls()).isEqualTo(1);
    succeed(breaker, 6);
    assertThat(breaker.metrics().numberOfBufferedCalls()).isEqualTo(10);
    assertThat(breaker.metrics().numberOfFailedCalls()).isEqualTo(1);
    succeed(breaker);
    assertThat(breaker.metrics().numberOfFailedCalls()).isZero();
  }

  @Test
  void aLowerThresholdAppliesAtTheNextRecordedOutcomeEvenASuccess() {
    CircuitBreaker breaker = breaker(config(ticker).countBasedWindow(10).minimumNumberOfCalls(10).failureRateThreshold(50));
    fail(breaker, 4);
    succeed(breaker, 6);
    breaker.reconfigure(breaker.config().toBuilder().failureRateThreshold(30).build());
    assertThat(breaker.state()).isEqualTo(State.CLOSED);
    assertThat(breaker.metrics().numberOfFailedCalls()).isEqualTo(4);
    succeed(breaker);
    assertThat(breaker.state()).isEqualTo(State.OPEN);
  }

  @Test
  void aHigherThresholdKeepsABreakerClosedThatWouldHaveOpened() {
    CircuitBreaker breaker = breaker(config(ticker).countBasedWindow(4).minimumNumberOfCalls(4).failureRateThreshold(50));
    fail(breaker);
    succeed(breaker, 2);
    breaker.reconfigure(breaker.config().toBuilder().failureRateThreshold(75).build());
    fail(breaker);
    assertThat(breaker.state()).isEqualTo(State.CLOSED);
    assertThat(breaker.metrics().failureRate()).isEqualTo(50.0);
  }

  @Test
  void theFailureStreakIsKeptAcrossANewWindow() {
    CircuitBreaker breaker =
        breaker(config(ticker).countBasedWindow(100).failureRateThreshold(100).consecutiveFailureThreshold(3));
    fail(breaker, 2);
    breaker.reconfigure(breaker.config().toBuilder().countBasedWindow(50).build());
    fail(breaker);
    assertThat(breaker.state()).isEqualTo(State.OPEN);
  }

  @Test
  void aShorterTimeWindowKeepsTheBucketsInsideTheNewSpan() {
    CircuitBreaker breaker =
        breaker(config(ticker).timeBasedWindow(Duration.ofSeconds(10)).minimumNumberOfCalls(100));
    fail(breaker);
    ticker.advance(Duration.ofSeconds(6));
    fail(breaker);
    succeed(breaker);
    ticker.advance(Duration.ofSeconds(1));
    assertThat(breaker.metrics().numberOfBufferedCalls()).isEqualTo(3);

    breaker.reconfigure(breaker.config().toBuilder().timeBasedWindow(Duration.ofSeconds(5)).build());

    assertThat(breaker.metrics().numberOfBufferedCalls()).isEqualTo(2);
    assertThat(breaker.metrics().numberOfFailedCalls()).isEqualTo(1);
    ticker.advance(Duration.ofSeconds(4));
    assertThat(breaker.metrics().numberOfBufferedCalls()).isZero();
  }

  @Test
  void aLongerTimeWindowKeepsEveryBucket() {
    CircuitBreaker breaker =
        breaker(config(ticker).timeBasedWindow(Duration.ofSeconds(5)).minimumNumberOfCalls(100));
    fail(breaker);
    ticker.advance(Duration.ofSeconds(3));
    succeed(breaker);
    breaker.reconfigure(breaker.config().toBuilder().timeBasedWindow(Duration.ofSeconds(60)).build());
    assertThat(breaker.metrics().numberOfBufferedCalls()).isEqualTo(2);
    ticker.advance(Duration.ofSeconds(30));
    assertThat(breaker.metrics().numberOfBufferedCalls()).isEqualTo(2);
  }

  @Test
  void aCountWindowBecomingATimeWindowKeepsItsOutcomes() {
    CircuitBreaker breaker = breaker(config(ticker).countBasedWindow(10).minimumNumberOfCalls(10));
    fail(breaker, 2);
    succeed(breaker, 3);
    breaker.reconfigure(breaker.config().toBuilder().timeBasedWindow(Duration.ofSeconds(10)).minimumNumberOfCalls(10).build());
    assertThat(breaker.metrics().numberOfBufferedCalls()).isEqualTo(5);
    assertThat(breaker.metrics().numberOfFailedCalls()).isEqualTo(2);
    breaker.reconfigure(breaker.config().toBuilder().countBasedWindow(3).minimumNumberOfCalls(3).build());
    assertThat(breaker.metrics().numberOfBufferedCalls()).isEqualTo(3);
  }

  @Test
  void aCallInFlightAcrossTheChangeCountsInTheNewWindow() {
    CircuitBreaker breaker = breaker(config(ticker).countBasedWindow(10).minimumNumberOfCalls(2).failureRateThreshold(50));
    CircuitBreaker.Permit permit = breaker.tryAcquirePermit();
    succeed(breaker);
    breaker.reconfigure(breaker.config().toBuilder().countBasedWindow(20).build());
    permit.onError(0, new Fixtures.Boom());
    assertThat(breaker.metrics().numberOfBufferedCalls()).isEqualTo(2);
    assertThat(breaker.metrics().numberOfFailedCalls()).isEqualTo(1);
    assertThat(breaker.state()).isEqualTo(State.OPEN);
  }

  @Test
  void aCallAdmittedBeforeARealTransitionStillCountsNowhere() {
    CircuitBreaker breaker = breaker(config(ticker).countBasedWindow(10).minimumNumberOfCalls(1));
    CircuitBreaker.Permit permit = breaker.tryAcquirePermit();
    breaker.transitionToOpenState();
    breaker.transitionToClosedState();
    breaker.reconfigure(breaker.config().toBuilder().countBasedWindow(5).build());
    permit.onError(0, new Fixtures.Boom());
    assertThat(breaker.metrics().numberOfBufferedCalls()).isZero();
    assertThat(breaker.state()).isEqualTo(State.CLOSED);
  }

  @Test
  void aRampingBreakerKeepsRamping() {
    CircuitBreaker breaker =
        breaker(
            config(ticker)
                .countBasedWindow(1)
                .minimumNumberOfCalls(1)
                .permittedNumberOfCallsInHalfOpenState(1)
                .recoveryRamp(Duration.ofSeconds(30)));
    fail(breaker);
    ticker.advance(Duration.ofMinutes(1));
    succeed(breaker);
    assertThat(breaker.metrics().rampPercentage()).isEqualTo(10);
    breaker.reconfigure(breaker.config().toBuilder().failureRateThreshold(60).build());
    assertThat(breaker.metrics().rampPercentage()).isEqualTo(10);
    ticker.advance(Duration.ofSeconds(30));
    succeed(breaker);
    assertThat(breaker.metrics().rampPercentage()).isEqualTo(100);
  }

  // ---------------------------------------------------------------------------------------------------
  // OPEN

  @ParameterizedTest
  @ValueSource(longs = {1_000_000_000_000L, Long.MAX_VALUE - 5_000_000_000L, Long.MIN_VALUE})
  void anOpenBreakerKeepsItsDeadline(long start) {
    ticker.set(start);
    CircuitBreaker breaker = Fixtures.tripped(config(ticker).waitDurationInOpenState(Duration.ofSeconds(10)));
    ticker.advance(Duration.ofSeconds(4));
    breaker.reconfigure(breaker.config().toBuilder().waitDurationInOpenState(Duration.ofMinutes(5)).build());
    assertThat(breaker.state()).isEqualTo(State.OPEN);
    assertThat(breaker.metrics().nextTrialIn()).contains(Duration.ofSeconds(6));
    ticker.advance(Duration.ofSeconds(6).minusNanos(1));
    assertThat(attempt(breaker)).isFalse();
    ticker.advanceNanos(1);
    assertThat(attempt(breaker)).isTrue();
  }

  @Test
  void theKeptBackoffLevelMeetsTheNewBaseWaitAtTheNextOpening() {
    CircuitBreaker breaker =
        Fixtures.tripped(
            config(ticker)
                .waitDurationInOpenState(Duration.ofSeconds(10))
                .openStateBackoff(2, Duration.ofHours(1))
                .permittedNumberOfCallsInHalfOpenState(1));
    ticker.advance(Duration.ofSeconds(10));
    fail(breaker); // second opening in a row: 20 s
    assertThat(breaker.metrics().nextTrialIn()).contains(Duration.ofSeconds(20));

    breaker.reconfigure(breaker.config().toBuilder().waitDurationInOpenState(Duration.ofSeconds(7)).build());
    assertThat(breaker.metrics().nextTrialIn()).contains(Duration.ofSeconds(20));

    ticker.advance(Duration.ofSeconds(20));
    fail(breaker); // third opening in a row, on the new base: 7 s * 2^2
    assertThat(breaker.metrics().nextTrialIn()).contains(Duration.ofSeconds(28));
  }

  @Test
  void theAutomaticTransitionFollowsTheNewConfiguration() {
    ManualScheduler scheduler = new ManualScheduler(ticker);
    CircuitBreaker breaker =
        Fixtures.tripped(
            config(ticker)
                .waitDurationInOpenState(Duration.ofSeconds(10))
                .scheduler(scheduler)
                .automaticTransitionFromOpenToHalfOpenEnabled(true));
    breaker.reconfigure(breaker.config().toBuilder().automaticTransitionFromOpenToHalfOpenEnabled(false).build());
    scheduler.advance(Duration.ofSeconds(10));
    assertThat(breaker.state()).isEqualTo(State.OPEN);
    breaker.reconfigure(breaker.config().toBuilder().automaticTransitionFromOpenToHalfOpenEnabled(true).build());
    scheduler.advance(Duration.ofSeconds(1));
    assertThat(breaker.state()).isEqualTo(State.HALF_OPEN);
  }

  // ---------------------------------------------------------------------------------------------------
  // HALF_OPEN

  @Test
  void aHalfOpenBreakerKeepsItsTrialsAndDecidesWithTheNewThresholds() {
    CircuitBreaker breaker =
        Fixtures.tripped(
            config(ticker)
                .failureRateThreshold(50)
                .permittedNumberOfCallsInHalfOpenState(4)
                .waitDurationInOpenState(Duration.ofSeconds(1)));
    ticker.advance(Duration.ofSeconds(1));
    List<CircuitBreaker.Permit> trials = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      trials.add(breaker.tryAcquirePermit());
    }
    assertThat(trials).doesNotContainNull();
    assertThat(breaker.state()).isEqualTo(State.HALF_OPEN);
    trials.get(0).onError(0, new Fixtures.Boom());

    breaker.reconfigure(
        breaker.config().toBuilder().failureRateThreshold(20).permittedNumberOfCallsInHalfOpenState(10).build());

    assertThat(breaker.state()).isEqualTo(State.HALF_OPEN);
    assertThat(breaker.tryAcquirePermit()).as("the number of trials stays for this stay").isNull();
    for (int i = 1; i < 4; i++) {
      trials.get(i).onSuccess(0);
    }
    // 1 failure in 4 trials: 25 %, under the old threshold of 50 %, over the new one of 20 %.
    assertThat(breaker.state()).isEqualTo(State.OPEN);

    ticker.advance(Duration.ofSeconds(1));
    int admitted = 0;
    while (breaker.tryAcquirePermit() != null) {
      admitted++;
    }
    assertThat(admitted).as("the new number applies from the next half-open stay").isEqualTo(10);
  }

  @Test
  void aTrialReleasedAfterTheChangeFreesItsPlace() {
    CircuitBreaker breaker =
        Fixtures.tripped(config(ticker).permittedNumberOfCallsInHalfOpenState(1).waitDurationInOpenState(Duration.ofSeconds(1)));
    ticker.advance(Duration.ofSeconds(1));
    CircuitBreaker.Permit trial = breaker.tryAcquirePermit();
    breaker.reconfigure(breaker.config().toBuilder().failureRateThreshold(10).build());
    assertThat(breaker.tryAcquirePermit()).isNull();
    trial.release();
    CircuitBreaker.Permit next = breaker.tryAcquirePermit();
    assertThat(next).isNotNull();
    next.onSuccess(0);
    assertThat(breaker.state()).isEqualTo(State.CLOSED);
  }

  // ---------------------------------------------------------------------------------------------------
  // Manual states

  @Test
  void manualStatesStayUntilAnOperatorMovesThem() {
    CircuitBreaker breaker = breaker(config(ticker).countBasedWindow(4).minimumNumberOfCalls(4));
    breaker.transitionToForcedOpenState();
    breaker.reconfigure(breaker.config().toBuilder().failureRateThreshold(10).build());
    assertThat(breaker.state()).isEqualTo(State.FORCED_OPEN);
    assertThat(attempt(breaker)).isFalse();

    breaker.transitionToDisabledState();
    breaker.reconfigure(breaker.config().toBuilder().failureRateThreshold(20).build());
    assertThat(breaker.state()).isEqualTo(State.DISABLED);
    fail(breaker, 10);
    assertThat(breaker.state()).isEqualTo(State.DISABLED);

    breaker.transitionToMetricsOnlyState();
    fail(breaker, 2);
    breaker.reconfigure(breaker.config().toBuilder().countBasedWindow(2).minimumNumberOfCalls(2).build());
    assertThat(breaker.state()).isEqualTo(State.METRICS_ONLY);
    assertThat(breaker.metrics().numberOfFailedCalls()).isEqualTo(2);
    fail(breaker, 5);
    assertThat(breaker.state()).isEqualTo(State.METRICS_ONLY);
    assertThat(breaker.config().windowSize()).isEqualTo(2);
  }

  // ---------------------------------------------------------------------------------------------------
  // Events

  @Test
  void everyChangeIsAnEventWithTheOldAndNewConfiguration() {
    CircuitBreaker breaker = breaker(config(ticker));
    List<CircuitBreakerEvent> events = new ArrayList<>();
    breaker.onEvent(Set.of(CircuitBreakerEvent.Type.CONFIGURATION_CHANGED), events::add);
    CircuitBreakerConfig before = breaker.config();
    CircuitBreakerConfig after = before.toBuilder().failureRateThreshold(10).build();
    breaker.reconfigure(after);
    assertThat(events).singleElement().isInstanceOfSatisfying(
        CircuitBreakerEvent.ConfigurationChanged.class,
        change -> {
          assertThat(change.breakerName()).isEqualTo("test");
          assertThat(change.type()).isEqualTo(CircuitBreakerEvent.Type.CONFIGURATION_CHANGED);
          assertThat(change.previous()).isSameAs(before);
          assertThat(change.current()).isSameAs(after);
        });
  }

  @Test
  void theChangeIsKeptInTheEventHistory() {
    CircuitBreakerRegistry registry = CircuitBreakerRegistry.of(CircuitBreakerConfig.builder().ticker(ticker).build());
    EventHistory history = EventHistory.attach(registry);
    CircuitBreaker breaker = registry.circuitBreaker("inventory");
    breaker.reconfigure(breaker.config().toBuilder().failureRateThreshold(10).build());
    assertThat(history.events("inventory"))
        .extracting(CircuitBreakerEvent::type)
        .containsExactly(CircuitBreakerEvent.Type.CONFIGURATION_CHANGED);
  }
}
