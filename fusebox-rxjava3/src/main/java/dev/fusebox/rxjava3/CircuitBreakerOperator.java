package dev.fusebox.rxjava3;

import dev.fusebox.Ticker;
import dev.fusebox.circuitbreaker.CallNotPermittedException;
import dev.fusebox.circuitbreaker.CircuitBreaker;
import io.reactivex.rxjava3.core.Flowable;
import java.time.Duration;
import java.util.Objects;
import org.reactivestreams.Subscriber;

/**
 * Guards RxJava sources with a {@link CircuitBreaker}, for every type:
 *
 * <pre>{@code
 * Single<Quote> quote = client.quote(order).compose(CircuitBreakerOperator.of(breaker));
 * Flowable<Price> prices = client.prices(sku).compose(CircuitBreakerOperator.of(breaker));
 * Completable sent = client.send(message).compose(CircuitBreakerOperator.of(breaker));
 * }</pre>
 *
 * <ul>
 *   <li>The breaker is asked when a subscriber arrives, once per subscription. A rejected subscription
 *       fails at once with the breaker's {@link CallNotPermittedException}, and the source is never
 *       subscribed to.</li>
 *   <li>A {@code Single}'s or {@code Maybe}'s value is the call's outcome, judged by
 *       {@link dev.fusebox.circuitbreaker.CircuitBreakerConfig#recordResult() recordResult} when it
 *       arrives; an empty {@code Maybe} and a {@code Completable} that completes are successes the
 *       predicate never sees.</li>
 *   <li>A {@code Flowable} or an {@code Observable} is one call, recorded once when it ends; its elements
 *       are not judged by {@code recordResult}.</li>
 *   <li>Disposing before the outcome gives the permit back without recording anything.</li>
 *   <li>Durations run from subscription, on the breaker's ticker, read only when slow-call detection is
 *       on. Signals pass unchanged, on the thread that emitted them.</li>
 * </ul>
 *
 * <p>Instances are immutable and threadsafe.
 *
 * @param <T> the type of the values
 */
public final class CircuitBreakerOperator<T> extends Transformer<T> {

  private final GuardedFlowable.Guard<T> guard;

  private CircuitBreakerOperator(CircuitBreaker breaker) {
    this.guard = (downstream, single) -> new BreakerSubscriber<>(downstream, single, breaker);
  }

  /**
   * Returns an operator that guards sources with {@code breaker}.
   *
   * @param breaker the breaker
   * @param <T> the type of the values
   * @return the operator
   * @throws NullPointerException if {@code breaker} is null
   */
  public static <T> CircuitBreakerOperator<T> of(CircuitBreaker breaker) {
    return new CircuitBreakerOperator<>(Objects.requireNonNull(breaker, "breaker must not be null"));
  }

  @Override
  Flowable<T> guard(Flowable<T> upstream, boolean single) {
    return new GuardedFlowable<>(upstream, guard, single);
  }

  private static final class BreakerSubscriber<T> extends GuardedSubscriber<T> {

    private final CircuitBreaker breaker;
    private CircuitBreaker.Permit permit;
    private Ticker ticker;
    private long start;

    BreakerSubscriber(Subscriber<? super T> downstream, boolean single, CircuitBreaker breaker) {
      super(downstream, single);
      this.breaker = breaker;
    }

    @Override
    Throwable admit() {
      permit = breaker.tryAcquirePermit();
      if (permit == null) {
        CircuitBreaker.State state = breaker.state();
        Duration retryAfter =
            state == CircuitBreaker.State.OPEN ? breaker.metrics().nextTrialIn().orElse(null) : null;
        return CallNotPermittedException.of(breaker.name(), state, retryAfter);
      }
      if (breaker.config().slowCallDetection()) {
        ticker = breaker.config().ticker();
        start = ticker.nanos();
      }
      return null;
    }

    private long elapsed() {
      return ticker == null ? 0L : ticker.nanos() - start;
    }

    @Override
    void succeeded(T value) {
      permit.onResult(elapsed(), value);
    }

    @Override
    void completed() {
      permit.onSuccess(elapsed());
    }

    @Override
    void failed(Throwable error) {
      permit.onError(elapsed(), error);
    }

    @Override
    void cancelled() {
      permit.release();
    }
  }
}
