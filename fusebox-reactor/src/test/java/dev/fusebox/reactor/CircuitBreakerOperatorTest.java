package dev.fusebox.reactor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fusebox.circuitbreaker.CallNotPermittedException;
import dev.fusebox.circuitbreaker.CircuitBreaker;
import dev.fusebox.circuitbreaker.CircuitBreakerConfig;
import dev.fusebox.testing.ManualTicker;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.Fuseable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;
import reactor.test.publisher.PublisherProbe;
import reactor.test.publisher.TestPublisher;
import reactor.util.context.Context;

class CircuitBreakerOperatorTest {

  private final ManualTicker ticker = new ManualTicker();

  private CircuitBreaker breaker(CircuitBreakerConfig.Builder config) {
    return CircuitBreaker.of("quotes", config.ticker(ticker).build());
  }

  private CircuitBreaker breaker() {
    return breaker(CircuitBreakerConfig.builder());
  }

  @Test
  void aMonosValueIsRecordedAsASuccessAndPassedOn() {
    CircuitBreaker breaker = breaker();

    StepVerifier.create(Mono.just("quote").transformDeferred(CircuitBreakerOperator.of(breaker)))
        .expectNext("quote")
        .verifyComplete();

    assertThat(breaker.metrics().numberOfSuccessfulCalls()).isEqualTo(1);
    assertThat(breaker.metrics().numberOfBufferedCalls()).isEqualTo(1);
  }

  @Test
  void anErrorIsRecordedAsAFailureAndTheSubscriberGetsTheSameException() {
    CircuitBreaker breaker = breaker();
    IOException failure = new IOException("down");

    StepVerifier.create(Mono.<String>error(failure).transformDeferred(CircuitBreakerOperator.of(breaker)))
        .expectErrorSatisfies(e -> assertThat(e).isSameAs(failure))
        .verify();

    assertThat(breaker.metrics().numberOfFailedCalls()).isEqualTo(1);
  }

  @Test
  void aRejectedSubscriptionFailsWithTheBreakersRejectionWithoutSubscribingUpstream() {
    CircuitBreaker breaker = breaker(CircuitBreakerConfig.builder().waitDurationInOpenState(Duration.ofSeconds(30)));
    breaker.transitionToOpenState();
    ticker.advance(Duration.ofSeconds(10));
    PublisherProbe<String> upstream = PublisherProbe.of(Mono.just("quote"));

    StepVerifier.create(upstream.mono().transformDeferred(CircuitBreakerOperator.of(breaker)))
        .expectErrorSatisfies(e -> assertThat(e).isInstanceOfSatisfying(CallNotPermittedException.class, rejection -> {
          assertThat(rejection.breakerName()).isEqualTo("quotes");
          assertThat(rejection.state()).isEqualTo(CircuitBreaker.State.OPEN);
          assertThat(rejection.retryAfter()).hasValueSatisfying(wait ->
              assertThat(wait).isBetween(Duration.ofSeconds(19), Duration.ofSeconds(20)));
          assertThat(rejection.getStackTrace()).isEmpty();
        }))
        .verify();

    upstream.assertWasNotSubscribed();
    assertThat(breaker.metrics().numberOfNotPermittedCalls()).isEqualTo(1);
  }

  @Test
  void permissionIsTakenAtSubscriptionNotAtAssembly() {
    CircuitBreaker breaker = breaker();
    Mono<String> assembledWhileClosed = Mono.just("quote").transform(CircuitBreakerOperator.of(breaker));
    breaker.transitionToForcedOpenState();
    Mono<String> assembledWhileOpen = Mono.just("quote").transform(CircuitBreakerOperator.of(breaker));

    StepVerifier.create(assembledWhileClosed).expectError(CallNotPermittedException.class).verify();
    breaker.transitionToClosedState();
    StepVerifier.create(assembledWhileOpen).expectNext("quote").verifyComplete();
  }

  @Test
  void everySubscriptionIsACallOfItsOwn() {
    CircuitBreaker breaker = breaker();
    AtomicInteger subscriptions = new AtomicInteger();
    Mono<Integer> guarded = Mono.fromCallable(subscriptions::incrementAndGet)
        .transformDeferred(CircuitBreakerOperator.of(breaker));

    StepVerifier.create(guarded.repeat(2)).expectNext(1, 2, 3).verifyComplete();

    assertThat(breaker.metrics().numberOfSuccessfulCalls()).isEqualTo(3);
  }

  @Test
  void recordResultJudgesAMonosValueWhichStillReachesTheSubscriber() {
    CircuitBreaker breaker = breaker(CircuitBreakerConfig.builder().recordResult("busy"::equals));

    StepVerifier.create(Mono.just("busy").transformDeferred(CircuitBreakerOperator.of(breaker)))
        .expectNext("busy")
        .verifyComplete();

    assertThat(breaker.metrics().numberOfFailedCalls()).isEqualTo(1);
  }

  @Test
  void anEmptyMonoIsASuccessAndRecordResultNeverSeesNull() {
    AtomicInteger judged = new AtomicInteger();
    CircuitBreaker breaker = breaker(CircuitBreakerConfig.builder().recordResult(result -> {
      judged.incrementAndGet();
      return result == null;
    }));

    StepVerifier.create(Mono.<Void>empty().transformDeferred(CircuitBreakerOperator.of(breaker))).verifyComplete();

    assertThat(judged).hasValue(0);
    assertThat(breaker.metrics().numberOfSuccessfulCalls()).isEqualTo(1);
  }

  @Test
  void aFluxIsOneCallRecordedOnceWhenItCompletesAndItsElementsAreNotJudged() {
    CircuitBreaker breaker = breaker(CircuitBreakerConfig.builder().recordResult("bad"::equals));
    TestPublisher<String> upstream = TestPublisher.create();

    StepVerifier.create(upstream.flux().transformDeferred(CircuitBreakerOperator.of(breaker)))
        .then(() -> upstream.next("a", "bad", "c"))
        .expectNext("a", "bad", "c")
        .then(() -> assertThat(breaker.metrics().numberOfBufferedCalls()).isZero())
        .then(upstream::complete)
        .verifyComplete();

    assertThat(breaker.metrics().numberOfSuccessfulCalls()).isEqualTo(1);
    assertThat(breaker.metrics().numberOfBufferedCalls()).isEqualTo(1);
  }

  @Test
  void aFluxThatFailsAfterElementsIsOneFailure() {
    CircuitBreaker breaker = breaker();
    IllegalStateException failure = new IllegalStateException("cut off");

    StepVerifier.create(Flux.just(1, 2).concatWith(Flux.error(failure))
            .transformDeferred(CircuitBreakerOperator.of(breaker)))
        .expectNext(1, 2)
        .expectErrorSatisfies(e -> assertThat(e).isSameAs(failure))
        .verify();

    assertThat(breaker.metrics().numberOfFailedCalls()).isEqualTo(1);
    assertThat(breaker.metrics().numberOfBufferedCalls()).isEqualTo(1);
  }

  @Test
  void cancellingBeforeTheOutcomeGivesTheTrialPermitBackWithoutRecording() {
    CircuitBreaker breaker = breaker(CircuitBreakerConfig.builder().permittedNumberOfCallsInHalfOpenState(1));
    breaker.transitionToHalfOpenState();

    StepVerifier.create(Mono.never().transformDeferred(CircuitBreakerOperator.of(breaker)))
        .expectSubscription()
        .thenCancel()
        .verify();

    assertThat(breaker.metrics().numberOfBufferedCalls()).isZero();
    StepVerifier.create(Mono.just("trial").transformDeferred(CircuitBreakerOperator.of(breaker)))
        .expectNext("trial")
        .verifyComplete();
    assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
  }

  @Test
  void aFluxCutShortDownstreamRecordsNothing() {
    CircuitBreaker breaker = breaker();

    StepVerifier.create(Flux.range(1, 10).transformDeferred(CircuitBreakerOperator.of(breaker)).take(2))
        .expectNext(1, 2)
        .verifyComplete();

    assertThat(breaker.metrics().numberOfBufferedCalls()).isZero();
    assertThat(breaker.metrics().totalSuccessfulCalls()).isZero();
  }

  @Test
  void durationsRunFromSubscriptionOnTheBreakersTickerEvenAcrossItsOverflow() {
    ticker.set(Long.MAX_VALUE - Duration.ofMillis(500).toNanos());
    CircuitBreaker breaker = breaker(CircuitBreakerConfig.builder()
        .slowCallDetection(true).slowCallDurationThreshold(Duration.ofSeconds(1)));
    TestPublisher<String> slow = TestPublisher.create();
    TestPublisher<String> fast = TestPublisher.create();

    StepVerifier.create(slow.mono().transformDeferred(CircuitBreakerOperator.of(breaker)))
        .then(() -> ticker.advance(Duration.ofSeconds(2)))
        .then(() -> slow.emit("late"))
        .expectNext("late")
        .verifyComplete();
    StepVerifier.create(fast.mono().transformDeferred(CircuitBreakerOperator.of(breaker)))
        .then(() -> ticker.advance(Duration.ofMillis(999)))
        .then(() -> fast.emit("soon"))
        .expectNext("soon")
        .verifyComplete();

    assertThat(breaker.metrics().numberOfSlowCalls()).isEqualTo(1);
    assertThat(breaker.metrics().numberOfSuccessfulCalls()).isEqualTo(2);
  }

  @Test
  void theSubscribersContextReachesTheSource() {
    CircuitBreaker breaker = breaker();
    Mono<String> source = Mono.deferContextual(context -> Mono.just(context.get("tenant")));

    StepVerifier.create(source.transformDeferred(CircuitBreakerOperator.of(breaker))
            .contextWrite(Context.of("tenant", "acme")))
        .expectNext("acme")
        .verifyComplete();
  }

  @Test
  void declinesFusionAndLetsAFusedSourceFlowThroughAnAsyncBoundary() {
    CircuitBreaker breaker = breaker();

    StepVerifier.create(Flux.range(1, 3).transformDeferred(CircuitBreakerOperator.of(breaker)))
        .expectFusion(Fuseable.ANY, Fuseable.NONE)
        .expectNext(1, 2, 3)
        .verifyComplete();
    StepVerifier.create(Flux.range(1, 100).transformDeferred(CircuitBreakerOperator.of(breaker))
            .publishOn(Schedulers.single()).count())
        .expectNext(100L)
        .verifyComplete();

    assertThat(breaker.metrics().numberOfSuccessfulCalls()).isEqualTo(2);
  }

  /**
   * As for a synchronous call: a {@code recordResult} rule that throws counts the call as a failure (it could
   * not say the result was fine), and the subscriber gets the rule's exception in place of the value.
   */
  @Test
  void aResultPredicateThatThrowsFailsTheSubscriberAndCountsAsAFailureLikeASyncCall() {
    IllegalStateException broken = new IllegalStateException("predicate");
    CircuitBreakerConfig.Builder config = CircuitBreakerConfig.builder().permittedNumberOfCallsInHalfOpenState(1)
        .recordResult(result -> {
          throw broken;
        });
    CircuitBreaker breaker = breaker(config);
    CircuitBreaker sync = breaker(config);
    breaker.transitionToHalfOpenState();
    sync.transitionToHalfOpenState();

    StepVerifier.create(Mono.just("x").transformDeferred(CircuitBreakerOperator.of(breaker)))
        .expectErrorSatisfies(e -> assertThat(e).isSameAs(broken))
        .verify();
    assertThatThrownBy(() -> sync.executeSupplier(() -> "x")).isSameAs(broken);

    assertThat(breaker.metrics().numberOfFailedCalls()).isEqualTo(sync.metrics().numberOfFailedCalls());
    assertThat(breaker.state()).isEqualTo(sync.state()).isEqualTo(CircuitBreaker.State.OPEN);
  }

  @Test
  void aCancelRacingTheValueReportsExactlyOnce() {
    for (int round = 0; round < 200; round++) {
      CircuitBreaker breaker = breaker(CircuitBreakerConfig.builder().permittedNumberOfCallsInHalfOpenState(2));
      breaker.transitionToHalfOpenState();
      TestPublisher<String> upstream = TestPublisher.create();
      Disposable subscription = upstream.mono().transformDeferred(CircuitBreakerOperator.of(breaker)).subscribe();

      Races.race(() -> upstream.emit("done"), subscription::dispose);

      // Recorded: one trial reported, one slot left. Released: nothing reported, both slots free.
      int reported = breaker.metrics().numberOfBufferedCalls();
      int free = 0;
      while (breaker.tryAcquirePermit() != null) {
        free++;
      }
      assertThat(reported + free).as("round %d", round).isEqualTo(2);
    }
  }

  @Test
  void refusesANullBreakerAndANullPublisher() {
    assertThatThrownBy(() -> CircuitBreakerOperator.of(null))
        .isInstanceOf(NullPointerException.class).hasMessage("breaker must not be null");
    assertThatThrownBy(() -> CircuitBreakerOperator.of(breaker()).apply(null))
        .isInstanceOf(NullPointerException.class).hasMessage("publisher must not be null");
  }
}
