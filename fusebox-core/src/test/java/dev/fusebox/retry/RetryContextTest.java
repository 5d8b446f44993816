package dev.fusebox.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fusebox.circuitbreaker.CallNotPermittedException;
import dev.fusebox.circuitbreaker.CircuitBreaker;
import dev.fusebox.testing.ManualTicker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The decisions of a call whose attempts the caller makes itself: the same rules, counts and events. */
class RetryContextTest {

  private final ManualTicker ticker = new ManualTicker();
  private final List<RetryEvent> events = new ArrayList<>();

  private Retry retry(RetryConfig.Builder config) {
    Retry retry = Retry.of("ctx", config.ticker(ticker).sleeper(nanos -> {
      throw new AssertionError("a context never sleeps");
    }).scheduler((task, delay) -> {
      throw new AssertionError("a context never schedules");
    }).build());
    retry.onEvent(events::add);
    return retry;
  }

  @Test
  void aFirstAttemptThatSucceedsEndsTheCallAndCountsItWithoutRetry() {
    Retry retry = retry(RetryConfig.builder());
    Retry.Context context = retry.context();

    assertThat(context.onResult("ok")).isEqualTo(Retry.Context.STOP);
    assertThat(context.failure()).isNull();
    assertThat(context.attempts()).isEqualTo(1);
    assertThat(retry.metrics().numberOfSuccessfulCallsWithoutRetryAttempt()).isEqualTo(1);
    assertThat(retry.metrics().numberOfTotalRetryAttempts()).isZero();
    assertThat(events).isEmpty();
  }

  @Test
  void answersTheConfiguredBackoffAfterEachRetryableFailureAndCountsTheRescue() {
    Retry retry = retry(RetryConfig.builder().maxAttempts(4).exponentialBackoff(2.0, Duration.ofSeconds(10)));
    Retry.Context context = retry.context();

    assertThat(context.onError(new IllegalStateException("1"))).isEqualTo(Duration.ofMillis(500).toNanos());
    assertThat(context.onError(new IllegalStateException("2"))).isEqualTo(Duration.ofMillis(1000).toNanos());
    assertThat(context.onResult("ok")).isEqualTo(Retry.Context.STOP);

    assertThat(context.failure()).isNull();
    assertThat(context.attempts()).isEqualTo(3);
    Retry.Metrics m = retry.metrics();
    assertThat(m.numberOfSuccessfulCallsWithRetryAttempt()).isEqualTo(1);
    assertThat(m.numberOfTotalRetryAttempts()).isEqualTo(2);
    assertThat(events).extracting(RetryEvent::type)
        .containsExactly(RetryEvent.Type.RETRY, RetryEvent.Type.RETRY, RetryEvent.Type.SUCCESS);
  }

  @Test
  void endsAtMaxAttemptsWithTheLastFailureItselfAndTheEarlierOnesSuppressed() {
    Retry retry = retry(RetryConfig.builder().maxAttempts(3));
    Retry.Context context = retry.context();
    IllegalStateException first = new IllegalStateException("1");
    IllegalStateException second = new IllegalStateException("2");
    IllegalStateException last = new IllegalStateException("3");

    assertThat(context.onError(first)).isPositive();
    assertThat(context.onError(second)).isPositive();
    assertThat(context.onError(last)).isEqualTo(Retry.Context.STOP);

    assertThat(context.failure()).isSameAs(last);
    assertThat(last.getSuppressed()).containsExactly(first, second);
    assertThat(retry.metrics().numberOfFailedCallsWithRetryAttempt()).isEqualTo(1);
    assertThat(retry.metrics().numberOfTotalRetryAttempts()).isEqualTo(2);
    assertThat(events).last().isInstanceOfSatisfying(RetryEvent.Failure.class, failure -> {
      assertThat(failure.reason()).isEqualTo(RetryEvent.StopReason.MAX_ATTEMPTS);
      assertThat(failure.attempts()).isEqualTo(3);
    });
  }

  @Test
  void anExceptionThatIsNotRetriedEndsTheCallAtOnce() {
    Retry retry = retry(RetryConfig.builder().ignoreExceptions(IllegalArgumentException.class));
    Retry.Context context = retry.context();
    IllegalArgumentException bad = new IllegalArgumentException("bad request");

    assertThat(context.onError(bad)).isEqualTo(Retry.Context.STOP);

    assertThat(context.failure()).isSameAs(bad);
    assertThat(retry.metrics().numberOfFailedCallsWithoutRetryAttempt()).isEqualTo(1);
    assertThat(events).extracting(RetryEvent::type).containsExactly(RetryEvent.Type.IGNORED_ERROR);
  }

  @Test
  void aBreakersRejectionIsNeverRetried() {
    Retry retry = retry(RetryConfig.builder());
    CallNotPermittedException rejection = CallNotPermittedException.of("open", CircuitBreaker.State.OPEN, null);

    Retry.Context context = retry.context();

    assertThat(context.onError(rejection)).isEqualTo(Retry.Context.STOP);
    assertThat(context.failure()).isSameAs(rejection);
  }

  @Test
  void aResultToRetryIsRetriedAndEndsWithMaxRetriesExceededWhenSoConfigured() {
    Retry retry = retry(RetryConfig.builder().maxAttempts(2).retryOnResult("busy"::equals).failAfterMaxAttempts(true));
    Retry.Context context = retry.context();

    assertThat(context.onResult("busy")).isEqualTo(Duration.ofMillis(500).toNanos());
    assertThat(context.onResult("busy")).isEqualTo(Retry.Context.STOP);

    assertThat(context.failure()).isInstanceOfSatisfying(MaxRetriesExceededException.class,
        e -> assertThat(e.getMessage()).contains("ctx"));
    assertThat(retry.metrics().numberOfFailedCallsWithRetryAttempt()).isEqualTo(1);
  }

  @Test
  void aResultToRetryEndsWithTheResultWhenRetriesRunOutWithoutFailAfterMaxAttempts() {
    Retry retry = retry(RetryConfig.builder().maxAttempts(2).retryOnResult("busy"::equals));
    Retry.Context context = retry.context();

    assertThat(context.onResult("busy")).isPositive();
    assertThat(context.onResult("busy")).isEqualTo(Retry.Context.STOP);

    assertThat(context.failure()).isNull();
    assertThat(retry.metrics().numberOfFailedCallsWithRetryAttempt()).isEqualTo(1);
  }

  @Test
  void onSuccessEndsTheCallWithoutAskingTheResultPredicate() {
    AtomicInteger asked = new AtomicInteger();
    Retry retry = retry(RetryConfig.builder().retryOnResult(result -> asked.incrementAndGet() > 0));
    Retry.Context context = retry.context();

    context.onSuccess();

    assertThat(asked).hasValue(0);
    assertThat(context.failure()).isNull();
    assertThat(retry.metrics().numberOfSuccessfulCallsWithoutRetryAttempt()).isEqualTo(1);
  }

  @Test
  void stopsWhenTheNextAttemptCouldNotStartWithinMaxDurationCountedFromTheContextsCreation() {
    ticker.set(Long.MAX_VALUE - Duration.ofSeconds(1).toNanos());
    Retry retry = retry(RetryConfig.builder().maxAttempts(10).maxDuration(Duration.ofMillis(1200)));
    Retry.Context context = retry.context();
    ticker.advance(Duration.ofMillis(100));
    assertThat(context.onError(new IllegalStateException("1"))).isEqualTo(Duration.ofMillis(500).toNanos());
    ticker.advance(Duration.ofMillis(600));
    IllegalStateException late = new IllegalStateException("2");

    assertThat(context.onError(late)).isEqualTo(Retry.Context.STOP);

    assertThat(context.failure()).isSameAs(late);
    assertThat(events).last().isInstanceOfSatisfying(RetryEvent.Failure.class,
        failure -> assertThat(failure.reason()).isEqualTo(RetryEvent.StopReason.MAX_DURATION));
  }

  @Test
  void aServersRetryAfterHintLongerThanTheBackoffIsTheWait() {
    Retry retry = retry(RetryConfig.builder()
        .retryAfterFromException(e -> Optional.of(Duration.ofSeconds(3))));
    Retry.Context context = retry.context();

    assertThat(context.onError(new IllegalStateException("503"))).isEqualTo(Duration.ofSeconds(3).toNanos());
  }

  @Test
  void anExhaustedBudgetEndsTheCallAndEachContextCountsOneRequest() {
    RetryBudget budget = RetryBudget.builder().retryPercent(1).minRetriesPerSecond(0).ticker(ticker).build();
    Retry retry = retry(RetryConfig.builder().retryBudget(budget));
    Retry.Context context = retry.context();
    IllegalStateException failure = new IllegalStateException("1");

    assertThat(context.onError(failure)).isEqualTo(Retry.Context.STOP);

    assertThat(context.failure()).isSameAs(failure);
    assertThat(retry.metrics().numberOfBudgetExhaustedCalls()).isEqualTo(1);
    assertThat(events).extracting(RetryEvent::type).containsExactly(RetryEvent.Type.BUDGET_EXHAUSTED);
  }

  @Test
  void countsAndPublishesExactlyWhatTheSynchronousLoopDoesForTheSameAttempts() {
    Retry sync = Retry.of("ctx", RetryConfig.builder().maxAttempts(3).ticker(ticker).sleeper(nanos -> { }).build());
    sync.onEvent(events::add);
    AtomicInteger calls = new AtomicInteger();
    sync.executeSupplier(() -> {
      if (calls.incrementAndGet() < 3) {
        throw new IllegalStateException("flaky");
      }
      return "ok";
    });
    List<RetryEvent.Type> syncEvents = events.stream().map(RetryEvent::type).toList();
    events.clear();

    Retry manual = retry(RetryConfig.builder().maxAttempts(3));
    Retry.Context context = manual.context();
    context.onError(new IllegalStateException("flaky"));
    context.onError(new IllegalStateException("flaky"));
    context.onResult("ok");

    assertThat(events).extracting(RetryEvent::type).isEqualTo(syncEvents);
    assertThat(manual.metrics()).usingRecursiveComparison().isEqualTo(sync.metrics());
  }

  @Test
  void aThrowingPredicatePropagatesFromTheReport() {
    IllegalStateException broken = new IllegalStateException("predicate");
    Retry retry = retry(RetryConfig.builder().retryOnResult(result -> {
      throw broken;
    }));
    Retry.Context context = retry.context();

    assertThatThrownBy(() -> context.onResult("x")).isSameAs(broken);
  }

  @Test
  void aVirtualMachineErrorEndsTheCallUncounted() {
    Retry retry = retry(RetryConfig.builder());
    Retry.Context context = retry.context();
    OutOfMemoryError oom = new OutOfMemoryError("test");

    assertThat(context.onError(oom)).isEqualTo(Retry.Context.STOP);

    assertThat(context.failure()).isSameAs(oom);
    assertThat(retry.metrics().numberOfFailedCallsWithoutRetryAttempt()).isZero();
  }

  @Test
  void refusesANullError() {
    Retry.Context context = retry(RetryConfig.builder()).context();

    assertThatThrownBy(() -> context.onError(null))
        .isInstanceOf(NullPointerException.class).hasMessage("error must not be null");
  }
}
