package dev.fusebox.reactor;

import dev.fusebox.Ticker;
import dev.fusebox.circuitbreaker.CallNotPermittedException;
import dev.fusebox.circuitbreaker.CircuitBreaker;
import java.time.Duration;
import java.util.Objects;
import java.util.function.UnaryOperator;
import org.reactivestreams.Publisher;
import reactor.core.CoreSubscriber;

/**
 * Guards a {@code Mono} or a {@code Flux} with a {@link CircuitBreaker}.
 *
 * <pre>{@code
 * Mono<Quote> quote = client.quote(order)
 *     .transformDeferred(CircuitBreakerOperator.of(breaker));
 * Flux<Price> prices = client.prices(sku)
 *     .transformDeferred(CircuitBreakerOperator.of(breaker));
 * }</pre>
 *
 * <h2>Behaviour</h2>
 * <ul>
 *   <li>The breaker is asked when a subscriber arrives, once per subscription (so a {@code retry} further
 *       down asks again). A rejected subscription fails at once with the breaker's
 *       {@link CallNotPermittedException}, and the source is never subscribed to.</li>
 *   <li>A {@code Mono}'s value is its outcome: it is judged by
 *       {@link dev.fusebox.circuitbreaker.CircuitBreakerConfig#recordResult() recordResult} when it arrives.
 *       An empty {@code Mono} (a {@code Mono<Void>}, say) is a success; the predicate never sees a
 *       {@code null}.</li>
 *   <li>A {@code Flux} is one call, recorded once, when it ends: completion is a success, an error is judged
 *       like any exception. Its elements are not judged by {@code recordResult}: to judge a stream by its
 *       content, collect it first ({@code collectList()}) and guard the {@code Mono}.</li>
 *   <li>A cancellation before the outcome (a {@code take(n)} or a {@code timeout} downstream, a client that
 *       went away) gives the permit back without recording anything.</li>
 *   <li>Durations, for slow-call detection, run from subscription to the outcome, on the breaker's
 *       {@link dev.fusebox.circuitbreaker.CircuitBreakerConfig#ticker() ticker}, which is read only when
 *       slow-call detection is on.</li>
 *   <li>Signals are passed on unchanged, on the thread that emitted them; the subscriber's
 *       {@link reactor.util.context.Context} reaches the source. The operator declines fusion, so no
 *       value can slip past it.</li>
 * </ul>
 *
 * <p>Use {@code transformDeferred} or {@code transform}: either way the permission is taken at
 * subscription. Instances are immutable and threadsafe; one can guard any number of publishers.
 *
 * @param <T> the type of the values
 */
public final class CircuitBreakerOperator<T> implements UnaryOperator<Publisher<T>> {

  private final Guard<T> guard;

  private CircuitBreakerOperator(CircuitBreaker breaker) {
    this.guard = (actual, single) -> new BreakerSubscriber<>(actual, single, breaker);
  }

  /**
   * Returns an operator that guards publishers with {@code breaker}.
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
  public Publisher<T> apply(Publisher<T> publisher) {
    Objects.requireNonNull(publisher, "publisher must not be null");
    return Guards.apply(publisher, guard);
  }

  /** One subscription's permit, and the outcome it reports. */
  private static final class BreakerSubscriber<T> extends GuardedSubscriber<T> {

    private final CircuitBreaker breaker;
    private CircuitBreaker.Permit permit;
    private Ticker ticker;
    private long start;

    BreakerSubscriber(CoreSubscriber<? super T> actual, boolean single, CircuitBreaker breaker) {
      super(actual, single);
      this.breaker = breaker;
    }

    @Override
    Throwable admit() {
      permit = breaker.tryAcquirePermit();
      if (permit == null) {
        return rejection(breaker);
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

  /**
   * The breaker's own rejection is not handed out with a refused permit, so one is made like it: same
   * name and state and, for an open breaker, the time until its next trial.
   */
  static CallNotPermittedException rejection(CircuitBreaker breaker) {
    CircuitBreaker.State state = breaker.state();
    Duration retryAfter = state == CircuitBreaker.State.OPEN ? breaker.metrics().nextTrialIn().orElse(null) : null;
    return CallNotPermittedException.of(breaker.name(), state, retryAfter);
  }
}
