package dev.fusebox.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusebox.testing.ManualTicker;
import dev.fusebox.throttle.AdaptiveThrottle;
import dev.fusebox.throttle.AdaptiveThrottleConfig;
import dev.fusebox.throttle.CallThrottledException;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.test.publisher.PublisherProbe;
import reactor.test.publisher.TestPublisher;

class AdaptiveThrottleOperatorTest {

  /** Draws 0 every time: any rejection probability above zero sheds the request. */
  private final AdaptiveThrottle throttle = AdaptiveThrottle.of("search", AdaptiveThrottleConfig.builder()
      .ticker(new ManualTicker())
      .random(() -> 0L)
      .recordResult(result -> "503".equals(result))
      .build());

  @Test
  void aMonosValueIsJudgedAndAnAcceptedOneRecorded() {
    StepVerifier.create(Mono.just("200").transformDeferred(AdaptiveThrottleOperator.of(throttle)))
        .expectNext("200")
        .verifyComplete();
    StepVerifier.create(Mono.just("503").transformDeferred(AdaptiveThrottleOperator.of(throttle)))
        .expectNext("503")
        .verifyComplete();

    assertThat(throttle.metrics().totalAccepts()).isEqualTo(1);
    assertThat(throttle.metrics().totalFailedRequests()).isEqualTo(1);
  }

  @Test
  void aFluxIsOneRequestRecordedWhenItCompletes() {
    StepVerifier.create(Flux.just("503", "503").transformDeferred(AdaptiveThrottleOperator.of(throttle)))
        .expectNext("503", "503")
        .verifyComplete();

    assertThat(throttle.metrics().totalRequests()).isEqualTo(1);
    assertThat(throttle.metrics().totalAccepts()).isEqualTo(1);
  }

  @Test
  void anErrorIsAFailureAndTheSubscriberGetsTheSameException() {
    IOException failure = new IOException("down");

    StepVerifier.create(Flux.<String>error(failure).transformDeferred(AdaptiveThrottleOperator.of(throttle)))
        .expectErrorSatisfies(e -> assertThat(e).isSameAs(failure))
        .verify();

    assertThat(throttle.metrics().totalFailedRequests()).isEqualTo(1);
  }

  @Test
  void aShedSubscriptionFailsWithTheThrottlesRejectionWithoutSubscribingUpstream() {
    throttle.onError(new IOException("down"));
    PublisherProbe<String> upstream = PublisherProbe.of(Mono.just("200"));

    StepVerifier.create(upstream.mono().transformDeferred(AdaptiveThrottleOperator.of(throttle)))
        .expectErrorSatisfies(e -> assertThat(e).isInstanceOfSatisfying(CallThrottledException.class,
            shed -> assertThat(shed.throttleName()).isEqualTo("search")))
        .verify();

    upstream.assertWasNotSubscribed();
    assertThat(throttle.metrics().totalRejectedRequests()).isEqualTo(1);
  }

  @Test
  void eachSubscriptionIsDecidedAgain() {
    AtomicInteger subscriptions = new AtomicInteger();
    Mono<String> guarded = Mono.fromCallable(() -> {
      subscriptions.incrementAndGet();
      throw new IOException("down");
    }).map(Object::toString).transformDeferred(AdaptiveThrottleOperator.of(throttle));

    StepVerifier.create(guarded).expectError(IOException.class).verify();
    StepVerifier.create(guarded).expectError(CallThrottledException.class).verify();

    assertThat(subscriptions).hasValue(1);
    assertThat(throttle.metrics().totalRequests()).isEqualTo(2);
  }

  @Test
  void aCancellationRecordsNothing() {
    TestPublisher<String> upstream = TestPublisher.create();

    StepVerifier.create(upstream.flux().transformDeferred(AdaptiveThrottleOperator.of(throttle)))
        .then(() -> upstream.next("200"))
        .expectNext("200")
        .thenCancel()
        .verify();

    upstream.wasCancelled();
    assertThat(throttle.metrics().totalRequests()).isZero();
    assertThat(throttle.metrics().totalIgnoredCalls()).isZero();
  }
}
