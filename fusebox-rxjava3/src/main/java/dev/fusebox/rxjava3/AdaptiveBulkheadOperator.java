package dev.fusebox.rxjava3;

import dev.fusebox.Ticker;
import dev.fusebox.bulkhead.AdaptiveBulkhead;
import dev.fusebox.bulkhead.BulkheadFullException;
import io.reactivex.rxjava3.core.Flowable;
import java.util.Objects;
import org.reactivestreams.Subscriber;

/**
 * Limits how many subscriptions to RxJava sources run at once with an {@link AdaptiveBulkhead}, whose
 * limit follows the latency it measures:
 *
 * <pre>{@code
 * Single<Hits> hits = search.query(terms)
 *     .compose(TimeLimiterTransformer.of(limiter))       // a time-out is a drop ...
 *     .compose(AdaptiveBulkheadOperator.of(bulkhead));   // ... that this bulkhead sees
 * }</pre>
 *
 * <p>A subscription takes a permit when it arrives, or fails at once with a {@link BulkheadFullException}
 * without subscribing to the source. Its latency, from subscription to a single-value source's value or a
 * stream's completion, on the bulkhead's ticker, feeds the limit; an error the configuration calls a drop
 * (a time-out, by default) lowers it; any other error, and disposal, give the permit back without a
 * sample.
 *
 * <p>Instances are immutable and threadsafe.
 *
 * @param <T> the type of the values
 */
public final class AdaptiveBulkheadOperator<T> extends Transformer<T> {

  private final GuardedFlowable.Guard<T> guard;

  private AdaptiveBulkheadOperator(AdaptiveBulkhead bulkhead) {
    this.guard = (downstream, single) -> new AdaptiveSubscriber<>(downstream, single, bulkhead);
  }

  /**
   * Returns an operator that runs sources inside {@code bulkhead}.
   *
   * @param bulkhead the adaptive bulkhead
   * @param <T> the type of the values
   * @return the operator
   * @throws NullPointerException if {@code bulkhead} is null
   */
  public static <T> AdaptiveBulkheadOperator<T> of(AdaptiveBulkhead bulkhead) {
    return new AdaptiveBulkheadOperator<>(Objects.requireNonNull(bulkhead, "bulkhead must not be null"));
  }

  @Override
  Flowable<T> guard(Flowable<T> upstream, boolean single) {
    return new GuardedFlowable<>(upstream, guard, single);
  }

  private static final class AdaptiveSubscriber<T> extends GuardedSubscriber<T> {

    private final AdaptiveBulkhead bulkhead;
    private final Ticker ticker;
    private long start;

    AdaptiveSubscriber(Subscriber<? super T> downstream, boolean single, AdaptiveBulkhead bulkhead) {
      super(downstream, single);
      this.bulkhead = bulkhead;
      this.ticker = bulkhead.config().ticker();
    }

    @Override
    Throwable admit() {
      if (!bulkhead.tryAcquirePermission()) {
        return BulkheadFullException.of(bulkhead.name());
      }
      start = ticker.nanos();
      return null;
    }

    @Override
    void succeeded(T value) {
      bulkhead.onSuccess(ticker.nanos() - start);
    }

    @Override
    void completed() {
      bulkhead.onSuccess(ticker.nanos() - start);
    }

    @Override
    void failed(Throwable error) {
      bulkhead.onError(ticker.nanos() - start, error);
    }

    @Override
    void cancelled() {
      bulkhead.releasePermission();
    }
  }
}
