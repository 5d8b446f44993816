package dev.fusebox.rxjava3;

import dev.fusebox.ratelimiter.RateLimiter;
import dev.fusebox.ratelimiter.RequestNotPermittedException;
import io.reactivex.rxjava3.core.Flowable;
import io.reactivex.rxjava3.core.Scheduler;
import io.reactivex.rxjava3.schedulers.Schedulers;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Paces subscriptions to RxJava sources with a {@link RateLimiter}: each subscription is one call and
 * takes one permit.
 *
 * <pre>{@code
 * Single<Quote> quote = partnerApi.quote(order).compose(RateLimiterOperator.of(limiter));
 * }</pre>
 *
 * <p>A subscription reserves its permit when it arrives: a permit free now subscribes to the source at
 * once; a permit due within the limiter's {@code timeoutDuration} delays the subscription until it is
 * due, without blocking a thread; otherwise the subscription fails at once with a
 * {@link RequestNotPermittedException} and the source is never subscribed to. Disposing while waiting
 * means the source is never subscribed to (the permit stays spent). The wait runs on RxJava's
 * {@link Schedulers#computation()} scheduler, as RxJava's own {@code delaySubscription} does, or on the
 * one given to {@link #of(RateLimiter, Scheduler)}.
 *
 * <p>Instances are immutable and threadsafe.
 *
 * @param <T> the type of the values
 */
public final class RateLimiterOperator<T> extends Transformer<T> {

  private final RateLimiter limiter;
  private final Scheduler scheduler;

  private RateLimiterOperator(RateLimiter limiter, Scheduler scheduler) {
    this.limiter = limiter;
    this.scheduler = scheduler;
  }

  /**
   * Returns an operator that paces sources with {@code limiter}, waiting on {@link Schedulers#computation()}.
   *
   * @param limiter the rate limiter
   * @param <T> the type of the values
   * @return the operator
   * @throws NullPointerException if {@code limiter} is null
   */
  public static <T> RateLimiterOperator<T> of(RateLimiter limiter) {
    return new RateLimiterOperator<>(Objects.requireNonNull(limiter, "limiter must not be null"), null);
  }

  /**
   * Returns an operator that paces sources with {@code limiter}, waiting on {@code scheduler}.
   *
   * @param limiter the rate limiter
   * @param scheduler where waits for a permit run
   * @param <T> the type of the values
   * @return the operator
   * @throws NullPointerException if an argument is null
   */
  public static <T> RateLimiterOperator<T> of(RateLimiter limiter, Scheduler scheduler) {
    return new RateLimiterOperator<>(
        Objects.requireNonNull(limiter, "limiter must not be null"),
        Objects.requireNonNull(scheduler, "scheduler must not be null"));
  }

  @Override
  Flowable<T> guard(Flowable<T> upstream, boolean single) {
    return Flowable.defer(() -> {
      long wait = limiter.reservePermission(1);
      if (wait < 0) {
        return Flowable.error(RequestNotPermittedException.of(limiter.name()));
      }
      if (wait == 0) {
        return upstream;
      }
      return upstream.delaySubscription(wait, TimeUnit.NANOSECONDS,
          scheduler != null ? scheduler : Schedulers.computation());
    });
  }
}
