package dev.fusebox.rxjava3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusebox.bulkhead.AdaptiveBulkhead;
import dev.fusebox.bulkhead.AdaptiveBulkheadConfig;
import dev.fusebox.bulkhead.Bulkhead;
import dev.fusebox.bulkhead.BulkheadConfig;
import dev.fusebox.bulkhead.BulkheadFullException;
import dev.fusebox.testing.ManualTicker;
import io.reactivex.rxjava3.core.Completable;
import io.reactivex.rxjava3.core.Flowable;
import io.reactivex.rxjava3.core.Observable;
import io.reactivex.rxjava3.core.Single;
import io.reactivex.rxjava3.subjects.SingleSubject;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BulkheadOperatorTest {

  private final Bulkhead bulkhead = Bulkhead.of("reports",
      BulkheadConfig.builder().maxConcurrentCalls(1).maxWaitDuration(Duration.ofSeconds(5)).build());

  @Test
  void aFullBulkheadRejectsAtOnceWithoutSubscribingUpstream() {
    var running = Flowable.never().compose(BulkheadOperator.of(bulkhead)).test();
    AtomicInteger subscriptions = new AtomicInteger();

    Single.fromCallable(subscriptions::incrementAndGet).compose(BulkheadOperator.of(bulkhead)).test()
        .assertError(BulkheadFullException.class);

    assertThat(subscriptions).hasValue(0);
    running.cancel();
    assertThat(bulkhead.metrics().availableConcurrentCalls()).isEqualTo(1);
  }

  @Test
  void givesThePermitBackOnEveryEndingOfEveryType() {
    Single.just(1).compose(BulkheadOperator.of(bulkhead)).test().assertResult(1);
    Completable.error(new IllegalStateException("boom")).compose(BulkheadOperator.of(bulkhead)).test()
        .assertError(IllegalStateException.class);
    Observable.never().compose(BulkheadOperator.of(bulkhead)).test().dispose();
    SingleSubject.create().compose(BulkheadOperator.of(bulkhead)).test().dispose();

    assertThat(bulkhead.metrics().availableConcurrentCalls()).isEqualTo(1);
    assertThat(bulkhead.metrics().totalFinishedCalls()).isEqualTo(4);
  }

  @Test
  void anAdaptiveBulkheadFeedsTheLatencyAndCountsATimeoutAsADrop() {
    ManualTicker ticker = new ManualTicker();
    AdaptiveBulkhead adaptive = AdaptiveBulkhead.of("search", AdaptiveBulkheadConfig.builder()
        .initialLimit(4).minLimit(1).maxLimit(100).sampleWindowSize(1).ticker(ticker).build());
    SingleSubject<String> upstream = SingleSubject.create();

    var observer = upstream.compose(AdaptiveBulkheadOperator.of(adaptive)).test();
    ticker.advance(Duration.ofMillis(40));
    upstream.onSuccess("hits");
    Single.error(new TimeoutException("slow")).compose(AdaptiveBulkheadOperator.of(adaptive)).test();
    Single.error(new IllegalStateException("fast")).compose(AdaptiveBulkheadOperator.of(adaptive)).test();

    observer.assertResult("hits");
    assertThat(adaptive.metrics().latestRtt()).contains(Duration.ofMillis(40));
    assertThat(adaptive.metrics().totalDroppedCalls()).isEqualTo(1);
    assertThat(adaptive.metrics().concurrentCalls()).isZero();
  }
}
