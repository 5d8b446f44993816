package dev.fusebox.reactor;

import dev.fusebox.throttle.AdaptiveThrottle;
import dev.fusebox.throttle.CallThrottledException;
import java.util.Objects;
import java.util.function.UnaryOperator;
import org.reactivestreams.Publisher;
import reactor.core.CoreSubscriber;

/**
 * Guards a {@code Mono} or a {@code Flux} with an {@link AdaptiveThrottle}: each subscription is one
 * request.
 *
 * <pre>{@code
 * Mono<SearchResponse> response = search.query(terms)
 *     .transformDeferred(AdaptiveThrottleOperator.of(throttle));
 * }</pre>
 *
 * <h2>Behaviour</h2>
 * <ul>
 *   <li>The throttle decides when a subscriber arrives, once per subscription (so a {@code retry} further
 *       down asks again). A shed subscription fails at once with the throttle's
 *       {@link CallThrottledException}, and the source is never subscribed to.</li>
 *   <li>A {@code Mono}'s value is its outcome: it is judged by
 *       {@link dev.fusebox.throttle.AdaptiveThrottleConfig#recordResult() recordResult} when it arrives. An
 *       empty {@code Mono} was accepted.</li>
 *   <li>A {@code Flux} is one request, recorded once, when it ends: completion was accepted, an error is
 *       judged like any exception. Its elements are not judged by {@code recordResult}.</li>
 *   <li>A cancellation before the outcome records nothing: the throttle holds no permit to give back.</li>
 *   <li>Signals are passed on unchanged, on the thread that emitted them; the subscriber's
 *       {@link reactor.util.context.Context} reaches the source. The operator declines fusion.</li>
 * </ul>
 *
 * <p>Instances are immutable and threadsafe; one can guard any number of publishers.
 *
 * @param <T> the type of the values
 */
public final class AdaptiveThrottleOperator<T> implements UnaryOperator<Publisher<T>> {

  private final Guard<T> guard;

  private AdaptiveThrottleOperator(AdaptiveThrottle throttle) {
    this.guard = (actual, single) -> new ThrottleSubscriber<>(actual, single, throttle);
  }

  /**
   * Returns an operator that guards publishers with {@code throttle}.
   *
   * @param throttle the throttle
   * @param <T> the type of the values
   * @return the operator
   * @throws NullPointerException if {@code throttle} is null
   */
  public static <T> AdaptiveThrottleOperator<T> of(AdaptiveThrottle throttle) {
    return new AdaptiveThrottleOperator<>(Objects.requireNonNull(throttle, "throttle must not be null"));
  }

  @Override
  public Publisher<T> apply(Publisher<T> publisher) {
    Objects.requireNonNull(publisher, "publisher must not be null");
    return Guards.apply(publisher, guard);
  }

  /** One subscription's request, and the outcome it reports. */
  private static final class ThrottleSubscriber<T> extends GuardedSubscriber<T> {

    private final AdaptiveThrottle throttle;

    ThrottleSubscriber(CoreSubscriber<? super T> actual, boolean single, AdaptiveThrottle throttle) {
      super(actual, single);
      this.throttle = throttle;
    }

    @Override
    Throwable admit() {
      try {
        throttle.acquirePermission();
        return null;
      } catch (CallThrottledException shed) {
        // The throttle's one rejection, as its other call forms hand it out.
        return shed;
      }
    }

    @Override
    void succeeded(T value) {
      throttle.onResult(value);
    }

    @Override
    void completed() {
      throttle.onSuccess();
    }

    @Override
    void failed(Throwable error) {
      throttle.onError(error);
    }

    @Override
    void cancelled() {
      // Nothing to give back, nothing to record.
    }
  }
}
