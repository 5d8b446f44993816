package dev.fusebox.rxjava3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusebox.testing.ManualTicker;
import dev.fusebox.throttle.AdaptiveThrottle;
import dev.fusebox.throttle.AdaptiveThrottleConfig;
import dev.fusebox.throttle.CallThrottledException;
import io.reactivex.rxjava3.core.Completable;
import io.reactivex.rxjava3.core.Flowable;
import io.reactivex.rxjava3.core.Maybe;
import io.reactivex.rxjava3.core.Observable;
import io.reactivex.rxjava3.core.Single;
import io.reactivex.rxjava3.processors.PublishProcessor;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AdaptiveThrottleOperatorTest {

  /** Draws 0 every time: any rejection probability above zero sheds the request. */
  private final AdaptiveThrottle throttle = AdaptiveThrottle.of("search", AdaptiveThrottleConfig.builder()
      .ticker(new ManualTicker())
      .random(() -> 0L)
      .recordResult(result -> "503".equals(result))
      .build());

  @Test
  void everyTypeRecordsItsOutcome() {
    Single.just("200").compose(AdaptiveThrottleOperator.of(throttle)).test().assertResult("200");
    Maybe.just("200").compose(AdaptiveThrottleOperator.of(throttle)).test().assertResult("200");
    Maybe.<String>empty().compose(AdaptiveThrottleOperator.of(throttle)).test().assertResult();
    Completable.complete().compose(AdaptiveThrottleOperator.of(throttle)).test().assertComplete();
    Flowable.just("503", "503").compose(AdaptiveThrottleOperator.of(throttle)).test().assertResult("503", "503");
    Observable.just(1, 2).compose(AdaptiveThrottleOperator.of(throttle)).test().assertResult(1, 2);

    assertThat(throttle.metrics().totalAccepts()).isEqualTo(6);
    assertThat(throttle.metrics().totalRequests()).isEqualTo(6);
  }

  @Test
  void aFailedResultIsAFailure() {
    Single.just("503").compose(AdaptiveThrottleOperator.of(throttle)).test().assertResult("503");

    assertThat(throttle.metrics().totalFailedRequests()).isEqualTo(1);
  }

  @Test
  void anErrorIsAFailureAndReachesTheSubscriber() {
    IOException failure = new IOException("down");
    Observable.<String>error(failure).compose(AdaptiveThrottleOperator.of(throttle)).test().assertError(failure);

    assertThat(throttle.metrics().totalFailedRequests()).isEqualTo(1);
  }

  @Test
  void aShedSubscriptionFailsForEveryTypeWithoutSubscribingUpstream() {
    throttle.onError(new IOException("down"));
    AtomicInteger subscriptions = new AtomicInteger();

    Single.just("a").doOnSubscribe(d -> subscriptions.incrementAndGet())
        .compose(AdaptiveThrottleOperator.of(throttle)).test().assertError(CallThrottledException.class);
    Maybe.just("a").doOnSubscribe(d -> subscriptions.incrementAndGet())
        .compose(AdaptiveThrottleOperator.of(throttle)).test().assertError(CallThrottledException.class);
    Completable.complete().doOnSubscribe(d -> subscriptions.incrementAndGet())
        .compose(AdaptiveThrottleOperator.of(throttle)).test().assertError(CallThrottledException.class);
    Flowable.just("a").doOnSubscribe(s -> subscriptions.incrementAndGet())
        .compose(AdaptiveThrottleOperator.of(throttle)).test().assertError(CallThrottledException.class);
    Observable.just("a").doOnSubscribe(d -> subscriptions.incrementAndGet())
        .compose(AdaptiveThrottleOperator.of(throttle)).test().assertError(e -> e instanceof CallThrottledException shed
            && shed.throttleName().equals("search"));

    assertThat(subscriptions).hasValue(0);
    assertThat(throttle.metrics().totalRejectedRequests()).isEqualTo(5);
  }

  @Test
  void disposingRecordsNothing() {
    PublishProcessor<String> upstream = PublishProcessor.create();

    var test = upstream.compose(AdaptiveThrottleOperator.of(throttle)).test();
    upstream.onNext("200");
    test.cancel();

    assertThat(upstream.hasSubscribers()).isFalse();
    assertThat(throttle.metrics().totalRequests()).isZero();
  }
}
