package dev.fusebox.rxjava3;

import io.reactivex.rxjava3.core.BackpressureStrategy;
import io.reactivex.rxjava3.core.Completable;
import io.reactivex.rxjava3.core.CompletableSource;
import io.reactivex.rxjava3.core.CompletableTransformer;
import io.reactivex.rxjava3.core.Flowable;
import io.reactivex.rxjava3.core.FlowableTransformer;
import io.reactivex.rxjava3.core.Maybe;
import io.reactivex.rxjava3.core.MaybeSource;
import io.reactivex.rxjava3.core.MaybeTransformer;
import io.reactivex.rxjava3.core.Observable;
import io.reactivex.rxjava3.core.ObservableSource;
import io.reactivex.rxjava3.core.ObservableTransformer;
import io.reactivex.rxjava3.core.Single;
import io.reactivex.rxjava3.core.SingleSource;
import io.reactivex.rxjava3.core.SingleTransformer;
import org.reactivestreams.Publisher;

/**
 * The five RxJava transformers of one policy, built on one {@code Flowable} implementation: every type is
 * viewed as a {@code Flowable}, guarded, and turned back. A {@code Single} or {@code Maybe} is guarded as a
 * single-value source, whose value is the call's outcome; an {@code Observable} crosses without
 * backpressure, as it has none; a {@code Completable} completes or fails like an empty stream.
 *
 * <p>Public only as the common supertype of this package's operators; its methods are those of the five
 * transformer interfaces.
 *
 * @param <T> the type of the values
 */
public abstract sealed class Transformer<T>
    implements FlowableTransformer<T, T>, ObservableTransformer<T, T>, SingleTransformer<T, T>,
        MaybeTransformer<T, T>, CompletableTransformer
    permits CircuitBreakerOperator, RetryTransformer, BulkheadOperator, AdaptiveBulkheadOperator,
        RateLimiterOperator, TimeLimiterTransformer, RetryOperator, TimeLimiterOperator, AdaptiveThrottleOperator,
        ChaosOperator {

  Transformer() {}

  /**
   * Guards one {@code Flowable}.
   *
   * @param upstream the source
   * @param single whether the source emits at most one value, which is then the call's outcome
   */
  abstract Flowable<T> guard(Flowable<T> upstream, boolean single);

  @Override
  public final Publisher<T> apply(Flowable<T> upstream) {
    return guard(upstream, false);
  }

  @Override
  public final ObservableSource<T> apply(Observable<T> upstream) {
    return guard(upstream.toFlowable(BackpressureStrategy.MISSING), false).toObservable();
  }

  @Override
  public final SingleSource<T> apply(Single<T> upstream) {
    return guard(upstream.toFlowable(), true).singleOrError();
  }

  @Override
  public final MaybeSource<T> apply(Maybe<T> upstream) {
    return guard(upstream.toFlowable(), true).singleElement();
  }

  @Override
  public final CompletableSource apply(Completable upstream) {
    return guard(upstream.<T>toFlowable(), false).ignoreElements();
  }
}
