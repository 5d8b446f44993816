package dev.fusebox.rxjava3;

import dev.fusebox.timelimiter.TimeLimiter;
import io.reactivex.rxjava3.core.Flowable;
import io.reactivex.rxjava3.core.Scheduler;
import io.reactivex.rxjava3.disposables.Disposable;
import io.reactivex.rxjava3.schedulers.Schedulers;
import io.reactivex.rxjava3.subscribers.SerializedSubscriber;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * Bounds how long RxJava sources may take, with a {@link TimeLimiter} (named as in Resilience4j's rxjava3
 * module):
 *
 * <pre>{@code
 * Single<Quote> quote = client.quote(order)
 *     .compose(TimeLimiterTransformer.of(limiter))
 *     .compose(CircuitBreakerOperator.of(breaker));   // a time-out is a failure for the breaker
 * }</pre>
 *
 * <p>The limiter's {@code timeoutDuration} runs from subscription until a {@code Single}'s or
 * {@code Maybe}'s value, or until the source ends: it bounds the whole call, not the gap between two
 * elements (RxJava's own {@code timeout} does that). When it runs out first, the source is disposed and
 * the subscriber gets the limiter's {@link java.util.concurrent.TimeoutException}; the source is always
 * disposed, whatever {@code cancelRunningFuture} says. Each subscription counts once in the limiter's
 * metrics and events; a disposed one counts nothing. The timer runs on RxJava's
 * {@link Schedulers#computation()} scheduler, as RxJava's own {@code timeout} does, or on the one given to
 * {@link #of(TimeLimiter, Scheduler)}.
 *
 * <p>Instances are immutable and threadsafe.
 *
 * @param <T> the type of the values
 */
public final class TimeLimiterTransformer<T> extends Transformer<T> {

  private final GuardedFlowable.Guard<T> guard;

  private TimeLimiterTransformer(TimeLimiter limiter, Scheduler scheduler) {
    long timeoutNanos = limiter.config().timeoutDuration().toNanos();
    this.guard = (downstream, single) -> new TimedSubscriber<>(downstream, single, limiter, timeoutNanos,
        scheduler != null ? scheduler : Schedulers.computation());
  }

  /**
   * Returns a transformer that times sources with {@code limiter}, on {@link Schedulers#computation()}.
   *
   * @param limiter the time limiter
   * @param <T> the type of the values
   * @return the transformer
   * @throws NullPointerException if {@code limiter} is null
   */
  public static <T> TimeLimiterTransformer<T> of(TimeLimiter limiter) {
    return new TimeLimiterTransformer<>(Objects.requireNonNull(limiter, "limiter must not be null"), null);
  }

  /**
   * Returns a transformer that times sources with {@code limiter}, its timers on {@code scheduler}.
   *
   * @param limiter the time limiter
   * @param scheduler where the timers run
   * @param <T> the type of the values
   * @return the transformer
   * @throws NullPointerException if an argument is null
   */
  public static <T> TimeLimiterTransformer<T> of(TimeLimiter limiter, Scheduler scheduler) {
    return new TimeLimiterTransformer<>(
        Objects.requireNonNull(limiter, "limiter must not be null"),
        Objects.requireNonNull(scheduler, "scheduler must not be null"));
  }

  @Override
  Flowable<T> guard(Flowable<T> upstream, boolean single) {
    return new GuardedFlowable<>(upstream, guard, single);
  }

  /**
   * One timed subscription: the timer and the source race for the outcome through the state of
   * {@link GuardedSubscriber}, and the downstream is serialised, since a time-out may be signalled while
   * the source delivers a value on another thread. The timer starts once the downstream has its
   * subscription; one that ends before the timer is even scheduled has it disposed right after.
   */
  private static final class TimedSubscriber<T> extends GuardedSubscriber<T> implements Runnable {

    private final TimeLimiter limiter;
    private final long timeoutNanos;
    private final Scheduler scheduler;
    private volatile Disposable timer;

    TimedSubscriber(Subscriber<? super T> downstream, boolean single, TimeLimiter limiter, long timeoutNanos,
        Scheduler scheduler) {
      super(new SerializedSubscriber<>(downstream), single);
      this.limiter = limiter;
      this.timeoutNanos = timeoutNanos;
      this.scheduler = scheduler;
    }

    @Override
    Throwable admit() {
      return null;
    }

    @Override
    public void onSubscribe(Subscription s) {
      super.onSubscribe(s);
      if (state == ACTIVE) {
        Disposable scheduled = scheduler.scheduleDirect(this, timeoutNanos, TimeUnit.NANOSECONDS);
        timer = scheduled;
        if (state != ACTIVE) {
          scheduled.dispose();
        }
      }
    }

    @Override
    public void run() {
      if (claim()) {
        upstream.cancel();
        downstream.onError(limiter.onTimeout(true));
      }
    }

    private void stopTimer() {
      Disposable scheduled = timer;
      if (scheduled != null) {
        scheduled.dispose();
      }
    }

    @Override
    void succeeded(T value) {
      stopTimer();
      limiter.onSuccess();
    }

    @Override
    void completed() {
      stopTimer();
      limiter.onSuccess();
    }

    @Override
    void failed(Throwable error) {
      stopTimer();
      limiter.onError(error);
    }

    @Override
    void cancelled() {
      stopTimer();
    }
  }
}
