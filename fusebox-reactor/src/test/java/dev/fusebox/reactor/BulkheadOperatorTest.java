package dev.fusebox.reactor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fusebox.bulkhead.Bulkhead;
import dev.fusebox.bulkhead.BulkheadConfig;
import dev.fusebox.bulkhead.BulkheadFullException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.test.publisher.PublisherProbe;
import reactor.test.publisher.TestPublisher;

class BulkheadOperatorTest {

  private final Bulkhead bulkhead = Bulkhead.of("reports",
      BulkheadConfig.builder().maxConcurrentCalls(1).maxWaitDuration(Duration.ofSeconds(5)).build());

  @Test
  void holdsItsPermitWhileTheSubscriptionRunsAndGivesItBackWhenItCompletes() {
    TestPublisher<String> upstream = TestPublisher.create();

    StepVerifier.create(upstream.flux().transformDeferred(BulkheadOperator.of(bulkhead)))
        .then(() -> assertThat(bulkhead.metrics().availableConcurrentCalls()).isZero())
        .then(() -> upstream.next("row"))
        .expectNext("row")
        .then(() -> assertThat(bulkhead.metrics().availableConcurrentCalls()).isZero())
        .then(upstream::complete)
        .verifyComplete();

    assertThat(bulkhead.metrics().availableConcurrentCalls()).isEqualTo(1);
    assertThat(bulkhead.metrics().totalFinishedCalls()).isEqualTo(1);
  }

  @Test
  void aFullBulkheadRejectsAtOnceWithoutWaitingOrSubscribingUpstream() {
    Disposable running = Mono.never().transformDeferred(BulkheadOperator.of(bulkhead)).subscribe();
    PublisherProbe<String> upstream = PublisherProbe.of(Mono.just("report"));

    StepVerifier.create(upstream.mono().transformDeferred(BulkheadOperator.of(bulkhead)))
        .expectErrorSatisfies(e -> assertThat(e).isInstanceOfSatisfying(BulkheadFullException.class,
            full -> assertThat(full.bulkheadName()).isEqualTo("reports")))
        .verify(Duration.ofSeconds(1));

    upstream.assertWasNotSubscribed();
    assertThat(bulkhead.metrics().totalRejectedCalls()).isEqualTo(1);
    running.dispose();
  }

  @Test
  void givesThePermitBackOnErrorAndOnCancel() {
    StepVerifier.create(Mono.error(new IllegalStateException("boom")).transformDeferred(BulkheadOperator.of(bulkhead)))
        .expectError(IllegalStateException.class)
        .verify();
    assertThat(bulkhead.metrics().availableConcurrentCalls()).isEqualTo(1);

    StepVerifier.create(Flux.never().transformDeferred(BulkheadOperator.of(bulkhead)))
        .expectSubscription()
        .thenCancel()
        .verify();
    assertThat(bulkhead.metrics().availableConcurrentCalls()).isEqualTo(1);
    assertThat(bulkhead.metrics().totalFinishedCalls()).isEqualTo(2);
  }

  @Test
  void aMonoGivesThePermitBackWithItsValue() {
    StepVerifier.create(Mono.just("report").transformDeferred(BulkheadOperator.of(bulkhead)))
        .assertNext(value -> assertThat(bulkhead.metrics().availableConcurrentCalls()).isEqualTo(1))
        .verifyComplete();
  }

  @Test
  void aCancelRacingTheCompletionGivesThePermitBackExactlyOnce() {
    for (int round = 0; round < 200; round++) {
      TestPublisher<String> upstream = TestPublisher.create();
      Disposable subscription = upstream.flux().transformDeferred(BulkheadOperator.of(bulkhead)).subscribe();

      Races.race(upstream::complete, subscription::dispose);

      assertThat(bulkhead.metrics().availableConcurrentCalls()).as("round %d", round).isEqualTo(1);
      assertThat(bulkhead.metrics().concurrentCalls()).isZero();
    }
  }

  @Test
  void refusesANullBulkhead() {
    assertThatThrownBy(() -> BulkheadOperator.of(null))
        .isInstanceOf(NullPointerException.class).hasMessage("bulkhead must not be null");
  }
}
