package dev.fusebox.reactor;

import dev.fusebox.retry.Retry;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.reactivestreams.Publisher;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxOperator;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoOperator;
import reactor.core.publisher.Operators;
import reactor.core.publisher.SynchronousSink;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Re-subscribes to a {@code Mono} or a {@code Flux} that failed, as a {@link Retry} decides.
 *
 * <pre>{@code
 * Mono<Quote> quote = client.quote(order)
 *     .transformDeferred(CircuitBreakerOperator.of(breaker))   // each attempt asks the breaker
 *     .transformDeferred(RetryOperator.of(retry));
 * }</pre>
 *
 * <p>Each subscription is one call of the retry, with its own {@link Retry.Context}: every rule of the
 * retry applies (which exceptions are retried, backoff, {@code Retry-After} hints, {@code maxDuration},
 * the budget), and the call is counted and published as {@link Retry#executeCompletionStage} counts it. A
 * retry re-subscribes to the source after the wait; the subscriber gets the last attempt's error, the
 * same instance, with the earlier attempts' errors suppressed. A breaker's rejection is never retried.
 *
 * <ul>
 *   <li>A {@code Mono}'s value is judged by {@link dev.fusebox.retry.RetryConfig#retryOnResult()
 *       retryOnResult}: a value to retry is dropped and the source subscribed to again, or, when no retry
 *       is left, passed on (or replaced by a {@link dev.fusebox.retry.MaxRetriesExceededException} with
 *       {@code failAfterMaxAttempts}). An empty {@code Mono} is a success; the predicate never sees a
 *       {@code null}.</li>
 *   <li>A {@code Flux}'s elements are not judged: the call's outcome is how it ends. Elements emitted
 *       before a failure have been delivered, and a retry delivers the new attempt's elements after them,
 *       as Reactor's own {@code retry} does; make a stream resumable or retry it before it emits, if that
 *       matters.</li>
 *   <li>Cancelling stops the retries: a wait in progress is abandoned, and the call counts in none of the
 *       retry's call counts.</li>
 * </ul>
 *
 * <p>The waits run on a Reactor {@link Scheduler}: {@link Schedulers#parallel()} by default, as for
 * Reactor's own {@code retryWhen} backoff, so {@code StepVerifier.withVirtualTime} controls them; or the
 * one given to {@link #of(Retry, Scheduler)}. The retry's own {@code scheduler} and {@code sleeper}
 * options serve its other forms only. The next attempt subscribes on the scheduler's thread; the
 * subscriber's context reaches every attempt.
 *
 * <p>Instances are immutable and threadsafe.
 *
 * @param <T> the type of the values
 */
public final class RetryOperator<T> implements UnaryOperator<Publisher<T>> {

  private final Retry retry;
  private final Scheduler scheduler;

  private RetryOperator(Retry retry, Scheduler scheduler) {
    this.retry = retry;
    this.scheduler = scheduler;
  }

  /**
   * Returns an operator that retries publishers with {@code retry}, waiting on {@link Schedulers#parallel()}.
   *
   * @param retry the retry
   * @param <T> the type of the values
   * @return the operator
   * @throws NullPointerException if {@code retry} is null
   */
  public static <T> RetryOperator<T> of(Retry retry) {
    return new RetryOperator<>(Objects.requireNonNull(retry, "retry must not be null"), null);
  }

  /**
   * Returns an operator that retries publishers with {@code retry}, waiting on {@code scheduler}.
   *
   * @param retry the retry
   * @param scheduler where the waits between attempts run
   * @param <T> the type of the values
   * @return the operator
   * @throws NullPointerException if an argument is null
   */
  public static <T> RetryOperator<T> of(Retry retry, Scheduler scheduler) {
    return new RetryOperator<>(
        Objects.requireNonNull(retry, "retry must not be null"),
        Objects.requireNonNull(scheduler, "scheduler must not be null"));
  }

  @Override
  public Publisher<T> apply(Publisher<T> publisher) {
    Objects.requireNonNull(publisher, "publisher must not be null");
    if (publisher instanceof Mono<T> mono) {
      return new RetriedMono<>(mono, this);
    }
    return new RetriedFlux<>(Flux.from(publisher), this);
  }

  /**
   * Runs one subscription as one call of the retry: {@code retried} builds, from the call's
   * {@link Attempts}, the source under Reactor's {@code retryWhen}, as a {@code Mono} for a {@code Mono}
   * (no conversion in between). A retry whose context cannot be started fails the subscription with what
   * it threw.
   */
  private void subscribe(CoreSubscriber<? super T> actual, Function<Attempts<T>, Publisher<T>> retried) {
    Attempts<T> attempts;
    try {
      attempts = new Attempts<>(retry.context(), scheduler != null ? scheduler : Schedulers.parallel());
    } catch (Throwable e) {
      Operators.error(actual, Operators.onOperatorError(e, actual.currentContext()));
      return;
    }
    retried.apply(attempts).subscribe(actual);
  }

  /** A {@code Mono} retried: its value is judged, and an empty completion is a success. */
  private static final class RetriedMono<T> extends MonoOperator<T, T> {

    private final RetryOperator<T> operator;

    RetriedMono(Mono<? extends T> source, RetryOperator<T> operator) {
      super(source);
      this.operator = operator;
    }

    @Override
    public void subscribe(CoreSubscriber<? super T> actual) {
      operator.subscribe(actual,
          attempts -> source.<T>handle(attempts::judge).doOnSuccess(attempts::emptyIfNull).retryWhen(attempts));
    }
  }

  /** A {@code Flux} retried: its elements pass unjudged, and its completion is a success. */
  private static final class RetriedFlux<T> extends FluxOperator<T, T> {

    private final RetryOperator<T> operator;

    RetriedFlux(Flux<? extends T> source, RetryOperator<T> operator) {
      super(source);
      this.operator = operator;
    }

    @Override
    public void subscribe(CoreSubscriber<? super T> actual) {
      operator.subscribe(actual,
          attempts -> Flux.<T>from(source).doOnComplete(attempts.context::onSuccess).retryWhen(attempts));
    }
  }

  /**
   * The attempts of one call: turns each attempt's outcome into the retry's decision, and each decision
   * into what Reactor's {@code retryWhen} understands (a delayed signal to re-subscribe, or the error to
   * end with). Used by one attempt at a time: {@code retryWhen} subscribes to the next attempt only after
   * the previous one ended and its wait elapsed, so the context's reports are ordered.
   */
  private static final class Attempts<T> extends reactor.util.retry.Retry {

    private final Retry.Context context;
    private final Scheduler scheduler;
    Attempts(Retry.Context context, Scheduler scheduler) {
      this.context = context;
      this.scheduler = scheduler;
    }

    /** Judges a {@code Mono}'s value: pass it on, or end or retry the call through an internal signal. */
    void judge(T value, SynchronousSink<T> sink) {
      long wait;
      try {
        wait = context.onResult(value);
      } catch (Throwable e) {
        // A result predicate that throws ends the call with its exception, as in the retry's other forms.
        sink.error(new EndWith(e));
        return;
      }
      if (wait != Retry.Context.STOP) {
        sink.error(new RetryResult(wait));
        return;
      }
      Throwable failure = context.failure();
      if (failure != null) {
        sink.error(new EndWith(failure));
      } else {
        sink.next(value);
      }
    }

    /** Reports an empty {@code Mono}'s completion (Reactor says {@code null}): a success, not a result. */
    void emptyIfNull(T value) {
      if (value == null) {
        context.onSuccess();
      }
    }

    @Override
    public Publisher<?> generateCompanion(Flux<RetrySignal> signals) {
      return signals.concatMap(this::next);
    }

    private Mono<Long> next(RetrySignal signal) {
      Throwable failure = signal.failure();
      long wait;
      if (failure instanceof RetryResult again) {
        wait = again.waitNanos;
      } else if (failure instanceof EndWith end) {
        return Mono.error(end.failure);
      } else {
        try {
          wait = context.onError(failure);
        } catch (Throwable e) {
          return Mono.error(e);
        }
        if (wait == Retry.Context.STOP) {
          return Mono.error(context.failure());
        }
      }
      return wait == 0 ? Mono.just(0L) : Mono.delay(Duration.ofNanos(wait), scheduler);
    }
  }

  /** The internal signal of a value to retry after {@code waitNanos}; never seen outside this class. */
  private static final class RetryResult extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final long waitNanos;

    RetryResult(long waitNanos) {
      super(null, null, false, false);
      this.waitNanos = waitNanos;
    }
  }

  /** The internal signal of a call that ends with {@code failure} after a value; unwrapped before delivery. */
  private static final class EndWith extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final transient Throwable failure;

    EndWith(Throwable failure) {
      super(null, null, false, false);
      this.failure = failure;
    }
  }
}
