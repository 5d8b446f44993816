package dev.fusebox.reactor;

import dev.fusebox.bulkhead.Bulkhead;
import dev.fusebox.bulkhead.BulkheadFullException;
import java.util.Objects;
import java.util.function.UnaryOperator;
import org.reactivestreams.Publisher;
import reactor.core.CoreSubscriber;

/**
 * Limits how many subscriptions to a {@code Mono} or a {@code Flux} run at once, with a {@link Bulkhead}.
 *
 * <pre>{@code
 * Flux<Row> rows = database.query(sql)
 *     .transformDeferred(BulkheadOperator.of(bulkhead));
 * }</pre>
 *
 * <p>A subscription takes a permit when it arrives and holds it until the source completes, fails, or
 * the subscription is cancelled, whichever comes first; the permit then goes back exactly once. A
 * subscription that finds every permit taken fails at once with a {@link BulkheadFullException} and the
 * source is never subscribed to. It never waits, whatever the
 * {@link dev.fusebox.bulkhead.BulkheadConfig#maxWaitDuration() maxWaitDuration}: waiting would block the
 * subscribing thread, an event loop's perhaps, as the bulkhead's asynchronous form never does either.
 * Signals pass unchanged, with the subscriber's context; fusion is declined.
 *
 * <p>Instances are immutable and threadsafe.
 *
 * @param <T> the type of the values
 */
public final class BulkheadOperator<T> implements UnaryOperator<Publisher<T>> {

  private final Guard<T> guard;

  private BulkheadOperator(Bulkhead bulkhead) {
    this.guard = (actual, single) -> new BulkheadSubscriber<>(actual, single, bulkhead);
  }

  /**
   * Returns an operator that runs publishers inside {@code bulkhead}.
   *
   * @param bulkhead the bulkhead
   * @param <T> the type of the values
   * @return the operator
   * @throws NullPointerException if {@code bulkhead} is null
   */
  public static <T> BulkheadOperator<T> of(Bulkhead bulkhead) {
    return new BulkheadOperator<>(Objects.requireNonNull(bulkhead, "bulkhead must not be null"));
  }

  @Override
  public Publisher<T> apply(Publisher<T> publisher) {
    Objects.requireNonNull(publisher, "publisher must not be null");
    return Guards.apply(publisher, guard);
  }

  private static final class BulkheadSubscriber<T> extends GuardedSubscriber<T> {

    private final Bulkhead bulkhead;

    BulkheadSubscriber(CoreSubscriber<? super T> actual, boolean single, Bulkhead bulkhead) {
      super(actual, single);
      this.bulkhead = bulkhead;
    }

    @Override
    Throwable admit() {
      return bulkhead.tryAcquirePermission() ? null : BulkheadFullException.of(bulkhead.name());
    }

    @Override
    void succeeded(T value) {
      bulkhead.onComplete();
    }

    @Override
    void completed() {
      bulkhead.onComplete();
    }

    @Override
    void failed(Throwable error) {
      bulkhead.onComplete();
    }

    @Override
    void cancelled() {
      bulkhead.onComplete();
    }
  }
}
