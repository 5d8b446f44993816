package dev.fusebox.rxjava3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fusebox.circuitbreaker.CallNotPermittedException;
import dev.fusebox.circuitbreaker.CircuitBreaker;
import dev.fusebox.circuitbreaker.CircuitBreakerConfig;
import dev.fusebox.testing.ManualTicker;
import io.reactivex.rxjava3.core.Completable;
import io.reactivex.rxjava3.core.Flowable;
import io.reactivex.rxjava3.core.Maybe;
import io.reactivex.rxjava3.core.Observable;
import io.reactivex.rxjava3.core.Single;
import io.reactivex.rxjava3.processors.PublishProcessor;
import io.reactivex.rxjava3.subjects.SingleSubject;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CircuitBreakerOperatorTest {

  private final ManualTicker ticker = new ManualTicker();

  private CircuitBreaker breaker(CircuitBreakerConfig.Builder config) {
    return CircuitBreaker.of("quotes", config.ticker(ticker).build());
  }

  private CircuitBreaker breaker() {
    return breaker(CircuitBreakerConfig.builder());
  }

  @Test
  void everyTypeRecordsItsOutcome() {
    CircuitBreaker breaker = breaker();

    Single.just("a").compose(CircuitBreakerOperator.of(breaker)).test().assertResult("a");
    Maybe.just("b").compose(CircuitBreakerOperator.of(breaker)).test().assertResult("b");
    Maybe.<String>empty().compose(CircuitBreakerOperator.of(breaker)).test().assertResult();
    Completable.complete().compose(CircuitBreakerOperator.of(breaker)).test().assertComplete();
    Flowable.just(1, 2).compose(CircuitBreakerOperator.of(breaker)).test().assertResult(1, 2);
    Observable.just(1, 2).compose(CircuitBreakerOperator.of(breaker)).test().assertResult(1, 2);
    IOException failure = new IOException("down");
    Single.<String>error(failure).compose(CircuitBreakerOperator.of(breaker)).test().assertError(failure);

    assertThat(breaker.metrics().numberOfSuccessfulCalls()).isEqualTo(6);
    assertThat(breaker.metrics().numberOfFailedCalls()).isEqualTo(1);
  }

  @Test
  void aRejectedSubscriptionFailsWithoutSubscribingUpstreamForEveryType() {
    CircuitBreaker breaker = breaker();
    breaker.transitionToForcedOpenState();
    AtomicInteger subscriptions = new AtomicInteger();

    Single.fromCallable(subscriptions::incrementAndGet).compose(CircuitBreakerOperator.of(breaker)).test()
        .assertError(CallNotPermittedException.class);
    Maybe.fromCallable(subscriptions::incrementAndGet).compose(CircuitBreakerOperator.of(breaker)).test()
        .assertError(CallNotPermittedException.class);
    Completable.fromCallable(subscriptions::incrementAndGet).compose(CircuitBreakerOperator.of(breaker)).test()
        .assertError(CallNotPermittedException.class);
    Flowable.fromCallable(subscriptions::incrementAndGet).compose(CircuitBreakerOperator.of(breaker)).test()
        .assertError(CallNotPermittedException.class);
    Observable.fromCallable(subscriptions::incrementAndGet).compose(CircuitBreakerOperator.of(breaker)).test()
        .assertError(CallNotPermittedException.class);

    assertThat(subscriptions).hasValue(0);
    assertThat(breaker.metrics().numberOfNotPermittedCalls()).isEqualTo(5);
  }

  @Test
  void recordResultJudgesASinglesValueButNotAFlowablesElements() {
    CircuitBreaker breaker = breaker(CircuitBreakerConfig.builder().recordResult("bad"::equals));

    Single.just("bad").compose(CircuitBreakerOperator.of(breaker)).test().assertResult("bad");
    Flowable.just("bad").compose(CircuitBreakerOperator.of(breaker)).test().assertResult("bad");

    assertThat(breaker.metrics().numberOfFailedCalls()).isEqualTo(1);
    assertThat(breaker.metrics().numberOfSuccessfulCalls()).isEqualTo(1);
  }

  @Test
  void aFlowableIsRecordedOnceWhenItEnds() {
    CircuitBreaker breaker = breaker();
    PublishProcessor<Integer> upstream = PublishProcessor.create();

    var subscriber = upstream.compose(CircuitBreakerOperator.of(breaker)).test();
    upstream.onNext(1);
    upstream.onNext(2);
    assertThat(breaker.metrics().numberOfBufferedCalls()).isZero();
    upstream.onComplete();

    subscriber.assertResult(1, 2);
    assertThat(breaker.metrics().numberOfSuccessfulCalls()).isEqualTo(1);
  }

  @Test
  void disposingBeforeTheOutcomeGivesTheTrialPermitBackWithoutRecording() {
    CircuitBreaker breaker = breaker(CircuitBreakerConfig.builder().permittedNumberOfCallsInHalfOpenState(1));
    breaker.transitionToHalfOpenState();

    SingleSubject.<String>create().compose(CircuitBreakerOperator.of(breaker)).test().dispose();
    Observable.never().compose(CircuitBreakerOperator.of(breaker)).test().dispose();

    assertThat(breaker.metrics().numberOfBufferedCalls()).isZero();
    Single.just("trial").compose(CircuitBreakerOperator.of(breaker)).test().assertResult("trial");
    assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
  }

  @Test
  void durationsRunFromSubscriptionOnTheBreakersTicker() {
    ticker.set(Long.MAX_VALUE - Duration.ofMillis(500).toNanos());
    CircuitBreaker breaker = breaker(CircuitBreakerConfig.builder()
        .slowCallDetection(true).slowCallDurationThreshold(Duration.ofSeconds(1)));
    SingleSubject<String> slow = SingleSubject.create();

    var observer = slow.compose(CircuitBreakerOperator.of(breaker)).test();
    ticker.advance(Duration.ofSeconds(2));
    slow.onSuccess("late");

    observer.assertResult("late");
    assertThat(breaker.metrics().numberOfSlowCalls()).isEqualTo(1);
  }

  @Test
  void aCancelRacingTheValueReportsExactlyOnce() {
    for (int round = 0; round < 200; round++) {
      CircuitBreaker breaker = breaker(CircuitBreakerConfig.builder().permittedNumberOfCallsInHalfOpenState(2));
      breaker.transitionToHalfOpenState();
      SingleSubject<String> upstream = SingleSubject.create();
      var observer = upstream.compose(CircuitBreakerOperator.of(breaker)).test();

      Races.race(() -> upstream.onSuccess("done"), observer::dispose);

      int reported = breaker.metrics().numberOfBufferedCalls();
      int free = 0;
      while (breaker.tryAcquirePermit() != null) {
        free++;
      }
      assertThat(reported + free).as("round %d", round).isEqualTo(2);
    }
  }

  @Test
  void refusesANullBreaker() {
    assertThatThrownBy(() -> CircuitBreakerOperator.of(null))
        .isInstanceOf(NullPointerException.class).hasMessage("breaker must not be null");
  }
}
