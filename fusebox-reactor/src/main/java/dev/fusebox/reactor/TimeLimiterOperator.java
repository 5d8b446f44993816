package dev.fusebox.reactor;

import dev.fusebox.timelimiter.TimeLimiter;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.Disposable;
import reactor.core.publisher.Operators;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Bounds how long a {@code Mono} or a {@code Flux} may take, with a {@link TimeLimiter}.
 *
 * <pre>{@code
 * Mono<Quote> quote = client.quote(order)
 *     .transformDeferred(TimeLimiterOperator.of(limiter))
 *     .transformDeferred(CircuitBreakerOperator.of(breaker));   // a time-out is a failure for the breaker
 * }</pre>
 *
 * <p>The limiter's {@link dev.fusebox.timelimiter.TimeLimiterConfig#timeoutDuration() timeoutDuration}
 * runs from subscription until a {@code Mono}'s value, or until a {@code Flux} terminates: it bounds the
 * whole call, not the gap between two elements (Reactor's own {@code timeout} does that). When it runs out
 * first, the source is cancelled and the subscriber gets the limiter's
 * {@link java.util.concurrent.TimeoutException}; the source is always cancelled, whatever
 * {@link dev.fusebox.timelimiter.TimeLimiterConfig#cancelRunningFuture() cancelRunningFuture} says, since
 * a subscription nobody listens to any more must not go on. Each subscription counts once in the
 * limiter's metrics and events: a success, a failure, or a time-out; a cancelled one counts nothing.
 *
 * <p>The timer runs on a Reactor {@link Scheduler}: {@link Schedulers#parallel()} by default, as for
 * Reactor's own {@code timeout}, so {@code StepVerifier.withVirtualTime} controls it; or the one given to
 * {@link #of(TimeLimiter, Scheduler)}. The limiter's own {@code scheduler} option serves its
 * {@code CompletionStage} form only. A time-out is signalled on the timer's thread, serialised with the
 * source's signals.
 *
 * <p>Instances are immutable and threadsafe.
 *
 * @param <T> the type of the values
 */
public final class TimeLimiterOperator<T> implements UnaryOperator<Publisher<T>> {

  private final Guard<T> guard;

  private TimeLimiterOperator(TimeLimiter limiter, Scheduler scheduler) {
    long timeoutNanos = limiter.config().timeoutDuration().toNanos();
    this.guard = (actual, single) -> new TimedSubscriber<>(actual, single, limiter, timeoutNanos,
        scheduler != null ? scheduler : Schedulers.parallel());
  }

  /**
   * Returns an operator that times publishers with {@code limiter}, on {@link Schedulers#parallel()}.
   *
   * @param limiter the time limiter
   * @param <T> the type of the values
   * @return the operator
   * @throws NullPointerException if {@code limiter} is null
   */
  public static <T> TimeLimiterOperator<T> of(TimeLimiter limiter) {
    return new TimeLimiterOperator<>(Objects.requireNonNull(limiter, "limiter must not be null"), null);
  }

  /**
   * Returns an operator that times publishers with {@code limiter}, its timers on {@code scheduler}.
   *
   * @param limiter the time limiter
   * @param scheduler where the timers run
   * @param <T> the type of the values
   * @return the operator
   * @throws NullPointerException if an argument is null
   */
  public static <T> TimeLimiterOperator<T> of(TimeLimiter limiter, Scheduler scheduler) {
    return new TimeLimiterOperator<>(
        Objects.requireNonNull(limiter, "limiter must not be null"),
        Objects.requireNonNull(scheduler, "scheduler must not be null"));
  }

  @Override
  public Publisher<T> apply(Publisher<T> publisher) {
    Objects.requireNonNull(publisher, "publisher must not be null");
    return Guards.apply(publisher, guard);
  }

  /**
   * One timed subscription. The timer and the source race for the outcome through the state of
   * {@link GuardedSubscriber}; the downstream is serialised, since a time-out may be signalled while the
   * source is still delivering a value on another thread. The timer starts once the downstream has its
   * subscription, so a time-out can never precede {@code onSubscribe}; a source that ends before the timer
   * is even scheduled has the timer disposed right after.
   */
  private static final class TimedSubscriber<T> extends GuardedSubscriber<T> implements Runnable {

    private final TimeLimiter limiter;
    private final long timeoutNanos;
    private final Scheduler scheduler;
    private final CoreSubscriber<? super T> serialized;
    private volatile Disposable timer;

    TimedSubscriber(CoreSubscriber<? super T> actual, boolean single, TimeLimiter limiter, long timeoutNanos,
        Scheduler scheduler) {
      super(actual, single);
      this.limiter = limiter;
      this.timeoutNanos = timeoutNanos;
      this.scheduler = scheduler;
      this.serialized = Operators.serialize(actual);
    }

    @Override
    CoreSubscriber<? super T> downstream() {
      return serialized;
    }

    @Override
    Throwable admit() {
      return null;
    }

    @Override
    public void onSubscribe(Subscription s) {
      super.onSubscribe(s);
      if (state == ACTIVE) {
        Disposable scheduled;
        try {
          scheduled = scheduler.schedule(this, timeoutNanos, TimeUnit.NANOSECONDS);
        } catch (RuntimeException e) {
          // A scheduler that refuses (shut down): the call cannot be timed, so it must not run untimed.
          if (claim()) {
            s.cancel();
            limiter.onError(e);
            serialized.onError(Operators.onRejectedExecution(e, currentContext()));
          }
          return;
        }
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
        serialized.onError(limiter.onTimeout(true));
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
