package dev.fusebox.rxjava3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusebox.ratelimiter.RateLimiter;
import dev.fusebox.ratelimiter.RateLimiterConfig;
import dev.fusebox.ratelimiter.RequestNotPermittedException;
import dev.fusebox.testing.ManualTicker;
import dev.fusebox.timelimiter.TimeLimiter;
import dev.fusebox.timelimiter.TimeLimiterConfig;
import io.reactivex.rxjava3.core.Flowable;
import io.reactivex.rxjava3.core.Maybe;
import io.reactivex.rxjava3.core.Single;
import io.reactivex.rxjava3.processors.PublishProcessor;
import io.reactivex.rxjava3.subjects.SingleSubject;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import io.reactivex.rxjava3.schedulers.TestScheduler;
import org.junit.jupiter.api.Test;

/** The time limiter's and the rate limiter's transformers: both wait on an RxJava scheduler. */
class TimeLimiterTransformerTest {

  private final TestScheduler time = new TestScheduler();
  private final TimeLimiter limiter = TimeLimiter.of("search",
      TimeLimiterConfig.builder().timeoutDuration(Duration.ofMillis(300)).build());

  @Test
  void aSingleInTimeIsASuccessAndOneTooSlowIsDisposedAndTimedOut() {
    SingleSubject<String> fast = SingleSubject.create();
    SingleSubject<String> slow = SingleSubject.create();

    var inTime = fast.compose(TimeLimiterTransformer.of(limiter, time)).test();
    var late = slow.compose(TimeLimiterTransformer.of(limiter, time)).test();
    time.advanceTimeBy(299, TimeUnit.MILLISECONDS);
    fast.onSuccess("hits");
    time.advanceTimeBy(1, TimeUnit.MILLISECONDS);

    inTime.assertResult("hits");
    late.assertError(e -> e instanceof TimeoutException
        && e.getMessage().equals("TimeLimiter 'search' timed out after 300 ms"));
    assertThat(slow.hasObservers()).isFalse();
    assertThat(limiter.metrics().numberOfSuccessfulCalls()).isEqualTo(1);
    assertThat(limiter.metrics().numberOfTimedOutCalls()).isEqualTo(1);
  }

  @Test
  void theLimitBoundsAWholeFlowable() {
    PublishProcessor<Integer> upstream = PublishProcessor.create();

    var subscriber = upstream.compose(TimeLimiterTransformer.of(limiter, time)).test();
    time.advanceTimeBy(200, TimeUnit.MILLISECONDS);
    upstream.onNext(1);
    time.advanceTimeBy(100, TimeUnit.MILLISECONDS);

    subscriber.assertValues(1).assertError(TimeoutException.class);
    assertThat(upstream.hasSubscribers()).isFalse();
  }

  @Test
  void anErrorInTimeIsAFailureAndAnEmptyMaybeASuccess() {
    IllegalStateException failure = new IllegalStateException("boom");

    Single.error(failure).compose(TimeLimiterTransformer.of(limiter, time)).test().assertError(failure);
    Maybe.empty().compose(TimeLimiterTransformer.of(limiter, time)).test().assertResult();

    assertThat(limiter.metrics().numberOfFailedCalls()).isEqualTo(1);
    assertThat(limiter.metrics().numberOfSuccessfulCalls()).isEqualTo(1);
  }

  @Test
  void aRateLimiterDelaysTheSubscriptionUntilItsPermitIsDueOrRefusesAtOnce() {
    ManualTicker ticker = new ManualTicker();
    RateLimiter rateLimiter = RateLimiter.of("partner", RateLimiterConfig.builder()
        .limitForPeriod(1).limitRefreshPeriod(Duration.ofSeconds(1)).timeoutDuration(Duration.ofSeconds(1))
        .ticker(ticker).build());
    AtomicInteger subscriptions = new AtomicInteger();
    Single<Integer> call = Single.fromCallable(subscriptions::incrementAndGet);

    call.compose(RateLimiterOperator.of(rateLimiter, time)).test().assertResult(1);
    var delayed = call.compose(RateLimiterOperator.of(rateLimiter, time)).test();
    var refused = Flowable.just(0).compose(RateLimiterOperator.of(rateLimiter, time)).test();
    time.advanceTimeBy(999, TimeUnit.MILLISECONDS);
    assertThat(subscriptions).hasValue(1);
    time.advanceTimeBy(1, TimeUnit.MILLISECONDS);

    delayed.assertResult(2);
    refused.assertError(RequestNotPermittedException.class);
  }
}
