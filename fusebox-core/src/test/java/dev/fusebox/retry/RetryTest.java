package dev.fusebox.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.fusebox.testing.ManualSleeper;
import dev.fusebox.testing.ManualTicker;
import dev.fusebox.circuitbreaker.CallNotPermittedException;
import dev.fusebox.circuitbreaker.CircuitBreaker;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RetryTest {

  private final ManualTicker ticker = new ManualTicker();
  private final ManualSleeper sleeper = new ManualSleeper(ticker);
  private final List<RetryEvent> events = new ArrayList<>();

  @AfterEach
  void clearInterrupt() {
    Thread.interrupted();
  }

  private RetryConfig.Builder config() {
    return RetryConfig.builder().ticker(ticker).sleeper(sleeper);
  }

  private Retry retry(RetryConfig.Builder config) {
    Retry retry = Retry.of("test", config.build());
    retry.onEvent(events::add);
    return retry;
  }

  static final class Transient extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Transient(String message) {
      super(message);
    }
  }

  /** Fails with a new {@link Transient} the first {@code failures} times, then returns "ok". */
  static Supplier<String> failing(int failures, AtomicInteger calls) {
    return () -> {
      int call = calls.incrementAndGet();
      if (call <= failures) {
        throw new Transient("failure " + call);
      }
      return "ok";
    };
  }

  private static List<Duration> millis(long... values) {
    List<Duration> durations = new ArrayList<>();
    for (long v : values) {
      durations.add(Duration.ofMillis(v));
    }
    return durations;
  }

  // ---------------------------------------------------------------------------------------------------
  // Success and exhaustion

  @Test
  void aCallThatSucceedsAtOnceIsNotRetriedAndPublishesNothing() {
    Retry retry = retry(config());
    AtomicInteger calls = new AtomicInteger();
    assertThat(retry.executeSupplier(failing(0, calls))).isEqualTo("ok");
    assertThat(calls).hasValue(1);
    assertThat(sleeper.sleeps()).isEmpty();
    assertThat(events).isEmpty();
    assertThat(retry.metrics().numberOfSuccessfulCallsWithoutRetryAttempt()).isEqualTo(1);
    assertThat(retry.metrics().numberOfTotalRetryAttempts()).isZero();
  }

  @Test
  void retriesAfterWaitDurationUntilTheCallSucceeds() {
    Retry retry = retry(config());
    AtomicInteger calls = new AtomicInteger();
    assertThat(retry.executeSupplier(failing(2, calls))).isEqualTo("ok");
    assertThat(calls).hasValue(3);
    assertThat(sleeper.sleeps()).isEqualTo(millis(500, 500));
    assertThat(events).extracting(RetryEvent::type)
        .containsExactly(RetryEvent.Type.RETRY, RetryEvent.Type.RETRY, RetryEvent.Type.SUCCESS);
    RetryEvent.Retrying first = (RetryEvent.Retrying) events.get(0);
    assertThat(first.attempt()).isEqualTo(1);
    assertThat(first.waitDuration()).isEqualTo(Duration.ofMillis(500));
    assertThat(first.error()).hasMessage("failure 1");
    assertThat(((RetryEvent.Success) events.get(2)).attempts()).isEqualTo(3);
    Retry.Metrics m = retry.metrics();
    assertThat(m.numberOfSuccessfulCallsWithRetryAttempt()).isEqualTo(1);
    assertThat(m.numberOfTotalRetryAttempts()).isEqualTo(2);
    assertThat(m.numberOfSuccessfulCallsWithoutRetryAttempt()).isZero();
  }

  @Test
  void givesUpAfterMaxAttemptsWithTheLastFailureAndTheEarlierOnesSuppressed() {
    Retry retry = retry(config().maxAttempts(3));
    AtomicInteger calls = new AtomicInteger();
    Throwable thrown = catchThrowable(() -> retry.executeSupplier(failing(10, calls)));
    assertThat(thrown).isInstanceOf(Transient.class).hasMessage("failure 3");
    assertThat(thrown.getSuppressed()).extracting(Throwable::getMessage).containsExactly("failure 1", "failure 2");
    assertThat(calls).hasValue(3);
    RetryEvent.Failure failure = (RetryEvent.Failure) events.get(events.size() - 1);
    assertThat(failure.reason()).isEqualTo(RetryEvent.StopReason.MAX_ATTEMPTS);
    assertThat(failure.attempts()).isEqualTo(3);
    assertThat(failure.error()).isSameAs(thrown);
    assertThat(retry.metrics().numberOfFailedCallsWithRetryAttempt()).isEqualTo(1);
  }

  @Test
  void maxAttemptsOfOneNeverRetries() {
    Retry retry = retry(config().maxAttempts(1));
    AtomicInteger calls = new AtomicInteger();
    assertThatThrownBy(() -> retry.executeSupplier(failing(1, calls))).hasMessage("failure 1");
    assertThat(calls).hasValue(1);
    assertThat(retry.metrics().numberOfFailedCallsWithoutRetryAttempt()).isEqualTo(1);
  }

  @Test
  void attachesAtMostEightEarlierFailures() {
    Retry retry = retry(config().maxAttempts(20).waitDuration(Duration.ZERO));
    Throwable thrown = catchThrowable(() -> retry.executeSupplier(failing(20, new AtomicInteger())));
    assertThat(thrown).hasMessage("failure 20");
    assertThat(thrown.getSuppressed()).hasSize(RetryImpl.MAX_SUPPRESSED);
    assertThat(thrown.getSuppressed()[0]).hasMessage("failure 1");
  }

  @Test
  void aSharedExceptionInstanceThrownEveryTimeIsNeitherSelfSuppressedNorGrowing() {
    Transient shared = new Transient("always the same");
    Retry retry = retry(config().maxAttempts(4).waitDuration(Duration.ZERO));
    for (int call = 0; call < 3; call++) {
      Throwable thrown = catchThrowable(() -> retry.executeSupplier(() -> {
        throw shared;
      }));
      assertThat(thrown).isSameAs(shared);
    }
    assertThat(shared.getSuppressed()).isEmpty();
  }

  @Test
  void rethrowsACheckedExceptionOfACallableUnchanged() {
    Retry retry = retry(config().maxAttempts(2).waitDuration(Duration.ZERO));
    IOException io = new IOException("disk");
    Throwable thrown = catchThrowable(() -> retry.executeCallable(() -> {
      throw io;
    }));
    assertThat(thrown).isSameAs(io);
  }

  @Test
  void runnablesAndFunctionsAreRetriedToo() {
    Retry retry = retry(config().waitDuration(Duration.ZERO));
    AtomicInteger runs = new AtomicInteger();
    retry.executeRunnable(() -> {
      if (runs.incrementAndGet() < 3) {
        throw new Transient("not yet");
      }
    });
    assertThat(runs).hasValue(3);

    List<Integer> arguments = new ArrayList<>();
    Function<Integer, Integer> twice = retry.decorateFunction(x -> {
      arguments.add(x);
      if (arguments.size() < 2) {
        throw new Transient("not yet");
      }
      return 2 * x;
    });
    assertThat(twice.apply(21)).isEqualTo(42);
    assertThat(arguments).containsExactly(21, 21);
  }

  @Test
  void decoratedCallsCanBeCalledManyTimes() throws Exception {
    Retry retry = retry(config().waitDuration(Duration.ZERO));
    AtomicInteger calls = new AtomicInteger();
    Supplier<String> decorated = retry.decorateSupplier(() -> {
      if (calls.incrementAndGet() % 2 == 1) {
        throw new Transient("odd");
      }
      return "even";
    });
    assertThat(decorated.get()).isEqualTo("even");
    assertThat(decorated.get()).isEqualTo("even");
    assertThat(retry.decorateCallable(() -> "x").call()).isEqualTo("x");
    assertThat(calls).hasValue(4);
    assertThat(retry.metrics().numberOfSuccessfulCallsWithRetryAttempt()).isEqualTo(2);
  }

  // ---------------------------------------------------------------------------------------------------
  // Backoff

  @Test
  void exponentialBackoffMultipliesTheWaitUpToItsCap() {
    Retry retry = retry(config().maxAttempts(6).waitDuration(Duration.ofMillis(100))
        .exponentialBackoff(2, Duration.ofMillis(500)));
    retry.executeSupplier(failing(5, new AtomicInteger()));
    assertThat(sleeper.sleeps()).isEqualTo(millis(100, 200, 400, 500, 500));
  }

  @Test
  void fullJitterDrawsEachWaitFromTheSeededRandomUnderTheCeiling() {
    RetryConfig.Builder jittered = config().maxAttempts(5).waitDuration(Duration.ofMillis(100))
        .exponentialBackoff(2, Duration.ofSeconds(1)).jitter(RetryConfig.Jitter.FULL);
    retry(jittered.random(new Random(7))).executeSupplier(failing(4, new AtomicInteger()));
    List<Duration> first = sleeper.sleeps();
    retry(jittered.random(new Random(7))).executeSupplier(failing(4, new AtomicInteger()));
    List<Duration> both = sleeper.sleeps();
    assertThat(first).hasSize(4);
    assertThat(both.subList(4, 8)).isEqualTo(first);
    List<Duration> ceilings = millis(100, 200, 400, 800);
    for (int i = 0; i < 4; i++) {
      assertThat(first.get(i)).isBetween(Duration.ZERO, ceilings.get(i));
    }
    assertThat(first).isNotEqualTo(ceilings);
  }

  @Test
  void decorrelatedJitterStartsFromWaitDurationAndStaysUnderTheCap() {
    Retry retry = retry(config().maxAttempts(8).waitDuration(Duration.ofMillis(100))
        .exponentialBackoff(3, Duration.ofMillis(700)).jitter(RetryConfig.Jitter.DECORRELATED)
        .random(new Random(3)));
    retry.executeSupplier(failing(7, new AtomicInteger()));
    Duration previous = Duration.ofMillis(100);
    for (Duration wait : sleeper.sleeps()) {
      assertThat(wait).isBetween(Duration.ofMillis(100), min(Duration.ofMillis(700), previous.multipliedBy(3)));
      previous = wait;
    }
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  // ---------------------------------------------------------------------------------------------------
  // What is retried

  @Test
  void retriesOnlyTheListedExceptionTypes() {
    Retry retry = retry(config().retryExceptions(Transient.class));
    AtomicInteger calls = new AtomicInteger();
    IllegalStateException bug = new IllegalStateException("bug");
    Throwable thrown = catchThrowable(() -> retry.executeSupplier(() -> {
      calls.incrementAndGet();
      throw bug;
    }));
    assertThat(thrown).isSameAs(bug);
    assertThat(calls).hasValue(1);
    assertThat(events).singleElement().isInstanceOfSatisfying(RetryEvent.IgnoredError.class, e -> {
      assertThat(e.error()).isSameAs(bug);
      assertThat(e.attempts()).isEqualTo(1);
    });
    assertThat(retry.metrics().numberOfFailedCallsWithoutRetryAttempt()).isEqualTo(1);
  }

  @Test
  void ignoreExceptionsWinOverRetryExceptions() {
    Retry retry = retry(config().retryExceptions(RuntimeException.class).ignoreExceptions(Transient.class));
    AtomicInteger calls = new AtomicInteger();
    assertThatThrownBy(() -> retry.executeSupplier(failing(5, calls))).isInstanceOf(Transient.class);
    assertThat(calls).hasValue(1);
  }

  @Test
  void retryOnExceptionAddsToTheListedTypes() {
    Retry retry = retry(config().waitDuration(Duration.ZERO).retryExceptions(IllegalStateException.class)
        .retryOnException(e -> e.getMessage().startsWith("failure")));
    AtomicInteger calls = new AtomicInteger();
    assertThat(retry.executeSupplier(failing(2, calls))).isEqualTo("ok");
    assertThat(calls).hasValue(3);
  }

  @Test
  void aNonRetryableFailureAfterRetriesCarriesTheEarlierOnes() {
    Retry retry = retry(config().waitDuration(Duration.ZERO).retryExceptions(Transient.class));
    AtomicInteger calls = new AtomicInteger();
    Throwable thrown = catchThrowable(() -> retry.executeSupplier(() -> {
      if (calls.incrementAndGet() == 1) {
        throw new Transient("first");
      }
      throw new IllegalArgumentException("second");
    }));
    assertThat(thrown).hasMessage("second");
    assertThat(thrown.getSuppressed()).extracting(Throwable::getMessage).containsExactly("first");
    assertThat(retry.metrics().numberOfFailedCallsWithRetryAttempt()).isEqualTo(1);
  }

  @Test
  void errorsAreNotRetriedUnlessListed() {
    AtomicInteger calls = new AtomicInteger();
    Supplier<String> asserting = () -> {
      calls.incrementAndGet();
      throw new AssertionError("boom");
    };
    assertThatThrownBy(() -> retry(config()).executeSupplier(asserting)).isInstanceOf(AssertionError.class);
    assertThat(calls).hasValue(1);
    assertThatThrownBy(() -> retry(config().waitDuration(Duration.ZERO).retryExceptions(AssertionError.class))
        .executeSupplier(asserting)).isInstanceOf(AssertionError.class);
    assertThat(calls).hasValue(4);
  }

  @Test
  void neverRetriesACircuitBreakerRejectionWhateverTheConfigurationSays() {
    Retry retry = retry(config().retryExceptions(CallNotPermittedException.class, RuntimeException.class)
        .retryOnException(e -> true));
    CallNotPermittedException rejection =
        CallNotPermittedException.of("backend", CircuitBreaker.State.OPEN, Duration.ofSeconds(5));
    AtomicInteger calls = new AtomicInteger();
    Throwable thrown = catchThrowable(() -> retry.executeSupplier(() -> {
      calls.incrementAndGet();
      throw rejection;
    }));
    assertThat(thrown).isSameAs(rejection);
    assertThat(calls).hasValue(1);
    assertThat(events).singleElement().isInstanceOf(RetryEvent.IgnoredError.class);
  }

  @Test
  void neverRetriesARejectionWrappedByAJoinedStage() {
    Retry retry = retry(config().retryOnException(e -> true));
    CompletionException wrapped = new CompletionException(
        CallNotPermittedException.of("backend", CircuitBreaker.State.FORCED_OPEN, null));
    AtomicInteger calls = new AtomicInteger();
    assertThatThrownBy(() -> retry.executeSupplier(() -> {
      calls.incrementAndGet();
      throw wrapped;
    })).isSameAs(wrapped);
    assertThat(calls).hasValue(1);
  }

  @Test
  void neverRetriesAnInterruptedExceptionThrownByTheCall() {
    Retry retry = retry(config().retryOnException(e -> true));
    AtomicInteger calls = new AtomicInteger();
    assertThatThrownBy(() -> retry.executeCallable(() -> {
      calls.incrementAndGet();
      throw new InterruptedException("stop");
    })).isInstanceOf(InterruptedException.class);
    assertThat(calls).hasValue(1);
  }

  // ---------------------------------------------------------------------------------------------------
  // Results

  @Test
  void retriesOnResultAndReturnsTheLastResultWhenAttemptsRunOut() {
    Retry retry = retry(config().retryOnResult(r -> (Integer) r == 503));
    AtomicInteger calls = new AtomicInteger();
    Integer result = retry.executeSupplier(() -> {
      calls.incrementAndGet();
      return 503;
    });
    assertThat(result).isEqualTo(503);
    assertThat(calls).hasValue(3);
    RetryEvent.Failure last = (RetryEvent.Failure) events.get(events.size() - 1);
    assertThat(last.result()).isEqualTo(503);
    assertThat(last.error()).isNull();
    assertThat(retry.metrics().numberOfFailedCallsWithRetryAttempt()).isEqualTo(1);
  }

  @Test
  void retriesOnResultUntilAnAcceptableOne() {
    Retry retry = retry(config().retryOnResult(r -> (Integer) r == 503));
    AtomicInteger calls = new AtomicInteger();
    assertThat(retry.executeSupplier(() -> calls.incrementAndGet() < 2 ? 503 : 200)).isEqualTo(200);
    assertThat(((RetryEvent.Retrying) events.get(0)).result()).isEqualTo(503);
  }

  @Test
  void failAfterMaxAttemptsTurnsTheLastResultIntoMaxRetriesExceeded() {
    Retry retry = retry(config().retryOnResult(r -> r == null).failAfterMaxAttempts(true));
    AtomicInteger calls = new AtomicInteger();
    Throwable thrown = catchThrowable(() -> retry.executeSupplier(() -> {
      if (calls.incrementAndGet() == 1) {
        throw new Transient("first");
      }
      return null;
    }));
    assertThat(thrown).isInstanceOfSatisfying(MaxRetriesExceededException.class, e -> {
      assertThat(e.retryName()).isEqualTo("test");
      assertThat(e.attempts()).isEqualTo(3);
      assertThat(e.lastResult()).isNull();
      assertThat(e).hasMessage("Retry 'test' reached maxAttempts after 3 attempts with a result still to retry");
    });
    assertThat(thrown.getSuppressed()).extracting(Throwable::getMessage).containsExactly("first");
  }

  @Test
  void aThrowingResultPredicateReachesTheCaller() {
    Retry retry = retry(config().retryOnResult(r -> {
      throw new IllegalStateException("predicate bug");
    }));
    assertThatThrownBy(() -> retry.executeSupplier(() -> "x")).hasMessage("predicate bug");
  }

  // ---------------------------------------------------------------------------------------------------
  // Retry-After

  record Throttled(Duration delay) implements RetryAfterHint {
    @Override
    public Optional<Duration> retryAfter() {
      return Optional.of(delay);
    }
  }

  static final class ThrottledException extends RuntimeException implements RetryAfterHint {
    private static final long serialVersionUID = 1L;
    private final transient Duration wait;

    ThrottledException(Duration wait) {
      super("throttled");
      this.wait = wait;
    }

    @Override
    public Optional<Duration> retryAfter() {
      return Optional.ofNullable(wait);
    }
  }

  @Test
  void waitsForTheServersRetryAfterWhenLongerThanTheBackoff() {
    Retry retry = retry(config().waitDuration(Duration.ofMillis(500)));
    AtomicInteger calls = new AtomicInteger();
    retry.executeSupplier(() -> {
      switch (calls.incrementAndGet()) {
        case 1 -> throw new ThrottledException(Duration.ofSeconds(3));
        case 2 -> throw new ThrottledException(Duration.ofMillis(100));
        default -> {
          return "ok";
        }
      }
    });
    assertThat(sleeper.sleeps()).isEqualTo(millis(3_000, 500));
    assertThat(((RetryEvent.Retrying) events.get(0)).waitDuration()).isEqualTo(Duration.ofSeconds(3));
  }

  @Test
  void readsRetryAfterFromResultsImplementingTheHint() {
    Retry retry = retry(config().retryOnResult(r -> r instanceof Throttled));
    AtomicInteger calls = new AtomicInteger();
    Object result = retry.executeSupplier(() -> calls.incrementAndGet() == 1 ? new Throttled(Duration.ofSeconds(2)) : "ok");
    assertThat(result).isEqualTo("ok");
    assertThat(sleeper.sleeps()).isEqualTo(millis(2_000));
  }

  @Test
  void readsRetryAfterThroughTheConfiguredExtractors() {
    Retry retry = retry(config()
        .retryOnResult(r -> r instanceof Integer status && status == 429)
        .retryAfterFromResult(r -> Optional.of(Duration.ofSeconds(4)))
        .retryAfterFromException(e -> e instanceof Transient ? Optional.of(Duration.ofSeconds(6)) : Optional.empty()));
    AtomicInteger calls = new AtomicInteger();
    Object result = retry.executeSupplier(() -> {
      switch (calls.incrementAndGet()) {
        case 1 -> {
          return 429;
        }
        case 2 -> throw new Transient("busy");
        default -> {
          return 200;
        }
      }
    });
    assertThat(result).isEqualTo(200);
    assertThat(sleeper.sleeps()).isEqualTo(millis(4_000, 6_000));
  }

  @Test
  void ignoresAbsentAndNegativeHints() {
    Retry retry = retry(config().retryAfterFromException(e -> null));
    AtomicInteger calls = new AtomicInteger();
    retry.executeSupplier(() -> {
      switch (calls.incrementAndGet()) {
        case 1 -> throw new ThrottledException(null);
        case 2 -> throw new ThrottledException(Duration.ofSeconds(-5));
        default -> {
          return "ok";
        }
      }
    });
    assertThat(sleeper.sleeps()).isEqualTo(millis(500, 500));
  }

  // ---------------------------------------------------------------------------------------------------
  // maxDuration

  @Test
  void stopsWhenTheNextAttemptWouldStartAtOrAfterMaxDuration() {
    Retry retry = retry(config().maxAttempts(10).waitDuration(Duration.ofMillis(400)).maxDuration(Duration.ofSeconds(1)));
    AtomicInteger calls = new AtomicInteger();
    Throwable thrown = catchThrowable(() -> retry.executeSupplier(() -> {
      calls.incrementAndGet();
      ticker.advance(Duration.ofMillis(100));
      throw new Transient("slow failure");
    }));
    // Attempts start at 0 and 500 ms; the third would start at 1000 ms, which is the limit.
    assertThat(thrown).isInstanceOf(Transient.class);
    assertThat(calls).hasValue(2);
    assertThat(sleeper.sleeps()).isEqualTo(millis(400));
    RetryEvent.Failure failure = (RetryEvent.Failure) events.get(events.size() - 1);
    assertThat(failure.reason()).isEqualTo(RetryEvent.StopReason.MAX_DURATION);
    assertThat(failure.attempts()).isEqualTo(2);
  }

  @Test
  void aRetryAfterBeyondMaxDurationEndsTheCallAtOnceInsteadOfWaiting() {
    Retry retry = retry(config().maxDuration(Duration.ofSeconds(10)));
    ThrottledException throttled = new ThrottledException(Duration.ofSeconds(30));
    Throwable thrown = catchThrowable(() -> retry.executeSupplier(() -> {
      throw throttled;
    }));
    assertThat(thrown).isSameAs(throttled);
    assertThat(sleeper.sleeps()).isEmpty();
    assertThat(ticker.nanos()).isZero();
  }

  // ---------------------------------------------------------------------------------------------------
  // Budget

  @Test
  void anExhaustedBudgetEndsTheCallAtOnceAndSaysSo() {
    RetryBudget budget = RetryBudget.builder().retryPercent(0).minRetriesPerSecond(1)
        .window(Duration.ofSeconds(1)).ticker(ticker).build();
    Retry retry = retry(config().maxAttempts(5).waitDuration(Duration.ofMillis(10)).retryBudget(budget));
    AtomicInteger calls = new AtomicInteger();
    Throwable thrown = catchThrowable(() -> retry.executeSupplier(failing(10, calls)));
    assertThat(thrown).hasMessage("failure 2");
    assertThat(calls).hasValue(2);
    assertThat(events).extracting(RetryEvent::type)
        .containsExactly(RetryEvent.Type.RETRY, RetryEvent.Type.BUDGET_EXHAUSTED);
    RetryEvent.BudgetExhausted exhausted = (RetryEvent.BudgetExhausted) events.get(1);
    assertThat(exhausted.attempts()).isEqualTo(2);
    assertThat(exhausted.error()).isSameAs(thrown);
    assertThat(retry.metrics().numberOfBudgetExhaustedCalls()).isEqualTo(1);
    assertThat(retry.metrics().numberOfFailedCallsWithRetryAttempt()).isEqualTo(1);
  }

  @Test
  void retriesSharingABudgetDrawOnTheSamePool() {
    RetryBudget budget = RetryBudget.builder().retryPercent(50).minRetriesPerSecond(0)
        .window(Duration.ofSeconds(10)).ticker(ticker).build();
    Retry first = retry(config().waitDuration(Duration.ZERO).retryBudget(budget));
    Retry second = Retry.of("other", config().waitDuration(Duration.ZERO).retryBudget(budget).build());
    for (int i = 0; i < 4; i++) {
      first.executeSupplier(() -> "fine");
    }
    // Four requests earned two retries; the other retry's request adds half of one, and it spends two.
    AtomicInteger calls = new AtomicInteger();
    assertThat(second.executeSupplier(failing(2, calls))).isEqualTo("ok");
    assertThat(budget.availableRetries()).isZero();
    // The next request brings the balance to exactly one retry: the call fails twice, then is refused.
    assertThatThrownBy(() -> first.executeSupplier(failing(5, new AtomicInteger()))).hasMessage("failure 2");
    assertThat(first.metrics().numberOfBudgetExhaustedCalls()).isEqualTo(1);
  }

  @Test
  void aBudgetRefusalOnAResultReturnsThatResult() {
    RetryBudget budget = RetryBudget.builder().retryPercent(10).minRetriesPerSecond(0).ticker(ticker).build();
    Retry retry = retry(config().retryOnResult(r -> r.equals("busy")).retryBudget(budget));
    assertThat(retry.executeSupplier(() -> "busy")).isEqualTo("busy");
    assertThat(events).singleElement().isInstanceOfSatisfying(RetryEvent.BudgetExhausted.class,
        e -> assertThat(e.result()).isEqualTo("busy"));
  }

  // ---------------------------------------------------------------------------------------------------
  // Interruption

  @Test
  void anInterruptDuringTheWaitStopsRetryingAndKeepsTheFlag() {
    Retry retry = retry(config().sleeper(nanos -> {
      throw new InterruptedException("woken");
    }));
    AtomicInteger calls = new AtomicInteger();
    Throwable thrown = catchThrowable(() -> retry.executeSupplier(failing(5, calls)));
    assertThat(Thread.interrupted()).isTrue();
    assertThat(thrown).hasMessage("failure 1");
    assertThat(thrown.getSuppressed()).singleElement().isInstanceOf(InterruptedException.class);
    assertThat(calls).hasValue(1);
    assertThat(((RetryEvent.Failure) events.get(events.size() - 1)).reason())
        .isEqualTo(RetryEvent.StopReason.INTERRUPTED);
  }

  @Test
  void anInterruptedThreadDoesNotStartAnotherAttempt() {
    Retry retry = retry(config().waitDuration(Duration.ZERO));
    AtomicInteger calls = new AtomicInteger();
    Throwable thrown = catchThrowable(() -> retry.executeSupplier(() -> {
      calls.incrementAndGet();
      Thread.currentThread().interrupt();
      throw new Transient("interrupted while failing");
    }));
    assertThat(thrown).hasMessage("interrupted while failing");
    assertThat(Thread.currentThread().isInterrupted()).isTrue();
    assertThat(calls).hasValue(1);
    assertThat(events).singleElement().isInstanceOfSatisfying(RetryEvent.Failure.class,
        e -> assertThat(e.reason()).isEqualTo(RetryEvent.StopReason.INTERRUPTED));
  }

  @Test
  void anInterruptOnAResultReturnsThatResult() {
    Retry retry = retry(config().retryOnResult(r -> true).sleeper(nanos -> {
      throw new InterruptedException();
    }));
    assertThat(retry.executeSupplier(() -> "partial")).isEqualTo("partial");
    assertThat(Thread.interrupted()).isTrue();
  }

  // ---------------------------------------------------------------------------------------------------
  // Listeners and names

  @Test
  void aThrowingListenerNeverReachesTheCaller() {
    Retry retry = retry(config());
    retry.onEvent(e -> {
      throw new IllegalStateException("listener bug");
    });
    assertThat(retry.executeSupplier(failing(1, new AtomicInteger()))).isEqualTo("ok");
    assertThat(events).hasSize(2);
  }

  @Test
  void aClosedSubscriptionReceivesNothingMore() {
    Retry retry = Retry.of("quiet", config().build());
    List<RetryEvent> seen = new ArrayList<>();
    retry.onEvent(seen::add).close();
    retry.executeSupplier(failing(1, new AtomicInteger()));
    assertThat(seen).isEmpty();
  }

  @Test
  void rejectsABlankOrNullName() {
    assertThatThrownBy(() -> Retry.of(" ", RetryConfig.ofDefaults()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("name must not be blank, was ' '");
    assertThatThrownBy(() -> Retry.of(null, RetryConfig.ofDefaults()))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("name must not be null");
    assertThatThrownBy(() -> Retry.of("x", null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("config must not be null");
  }

  @Test
  void rejectsNullCalls() {
    Retry retry = Retry.ofDefaults("nulls");
    assertThatThrownBy(() -> retry.executeSupplier(null)).hasMessage("supplier must not be null");
    assertThatThrownBy(() -> retry.decorateFunction(null)).hasMessage("function must not be null");
    assertThatThrownBy(() -> retry.executeCompletionStage(null)).hasMessage("supplier must not be null");
  }
}
