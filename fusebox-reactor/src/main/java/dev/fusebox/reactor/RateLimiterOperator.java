package dev.fusebox.reactor;

import dev.fusebox.ratelimiter.RateLimiter;
import dev.fusebox.ratelimiter.RequestNotPermittedException;
import java.time.Duration;
import java.util.Objects;
import java.util.function.UnaryOperator;
import org.reactivestreams.Publisher;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxOperator;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoOperator;
import reactor.core.publisher.Operators;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Paces subscriptions to a {@code Mono} or a {@code Flux} with a {@link RateLimiter}: each subscription
 * is one call and takes one permit.
 *
 * <pre>{@code
 * Mono<Quote> quote = partnerApi.quote(order)
 *     .transformDeferred(RateLimiterOperator.of(limiter));
 * }</pre>
 *
 * <p>A subscription reserves its permit when it arrives, through
 * {@link RateLimiter#reservePermission(int)}: a permit free now subscribes to the source at once, with
 * nothing in between; a permit due within the limiter's
 * {@link dev.fusebox.ratelimiter.RateLimiterConfig#timeoutDuration() timeoutDuration} delays the
 * subscription until it is due, without blocking any thread; otherwise the subscription fails at once with
 * a {@link RequestNotPermittedException} and the source is never subscribed to. Cancelling while waiting
 * means the source is never subscribed to (the permit stays spent, as the limiter's asynchronous form has
 * it). The wait runs on a Reactor {@link Scheduler}: {@link Schedulers#parallel()} by default, so
 * {@code StepVerifier.withVirtualTime} controls it, or the one given to
 * {@link #of(RateLimiter, Scheduler)}.
 *
 * <p>Instances are immutable and threadsafe.
 *
 * @param <T> the type of the values
 */
public final class RateLimiterOperator<T> implements UnaryOperator<Publisher<T>> {

  private final RateLimiter limiter;
  private final Scheduler scheduler;

  private RateLimiterOperator(RateLimiter limiter, Scheduler scheduler) {
    this.limiter = limiter;
    this.scheduler = scheduler;
  }

  /**
   * Returns an operator that paces publishers with {@code limiter}, waiting on {@link Schedulers#parallel()}.
   *
   * @param limiter the rate limiter
   * @param <T> the type of the values
   * @return the operator
   * @throws NullPointerException if {@code limiter} is null
   */
  public static <T> RateLimiterOperator<T> of(RateLimiter limiter) {
    return new RateLimiterOperator<>(Objects.requireNonNull(limiter, "limiter must not be null"), null);
  }

  /**
   * Returns an operator that paces publishers with {@code limiter}, waiting on {@code scheduler}.
   *
   * @param limiter the rate limiter
   * @param scheduler where waits for a permit run
   * @param <T> the type of the values
   * @return the operator
   * @throws NullPointerException if an argument is null
   */
  public static <T> RateLimiterOperator<T> of(RateLimiter limiter, Scheduler scheduler) {
    return new RateLimiterOperator<>(
        Objects.requireNonNull(limiter, "limiter must not be null"),
        Objects.requireNonNull(scheduler, "scheduler must not be null"));
  }

  @Override
  public Publisher<T> apply(Publisher<T> publisher) {
    Objects.requireNonNull(publisher, "publisher must not be null");
    if (publisher instanceof Mono<T> mono) {
      return new PacedMono<>(mono, this);
    }
    return new PacedFlux<>(Flux.from(publisher), this);
  }

  /**
   * Reserves the permit of one subscription and subscribes {@code actual} to {@code source} when it is
   * due: at once, with nothing in between; later, through {@code delaySubscription}; or never, failing
   * {@code actual} with the refusal (or with what the limiter threw) instead.
   */
  void subscribe(Publisher<? extends T> source, CoreSubscriber<? super T> actual) {
    long wait;
    try {
      wait = limiter.reservePermission(1);
    } catch (Throwable e) {
      Operators.error(actual, Operators.onOperatorError(e, actual.currentContext()));
      return;
    }
    if (wait < 0) {
      Operators.error(actual, RequestNotPermittedException.of(limiter.name()));
    } else if (wait == 0) {
      source.subscribe(actual);
    } else {
      Flux.from(source)
          .delaySubscription(Duration.ofNanos(wait), scheduler != null ? scheduler : Schedulers.parallel())
          .subscribe(actual);
    }
  }

  /** A {@code Mono} whose subscriptions wait for their permit; it adds no subscriber of its own. */
  private static final class PacedMono<T> extends MonoOperator<T, T> {
    private final RateLimiterOperator<T> operator;

    PacedMono(Mono<? extends T> source, RateLimiterOperator<T> operator) {
      super(source);
      this.operator = operator;
    }

    @Override
    public void subscribe(CoreSubscriber<? super T> actual) {
      operator.subscribe(source, actual);
    }
  }

  /** A {@code Flux} whose subscriptions wait for their permit; it adds no subscriber of its own. */
  private static final class PacedFlux<T> extends FluxOperator<T, T> {
    private final RateLimiterOperator<T> operator;

    PacedFlux(Flux<? extends T> source, RateLimiterOperator<T> operator) {
      super(source);
      this.operator = operator;
    }

    @Override
    public void subscribe(CoreSubscriber<? super T> actual) {
      operator.subscribe(source, actual);
    }
  }
}
