package dev.fusebox.rxjava3;

import dev.fusebox.retry.Retry;
import io.reactivex.rxjava3.core.Flowable;
import io.reactivex.rxjava3.core.Scheduler;
import io.reactivex.rxjava3.schedulers.Schedulers;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.reactivestreams.Publisher;

/**
 * Re-subscribes to RxJava sources that failed, as a {@link Retry} decides (named as in Resilience4j's
 * rxjava3 module):
 *
 * <pre>{@code
 * Single<Quote> quote = client.quote(order)
 *     .compose(CircuitBreakerOperator.of(breaker))   // each attempt asks the breaker
 *     .compose(RetryTransformer.of(retry));
 * }</pre>
 *
 * <p>Each subscription is one call of the retry, with its own {@link Retry.Context}: every rule of the
 * retry applies, and the call is counted and published as the retry's other forms count it. The
 * subscriber gets the last attempt's error, the same instance, with the earlier attempts' errors
 * suppressed. A {@code Single}'s or {@code Maybe}'s value is judged by
 * {@link dev.fusebox.retry.RetryConfig#retryOnResult() retryOnResult}; an empty {@code Maybe} and a
 * completed {@code Completable} are successes the predicate never sees; a {@code Flowable}'s or
 * {@code Observable}'s elements are not judged, and those emitted before a failure stay delivered.
 * Disposing stops the retries and counts no call. The waits run on RxJava's
 * {@link Schedulers#computation()} scheduler, or on the one given to {@link #of(Retry, Scheduler)}.
 *
 * <p>Instances are immutable and threadsafe.
 *
 * @param <T> the type of the values
 */
public final class RetryTransformer<T> extends Transformer<T> {

  private final Retry retry;
  private final Scheduler scheduler;

  private RetryTransformer(Retry retry, Scheduler scheduler) {
    this.retry = retry;
    this.scheduler = scheduler;
  }

  /**
   * Returns a transformer that retries sources with {@code retry}, waiting on {@link Schedulers#computation()}.
   *
   * @param retry the retry
   * @param <T> the type of the values
   * @return the transformer
   * @throws NullPointerException if {@code retry} is null
   */
  public static <T> RetryTransformer<T> of(Retry retry) {
    return new RetryTransformer<>(Objects.requireNonNull(retry, "retry must not be null"), null);
  }

  /**
   * Returns a transformer that retries sources with {@code retry}, waiting on {@code scheduler}.
   *
   * @param retry the retry
   * @param scheduler where the waits between attempts run
   * @param <T> the type of the values
   * @return the transformer
   * @throws NullPointerException if an argument is null
   */
  public static <T> RetryTransformer<T> of(Retry retry, Scheduler scheduler) {
    return new RetryTransformer<>(
        Objects.requireNonNull(retry, "retry must not be null"),
        Objects.requireNonNull(scheduler, "scheduler must not be null"));
  }

  @Override
  Flowable<T> guard(Flowable<T> upstream, boolean single) {
    Scheduler waits = scheduler != null ? scheduler : Schedulers.computation();
    return Flowable.defer(() -> {
      Attempts attempts = new Attempts(retry.context(), waits);
      Flowable<T> attempted = single ? upstream.map(attempts::judge) : upstream;
      return attempted.doOnComplete(attempts::completed).retryWhen(failures -> failures.concatMap(attempts::next));
    });
  }

  /**
   * The attempts of one call, one at a time: {@code retryWhen} subscribes to the next attempt only after
   * the previous one ended and its wait elapsed, so the context's reports are ordered and plain fields
   * suffice.
   */
  private static final class Attempts {

    private final Retry.Context context;
    private final Scheduler scheduler;
    /** Whether the current attempt's value was judged, so that its completion is not a second report. */
    private boolean judged;

    Attempts(Retry.Context context, Scheduler scheduler) {
      this.context = context;
      this.scheduler = scheduler;
    }

    <T> T judge(T value) {
      judged = true;
      long wait;
      try {
        wait = context.onResult(value);
      } catch (Throwable e) {
        throw new EndWith(e);
      }
      if (wait != Retry.Context.STOP) {
        throw new RetryResult(wait);
      }
      Throwable failure = context.failure();
      if (failure != null) {
        throw new EndWith(failure);
      }
      return value;
    }

    void completed() {
      if (!judged) {
        context.onSuccess();
      }
    }

    Publisher<Long> next(Throwable failure) {
      judged = false;
      long wait;
      if (failure instanceof RetryResult again) {
        wait = again.waitNanos;
      } else if (failure instanceof EndWith end) {
        return Flowable.error(end.failure);
      } else {
        try {
          wait = context.onError(failure);
        } catch (Throwable e) {
          return Flowable.error(e);
        }
        if (wait == Retry.Context.STOP) {
          return Flowable.error(context.failure());
        }
      }
      return wait == 0 ? Flowable.just(0L) : Flowable.timer(wait, TimeUnit.NANOSECONDS, scheduler);
    }
  }

  /** The internal signal of a value to retry after {@code waitNanos}; never seen outside this class. */
  private static final class RetryResult extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final long waitNanos;

    RetryResult(long waitNanos) {
      super(null, null, false, false);
      this.waitNanos = waitNanos;
    }
  }

  /** The internal signal of a call that ends with {@code failure}; unwrapped before delivery. */
  private static final class EndWith extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final transient Throwable failure;

    EndWith(Throwable failure) {
      super(null, null, false, false);
      this.failure = failure;
    }
  }
}
