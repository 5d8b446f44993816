package dev.fusebox.circuitbreaker;

import static dev.fusebox.circuitbreaker.Fixtures.attempt;
import static dev.fusebox.circuitbreaker.Fixtures.config;
import static dev.fusebox.circuitbreaker.Fixtures.fail;
import static dev.fusebox.circuitbreaker.Fixtures.rejection;
import static dev.fusebox.circuitbreaker.Fixtures.succeed;
import static dev.fusebox.circuitbreaker.Fixtures.tripped;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fusebox.testing.ManualScheduler;
import dev.fusebox.testing.ManualTicker;
import dev.fusebox.circuitbreaker.CircuitBreaker.State;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Rules 4 and 6: the open state, its wait, its backoff and jitter. */
class OpenStateTest {

  private final ManualTicker ticker = new ManualTicker(1_000_000_000_000L);

  @Test
  void rejectsEveryCallWithoutRunningIt() {
    CircuitBreaker breaker = tripped(config(ticker));
    for (int i = 0; i < 5; i++) {
      assertThat(attempt(breaker)).isFalse();
    }
    assertThat(breaker.metrics().numberOfNotPermittedCalls()).isEqualTo(5);
    assertThat(breaker.metrics().totalNotPermittedCalls()).isEqualTo(5);
  }

  @Test
  void theRejectionNamesTheBreakerTheStateAndTheTimeToTheNextTrial() {
    CircuitBreaker breaker = tripped(config(ticker).waitDurationInOpenState(Duration.ofSeconds(30)));
    CallNotPermittedException e = rejection(breaker);
    assertThat(e.breakerName()).isEqualTo("test");
    assertThat(e.state()).isEqualTo(State.OPEN);
    assertThat(e.retryAfter()).contains(Duration.ofSeconds(30));
    ticker.advance(Duration.ofSeconds(10));
    assertThat(e.retryAfter()).contains(Duration.ofSeconds(20));
    assertThat(e.getMessage()).isEqualTo("CircuitBreaker 'test' is OPEN and does not permit further calls; next trial in 20000 ms");
    ticker.advance(Duration.ofSeconds(25));
    assertThat(e.retryAfter()).contains(Duration.ZERO);
  }

  @Test
  void theRejectionIsOneStacklessImmutableInstancePerOpening() {
    CircuitBreaker breaker = tripped(config(ticker));
    CallNotPermittedException first = rejection(breaker);
    CallNotPermittedException second = rejection(breaker);
    assertThat(second).isSameAs(first);
    assertThat(first.getStackTrace()).isEmpty();
    first.addSuppressed(new RuntimeException("ignored"));
    assertThat(first.getSuppressed()).isEmpty();
    assertThat(first.getCause()).isNull();
  }

  @Test
  void theFirstCallOnceTheWaitHasFullyElapsedRunsAsATrialInHalfOpen() {
    CircuitBreaker breaker = tripped(config(ticker).waitDurationInOpenState(Duration.ofSeconds(60)));
    ticker.advance(Duration.ofSeconds(60).minusNanos(1));
    assertThat(attempt(breaker)).isFalse();
    assertThat(breaker.state()).isEqualTo(State.OPEN);
    ticker.advanceNanos(1);
    assertThat(attempt(breaker)).isTrue();
    assertThat(breaker.state()).isEqualTo(State.HALF_OPEN);
    assertThat(breaker.metrics().numberOfBufferedCalls()).isEqualTo(1);
  }

  @Test
  void anOpenBreakerSaysOpenUntilACallArrivesEvenAfterTheWait() {
    CircuitBreaker breaker = tripped(config(ticker));
    ticker.advance(Duration.ofHours(5));
    assertThat(breaker.state()).isEqualTo(State.OPEN);
    assertThat(breaker.metrics().nextTrialIn()).contains(Duration.ZERO);
  }

  @Test
  void metricsShowTheWindowThatOpenedTheBreakerAndTheTimeToTheNextTrial() {
    CircuitBreaker breaker =
        CircuitBreaker.of(
            "m", config(ticker).countBasedWindow(4).failureRateThreshold(75).build());
    succeed(breaker);
    fail(breaker, 3);
    assertThat(breaker.state()).isEqualTo(State.OPEN);
    ticker.advance(Duration.ofSeconds(15));
    CircuitBreaker.Metrics m = breaker.metrics();
    assertThat(m.numberOfBufferedCalls()).isEqualTo(4);
    assertThat(m.numberOfFailedCalls()).isEqualTo(3);
    assertThat(m.failureRate()).isEqualTo(75.0);
    assertThat(m.nextTrialIn()).contains(Duration.ofSeconds(45));
    assertThat(m.timeInState()).isEqualTo(Duration.ofSeconds(15));
  }

  @Test
  void theAsynchronousApiReturnsAFailedStageInsteadOfThrowing() {
    CircuitBreaker breaker = tripped(config(ticker));
    AtomicInteger started = new AtomicInteger();
    CompletionStage<String> stage =
        breaker.executeCompletionStage(
            () -> {
              started.incrementAndGet();
              return java.util.concurrent.CompletableFuture.completedFuture("x");
            });
    assertThat(stage.toCompletableFuture()).isCompletedExceptionally();
    assertThat(stage.toCompletableFuture().handle((v, e) -> e).join()).isInstanceOf(CallNotPermittedException.class);
    assertThat(started).hasValue(0);
  }

  @Test
  void everyAsynchronousRejectionOfOneOpeningSharesOneStageThatNobodyCanChange() {
    CircuitBreaker breaker = tripped(config(ticker));
    CompletionStage<String> first = breaker.executeCompletionStage(() -> java.util.concurrent.CompletableFuture.completedFuture("x"));
    CompletionStage<String> second = breaker.executeCompletionStage(() -> java.util.concurrent.CompletableFuture.completedFuture("y"));

    assertThat(second).isSameAs(first);
    assertThatThrownBy(() -> first.toCompletableFuture().obtrudeValue("changed"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThat(first.toCompletableFuture().complete("changed")).isFalse();
    assertThat(first.thenApply(v -> v + "!").handle((v, e) -> e).toCompletableFuture().join())
        .isInstanceOf(java.util.concurrent.CompletionException.class)
        .hasCauseInstanceOf(CallNotPermittedException.class);
    assertThat(first.handle((v, e) -> e).toCompletableFuture().join()).isInstanceOf(CallNotPermittedException.class);
    assertThat(breaker.metrics().totalNotPermittedCalls()).isEqualTo(2);
  }

  @Test
  void tryAcquirePermissionSaysNoAndCountsTheRejection() {
    CircuitBreaker breaker = tripped(config(ticker));
    assertThat(breaker.tryAcquirePermission()).isFalse();
    assertThat(breaker.metrics().numberOfNotPermittedCalls()).isEqualTo(1);
  }

  // ---------------------------------------------------------------------------------------------------
  // Backoff and jitter (rule 6)

  private CircuitBreakerConfig.Builder backoff() {
    return config(ticker)
        .waitDurationInOpenState(Duration.ofSeconds(60))
        .openStateBackoff(2.0, Duration.ofSeconds(300))
        .permittedNumberOfCallsInHalfOpenState(1);
  }

  /** Asserts the breaker rejects until exactly {@code wait} has passed, then runs a failing trial. */
  private void waitExactlyThenFailTheTrial(CircuitBreaker breaker, Duration wait) {
    assertThat(breaker.metrics().nextTrialIn()).contains(wait);
    ticker.advance(wait.minusNanos(1));
    assertThat(attempt(breaker)).isFalse();
    ticker.advanceNanos(1);
    fail(breaker);
    assertThat(breaker.state()).isEqualTo(State.OPEN);
  }

  @Test
  void eachOpeningInARowWaitsLongerUpToTheMaximum() {
    CircuitBreaker breaker = tripped(backoff());
    waitExactlyThenFailTheTrial(breaker, Duration.ofSeconds(60));
    waitExactlyThenFailTheTrial(breaker, Duration.ofSeconds(120));
    waitExactlyThenFailTheTrial(breaker, Duration.ofSeconds(240));
    waitExactlyThenFailTheTrial(breaker, Duration.ofSeconds(300));
    waitExactlyThenFailTheTrial(breaker, Duration.ofSeconds(300));
    assertThat(breaker.metrics().nextTrialIn()).contains(Duration.ofSeconds(300));
  }

  @Test
  void theBackoffReturnsToItsBaseOnceTheBreakerHasClosed() {
    CircuitBreaker breaker = tripped(backoff());
    waitExactlyThenFailTheTrial(breaker, Duration.ofSeconds(60));
    ticker.advance(Duration.ofSeconds(120));
    succeed(breaker);
    assertThat(breaker.state()).isEqualTo(State.CLOSED);
    fail(breaker);
    assertThat(breaker.state()).isEqualTo(State.OPEN);
    assertThat(breaker.metrics().nextTrialIn()).contains(Duration.ofSeconds(60));
  }

  @Test
  void withARampTheBackoffLevelIsKeptUntilTheRampHasFinished() {
    CircuitBreaker breaker = tripped(backoff().recoveryRamp(Duration.ofSeconds(30)));
    waitExactlyThenFailTheTrial(breaker, Duration.ofSeconds(60));
    ticker.advance(Duration.ofSeconds(120));
    succeed(breaker);
    assertThat(breaker.state()).isEqualTo(State.CLOSED);
    // Opening again during the ramp continues the backoff: third opening in a row.
    fail(breaker);
    assertThat(breaker.metrics().nextTrialIn()).contains(Duration.ofSeconds(240));
    ticker.advance(Duration.ofSeconds(240));
    succeed(breaker);
    ticker.advance(Duration.ofSeconds(30));
    // The ramp has run its course: the next opening starts from the base again.
    fail(breaker);
    assertThat(breaker.state()).isEqualTo(State.OPEN);
    assertThat(breaker.metrics().nextTrialIn()).contains(Duration.ofSeconds(60));
  }

  /** Recovers through a ramp after two openings in a row, and lets the ramp run its course without a call. */
  private CircuitBreaker recoveredWithAFinishedRamp() {
    CircuitBreaker breaker = tripped(backoff().recoveryRamp(Duration.ofSeconds(30)));
    waitExactlyThenFailTheTrial(breaker, Duration.ofSeconds(60));
    ticker.advance(Duration.ofSeconds(120));
    succeed(breaker);
    ticker.advance(Duration.ofSeconds(30));
    return breaker;
  }

  @Test
  void aFinishedRampForgivesTheBackoffForAForcedOpeningFollowedByAnOpening() {
    CircuitBreaker breaker = recoveredWithAFinishedRamp();

    breaker.transitionToForcedOpenState();
    breaker.transitionToOpenState();

    assertThat(breaker.metrics().nextTrialIn()).contains(Duration.ofSeconds(60));
  }

  @Test
  void aFinishedRampForgivesTheBackoffForAManualHalfOpenWhoseTrialFails() {
    CircuitBreaker breaker = recoveredWithAFinishedRamp();

    breaker.transitionToHalfOpenState();
    fail(breaker);

    assertThat(breaker.state()).isEqualTo(State.OPEN);
    assertThat(breaker.metrics().nextTrialIn()).contains(Duration.ofSeconds(60));
  }

  @Test
  void aManualOpeningAlsoBacksOff() {
    CircuitBreaker breaker = tripped(backoff());
    breaker.transitionToOpenState();
    assertThat(breaker.metrics().nextTrialIn()).contains(Duration.ofSeconds(120));
    breaker.transitionToClosedState();
    breaker.transitionToOpenState();
    assertThat(breaker.metrics().nextTrialIn()).contains(Duration.ofSeconds(60));
  }

  @Test
  void jitterSpreadsEachWaitWithinPlusOrMinusTheFraction() {
    Set<Duration> waits = new HashSet<>();
    for (int i = 0; i < 300; i++) {
      CircuitBreaker breaker =
          tripped(config(ticker).waitDurationInOpenState(Duration.ofSeconds(60)).openStateJitter(0.2));
      Duration wait = breaker.metrics().nextTrialIn().orElseThrow();
      assertThat(wait).isBetween(Duration.ofSeconds(48), Duration.ofSeconds(72));
      waits.add(wait);
    }
    assertThat(waits).hasSizeGreaterThan(100);
  }

  @Test
  void jitterAppliesToBackedOffWaitsToo() {
    CircuitBreaker breaker = tripped(backoff().openStateJitter(0.1));
    for (int level = 1; level <= 4; level++) {
      Duration wait = breaker.metrics().nextTrialIn().orElseThrow();
      long base = Math.min(60L << (level - 1), 300L);
      assertThat(wait).isBetween(Duration.ofMillis(base * 900), Duration.ofMillis(base * 1100));
      ticker.advance(wait);
      fail(breaker);
    }
  }

  // ---------------------------------------------------------------------------------------------------
  // Automatic transition (opt-in)

  @Test
  void withTheAutomaticTransitionTheBreakerTurnsHalfOpenWhenTheWaitEndsWithoutACall() {
    ManualScheduler scheduler = new ManualScheduler(ticker);
    CircuitBreaker breaker =
        tripped(config(ticker).automaticTransitionFromOpenToHalfOpenEnabled(true).scheduler(scheduler));
    java.util.List<StateTransition> transitions = new java.util.concurrent.CopyOnWriteArrayList<>();
    breaker.onStateTransition(transitions::add);
    scheduler.advance(Duration.ofSeconds(60).minusNanos(1));
    assertThat(breaker.state()).isEqualTo(State.OPEN);
    scheduler.advance(Duration.ofNanos(1));
    assertThat(breaker.state()).isEqualTo(State.HALF_OPEN);
    assertThat(transitions).singleElement().satisfies(t -> assertThat(t.to()).isEqualTo(State.HALF_OPEN));
    assertThat(attempt(breaker)).isTrue();
  }

  @Test
  void theAutomaticTransitionDoesNothingIfTheBreakerMovedMeanwhile() {
    ManualScheduler scheduler = new ManualScheduler(ticker);
    CircuitBreaker breaker =
        tripped(config(ticker).automaticTransitionFromOpenToHalfOpenEnabled(true).scheduler(scheduler));
    breaker.transitionToClosedState();
    scheduler.advance(Duration.ofSeconds(61));
    assertThat(breaker.state()).isEqualTo(State.CLOSED);
    breaker.transitionToOpenState();
    breaker.transitionToForcedOpenState();
    scheduler.advance(Duration.ofSeconds(61));
    assertThat(breaker.state()).isEqualTo(State.FORCED_OPEN);
  }

  /**
   * The review's second suspicion, proven: the automatic transition fired on the scheduler's clock without
   * asking the breaker's ticker. A scheduler that runs early (another clock, a coarse ticker lagging the
   * system clock) half-opened the breaker before its own wait was over.
   */
  @Test
  void theAutomaticTransitionWaitsForTheBreakersOwnClockWhenTheSchedulerRunsEarly() {
    ManualTicker schedulerTime = new ManualTicker();
    ManualScheduler early = new ManualScheduler(schedulerTime);
    CircuitBreaker breaker =
        tripped(config(ticker).automaticTransitionFromOpenToHalfOpenEnabled(true).scheduler(early));

    early.advance(Duration.ofSeconds(60));
    assertThat(breaker.state()).as("the breaker's ticker has not moved").isEqualTo(State.OPEN);
    assertThat(early.pendingDelays()).as("asks again when its own wait is over").containsExactly(Duration.ofSeconds(60));

    ticker.advance(Duration.ofSeconds(45));
    early.advance(Duration.ofSeconds(60));
    assertThat(breaker.state()).isEqualTo(State.OPEN);
    assertThat(early.pendingDelays()).containsExactly(Duration.ofSeconds(15));

    ticker.advance(Duration.ofSeconds(15));
    early.advance(Duration.ofSeconds(15));
    assertThat(breaker.state()).isEqualTo(State.HALF_OPEN);
    assertThat(early.pending()).isZero();
  }

  @Test
  void aManualMoveCancelsThePendingAutomaticTransition() {
    ManualScheduler scheduler = new ManualScheduler(ticker);
    CircuitBreaker breaker =
        tripped(config(ticker).automaticTransitionFromOpenToHalfOpenEnabled(true).scheduler(scheduler));
    assertThat(scheduler.pending()).isEqualTo(1);

    breaker.transitionToClosedState();
    assertThat(scheduler.pending()).isZero();

    breaker.transitionToOpenState();
    breaker.transitionToForcedOpenState();
    assertThat(scheduler.pending()).isZero();
    breaker.transitionToOpenState();
    breaker.transitionToOpenStateFor(Duration.ofSeconds(5));
    assertThat(scheduler.pendingDelays()).containsExactly(Duration.ofSeconds(5));
  }

  @Test
  void withoutTheAutomaticTransitionNothingIsScheduled() {
    ManualScheduler scheduler = new ManualScheduler(ticker);
    CircuitBreaker breaker = tripped(config(ticker).scheduler(scheduler));
    assertThat(scheduler.pending()).isZero();
    scheduler.advance(Duration.ofHours(1));
    assertThat(breaker.state()).isEqualTo(State.OPEN);
  }

  @Test
  void transitionToOpenStateForWaitsExactlyThatLongAndLaterOpeningsBackOffFromIt() {
    CircuitBreaker breaker =
        CircuitBreaker.of(
            "retry-after",
            config(ticker)
                .countBasedWindow(1)
                .openStateBackoff(2, Duration.ofMinutes(10))
                .openStateJitter(0.5)
                .permittedNumberOfCallsInHalfOpenState(1)
                .build());
    breaker.transitionToOpenStateFor(Duration.ofSeconds(120));
    assertThat(breaker.state()).isEqualTo(State.OPEN);
    assertThat(breaker.metrics().nextTrialIn()).contains(Duration.ofSeconds(120));
    ticker.advance(Duration.ofSeconds(120).minusNanos(1));
    assertThat(attempt(breaker)).isFalse();
    ticker.advanceNanos(1);
    fail(breaker);
    // The second opening in a row: 60 s doubled, spread by up to half.
    assertThat(breaker.metrics().nextTrialIn().orElseThrow()).isBetween(Duration.ofSeconds(60), Duration.ofSeconds(180));
    assertThatThrownBy(() -> breaker.transitionToOpenStateFor(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("wait must be positive, was PT0S");
  }
}
