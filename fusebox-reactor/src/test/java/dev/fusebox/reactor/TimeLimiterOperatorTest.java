package dev.fusebox.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusebox.circuitbreaker.CircuitBreaker;
import dev.fusebox.timelimiter.TimeLimiter;
import dev.fusebox.timelimiter.TimeLimiterConfig;
import dev.fusebox.timelimiter.TimeLimiterEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.test.publisher.PublisherProbe;
import reactor.test.publisher.TestPublisher;
import reactor.test.scheduler.VirtualTimeScheduler;

class TimeLimiterOperatorTest {

  private final VirtualTimeScheduler time = VirtualTimeScheduler.create();
  private final List<TimeLimiterEvent> events = new ArrayList<>();
  private final TimeLimiter limiter = TimeLimiter.of("search", TimeLimiterConfig.builder()
      .timeoutDuration(Duration.ofMillis(300))
      .cancelRunningFuture(false)
      .scheduler((task, nanos) -> {
        throw new AssertionError("the operator times on Reactor's scheduler");
      })
      .build());

  {
    limiter.onEvent(events::add);
  }

  @Test
  void aMonoInTimeIsASuccessAndItsTimerNeverFires() {
    TestPublisher<String> upstream = TestPublisher.create();

    StepVerifier.create(upstream.mono().transformDeferred(TimeLimiterOperator.of(limiter, time)))
        .then(() -> time.advanceTimeBy(Duration.ofMillis(299)))
        .then(() -> upstream.emit("hits"))
        .expectNext("hits")
        .verifyComplete();
    time.advanceTimeBy(Duration.ofSeconds(1));

    assertThat(limiter.metrics().numberOfSuccessfulCalls()).isEqualTo(1);
    assertThat(events).extracting(TimeLimiterEvent::type).containsExactly(TimeLimiterEvent.Type.SUCCESS);
  }

  @Test
  void aTimeOutCancelsTheSourceAndFailsWithTheLimitersTimeoutException() {
    PublisherProbe<String> upstream = PublisherProbe.of(Mono.never());

    StepVerifier.create(upstream.mono().transformDeferred(TimeLimiterOperator.of(limiter, time)))
        .then(() -> time.advanceTimeBy(Duration.ofMillis(300)))
        .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(TimeoutException.class)
            .hasMessage("TimeLimiter 'search' timed out after 300 ms"))
        .verify();

    upstream.assertWasCancelled();
    assertThat(limiter.metrics().numberOfTimedOutCalls()).isEqualTo(1);
    assertThat(events).singleElement().isInstanceOfSatisfying(TimeLimiterEvent.Timeout.class,
        timeout -> assertThat(timeout.cancelled()).isTrue());
  }

  @Test
  void theLimitBoundsAWholeFluxNotTheGapBetweenElements() {
    TestPublisher<Integer> upstream = TestPublisher.create();

    StepVerifier.create(upstream.flux().transformDeferred(TimeLimiterOperator.of(limiter, time)))
        .then(() -> time.advanceTimeBy(Duration.ofMillis(200)))
        .then(() -> upstream.next(1))
        .expectNext(1)
        .then(() -> time.advanceTimeBy(Duration.ofMillis(100)))
        .expectError(TimeoutException.class)
        .verify();

    upstream.assertCancelled();
  }

  @Test
  void aFluxThatEndsInTimeCountsOnce() {
    StepVerifier.create(Flux.range(1, 3).transformDeferred(TimeLimiterOperator.of(limiter, time)))
        .expectNext(1, 2, 3)
        .verifyComplete();

    assertThat(limiter.metrics().numberOfSuccessfulCalls()).isEqualTo(1);
    assertThat(time.getScheduledTaskCount()).isZero();
  }

  @Test
  void anErrorInTimeIsAFailureAndReachesTheSubscriberUnchanged() {
    IllegalStateException failure = new IllegalStateException("boom");

    StepVerifier.create(Mono.error(failure).transformDeferred(TimeLimiterOperator.of(limiter, time)))
        .expectErrorSatisfies(e -> assertThat(e).isSameAs(failure))
        .verify();

    assertThat(limiter.metrics().numberOfFailedCalls()).isEqualTo(1);
  }

  @Test
  void aCancelledSubscriptionCountsNothingAndDisposesItsTimer() {
    StepVerifier.create(Mono.never().transformDeferred(TimeLimiterOperator.of(limiter, time)))
        .expectSubscription()
        .thenCancel()
        .verify();

    assertThat(time.getScheduledTaskCount()).isZero();
    assertThat(events).isEmpty();
  }

  @Test
  void aTimeOutIsAFailureForABreakerOutside() {
    CircuitBreaker breaker = CircuitBreaker.ofDefaults("search");

    StepVerifier.create(Mono.never().transformDeferred(TimeLimiterOperator.of(limiter, time))
            .transformDeferred(CircuitBreakerOperator.of(breaker)))
        .then(() -> time.advanceTimeBy(Duration.ofMillis(300)))
        .expectError(TimeoutException.class)
        .verify();

    assertThat(breaker.metrics().numberOfFailedCalls()).isEqualTo(1);
  }

  @Test
  void aValueRacingTheTimerIsCountedOnceAndSignalledInOrder() {
    for (int round = 0; round < 200; round++) {
      TimeLimiter limiter = TimeLimiter.of("race", TimeLimiterConfig.builder().timeoutDuration(Duration.ofMillis(1)).build());
      VirtualTimeScheduler clock = VirtualTimeScheduler.create();
      TestPublisher<String> upstream = TestPublisher.createNoncompliant(TestPublisher.Violation.CLEANUP_ON_TERMINATE);
      List<String> signals = java.util.Collections.synchronizedList(new ArrayList<>());
      upstream.mono().transformDeferred(TimeLimiterOperator.of(limiter, clock))
          .subscribe(v -> signals.add("next"), e -> signals.add("error"), () -> signals.add("complete"));

      Races.race(() -> upstream.emit("value"), () -> clock.advanceTimeBy(Duration.ofMillis(1)));

      TimeLimiter.Metrics m = limiter.metrics();
      assertThat(m.numberOfSuccessfulCalls() + m.numberOfTimedOutCalls()).as("round %d", round).isEqualTo(1);
      assertThat(signals).isIn(List.of("next", "complete"), List.of("error"));
    }
  }

  @Test
  void timesOnReactorsParallelSchedulerByDefaultSoVirtualTimeControlsIt() {
    StepVerifier.withVirtualTime(() -> Mono.never().transformDeferred(TimeLimiterOperator.of(limiter)))
        .expectSubscription()
        .thenAwait(Duration.ofMillis(300))
        .expectError(TimeoutException.class)
        .verify();
  }
}
