package dev.fusebox.rxjava3;

import dev.fusebox.throttle.AdaptiveThrottle;
import dev.fusebox.throttle.CallThrottledException;
import io.reactivex.rxjava3.core.Flowable;
import java.util.Objects;
import org.reactivestreams.Subscriber;

/**
 * Guards RxJava sources with an {@link AdaptiveThrottle}, for every type: each subscription is one request.
 *
 * <pre>{@code
 * Single<SearchResponse> response = search.query(terms).compose(AdaptiveThrottleOperator.of(throttle));
 * }</pre>
 *
 * <ul>
 *   <li>The throttle decides when a subscriber arrives, once per subscription. A shed subscription fails
 *       at once with the throttle's {@link CallThrottledException}, and the source is never subscribed
 *       to.</li>
 *   <li>A {@code Single}'s or {@code Maybe}'s value is the request's outcome, judged by
 *       {@link dev.fusebox.throttle.AdaptiveThrottleConfig#recordResult() recordResult} when it arrives;
 *       an empty {@code Maybe} and a {@code Completable} that completes were accepted.</li>
 *   <li>A {@code Flowable} or an {@code Observable} is one request, recorded once when it ends: completion
 *       was accepted, an error is judged like any exception.</li>
 *   <li>Disposing before the outcome records nothing. Signals pass unchanged, on the thread that emitted
 *       them.</li>
 * </ul>
 *
 * <p>Instances are immutable and threadsafe.
 *
 * @param <T> the type of the values
 */
public final class AdaptiveThrottleOperator<T> extends Transformer<T> {

  private final GuardedFlowable.Guard<T> guard;

  private AdaptiveThrottleOperator(AdaptiveThrottle throttle) {
    this.guard = (downstream, single) -> new ThrottleSubscriber<>(downstream, single, throttle);
  }

  /**
   * Returns an operator that guards sources with {@code throttle}.
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
  Flowable<T> guard(Flowable<T> upstream, boolean single) {
    return new GuardedFlowable<>(upstream, guard, single);
  }

  private static final class ThrottleSubscriber<T> extends GuardedSubscriber<T> {

    private final AdaptiveThrottle throttle;

    ThrottleSubscriber(Subscriber<? super T> downstream, boolean single, AdaptiveThrottle throttle) {
      super(downstream, single);
      this.throttle = throttle;
    }

    @Override
    Throwable admit() {
      try {
        throttle.acquirePermission();
        return null;
      } catch (CallThrottledException shed) {
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
      // The throttle holds nothing to give back, and a cancellation counts for nothing.
    }
  }
}
