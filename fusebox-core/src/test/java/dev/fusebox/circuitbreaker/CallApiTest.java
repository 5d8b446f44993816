package dev.fusebox.circuitbreaker;

import static dev.fusebox.circuitbreaker.Fixtures.config;
import static dev.fusebox.circuitbreaker.Fixtures.tripped;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fusebox.testing.ManualTicker;
import dev.fusebox.circuitbreaker.CircuitBreaker.State;
import dev.fusebox.circuitbreaker.Fixtures.Boom;
import dev.fusebox.circuitbreaker.Fixtures.Ignorable;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The ways to hand a call to a breaker: execute, decorate, asynchronous, manual. */
class CallApiTest {

  private final ManualTicker ticker = new ManualTicker();

  private CircuitBreaker breaker() {
    return CircuitBreaker.of(
        "api", config(ticker).countBasedWindow(10).ignoreExceptions(Ignorable.class).build());
  }

  @Test
  void decoratedCallsRunThroughTheBreakerEveryTimeTheyAreCalled() throws Exception {
    CircuitBreaker breaker = breaker();
    AtomicInteger runs = new AtomicInteger();
    Supplier<Integer> supplier = breaker.decorateSupplier(runs::incrementAndGet);
    Callable<Integer> callable = breaker.decorateCallable(runs::incrementAndGet);
    Runnable runnable = breaker.decorateRunnable(runs::incrementAndGet);
    Function<Integer, Integer> function = breaker.decorateFunction(x -> x + runs.incrementAndGet());
    Supplier<CompletionStage<Integer>> async =
        breaker.decorateCompletionStage(() -> CompletableFuture.completedFuture(runs.incrementAndGet()));
    for (int i = 0; i < 2; i++) {
      supplier.get();
      callable.call();
      runnable.run();
      function.apply(100);
      async.get().toCompletableFuture().join();
    }
    assertThat(runs).hasValue(10);
    assertThat(breaker.metrics().numberOfSuccessfulCalls()).isEqualTo(10);
    breaker.transitionToForcedOpenState();
    assertThatThrownBy(supplier::get).isInstanceOf(CallNotPermittedException.class);
    assertThatThrownBy(callable::call).isInstanceOf(CallNotPermittedException.class);
    assertThatThrownBy(runnable::run).isInstanceOf(CallNotPermittedException.class);
    assertThatThrownBy(() -> function.apply(1)).isInstanceOf(CallNotPermittedException.class);
    assertThat(async.get().toCompletableFuture()).isCompletedExceptionally();
    assertThat(runs).hasValue(10);
  }

  @Test
  void theCallerGetsItsOwnExceptionInstanceBack() {
    CircuitBreaker breaker = breaker();
    IOException checked = new IOException("checked");
    assertThatThrownBy(() -> breaker.executeCallable(() -> { throw checked; })).isSameAs(checked);
    Boom boom = new Boom();
    assertThatThrownBy(() -> breaker.executeRunnable(() -> { throw boom; })).isSameAs(boom);
    Function<String, String> function = breaker.decorateFunction(s -> { throw boom; });
    assertThatThrownBy(() -> function.apply("x")).isSameAs(boom);
  }

  @Test
  void theFallbackAnswersRejectionsAndFailures() {
    CircuitBreaker breaker = breaker();
    Boom boom = new Boom();
    assertThat(breaker.<String>executeSupplier(() -> { throw boom; }, e -> e == boom ? "fallback" : "wrong"))
        .isEqualTo("fallback");
    breaker.transitionToForcedOpenState();
    assertThat(breaker.executeSupplier(() -> "never", e -> e.getClass().getSimpleName()))
        .isEqualTo("CallNotPermittedException");
    breaker.transitionToClosedState();
    assertThat(breaker.executeSupplier(() -> "value", e -> "fallback")).isEqualTo("value");
  }

  @Test
  void aThrowingFallbackPropagatesItsExceptionWithTheOriginalSuppressed() {
    CircuitBreaker breaker = breaker();
    Boom boom = new Boom();
    IllegalStateException fallbackFailure = new IllegalStateException("fallback failed");
    assertThatThrownBy(() -> breaker.executeSupplier(() -> { throw boom; }, e -> { throw fallbackFailure; }))
        .isSameAs(fallbackFailure)
        .satisfies(e -> assertThat(e.getSuppressed()).containsExactly(boom));
  }

  @Test
  void nullArgumentsAreRejectedWithAMessage() {
    CircuitBreaker breaker = breaker();
    assertThatThrownBy(() -> breaker.executeSupplier(null)).isInstanceOf(NullPointerException.class).hasMessage("supplier must not be null");
    assertThatThrownBy(() -> breaker.executeSupplier(() -> "x", null)).hasMessage("fallback must not be null");
    assertThatThrownBy(() -> breaker.executeCallable(null)).hasMessage("callable must not be null");
    assertThatThrownBy(() -> breaker.executeRunnable(null)).hasMessage("runnable must not be null");
    assertThatThrownBy(() -> breaker.executeCompletionStage(null)).hasMessage("supplier must not be null");
    assertThatThrownBy(() -> breaker.decorateFunction(null)).hasMessage("function must not be null");
    assertThatThrownBy(() -> breaker.onEvent(null)).hasMessage("listener must not be null");
    assertThatThrownBy(() -> breaker.onError(0, null)).hasMessage("error must not be null");
    assertThatThrownBy(() -> CircuitBreaker.of(null, CircuitBreakerConfig.ofDefaults())).hasMessage("name must not be null");
    assertThatThrownBy(() -> CircuitBreaker.of("x", null)).hasMessage("config must not be null");
    assertThatThrownBy(() -> CircuitBreaker.of(" ", CircuitBreakerConfig.ofDefaults()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("name must not be blank, was ' '");
  }

  // ---------------------------------------------------------------------------------------------------
  // Asynchronous calls

  @Test
  void anAsynchronousOutcomeIsRecordedWhenTheStageCompletesNotBefore() {
    CircuitBreaker breaker = breaker();
    CompletableFuture<String> call = new CompletableFuture<>();
    CompletionStage<String> stage = breaker.executeCompletionStage(() -> call);
    assertThat(breaker.metrics().numberOfBufferedCalls()).isZero();
    call.complete("done");
    assertThat(stage.toCompletableFuture().join()).isEqualTo("done");
    assertThat(breaker.metrics().numberOfSuccessfulCalls()).isEqualTo(1);
    CompletableFuture<String> failing = new CompletableFuture<>();
    CompletionStage<String> failed = breaker.executeCompletionStage(() -> failing);
    Boom boom = new Boom();
    failing.completeExceptionally(boom);
    assertThat(failed.toCompletableFuture().handle((v, e) -> e).join()).isSameAs(boom);
    assertThat(breaker.metrics().numberOfFailedCalls()).isEqualTo(1);
  }

  @Test
  void anAsynchronousCallIsTimedFromStartToCompletion() {
    CircuitBreaker breaker =
        CircuitBreaker.of("t", config(ticker).slowCallDurationThreshold(Duration.ofSeconds(1)).build());
    CompletableFuture<String> call = new CompletableFuture<>();
    breaker.executeCompletionStage(() -> call);
    ticker.advance(Duration.ofSeconds(3));
    call.complete("late");
    assertThat(breaker.metrics().numberOfSlowCalls()).isEqualTo(1);
    assertThat(breaker.metrics().totalCallDuration()).isEqualTo(Duration.ofSeconds(3));
  }

  @Test
  void aFailureWrappedInACompletionExceptionIsClassifiedByItsCause() {
    CircuitBreaker breaker = breaker();
    CompletableFuture<String> source = new CompletableFuture<>();
    CompletionStage<String> wrapped = source.thenApply(s -> s);
    CompletionStage<String> stage = breaker.executeCompletionStage(() -> wrapped);
    Ignorable ignorable = new Ignorable();
    source.completeExceptionally(ignorable);
    assertThat(stage.toCompletableFuture().handle((v, e) -> e).join()).isSameAs(ignorable);
    assertThat(breaker.metrics().totalIgnoredCalls()).isEqualTo(1);
    assertThat(breaker.metrics().numberOfBufferedCalls()).isZero();
    assertThatThrownBy(() -> stage.toCompletableFuture().join()).isInstanceOf(CompletionException.class).hasCause(ignorable);
  }

  @Test
  void aSupplierThatThrowsYieldsAFailedStageAndAFailure() {
    CircuitBreaker breaker = breaker();
    Boom boom = new Boom();
    CompletionStage<String> stage = breaker.executeCompletionStage(() -> { throw boom; });
    assertThat(stage.toCompletableFuture().handle((v, e) -> e).join()).isSameAs(boom);
    assertThat(breaker.metrics().numberOfFailedCalls()).isEqualTo(1);
  }

  @Test
  void aSupplierReturningNullYieldsAFailedStage() {
    CircuitBreaker breaker = breaker();
    CompletionStage<String> stage = breaker.executeCompletionStage(() -> null);
    assertThat(stage.toCompletableFuture().handle((v, e) -> e).join())
        .isInstanceOf(NullPointerException.class)
        .hasMessage("the supplier returned a null CompletionStage");
  }

  @Test
  void cancellingTheReturnedStageGivesTheTrialPermitBackAndCancelsTheCall() {
    CircuitBreaker breaker = tripped(config(ticker).permittedNumberOfCallsInHalfOpenState(1));
    ticker.advance(Duration.ofSeconds(60));
    CompletableFuture<String> call = new CompletableFuture<>();
    CompletionStage<String> stage = breaker.executeCompletionStage(() -> call);
    assertThat(breaker.state()).isEqualTo(State.HALF_OPEN);
    assertThat(breaker.tryAcquirePermission()).isFalse();
    assertThat(stage.toCompletableFuture().cancel(true)).isTrue();
    assertThat(call).isCancelled();
    assertThat(breaker.tryAcquirePermission()).isTrue();
    assertThat(breaker.metrics().numberOfBufferedCalls()).isZero();
  }

  @Test
  void aCallWhoseOwnStageIsCancelledGivesItsTrialPermitBack() {
    CircuitBreaker breaker = tripped(config(ticker).permittedNumberOfCallsInHalfOpenState(1));
    ticker.advance(Duration.ofSeconds(60));
    CompletableFuture<String> call = new CompletableFuture<>();
    CompletionStage<String> stage = breaker.executeCompletionStage(() -> call);
    call.cancel(false);
    assertThat(stage.toCompletableFuture().handle((v, e) -> e).join()).isInstanceOf(CancellationException.class);
    assertThat(breaker.tryAcquirePermission()).isTrue();
    assertThat(breaker.metrics().numberOfFailedCalls()).isZero();
  }

  @Test
  void completingAfterCancellationRecordsNothing() {
    CircuitBreaker breaker = breaker();
    CompletableFuture<String> call = new CompletableFuture<>();
    CompletionStage<String> stage = breaker.executeCompletionStage(() -> call.thenApply(s -> s));
    stage.toCompletableFuture().cancel(false);
    call.complete("too late");
    assertThat(breaker.metrics().numberOfBufferedCalls()).isZero();
    assertThat(breaker.metrics().totalSuccessfulCalls()).isZero();
  }

  @Test
  void aResultPredicateAppliesToAsynchronousResults() {
    CircuitBreaker breaker =
        CircuitBreaker.of("async-results", config(ticker).recordResult("503"::equals).build());
    assertThat(breaker.executeCompletionStage(() -> CompletableFuture.completedFuture("503")).toCompletableFuture().join())
        .isEqualTo("503");
    assertThat(breaker.metrics().numberOfFailedCalls()).isEqualTo(1);
  }

  // ---------------------------------------------------------------------------------------------------
  // Manual API

  @Test
  void theManualApiRecordsWhatItIsTold() {
    CircuitBreaker breaker =
        CircuitBreaker.of(
            "manual",
            config(ticker)
                .slowCallDurationThreshold(Duration.ofSeconds(1))
                .recordResult("bad"::equals)
                .ignoreExceptions(Ignorable.class)
                .build());
    assertThat(breaker.tryAcquirePermission()).isTrue();
    breaker.onSuccess(Duration.ofSeconds(2).toNanos());
    breaker.onResult(0, "bad");
    breaker.onResult(0, "good");
    breaker.onError(0, new Boom());
    breaker.onError(0, new Ignorable());
    CircuitBreaker.Metrics m = breaker.metrics();
    assertThat(m.numberOfBufferedCalls()).isEqualTo(4);
    assertThat(m.numberOfFailedCalls()).isEqualTo(2);
    assertThat(m.numberOfSlowCalls()).isEqualTo(1);
    assertThat(m.totalIgnoredCalls()).isEqualTo(1);
  }

  @Test
  void acquirePermissionThrowsWhenRejected() {
    CircuitBreaker breaker = tripped(config(ticker));
    assertThatThrownBy(breaker::acquirePermission).isInstanceOf(CallNotPermittedException.class);
    breaker.transitionToClosedState();
    breaker.acquirePermission();
  }

  @Test
  void anIgnoredManualErrorGivesTheTrialPermitBack() {
    CircuitBreaker breaker =
        tripped(config(ticker).permittedNumberOfCallsInHalfOpenState(1).ignoreExceptions(Ignorable.class));
    ticker.advance(Duration.ofSeconds(60));
    assertThat(breaker.tryAcquirePermission()).isTrue();
    breaker.onError(0, new Ignorable());
    assertThat(breaker.tryAcquirePermission()).isTrue();
  }

  @Test
  void toStringNamesTheBreakerAndItsState() {
    assertThat(breaker()).hasToString("CircuitBreaker[api, CLOSED]");
  }

  @Test
  void aFallbackThatThrowsOneSharedExceptionCarriesABoundedNumberOfSuppressedFailures() {
    CircuitBreaker breaker = CircuitBreaker.of("shared", CircuitBreakerConfig.builder().countBasedWindow(100).build());
    IllegalStateException shared = new IllegalStateException("fallback unavailable");

    for (int i = 0; i < 10_000; i++) {
      assertThatThrownBy(
              () ->
                  breaker.executeSupplier(
                      () -> {
                        throw new IllegalArgumentException("call failed");
                      },
                      failure -> {
                        throw shared;
                      }))
          .isSameAs(shared);
      breaker.reset();
    }

    assertThat(shared.getSuppressed()).hasSize(dev.fusebox.internal.Outcomes.MAX_SUPPRESSED);
  }

  @Test
  void aCallWhoseStageIsAlreadyCompleteGetsItsOwnStageBackWithTheOutcomeRecorded() {
    CircuitBreaker breaker = CircuitBreaker.ofDefaults("async");
    CompletableFuture<String> done = CompletableFuture.completedFuture("ready");

    CompletionStage<String> stage = breaker.executeCompletionStage(() -> done);

    assertThat(stage).isSameAs(done);
    assertThat(breaker.metrics().totalSuccessfulCalls()).isEqualTo(1);
  }
}
