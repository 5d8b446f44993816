package dev.fusebox.reactor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fusebox.circuitbreaker.CallNotPermittedException;
import dev.fusebox.circuitbreaker.CircuitBreaker;
import dev.fusebox.retry.MaxRetriesExceededException;
import dev.fusebox.retry.Retry;
import dev.fusebox.retry.RetryConfig;
import dev.fusebox.retry.RetryEvent;
import dev.fusebox.testing.ManualTicker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;
import reactor.util.context.Context;

class RetryOperatorTest {

  private final ManualTicker ticker = new ManualTicker();
  private final VirtualTimeScheduler time = VirtualTimeScheduler.create();
  private final List<RetryEvent> events = new ArrayList<>();

  private Retry retry(RetryConfig.Builder config) {
    Retry retry = Retry.of("quotes", config.ticker(ticker)
        .sleeper(nanos -> {
          throw new AssertionError("the operator never sleeps");
        })
        .scheduler((task, nanos) -> {
          throw new AssertionError("the operator waits on Reactor's scheduler");
        })
        .build());
    retry.onEvent(events::add);
    return retry;
  }

  /** Moves the retry's ticker and Reactor's virtual time together. */
  private void advance(Duration duration) {
    ticker.advance(duration);
    time.advanceTimeBy(duration);
  }

  /** A Mono that fails the first {@code failures} subscriptions, then emits the subscription's number. */
  private static Mono<Integer> failing(int failures, AtomicInteger subscriptions) {
    return Mono.defer(() -> {
      int n = subscriptions.incrementAndGet();
      return n <= failures ? Mono.error(new IllegalStateException("failure " + n)) : Mono.just(n);
    });
  }

  @Test
  void reSubscribesAfterEachWaitAndEmitsTheValueOfTheAttemptThatSucceeded() {
    Retry retry = retry(RetryConfig.builder().maxAttempts(3));
    AtomicInteger subscriptions = new AtomicInteger();

    StepVerifier.create(failing(2, subscriptions).transformDeferred(RetryOperator.of(retry, time)))
        .expectSubscription()
        .then(() -> assertThat(subscriptions).hasValue(1))
        .then(() -> advance(Duration.ofMillis(499)))
        .then(() -> assertThat(subscriptions).hasValue(1))
        .then(() -> advance(Duration.ofMillis(1)))
        .then(() -> assertThat(subscriptions).hasValue(2))
        .then(() -> advance(Duration.ofMillis(500)))
        .expectNext(3)
        .verifyComplete();

    assertThat(retry.metrics().numberOfSuccessfulCallsWithRetryAttempt()).isEqualTo(1);
    assertThat(retry.metrics().numberOfTotalRetryAttempts()).isEqualTo(2);
    assertThat(events).extracting(RetryEvent::type)
        .containsExactly(RetryEvent.Type.RETRY, RetryEvent.Type.RETRY, RetryEvent.Type.SUCCESS);
  }

  @Test
  void theSubscriberGetsTheLastFailureItselfWithTheEarlierOnesSuppressed() {
    Retry retry = retry(RetryConfig.builder().maxAttempts(3).waitDuration(Duration.ofMillis(10)));
    List<Throwable> thrown = new ArrayList<>();
    Mono<String> source = Mono.defer(() -> {
      IllegalStateException e = new IllegalStateException("failure " + (thrown.size() + 1));
      thrown.add(e);
      return Mono.error(e);
    });

    StepVerifier.create(source.transformDeferred(RetryOperator.of(retry, time)))
        .then(() -> advance(Duration.ofMillis(20)))
        .expectErrorSatisfies(e -> {
          assertThat(e).isSameAs(thrown.get(2));
          assertThat(e.getSuppressed()).containsExactly(thrown.get(0), thrown.get(1));
        })
        .verify();

    assertThat(retry.metrics().numberOfFailedCallsWithRetryAttempt()).isEqualTo(1);
  }

  @Test
  void aFirstAttemptThatSucceedsNeedsNoWaitAndCountsWithoutRetry() {
    Retry retry = retry(RetryConfig.builder());

    StepVerifier.create(Mono.just("now").transformDeferred(RetryOperator.of(retry, time)))
        .expectNext("now")
        .verifyComplete();

    assertThat(retry.metrics().numberOfSuccessfulCallsWithoutRetryAttempt()).isEqualTo(1);
    assertThat(time.getScheduledTaskCount()).isZero();
  }

  @Test
  void aValueToRetryIsDroppedAndTheSourceSubscribedAgain() {
    Retry retry = retry(RetryConfig.builder().retryOnResult(value -> (Integer) value < 2));
    AtomicInteger subscriptions = new AtomicInteger();

    StepVerifier.create(Mono.fromCallable(subscriptions::incrementAndGet).transformDeferred(RetryOperator.of(retry, time)))
        .then(() -> advance(Duration.ofMillis(500)))
        .expectNext(2)
        .verifyComplete();

    assertThat(retry.metrics().numberOfSuccessfulCallsWithRetryAttempt()).isEqualTo(1);
  }

  @Test
  void aValueStillToRetryAfterTheLastAttemptFailsWithMaxRetriesExceededWhenSoConfigured() {
    Retry retry = retry(RetryConfig.builder().maxAttempts(2).retryOnResult("busy"::equals).failAfterMaxAttempts(true));

    StepVerifier.create(Mono.just("busy").transformDeferred(RetryOperator.of(retry, time)))
        .then(() -> advance(Duration.ofMillis(500)))
        .expectError(MaxRetriesExceededException.class)
        .verify();
  }

  @Test
  void aValueStillToRetryAfterTheLastAttemptIsPassedOnOtherwise() {
    Retry retry = retry(RetryConfig.builder().maxAttempts(2).retryOnResult("busy"::equals));

    StepVerifier.create(Mono.just("busy").transformDeferred(RetryOperator.of(retry, time)))
        .then(() -> advance(Duration.ofMillis(500)))
        .expectNext("busy")
        .verifyComplete();
  }

  @Test
  void anEmptyMonoIsASuccessAndTheResultPredicateNeverSeesNull() {
    AtomicInteger judged = new AtomicInteger();
    Retry retry = retry(RetryConfig.builder().retryOnResult(value -> judged.incrementAndGet() > 0));

    StepVerifier.create(Mono.<Void>empty().transformDeferred(RetryOperator.of(retry, time))).verifyComplete();

    assertThat(judged).hasValue(0);
    assertThat(retry.metrics().numberOfSuccessfulCallsWithoutRetryAttempt()).isEqualTo(1);
  }

  @Test
  void aResultPredicateThatThrowsEndsTheCallWithItsException() {
    IllegalStateException broken = new IllegalStateException("predicate");
    Retry retry = retry(RetryConfig.builder().retryOnResult(value -> {
      throw broken;
    }));
    AtomicInteger subscriptions = new AtomicInteger();

    StepVerifier.create(Mono.fromCallable(subscriptions::incrementAndGet).transformDeferred(RetryOperator.of(retry, time)))
        .expectErrorSatisfies(e -> assertThat(e).isSameAs(broken))
        .verify();

    assertThat(subscriptions).hasValue(1);
  }

  @Test
  void anExceptionThatIsNotRetriedEndsTheCallAtOnce() {
    Retry retry = retry(RetryConfig.builder().ignoreExceptions(IllegalArgumentException.class));
    AtomicInteger subscriptions = new AtomicInteger();
    Mono<String> source = Mono.defer(() -> {
      subscriptions.incrementAndGet();
      return Mono.error(new IllegalArgumentException("bad request"));
    });

    StepVerifier.create(source.transformDeferred(RetryOperator.of(retry, time)))
        .expectError(IllegalArgumentException.class)
        .verify();

    assertThat(subscriptions).hasValue(1);
    assertThat(events).extracting(RetryEvent::type).containsExactly(RetryEvent.Type.IGNORED_ERROR);
  }

  @Test
  void eachAttemptAsksTheBreakerAndARejectionIsNotRetried() {
    CircuitBreaker breaker = CircuitBreaker.ofDefaults("quotes");
    Retry retry = retry(RetryConfig.builder().maxAttempts(5));
    AtomicInteger subscriptions = new AtomicInteger();
    Mono<String> source = Mono.defer(() -> {
      subscriptions.incrementAndGet();
      breaker.transitionToForcedOpenState();
      return Mono.error(new IllegalStateException("down"));
    });

    StepVerifier.create(source.transformDeferred(CircuitBreakerOperator.of(breaker))
            .transformDeferred(RetryOperator.of(retry, time)))
        .then(() -> advance(Duration.ofMillis(500)))
        .expectError(CallNotPermittedException.class)
        .verify();

    assertThat(subscriptions).hasValue(1);
    assertThat(retry.metrics().numberOfFailedCallsWithRetryAttempt()).isEqualTo(1);
  }

  @Test
  void aFluxIsRetriedOnErrorAndItsElementsAreNotJudged() {
    Retry retry = retry(RetryConfig.builder().retryOnResult("bad"::equals));
    AtomicInteger subscriptions = new AtomicInteger();
    Flux<String> source = Flux.defer(() -> subscriptions.incrementAndGet() == 1
        ? Flux.just("a", "bad").concatWith(Flux.error(new IllegalStateException("cut off")))
        : Flux.just("a", "bad", "c"));

    StepVerifier.create(source.transformDeferred(RetryOperator.of(retry, time)))
        .expectNext("a", "bad")
        .then(() -> advance(Duration.ofMillis(500)))
        .expectNext("a", "bad", "c")
        .verifyComplete();

    assertThat(retry.metrics().numberOfSuccessfulCallsWithRetryAttempt()).isEqualTo(1);
  }

  @Test
  void cancellingDuringAWaitStopsTheRetriesAndCountsNoCall() {
    Retry retry = retry(RetryConfig.builder());
    AtomicInteger subscriptions = new AtomicInteger();

    StepVerifier.create(failing(5, subscriptions).transformDeferred(RetryOperator.of(retry, time)))
        .expectSubscription()
        .then(() -> assertThat(time.getScheduledTaskCount()).isEqualTo(1))
        .thenCancel()
        .verify();
    advance(Duration.ofSeconds(10));

    assertThat(subscriptions).hasValue(1);
    Retry.Metrics m = retry.metrics();
    assertThat(m.numberOfFailedCallsWithRetryAttempt() + m.numberOfFailedCallsWithoutRetryAttempt()
        + m.numberOfSuccessfulCallsWithRetryAttempt() + m.numberOfSuccessfulCallsWithoutRetryAttempt()).isZero();
  }

  @Test
  void maxDurationIsCountedFromSubscriptionOnTheRetrysTicker() {
    ticker.set(Long.MAX_VALUE - 100);
    Retry retry = retry(RetryConfig.builder().maxAttempts(10).maxDuration(Duration.ofMillis(1200)));
    AtomicInteger subscriptions = new AtomicInteger();

    // Attempts at 0 and 500 ms are retried; after the third, at 1000 ms, a wait of 500 would pass 1200.
    StepVerifier.create(failing(10, subscriptions).transformDeferred(RetryOperator.of(retry, time)))
        .then(() -> advance(Duration.ofMillis(500)))
        .then(() -> advance(Duration.ofMillis(500)))
        .expectErrorSatisfies(e -> assertThat(e).hasMessage("failure 3"))
        .verify();

    assertThat(events).last().isInstanceOfSatisfying(RetryEvent.Failure.class,
        f -> assertThat(f.reason()).isEqualTo(RetryEvent.StopReason.MAX_DURATION));
  }

  @Test
  void everySubscriptionIsACallOfItsOwn() {
    Retry retry = retry(RetryConfig.builder());
    Mono<String> guarded = Mono.just("ok").transformDeferred(RetryOperator.of(retry, time));

    StepVerifier.create(guarded.repeat(2)).expectNext("ok", "ok", "ok").verifyComplete();

    assertThat(retry.metrics().numberOfSuccessfulCallsWithoutRetryAttempt()).isEqualTo(3);
  }

  @Test
  void theSubscribersContextReachesEveryAttempt() {
    Retry retry = retry(RetryConfig.builder());
    List<String> seen = new ArrayList<>();
    Mono<String> source = Mono.deferContextual(context -> {
      seen.add(context.get("tenant"));
      return seen.size() < 2 ? Mono.error(new IllegalStateException("again")) : Mono.just("ok");
    });

    StepVerifier.create(source.transformDeferred(RetryOperator.of(retry, time)).contextWrite(Context.of("tenant", "acme")))
        .then(() -> advance(Duration.ofMillis(500)))
        .expectNext("ok")
        .verifyComplete();

    assertThat(seen).containsExactly("acme", "acme");
  }

  @Test
  void waitsOnReactorsParallelSchedulerByDefaultSoVirtualTimeControlsIt() {
    Retry retry = retry(RetryConfig.builder().waitDuration(Duration.ofMinutes(5)));
    AtomicInteger subscriptions = new AtomicInteger();

    StepVerifier.withVirtualTime(() -> failing(1, subscriptions).transformDeferred(RetryOperator.of(retry)))
        .expectSubscription()
        .thenAwait(Duration.ofMinutes(5))
        .expectNext(2)
        .verifyComplete();
  }

  @Test
  void refusesNullArguments() {
    Retry retry = retry(RetryConfig.builder());
    assertThatThrownBy(() -> RetryOperator.of(null))
        .isInstanceOf(NullPointerException.class).hasMessage("retry must not be null");
    assertThatThrownBy(() -> RetryOperator.of(retry, null))
        .isInstanceOf(NullPointerException.class).hasMessage("scheduler must not be null");
  }
}
