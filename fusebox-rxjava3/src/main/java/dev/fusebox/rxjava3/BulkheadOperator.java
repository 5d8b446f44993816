package dev.fusebox.rxjava3;

import dev.fusebox.bulkhead.Bulkhead;
import dev.fusebox.bulkhead.BulkheadFullException;
import io.reactivex.rxjava3.core.Flowable;
import java.util.Objects;
import org.reactivestreams.Subscriber;

/**
 * Limits how many subscriptions to RxJava sources run at once, with a {@link Bulkhead}:
 *
 * <pre>{@code
 * Flowable<Row> rows = database.query(sql).compose(BulkheadOperator.of(bulkhead));
 * }</pre>
 *
 * <p>A subscription takes a permit when it arrives and holds it until the source ends or the
 * subscription is disposed; the permit then goes back exactly once. A subscription that finds every
 * permit taken fails at once with a {@link BulkheadFullException} and the source is never subscribed to;
 * it never waits, whatever {@code maxWaitDuration} says, since waiting would block the subscribing
 * thread.
 *
 * <p>Instances are immutable and threadsafe.
 *
 * @param <T> the type of the values
 */
public final class BulkheadOperator<T> extends Transformer<T> {

  private final GuardedFlowable.Guard<T> guard;

  private BulkheadOperator(Bulkhead bulkhead) {
    this.guard = (downstream, single) -> new BulkheadSubscriber<>(downstream, single, bulkhead);
  }

  /**
   * Returns an operator that runs sources inside {@code bulkhead}.
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
  Flowable<T> guard(Flowable<T> upstream, boolean single) {
    return new GuardedFlowable<>(upstream, guard, single);
  }

  private static final class BulkheadSubscriber<T> extends GuardedSubscriber<T> {

    private final Bulkhead bulkhead;

    BulkheadSubscriber(Subscriber<? super T> downstream, boolean single, Bulkhead bulkhead) {
      super(downstream, single);
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
