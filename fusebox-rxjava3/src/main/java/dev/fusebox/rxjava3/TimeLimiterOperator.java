package dev.fusebox.rxjava3;

import dev.fusebox.timelimiter.TimeLimiter;
import io.reactivex.rxjava3.core.Flowable;
import io.reactivex.rxjava3.core.Scheduler;

/**
 * The {@link TimeLimiterTransformer} under the name {@code fusebox-reactor} gives it, so that code guarding Reactor and
 * RxJava sources reads the same: every operator of this package is {@code XOperator.of(policy)}.
 * {@code TimeLimiterTransformer} is the name Resilience4j's rxjava3 module uses; both behave exactly alike.
 *
 * <pre>{@code
 * Single<Quote> quote = client.quote(order)
 *     .compose(CircuitBreakerOperator.of(breaker))
 *     .compose(TimeLimiterOperator.of(limiter));
 * }</pre>
 *
 * <p>Instances are immutable and threadsafe.
 *
 * @param <T> the type of the values
 */
public final class TimeLimiterOperator<T> extends Transformer<T> {

  private final TimeLimiterTransformer<T> transformer;

  private TimeLimiterOperator(TimeLimiterTransformer<T> transformer) {
    this.transformer = transformer;
  }

  /**
   * Returns an operator that bounds sources with {@code limiter}, as {@link TimeLimiterTransformer#of(TimeLimiter)} does.
   *
   * @param limiter the policy
   * @param <T> the type of the values
   * @return the operator
   * @throws NullPointerException if {@code limiter} is null
   */
  public static <T> TimeLimiterOperator<T> of(TimeLimiter limiter) {
    return new TimeLimiterOperator<>(TimeLimiterTransformer.of(limiter));
  }

  /**
   * Returns an operator that bounds sources with {@code limiter}, its waits on {@code scheduler}, as
   * {@link TimeLimiterTransformer#of(TimeLimiter, Scheduler)} does.
   *
   * @param limiter the policy
   * @param scheduler where the operator's waits run
   * @param <T> the type of the values
   * @return the operator
   * @throws NullPointerException if an argument is null
   */
  public static <T> TimeLimiterOperator<T> of(TimeLimiter limiter, Scheduler scheduler) {
    return new TimeLimiterOperator<>(TimeLimiterTransformer.of(limiter, scheduler));
  }

  @Override
  Flowable<T> guard(Flowable<T> upstream, boolean single) {
    return transformer.guard(upstream, single);
  }
}
