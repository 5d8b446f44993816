package dev.fusebox.timelimiter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.fusebox.testing.ManualScheduler;
import dev.fusebox.testing.ManualTicker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class AsyncTimeLimiterTest {

  private final ManualScheduler scheduler = new ManualScheduler(new ManualTicker());
  private final List<TimeLimiterEvent> events = new ArrayList<>();

  private TimeLimiter limiter(TimeLimiterConfig.Builder config) {
    TimeLimiter limiter = TimeLimiter.of("async", config.scheduler(scheduler).build());
    limiter.onEvent(events::add);
    return limiter;
  }

  private static Throwable failureOf(CompletionStage<?> stage) {
    return catchThrowable(() -> stage.toCompletableFuture().join()) instanceof CompletionException e
        ? e.getCause()
        : null;
  }

  @Test
  void aStageThatCompletesInTimeCompletesTheResultAndCancelsTheTimer() {
    TimeLimiter limiter = limiter(TimeLimiterConfig.builder());
    CompletableFuture<String> call = new CompletableFuture<>();
    CompletionStage<String> stage = limiter.executeCompletionStage(() -> call);
    assertThat(scheduler.pendingDelays()).containsExactly(Duration.ofSeconds(1));
    scheduler.advance(Duration.ofMillis(999));
    assertThat(stage.toCompletableFuture()).isNotDone();
    call.complete("in time");
    assertThat(stage.toCompletableFuture()).isCompletedWithValue("in time");
    assertThat(scheduler.pending()).isZero();
    assertThat(limiter.metrics().numberOfSuccessfulCalls()).isEqualTo(1);
    assertThat(events).singleElement().isInstanceOf(TimeLimiterEvent.Success.class);
  }

  @Test
  void failsWithTimeoutExceptionWhenTheTimerFiresFirstAndCancelsTheCall() {
    TimeLimiter limiter = limiter(TimeLimiterConfig.builder().timeoutDuration(Duration.ofMillis(300)));
    CompletableFuture<String> call = new CompletableFuture<>();
    CompletionStage<String> stage = limiter.executeCompletionStage(() -> call);
    scheduler.advance(Duration.ofMillis(300));
    assertThat(failureOf(stage)).isInstanceOf(TimeoutException.class)
        .hasMessage("TimeLimiter 'async' timed out after 300 ms");
    assertThat(call).isCancelled();
    assertThat(limiter.metrics().numberOfTimedOutCalls()).isEqualTo(1);
    assertThat(events).singleElement().isInstanceOfSatisfying(TimeLimiterEvent.Timeout.class,
        e -> assertThat(e.cancelled()).isTrue());
  }

  @Test
  void leavesTheCallRunningWhenCancelRunningFutureIsOff() {
    TimeLimiter limiter = limiter(TimeLimiterConfig.builder().cancelRunningFuture(false));
    CompletableFuture<String> call = new CompletableFuture<>();
    CompletionStage<String> stage = limiter.executeCompletionStage(() -> call);
    scheduler.advance(Duration.ofSeconds(1));
    assertThat(failureOf(stage)).isInstanceOf(TimeoutException.class);
    assertThat(call).isNotDone();
    call.complete("too late");
    assertThat(failureOf(stage)).isInstanceOf(TimeoutException.class);
    assertThat(limiter.metrics().numberOfSuccessfulCalls()).isZero();
    assertThat(limiter.metrics().numberOfTimedOutCalls()).isEqualTo(1);
  }

  @Test
  void handsTheCallsOwnFailureOverUnwrapped() {
    TimeLimiter limiter = limiter(TimeLimiterConfig.builder());
    IllegalStateException boom = new IllegalStateException("boom");
    CompletionStage<String> stage = limiter.executeCompletionStage(() -> CompletableFuture.failedFuture(boom));
    assertThat(failureOf(stage)).isSameAs(boom);
    assertThat(scheduler.pending()).isZero();
    assertThat(limiter.metrics().numberOfFailedCalls()).isEqualTo(1);
    assertThat(events).singleElement().isInstanceOfSatisfying(TimeLimiterEvent.Failure.class,
        e -> assertThat(e.error()).isSameAs(boom));
  }

  @Test
  void aSupplierThatThrowsOrReturnsNullYieldsAFailedStage() {
    TimeLimiter limiter = limiter(TimeLimiterConfig.builder());
    IllegalStateException boom = new IllegalStateException("boom");
    assertThat(failureOf(limiter.executeCompletionStage(() -> {
      throw boom;
    }))).isSameAs(boom);
    assertThat(failureOf(limiter.executeCompletionStage(() -> null)))
        .isInstanceOf(NullPointerException.class).hasMessage("the supplier returned a null CompletionStage");
    assertThat(scheduler.pending()).isZero();
    assertThat(limiter.metrics().numberOfFailedCalls()).isEqualTo(2);
  }

  @Test
  void cancellingTheResultCancelsTheCallAndTheTimer() {
    TimeLimiter limiter = limiter(TimeLimiterConfig.builder());
    CompletableFuture<String> call = new CompletableFuture<>();
    CompletionStage<String> stage = limiter.executeCompletionStage(() -> call);
    stage.toCompletableFuture().cancel(true);
    assertThat(call).isCancelled();
    assertThat(scheduler.pending()).isZero();
    assertThat(events).isEmpty();
  }

  @Test
  void countsACallOnceWhenItCompletesJustAfterTheTimeout() {
    TimeLimiter limiter = limiter(TimeLimiterConfig.builder());
    CompletableFuture<String> call = new CompletableFuture<>();
    CompletionStage<String> stage = limiter.executeCompletionStage(() -> call);
    scheduler.advance(Duration.ofSeconds(1));
    call.complete("late");
    TimeLimiter.Metrics m = limiter.metrics();
    assertThat(m.numberOfTimedOutCalls() + m.numberOfSuccessfulCalls() + m.numberOfFailedCalls()).isEqualTo(1);
    assertThat(failureOf(stage)).isInstanceOf(TimeoutException.class);
  }

  @Test
  void aDecoratedStageSupplierIsTimedOnEveryCall() {
    TimeLimiter limiter = limiter(TimeLimiterConfig.builder());
    List<CompletableFuture<String>> calls = new ArrayList<>();
    var decorated = limiter.decorateCompletionStage(() -> {
      CompletableFuture<String> call = new CompletableFuture<>();
      calls.add(call);
      return call;
    });
    CompletionStage<String> first = decorated.get();
    scheduler.advance(Duration.ofMillis(500));
    CompletionStage<String> second = decorated.get();
    scheduler.advance(Duration.ofMillis(500));
    assertThat(failureOf(first)).isInstanceOf(TimeoutException.class);
    assertThat(second.toCompletableFuture()).isNotDone();
    calls.get(1).complete("second in time");
    assertThat(second.toCompletableFuture()).isCompletedWithValue("second in time");
  }

  @Test
  void aSchedulerThatRefusesFailsTheStageAndCancelsTheCall() {
    RejectedExecutionException refused = new RejectedExecutionException("scheduler shut down");
    TimeLimiter limiter = TimeLimiter.of("refused", TimeLimiterConfig.builder().scheduler((task, delay) -> {
      throw refused;
    }).build());
    CompletableFuture<String> call = new CompletableFuture<>();
    assertThat(failureOf(limiter.executeCompletionStage(() -> call))).isSameAs(refused);
    assertThat(call).isCancelled();
  }

  /** Counts the timers scheduled, so that a test sees one that was scheduled and cancelled at once too. */
  private TimeLimiter counted(java.util.concurrent.atomic.AtomicInteger timers) {
    TimeLimiter limiter = TimeLimiter.of("counted", TimeLimiterConfig.builder().scheduler((task, delay) -> {
      timers.incrementAndGet();
      return scheduler.schedule(task, delay);
    }).build());
    limiter.onEvent(events::add);
    return limiter;
  }

  @Test
  void aStageAlreadyCompleteSchedulesNoTimerAndCountsOnce() {
    java.util.concurrent.atomic.AtomicInteger timers = new java.util.concurrent.atomic.AtomicInteger();
    TimeLimiter limiter = counted(timers);
    CompletionStage<String> stage = limiter.executeCompletionStage(() -> CompletableFuture.completedFuture("done"));
    assertThat(stage.toCompletableFuture()).isCompletedWithValue("done");
    assertThat(timers).hasValue(0);
    assertThat(limiter.metrics().numberOfSuccessfulCalls()).isEqualTo(1);
    assertThat(events).singleElement().isInstanceOf(TimeLimiterEvent.Success.class);
  }

  @Test
  void aStageAlreadyFailedIsHandedOverUnwrappedWithoutATimer() {
    java.util.concurrent.atomic.AtomicInteger timers = new java.util.concurrent.atomic.AtomicInteger();
    TimeLimiter limiter = counted(timers);
    IllegalStateException boom = new IllegalStateException("boom");
    CompletableFuture<String> failed = new CompletableFuture<>();
    failed.completeExceptionally(new CompletionException(boom));
    CompletionStage<String> stage = limiter.executeCompletionStage(() -> failed);
    assertThat(failureOf(stage)).isSameAs(boom);
    assertThat(timers).hasValue(0);
    assertThat(limiter.metrics().numberOfFailedCalls()).isEqualTo(1);
  }

  @Test
  void aStageAlreadyCompleteNeedsNoScheduler() {
    TimeLimiter limiter = TimeLimiter.of("refused", TimeLimiterConfig.builder().scheduler((task, delay) -> {
      throw new RejectedExecutionException("scheduler shut down");
    }).build());
    assertThat(limiter.executeCompletionStage(() -> CompletableFuture.completedFuture("done")).toCompletableFuture())
        .isCompletedWithValue("done");
  }
}
