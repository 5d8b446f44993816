package dev.fusebox.rxjava3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusebox.retry.Retry;
import dev.fusebox.retry.RetryConfig;
import dev.fusebox.timelimiter.TimeLimiter;
import dev.fusebox.timelimiter.TimeLimiterConfig;
import io.reactivex.rxjava3.core.Completable;
import io.reactivex.rxjava3.core.Maybe;
import io.reactivex.rxjava3.core.Observable;
import io.reactivex.rxjava3.core.Single;
import io.reactivex.rxjava3.schedulers.TestScheduler;
import io.reactivex.rxjava3.subjects.SingleSubject;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** RetryOperator and TimeLimiterOperator, the names fusebox-reactor uses, behave as their transformers. */
class OperatorNamesTest {

  private final TestScheduler time = new TestScheduler();

  @Test
  void retryOperatorResubscribesEveryTypeAsTheRetryDecides() {
    Retry retry = Retry.of("prices", RetryConfig.builder().maxAttempts(3).waitDuration(Duration.ofMillis(100)).build());
    AtomicInteger subscriptions = new AtomicInteger();
    Single<String> flaky =
        Single.defer(() -> subscriptions.incrementAndGet() < 3 ? Single.error(new IllegalStateException("down")) : Single.just("ok"));

    var single = flaky.compose(RetryOperator.of(retry, time)).test();
    time.advanceTimeBy(200, TimeUnit.MILLISECONDS);

    single.assertResult("ok");
    assertThat(subscriptions).hasValue(3);
    var maybe = Maybe.<String>error(new IllegalStateException("down")).compose(RetryOperator.of(retry, time)).test();
    var observable = Observable.just(1).compose(RetryOperator.of(retry, time)).test();
    var completable = Completable.complete().compose(RetryOperator.of(retry, time)).test();
    time.advanceTimeBy(200, TimeUnit.MILLISECONDS);
    maybe.assertError(IllegalStateException.class);
    observable.assertResult(1);
    completable.assertComplete();
    assertThat(retry.metrics().numberOfSuccessfulCallsWithRetryAttempt()).isEqualTo(1);
    assertThat(retry.metrics().numberOfFailedCallsWithRetryAttempt()).isEqualTo(1);
    assertThat(retry.metrics().numberOfSuccessfulCallsWithoutRetryAttempt()).isEqualTo(2);
  }

  @Test
  void timeLimiterOperatorTimesOutAndDisposesTheSource() {
    TimeLimiter limiter =
        TimeLimiter.of("search", TimeLimiterConfig.builder().timeoutDuration(Duration.ofMillis(300)).build());
    SingleSubject<String> slow = SingleSubject.create();

    var late = slow.compose(TimeLimiterOperator.of(limiter, time)).test();
    time.advanceTimeBy(300, TimeUnit.MILLISECONDS);

    late.assertError(TimeoutException.class);
    assertThat(slow.hasObservers()).isFalse();
    assertThat(limiter.metrics().numberOfTimedOutCalls()).isEqualTo(1);
  }
}
