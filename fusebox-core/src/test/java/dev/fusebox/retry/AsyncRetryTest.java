package dev.fusebox.retry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusebox.testing.ManualScheduler;
import dev.fusebox.testing.ManualTicker;
import dev.fusebox.circuitbreaker.CallNotPermittedException;
import dev.fusebox.circuitbreaker.CircuitBreaker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class AsyncRetryTest {

  private final ManualTicker ticker = new ManualTicker();
  private final ManualScheduler scheduler = new ManualScheduler(ticker);
  private final List<RetryEvent> events = new ArrayList<>();

  private Retry retry(RetryConfig.Builder config) {
    Retry retry = Retry.of("async", config.ticker(ticker).scheduler(scheduler).sleeper(nanos -> {
      throw new AssertionError("an asynchronous retry must never sleep");
    }).build());
    retry.onEvent(events::add);
    return retry;
  }

  /** Returns a stage failed with a new exception the first {@code failures} times, then one with "ok". */
  private static Supplier<CompletionStage<String>> failing(int failures, AtomicInteger calls) {
    return () -> {
      int call = calls.incrementAndGet();
      return call <= failures
          ? CompletableFuture.failedFuture(new IllegalStateException("failure " + call))
          : CompletableFuture.completedFuture("ok");
    };
  }

  private static Throwable failureOf(CompletionStage<?> stage) {
    CompletableFuture<?> future = stage.toCompletableFuture();
    assertThat(future).isCompletedExceptionally();
    try {
      future.join();
      throw new AssertionError("not failed");
    } catch (CompletionException e) {
      return e.getCause();
    }
  }

  @Test
  void schedulesEachRetryInsteadOfBlockingAndCompletesWithTheValue() {
    Retry retry = retry(RetryConfig.builder());
    AtomicInteger calls = new AtomicInteger();
    CompletionStage<String> stage = retry.executeCompletionStage(failing(2, calls));
    assertThat(stage.toCompletableFuture()).isNotDone();
    assertThat(calls).hasValue(1);
    assertThat(scheduler.pendingDelays()).containsExactly(Duration.ofMillis(500));

    scheduler.advance(Duration.ofMillis(499));
    assertThat(calls).hasValue(1);
    scheduler.advance(Duration.ofMillis(1));
    assertThat(calls).hasValue(2);
    scheduler.advance(Duration.ofMillis(500));
    assertThat(stage.toCompletableFuture()).isCompletedWithValue("ok");
    assertThat(calls).hasValue(3);
    assertThat(retry.metrics().numberOfSuccessfulCallsWithRetryAttempt()).isEqualTo(1);
    assertThat(retry.metrics().numberOfTotalRetryAttempts()).isEqualTo(2);
    assertThat(events).extracting(RetryEvent::type)
        .containsExactly(RetryEvent.Type.RETRY, RetryEvent.Type.RETRY, RetryEvent.Type.SUCCESS);
  }

  @Test
  void aStageThatSucceedsAtOnceCompletesAtOnce() {
    Retry retry = retry(RetryConfig.builder());
    CompletionStage<String> stage = retry.executeCompletionStage(() -> CompletableFuture.completedFuture("now"));
    assertThat(stage.toCompletableFuture()).isCompletedWithValue("now");
    assertThat(scheduler.pending()).isZero();
    assertThat(retry.metrics().numberOfSuccessfulCallsWithoutRetryAttempt()).isEqualTo(1);
  }

  @Test
  void waitsForAStageThatCompletesLater() {
    Retry retry = retry(RetryConfig.builder());
    List<CompletableFuture<String>> attempts = new ArrayList<>();
    CompletionStage<String> stage = retry.executeCompletionStage(() -> {
      CompletableFuture<String> attempt = new CompletableFuture<>();
      attempts.add(attempt);
      return attempt;
    });
    attempts.get(0).completeExceptionally(new IllegalStateException("late failure"));
    scheduler.advance(Duration.ofMillis(500));
    assertThat(attempts).hasSize(2);
    attempts.get(1).complete("late success");
    assertThat(stage.toCompletableFuture()).isCompletedWithValue("late success");
  }

  @Test
  void givesUpWithTheLastFailureAndTheEarlierOnesSuppressed() {
    Retry retry = retry(RetryConfig.builder().maxAttempts(3));
    CompletionStage<String> stage = retry.executeCompletionStage(failing(5, new AtomicInteger()));
    scheduler.advance(Duration.ofSeconds(5));
    Throwable failure = failureOf(stage);
    assertThat(failure).hasMessage("failure 3");
    assertThat(failure.getSuppressed()).extracting(Throwable::getMessage).containsExactly("failure 1", "failure 2");
    assertThat(retry.metrics().numberOfFailedCallsWithRetryAttempt()).isEqualTo(1);
  }

  @Test
  void aSupplierThatThrowsIsAFailedAttempt() {
    Retry retry = retry(RetryConfig.builder());
    AtomicInteger calls = new AtomicInteger();
    CompletionStage<String> stage = retry.executeCompletionStage(() -> {
      if (calls.incrementAndGet() == 1) {
        throw new IllegalStateException("threw before returning a stage");
      }
      return CompletableFuture.completedFuture("second time lucky");
    });
    assertThat(stage.toCompletableFuture()).isNotDone();
    scheduler.advance(Duration.ofMillis(500));
    assertThat(stage.toCompletableFuture()).isCompletedWithValue("second time lucky");
  }

  @Test
  void aNullStageFailsTheAttemptWithANullPointerException() {
    Retry retry = retry(RetryConfig.builder().maxAttempts(1));
    CompletionStage<String> stage = retry.executeCompletionStage(() -> null);
    assertThat(failureOf(stage)).isInstanceOf(NullPointerException.class)
        .hasMessage("the supplier returned a null CompletionStage");
  }

  @Test
  void neverRetriesAStageRejectedByACircuitBreaker() {
    Retry retry = retry(RetryConfig.builder().retryOnException(e -> true));
    CallNotPermittedException rejection = CallNotPermittedException.of("b", CircuitBreaker.State.OPEN, null);
    AtomicInteger calls = new AtomicInteger();
    CompletionStage<String> stage = retry.executeCompletionStage(() -> {
      calls.incrementAndGet();
      return CompletableFuture.failedFuture(rejection);
    });
    assertThat(failureOf(stage)).isSameAs(rejection);
    assertThat(scheduler.pending()).isZero();
    assertThat(calls).hasValue(1);
    assertThat(events).singleElement().isInstanceOf(RetryEvent.IgnoredError.class);
  }

  @Test
  void cancellingTheStageStopsTheRetriesAndCancelsTheScheduledAttempt() {
    Retry retry = retry(RetryConfig.builder());
    AtomicInteger calls = new AtomicInteger();
    CompletionStage<String> stage = retry.executeCompletionStage(failing(5, calls));
    assertThat(scheduler.pending()).isEqualTo(1);
    assertThat(stage.toCompletableFuture().cancel(false)).isTrue();
    assertThat(scheduler.pending()).isZero();
    scheduler.advance(Duration.ofSeconds(10));
    assertThat(calls).hasValue(1);
  }

  @Test
  void cancellingTheStageCancelsTheAttemptInFlight() {
    Retry retry = retry(RetryConfig.builder());
    CompletableFuture<String> attempt = new CompletableFuture<>();
    CompletionStage<String> stage = retry.executeCompletionStage(() -> attempt);
    stage.toCompletableFuture().cancel(true);
    assertThat(attempt).isCancelled();
    assertThat(scheduler.pending()).isZero();
    assertThat(events).isEmpty();
  }

  @Test
  void retriesOnResultAndFailsAfterMaxAttemptsWhenAsked() {
    Retry retry = retry(RetryConfig.builder().retryOnResult("busy"::equals).failAfterMaxAttempts(true));
    CompletionStage<String> stage = retry.executeCompletionStage(() -> CompletableFuture.completedFuture("busy"));
    scheduler.advance(Duration.ofSeconds(1));
    assertThat(failureOf(stage)).isInstanceOfSatisfying(MaxRetriesExceededException.class,
        e -> assertThat(e.lastResult()).isEqualTo("busy"));
  }

  @Test
  void retriesOnResultAndReturnsTheLastResultByDefault() {
    Retry retry = retry(RetryConfig.builder().retryOnResult("busy"::equals));
    CompletionStage<String> stage = retry.executeCompletionStage(() -> CompletableFuture.completedFuture("busy"));
    scheduler.advance(Duration.ofSeconds(1));
    assertThat(stage.toCompletableFuture()).isCompletedWithValue("busy");
  }

  @Test
  void stopsAtMaxDurationMeasuredOnTheTicker() {
    Retry retry = retry(RetryConfig.builder().maxAttempts(10).waitDuration(Duration.ofMillis(300))
        .maxDuration(Duration.ofSeconds(1)));
    AtomicInteger calls = new AtomicInteger();
    CompletionStage<String> stage = retry.executeCompletionStage(failing(10, calls));
    scheduler.advance(Duration.ofSeconds(5));
    // Attempts start at 0, 300, 600 and 900 ms; the next would start at 1200 ms, past the limit.
    assertThat(calls).hasValue(4);
    assertThat(failureOf(stage)).hasMessage("failure 4");
    assertThat(((RetryEvent.Failure) events.get(events.size() - 1)).reason())
        .isEqualTo(RetryEvent.StopReason.MAX_DURATION);
  }

  @Test
  void anExhaustedBudgetEndsTheAsynchronousCallAtOnce() {
    RetryBudget budget = RetryBudget.builder().retryPercent(0).minRetriesPerSecond(1)
        .window(Duration.ofSeconds(1)).ticker(ticker).build();
    Retry retry = retry(RetryConfig.builder().retryBudget(budget));
    AtomicInteger calls = new AtomicInteger();
    CompletionStage<String> stage = retry.executeCompletionStage(failing(5, calls));
    scheduler.advance(Duration.ofMillis(500));
    assertThat(failureOf(stage)).hasMessage("failure 2");
    assertThat(scheduler.pending()).isZero();
    assertThat(events.get(events.size() - 1)).isInstanceOf(RetryEvent.BudgetExhausted.class);
  }

  @Test
  void aDecoratedStageSupplierRetriesOnEveryCall() {
    Retry retry = retry(RetryConfig.builder());
    AtomicInteger calls = new AtomicInteger();
    Supplier<CompletionStage<String>> decorated = retry.decorateCompletionStage(() -> {
      int call = calls.incrementAndGet();
      return call % 2 == 1
          ? CompletableFuture.failedFuture(new IllegalStateException("odd"))
          : CompletableFuture.completedFuture("even " + call);
    });
    CompletionStage<String> first = decorated.get();
    scheduler.advance(Duration.ofMillis(500));
    CompletionStage<String> second = decorated.get();
    scheduler.advance(Duration.ofMillis(500));
    assertThat(first.toCompletableFuture()).isCompletedWithValue("even 2");
    assertThat(second.toCompletableFuture()).isCompletedWithValue("even 4");
  }

  @Test
  void aSchedulerThatRefusesEndsTheCallWithTheAttemptsFailure() {
    RejectedExecutionException refused = new RejectedExecutionException("scheduler shut down");
    Retry retry = Retry.of("refused", RetryConfig.builder().scheduler((task, delay) -> {
      throw refused;
    }).build());
    CompletionStage<String> stage = retry.executeCompletionStage(failing(5, new AtomicInteger()));
    Throwable failure = failureOf(stage);
    assertThat(failure).hasMessage("failure 1");
    assertThat(failure.getSuppressed()).containsExactly(refused);
    assertThat(retry.metrics().numberOfFailedCallsWithoutRetryAttempt()).isEqualTo(1);
  }

  @Test
  void withNoWaitANextAttemptThatFinishesBeforeSchedulingReturnsIsStillCountedOnce() throws Exception {
    java.util.concurrent.ScheduledExecutorService executor = java.util.concurrent.Executors.newScheduledThreadPool(2);
    try {
      Retry retry =
          Retry.of(
              "immediate",
              RetryConfig.builder()
                  .maxAttempts(3)
                  .waitDuration(Duration.ZERO)
                  .scheduler(dev.fusebox.Scheduler.of(executor))
                  .build());
      for (int round = 0; round < 300; round++) {
        AtomicInteger attempts = new AtomicInteger();
        CompletionStage<String> stage =
            retry.executeCompletionStage(() -> {
              attempts.incrementAndGet();
              return CompletableFuture.failedFuture(new IllegalStateException("down"));
            });
        assertThat(stage.toCompletableFuture().handle((v, e) -> e).get(10, java.util.concurrent.TimeUnit.SECONDS))
            .isInstanceOf(IllegalStateException.class);
        assertThat(attempts).as("round %d", round).hasValue(3);
      }
    } finally {
      executor.shutdownNow();
    }
  }
}
