package dev.fusebox.rxjava3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusebox.retry.MaxRetriesExceededException;
import dev.fusebox.retry.Retry;
import dev.fusebox.retry.RetryConfig;
import dev.fusebox.testing.ManualTicker;
import io.reactivex.rxjava3.core.Completable;
import io.reactivex.rxjava3.core.Flowable;
import io.reactivex.rxjava3.core.Maybe;
import io.reactivex.rxjava3.core.Observable;
import io.reactivex.rxjava3.core.Single;
import io.reactivex.rxjava3.schedulers.TestScheduler;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RetryTransformerTest {

  private final ManualTicker ticker = new ManualTicker();
  private final TestScheduler time = new TestScheduler();

  private Retry retry(RetryConfig.Builder config) {
    return Retry.of("quotes", config.ticker(ticker)
        .sleeper(nanos -> {
          throw new AssertionError("the transformer never sleeps");
        })
        .build());
  }

  private static Single<Integer> failing(int failures, AtomicInteger subscriptions) {
    return Single.defer(() -> {
      int n = subscriptions.incrementAndGet();
      return n <= failures ? Single.error(new IllegalStateException("failure " + n)) : Single.just(n);
    });
  }

  @Test
  void reSubscribesAfterEachWaitOnTheScheduler() {
    Retry retry = retry(RetryConfig.builder().maxAttempts(3));
    AtomicInteger subscriptions = new AtomicInteger();

    var observer = failing(2, subscriptions).compose(RetryTransformer.of(retry, time)).test();
    assertThat(subscriptions).hasValue(1);
    time.advanceTimeBy(499, TimeUnit.MILLISECONDS);
    assertThat(subscriptions).hasValue(1);
    time.advanceTimeBy(1, TimeUnit.MILLISECONDS);
    assertThat(subscriptions).hasValue(2);
    time.advanceTimeBy(500, TimeUnit.MILLISECONDS);

    observer.assertResult(3);
    assertThat(retry.metrics().numberOfSuccessfulCallsWithRetryAttempt()).isEqualTo(1);
    assertThat(retry.metrics().numberOfTotalRetryAttempts()).isEqualTo(2);
  }

  @Test
  void theLastFailureComesBackWithTheEarlierOnesSuppressedForEveryType() {
    Retry retry = retry(RetryConfig.builder().maxAttempts(2));
    List<Throwable> thrown = new ArrayList<>();
    Completable failing = Completable.defer(() -> {
      IllegalStateException e = new IllegalStateException("failure " + (thrown.size() + 1));
      thrown.add(e);
      return Completable.error(e);
    });

    var observer = failing.compose(RetryTransformer.of(retry, time)).test();
    time.advanceTimeBy(1, TimeUnit.SECONDS);

    observer.assertError(thrown.get(1));
    assertThat(thrown.get(1).getSuppressed()).containsExactly(thrown.get(0));
  }

  @Test
  void aSinglesValueToRetryIsRetriedAndFailsWithMaxRetriesExceededWhenSoConfigured() {
    Retry retry = retry(RetryConfig.builder().maxAttempts(2).retryOnResult("busy"::equals).failAfterMaxAttempts(true));
    AtomicInteger subscriptions = new AtomicInteger();

    var observer = Single.fromCallable(() -> {
      subscriptions.incrementAndGet();
      return "busy";
    }).compose(RetryTransformer.of(retry, time)).test();
    time.advanceTimeBy(1, TimeUnit.SECONDS);

    observer.assertError(MaxRetriesExceededException.class);
    assertThat(subscriptions).hasValue(2);
  }

  @Test
  void anEmptyMaybeAndACompletableAreSuccessesThePredicateNeverSees() {
    AtomicInteger judged = new AtomicInteger();
    Retry retry = retry(RetryConfig.builder().retryOnResult(value -> judged.incrementAndGet() > 0));

    Maybe.empty().compose(RetryTransformer.of(retry, time)).test().assertResult();
    Completable.complete().compose(RetryTransformer.of(retry, time)).test().assertComplete();
    Maybe.just("ok").compose(RetryTransformer.of(retry, time)).test();

    assertThat(judged).hasValue(1);
    assertThat(retry.metrics().numberOfSuccessfulCallsWithoutRetryAttempt()).isEqualTo(2);
  }

  @Test
  void aFlowablesOrObservablesElementsAreNotJudgedAndAFailureIsRetried() {
    Retry retry = retry(RetryConfig.builder().retryOnResult("bad"::equals));
    AtomicInteger subscriptions = new AtomicInteger();
    Observable<String> source = Observable.defer(() -> subscriptions.incrementAndGet() == 1
        ? Observable.just("a").concatWith(Observable.error(new IllegalStateException("cut off")))
        : Observable.just("a", "bad"));

    var observer = source.compose(RetryTransformer.of(retry, time)).test();
    time.advanceTimeBy(500, TimeUnit.MILLISECONDS);

    observer.assertResult("a", "a", "bad");
    Flowable.just("bad").compose(RetryTransformer.of(retry, time)).test().assertResult("bad");
  }

  @Test
  void disposingDuringAWaitStopsTheRetriesAndCountsNoCall() {
    Retry retry = retry(RetryConfig.builder());
    AtomicInteger subscriptions = new AtomicInteger();

    failing(5, subscriptions).compose(RetryTransformer.of(retry, time)).test().dispose();
    time.advanceTimeBy(10, TimeUnit.SECONDS);

    assertThat(subscriptions).hasValue(1);
    assertThat(retry.metrics().numberOfFailedCallsWithoutRetryAttempt()
        + retry.metrics().numberOfFailedCallsWithRetryAttempt()).isZero();
  }
}
