package dev.fusebox.reactor;

import dev.fusebox.Ticker;
import dev.fusebox.bulkhead.AdaptiveBulkhead;
import dev.fusebox.bulkhead.BulkheadFullException;
import java.util.Objects;
import java.util.function.UnaryOperator;
import org.reactivestreams.Publisher;
import reactor.core.CoreSubscriber;

/**
 * Limits how many subscriptions run at once with an {@link AdaptiveBulkhead}, whose limit follows the
 * latency it measures.
 *
 * <pre>{@code
 * Mono<Hits> hits = search.query(terms)
 *     .transformDeferred(TimeLimiterOperator.of(limiter))       // a time-out is a drop ...
 *     .transformDeferred(AdaptiveBulkheadOperator.of(bulkhead)); // ... that this bulkhead sees
 * }</pre>
 *
 * <p>A subscription takes a permit when it arrives, or fails at once with a {@link BulkheadFullException}
 * without subscribing to the source. Its latency runs from subscription, on the bulkhead's
 * {@link dev.fusebox.bulkhead.AdaptiveBulkheadConfig#ticker() ticker}, to a {@code Mono}'s value or a
 * {@code Flux}'s completion, and is fed to the limit; an error the configuration
 * {@link dev.fusebox.bulkhead.AdaptiveBulkheadConfig#dropWhen() calls a drop} (a time-out, by default)
 * lowers it; any other error, and a cancellation, give the permit back without a sample. So put a time
 * limiter inside the bulkhead, as above, for its time-outs to count as drops. Signals pass unchanged, with
 * the subscriber's context; fusion is declined.
 *
 * <p>Instances are immutable and threadsafe.
 *
 * @param <T> the type of the values
 */
public final class AdaptiveBulkheadOperator<T> implements UnaryOperator<Publisher<T>> {

  private final Guard<T> guard;

  private AdaptiveBulkheadOperator(AdaptiveBulkhead bulkhead) {
    this.guard = (actual, single) -> new AdaptiveSubscriber<>(actual, single, bulkhead);
  }

  /**
   * Returns an operator that runs publishers inside {@code bulkhead}.
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
  public Publisher<T> apply(Publisher<T> publisher) {
    Objects.requireNonNull(publisher, "publisher must not be null");
    return Guards.apply(publisher, guard);
  }

  private static final class AdaptiveSubscriber<T> extends GuardedSubscriber<T> {

    private final AdaptiveBulkhead bulkhead;
    private final Ticker ticker;
    private long start;

    AdaptiveSubscriber(CoreSubscriber<? super T> actual, boolean single, AdaptiveBulkhead bulkhead) {
      super(actual, single);
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
