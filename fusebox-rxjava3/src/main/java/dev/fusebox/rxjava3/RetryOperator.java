package dev.fusebox.rxjava3;

import dev.fusebox.retry.Retry;
import io.reactivex.rxjava3.core.Flowable;
import io.reactivex.rxjava3.core.Scheduler;

/**
 * The {@link RetryTransformer} under the name {@code fusebox-reactor} gives it, so that code guarding Reactor and
 * RxJava sources reads the same: every operator of this package is {@code XOperator.of(policy)}.
 * {@code RetryTransformer} is the name Resilience4j's rxjava3 module uses; both behave exactly alike.
 *
 * <pre>{@code
 * Single<Quote> quote = client.quote(order)
 *     .compose(CircuitBreakerOperator.of(breaker))
 *     .compose(RetryOperator.of(retry));
 * }</pre>
 *
 * <p>Instances are immutable and threadsafe.
 *
 * @param <T> the type of the values
 */
public final class RetryOperator<T> extends Transformer<T> {

  private final RetryTransformer<T> transformer;

  private RetryOperator(RetryTransformer<T> transformer) {
    this.transformer = transformer;
  }

  /**
   * Returns an operator that retries sources with {@code retry}, as {@link RetryTransformer#of(Retry)} does.
   *
   * @param retry the policy
   * @param <T> the type of the values
   * @return the operator
   * @throws NullPointerException if {@code retry} is null
   */
  public static <T> RetryOperator<T> of(Retry retry) {
    return new RetryOperator<>(RetryTransformer.of(retry));
  }

  /**
   * Returns an operator that retries sources with {@code retry}, its waits on {@code scheduler}, as
   * {@link RetryTransformer#of(Retry, Scheduler)} does.
   *
   * @param retry the policy
   * @param scheduler where the operator's waits run
   * @param <T> the type of the values
   * @return the operator
   * @throws NullPointerException if an argument is null
   */
  public static <T> RetryOperator<T> of(Retry retry, Scheduler scheduler) {
    return new RetryOperator<>(RetryTransformer.of(retry, scheduler));
  }

  @Override
  Flowable<T> guard(Flowable<T> upstream, boolean single) {
    return transformer.guard(upstream, single);
  }
}
