package dev.fusebox.circuitbreaker;

import static dev.fusebox.circuitbreaker.Fixtures.config;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fusebox.circuitbreaker.CircuitBreaker.State;
import dev.fusebox.testing.ManualTicker;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/**
 * A configuration moved over from Resilience4j behaves as it did there: the places where Resilience4j's own
 * tests, ported to this API, found a difference.
 */
class Resilience4jParityTest {

  private final ManualTicker ticker = new ManualTicker();

  private CircuitBreaker breaker(CircuitBreakerConfig.Builder builder) {
    return CircuitBreaker.of("parity", builder.countBasedWindow(10).minimumNumberOfCalls(10).build());
  }

  // ---------------------------------------------------------------------------------------------------
  // recordResult never sees the null of a call without a result

  @Test
  void aResultRuleNeverReceivesTheNullOfACallWithoutAResult() {
    CircuitBreaker breaker = breaker(config(ticker).recordResult(r -> r.equals("failure")));

    breaker.executeRunnable(() -> {});
    assertThat(breaker.executeSupplier(() -> (String) null)).isNull();
    breaker.onResult(0, null);
    breaker.tryAcquirePermit().onResult(0, null);
    CompletionStage<Void> nothing = breaker.executeCompletionStage(() -> CompletableFuture.completedFuture(null));
    CompletableFuture<Void> later = new CompletableFuture<>();
    CompletionStage<Void> nothingLater = breaker.executeCompletionStage(() -> later);
    later.complete(null);

    assertThat(nothing.toCompletableFuture().join()).isNull();
    assertThat(nothingLater.toCompletableFuture().join()).isNull();
    assertThat(breaker.metrics().totalSuccessfulCalls()).isEqualTo(6);
    assertThat(breaker.executeSupplier(() -> "failure")).isEqualTo("failure");
    assertThat(breaker.metrics().totalFailedCalls()).isEqualTo(1);
  }

  // ---------------------------------------------------------------------------------------------------
  // An Error is no failure unless a record rule names it, and gives its permit back

  @Test
  void anErrorIsNotRecordedReachesTheCallerUnchangedAndGivesItsTrialBack() {
    CircuitBreaker breaker = breaker(config(ticker).permittedNumberOfCallsInHalfOpenState(1));
    breaker.transitionToHalfOpenState();
    AssertionError error = new AssertionError("an Error, not an Exception");

    assertThatThrownBy(() -> breaker.executeSupplier(() -> { throw error; })).isSameAs(error);

    assertThat(breaker.metrics().totalFailedCalls()).isZero();
    assertThat(breaker.metrics().totalSuccessfulCalls()).isZero();
    assertThat(breaker.metrics().totalIgnoredCalls()).isEqualTo(1);
    assertThat(breaker.state()).isEqualTo(State.HALF_OPEN);
    assertThat(breaker.tryAcquirePermit()).as("the trial slot came back").isNotNull();
  }

  @Test
  void anErrorIsAFailureWhenARecordRuleNamesIt() {
    CircuitBreaker byType = breaker(config(ticker).recordExceptions(AssertionError.class));
    CircuitBreaker byPredicate = breaker(config(ticker).recordException(e -> e instanceof LinkageError));

    assertThatThrownBy(() -> byType.executeRunnable(() -> { throw new AssertionError("named"); }))
        .isInstanceOf(AssertionError.class);
    assertThatThrownBy(() -> byPredicate.executeRunnable(() -> { throw new NoClassDefFoundError("named"); }))
        .isInstanceOf(NoClassDefFoundError.class);

    assertThat(byType.metrics().totalFailedCalls()).isEqualTo(1);
    assertThat(byPredicate.metrics().totalFailedCalls()).isEqualTo(1);
  }

  // ---------------------------------------------------------------------------------------------------
  // Exceptions are classified by their cause when they only wrap it

  @Test
  void wrappedExceptionsAreClassifiedByTheirCauseOnEveryPath() throws Exception {
    CircuitBreaker breaker = breaker(config(ticker).ignoreExceptions(IOException.class));
    IOException cause = new IOException("ignored cause");
    CompletionException completion = new CompletionException(cause);
    ExecutionException execution = new ExecutionException(cause);

    assertThatThrownBy(() -> breaker.executeSupplier(() -> { throw completion; })).isSameAs(completion);
    assertThatThrownBy(() -> breaker.executeCallable(() -> { throw execution; })).isSameAs(execution);
    breaker.onError(1, completion);
    breaker.tryAcquirePermit().onError(1, execution);
    breaker.executeCompletionStage(() -> CompletableFuture.failedFuture(execution));

    assertThat(breaker.metrics().totalIgnoredCalls()).isEqualTo(5);
    assertThat(breaker.metrics().totalFailedCalls()).isZero();
  }

  // ---------------------------------------------------------------------------------------------------
  // initialState

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.EnumSource(State.class)
  void aBreakerStartsInItsConfiguredInitialState(State initial) {
    CircuitBreaker breaker = breaker(config(ticker).initialState(initial));

    assertThat(breaker.state()).isEqualTo(initial);
    assertThat(breaker.tryAcquirePermit() != null).isEqualTo(initial.allowsCalls());
  }

  @Test
  void anInitiallyOpenBreakerWaitsItsFirstWaitFromItsCreationThenTries() {
    CircuitBreaker breaker =
        breaker(config(ticker).initialState(State.OPEN).waitDurationInOpenState(Duration.ofSeconds(30)));

    assertThat(breaker.metrics().nextTrialIn()).contains(Duration.ofSeconds(30));
    ticker.advance(Duration.ofSeconds(30));
    assertThat(breaker.tryAcquirePermit()).isNotNull();
    assertThat(breaker.state()).isEqualTo(State.HALF_OPEN);
  }

  @Test
  void anInitiallyOpenBreakerSchedulesItsAutomaticTransition() {
    dev.fusebox.testing.ManualScheduler scheduler = new dev.fusebox.testing.ManualScheduler(ticker);
    CircuitBreaker breaker =
        breaker(config(ticker).initialState(State.OPEN).automaticTransitionFromOpenToHalfOpenEnabled(true).scheduler(scheduler));

    scheduler.advance(Duration.ofSeconds(60));

    assertThat(breaker.state()).isEqualTo(State.HALF_OPEN);
  }

  // ---------------------------------------------------------------------------------------------------
  // transitionToStateAfterWaitDuration

  @Test
  void aHalfOpenStayThatWaitedTooLongClosesWhenSoConfigured() {
    CircuitBreaker breaker =
        breaker(
            config(ticker)
                .permittedNumberOfCallsInHalfOpenState(2)
                .maxWaitDurationInHalfOpenState(Duration.ofSeconds(10))
                .transitionToStateAfterWaitDuration(State.CLOSED));
    breaker.transitionToHalfOpenState();
    assertThat(breaker.tryAcquirePermit()).isNotNull();

    ticker.advance(Duration.ofSeconds(10));

    assertThat(breaker.tryAcquirePermit()).isNotNull();
    assertThat(breaker.state()).isEqualTo(State.CLOSED);
  }

  @Test
  void byDefaultAHalfOpenStayThatWaitedTooLongReopens() {
    CircuitBreaker breaker =
        breaker(config(ticker).permittedNumberOfCallsInHalfOpenState(2).maxWaitDurationInHalfOpenState(Duration.ofSeconds(10)));
    breaker.transitionToHalfOpenState();
    breaker.tryAcquirePermit();

    ticker.advance(Duration.ofSeconds(10));

    assertThat(breaker.tryAcquirePermit()).isNull();
    assertThat(breaker.state()).isEqualTo(State.OPEN);
  }

  // ---------------------------------------------------------------------------------------------------
  // openStateWaitFunction

  @Test
  void theOpenStateWaitFunctionSetsTheWaitOfEachOpeningInARow() {
    CircuitBreaker breaker =
        CircuitBreaker.of(
            "fibonacci",
            config(ticker)
                .countBasedWindow(1)
                .minimumNumberOfCalls(1)
                .permittedNumberOfCallsInHalfOpenState(1)
                .openStateWaitFunction(n -> Duration.ofSeconds(new long[] {0, 1, 1, 2, 3, 5, 8}[Math.min(n, 6)]))
                .build());
    Fixtures.fail(breaker);
    for (long wait : new long[] {1, 1, 2, 3, 5, 8, 8}) {
      assertThat(breaker.metrics().nextTrialIn()).contains(Duration.ofSeconds(wait));
      ticker.advance(Duration.ofSeconds(wait));
      Fixtures.fail(breaker);
    }
    ticker.advance(Duration.ofSeconds(8));
    Fixtures.succeed(breaker);
    Fixtures.fail(breaker);
    assertThat(breaker.metrics().nextTrialIn()).as("after a recovery, the first opening again").contains(Duration.ofSeconds(1));
  }

  @Test
  void aFailingWaitFunctionFallsBackToTheBaseWaitInsteadOfFailingTheCall() {
    CircuitBreaker breaker =
        CircuitBreaker.of(
            "broken",
            config(ticker)
                .countBasedWindow(1)
                .minimumNumberOfCalls(1)
                .waitDurationInOpenState(Duration.ofSeconds(7))
                .openStateWaitFunction(n -> n == 1 ? null : Duration.ofSeconds(-1))
                .build());

    Fixtures.fail(breaker);
    assertThat(breaker.metrics().nextTrialIn()).contains(Duration.ofSeconds(7));
    breaker.transitionToOpenState();
    assertThat(breaker.metrics().nextTrialIn()).contains(Duration.ofSeconds(7));
  }

  // ---------------------------------------------------------------------------------------------------
  // tripWhen

  private static final IllegalStateException BANNED = new IllegalStateException("banned");

  private CircuitBreaker tripping() {
    return breaker(
        config(ticker)
            .permittedNumberOfCallsInHalfOpenState(1)
            .ignoreExceptions(java.io.UncheckedIOException.class)
            .tripWhen(
                (result, error) -> {
                  if ("429".equals(result)) {
                    return java.util.Optional.of(Duration.ofSeconds(42));
                  }
                  return error == BANNED ? java.util.Optional.of(Duration.ofHours(1)) : java.util.Optional.empty();
                }));
  }

  @Test
  void anOutcomeThatAsksForItOpensTheBreakerForExactlyTheDurationItGives() {
    CircuitBreaker breaker = tripping();
    assertThat(breaker.executeSupplier(() -> "200")).isEqualTo("200");
    assertThat(breaker.state()).isEqualTo(State.CLOSED);

    assertThat(breaker.executeSupplier(() -> "429")).as("the caller still gets its result").isEqualTo("429");

    assertThat(breaker.state()).isEqualTo(State.OPEN);
    assertThat(breaker.metrics().nextTrialIn()).contains(Duration.ofSeconds(42));
    ticker.advance(Duration.ofSeconds(42));
    assertThatThrownBy(() -> breaker.executeSupplier(() -> { throw BANNED; })).isSameAs(BANNED);
    assertThat(breaker.state()).as("a half-open trial can ask too").isEqualTo(State.OPEN);
    assertThat(breaker.metrics().nextTrialIn()).contains(Duration.ofHours(1));
  }

  @Test
  void ignoredExceptionsAndCallsWithoutAResultNeverReachTheTripRule() {
    java.util.List<Object> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    CircuitBreaker breaker =
        breaker(
            config(ticker)
                .ignoreExceptions(java.io.UncheckedIOException.class)
                .tripWhen((result, error) -> {
                  seen.add(result != null ? result : error);
                  return java.util.Optional.empty();
                }));
    breaker.executeRunnable(() -> {});
    breaker.onSuccess(1);
    assertThatThrownBy(() -> breaker.executeRunnable(() -> { throw new java.io.UncheckedIOException(new IOException()); }))
        .isInstanceOf(java.io.UncheckedIOException.class);
    IOException cause = new IOException("down");
    assertThatThrownBy(() -> breaker.executeCallable(() -> { throw new ExecutionException(cause); }))
        .isInstanceOf(ExecutionException.class);
    breaker.executeSupplier(() -> "value");

    assertThat(seen).containsExactly(cause, "value");
  }

  @Test
  void aLateOutcomeNeverOpensABreakerThatHasMovedOn() {
    CircuitBreaker breaker = tripping();
    CircuitBreaker.Permit early = breaker.tryAcquirePermit();
    breaker.transitionToMetricsOnlyState();

    early.onResult(1, "429");

    assertThat(breaker.state()).isEqualTo(State.METRICS_ONLY);
  }
}
