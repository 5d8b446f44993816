package dev.fusebox.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusebox.bulkhead.AdaptiveBulkhead;
import dev.fusebox.bulkhead.AdaptiveBulkheadConfig;
import dev.fusebox.bulkhead.BulkheadFullException;
import dev.fusebox.testing.ManualTicker;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.test.publisher.PublisherProbe;
import reactor.test.publisher.TestPublisher;

class AdaptiveBulkheadOperatorTest {

  private final ManualTicker ticker = new ManualTicker();

  private AdaptiveBulkhead bulkhead(int limit) {
    return AdaptiveBulkhead.of("search", AdaptiveBulkheadConfig.builder()
        .initialLimit(limit).minLimit(1).maxLimit(100).sampleWindowSize(1).ticker(ticker).build());
  }

  @Test
  void rejectsOverTheLimitWithoutSubscribingUpstream() {
    AdaptiveBulkhead bulkhead = bulkhead(1);
    Disposable running = Mono.never().transformDeferred(AdaptiveBulkheadOperator.of(bulkhead)).subscribe();
    PublisherProbe<String> upstream = PublisherProbe.of(Mono.just("hits"));

    StepVerifier.create(upstream.mono().transformDeferred(AdaptiveBulkheadOperator.of(bulkhead)))
        .expectError(BulkheadFullException.class)
        .verify();

    upstream.assertWasNotSubscribed();
    running.dispose();
    assertThat(bulkhead.metrics().concurrentCalls()).isZero();
  }

  @Test
  void feedsTheLatencyFromSubscriptionToTheValue() {
    AdaptiveBulkhead bulkhead = bulkhead(4);
    TestPublisher<String> upstream = TestPublisher.create();

    StepVerifier.create(upstream.mono().transformDeferred(AdaptiveBulkheadOperator.of(bulkhead)))
        .then(() -> ticker.advance(Duration.ofMillis(40)))
        .then(() -> upstream.emit("hits"))
        .expectNext("hits")
        .verifyComplete();

    assertThat(bulkhead.metrics().latestRtt()).contains(Duration.ofMillis(40));
    assertThat(bulkhead.metrics().concurrentCalls()).isZero();
  }

  @Test
  void aTimeoutIsADropAndOtherErrorsAndCancelsGiveThePermitBackWithoutASample() {
    AdaptiveBulkhead bulkhead = bulkhead(4);

    StepVerifier.create(Mono.error(new IllegalStateException("fast failure"))
            .transformDeferred(AdaptiveBulkheadOperator.of(bulkhead)))
        .expectError(IllegalStateException.class)
        .verify();
    StepVerifier.create(Mono.never().transformDeferred(AdaptiveBulkheadOperator.of(bulkhead)))
        .expectSubscription()
        .thenCancel()
        .verify();
    assertThat(bulkhead.metrics().totalDroppedCalls()).isZero();
    assertThat(bulkhead.metrics().latestRtt()).isEmpty();

    StepVerifier.create(Mono.error(new TimeoutException("slow")).transformDeferred(AdaptiveBulkheadOperator.of(bulkhead)))
        .expectError(TimeoutException.class)
        .verify();
    assertThat(bulkhead.metrics().totalDroppedCalls()).isEqualTo(1);
    assertThat(bulkhead.metrics().concurrentCalls()).isZero();
  }
}
