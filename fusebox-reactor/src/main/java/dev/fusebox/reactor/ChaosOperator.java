package dev.fusebox.reactor;

import dev.fusebox.chaos.Chaos;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.reactivestreams.Publisher;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxOperator;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoOperator;
import reactor.core.publisher.Operators;

/**
 * Injects a {@link Chaos} policy's faults, results and latency into a {@code Mono} or a {@code Flux}:
 * each subscription is one call.
 *
 * <pre>{@code
 * Mono<Stock> stock = inventory.fetch(sku)
 *     .transformDeferred(ChaosOperator.of(chaos));
 * }</pre>
 *
 * <h2>Behaviour</h2>
 * Each subscription is decided as the policy's
 * {@link Chaos#executeCompletionStage(java.util.function.Supplier) asynchronous call} decides a call, and
 * counted and published in its metrics and events the same way:
 * <ul>
 *   <li>injected latency delays the subscription to the source, without blocking any thread: the policy's
 *       {@link dev.fusebox.chaos.ChaosConfig#scheduler() scheduler} resumes it, and the rest of the
 *       subscription runs on that scheduler's thread. Cancelling during the delay means the source is never
 *       subscribed to;</li>
 *   <li>an injected fault fails the subscription with it, and the source is never subscribed to;</li>
 *   <li>an injected result answers instead of the source: a {@code Mono} emits it (completes empty for a
 *       {@code null}), a {@code Flux} emits it as its one element;</li>
 *   <li>otherwise the source is subscribed to, on the same thread when no latency was injected, and its
 *       signals pass unchanged.</li>
 * </ul>
 *
 * <p>Instances are immutable and threadsafe; one can guard any number of publishers.
 *
 * @param <T> the type of the values
 */
public final class ChaosOperator<T> implements UnaryOperator<Publisher<T>> {

  /** What the policy's call answers when it lets the call run: only this operator can tell it apart. */
  private static final Object RUN = new Object();

  private static final CompletionStage<Object> RUN_STAGE = CompletableFuture.completedFuture(RUN);

  private static final Supplier<CompletionStage<Object>> CALL = () -> RUN_STAGE;

  private final Chaos chaos;

  private ChaosOperator(Chaos chaos) {
    this.chaos = chaos;
  }

  /**
   * Returns an operator that injects {@code chaos} into publishers.
   *
   * @param chaos the chaos policy
   * @param <T> the type of the values
   * @return the operator
   * @throws NullPointerException if {@code chaos} is null
   */
  public static <T> ChaosOperator<T> of(Chaos chaos) {
    return new ChaosOperator<>(Objects.requireNonNull(chaos, "chaos must not be null"));
  }

  @Override
  public Publisher<T> apply(Publisher<T> publisher) {
    Objects.requireNonNull(publisher, "publisher must not be null");
    if (publisher instanceof Mono<T> mono) {
      return new ChaosMono<>(mono, this);
    }
    return new ChaosFlux<>(Flux.from(publisher), this);
  }

  /**
   * Decides one subscription and subscribes {@code actual} to what it says: the source, the injected
   * fault or result, or, after injected latency, one of those.
   */
  void subscribe(Publisher<? extends T> source, CoreSubscriber<? super T> actual, boolean single) {
    CompletableFuture<Object> decision;
    try {
      decision = chaos.executeCompletionStage(CALL).toCompletableFuture();
    } catch (Throwable e) {
      Operators.error(actual, Operators.onOperatorError(e, actual.currentContext()));
      return;
    }
    if (decision.isDone()) {
      Object outcome;
      try {
        outcome = decision.join();
      } catch (CompletionException | CancellationException e) {
        Operators.error(actual, e instanceof CompletionException && e.getCause() != null ? e.getCause() : e);
        return;
      }
      answer(outcome, source, single).subscribe(actual);
      return;
    }
    // Latency: the stage completes on the policy's scheduler; cancelling it cancels the pending start.
    Mono<Object> delayed = Mono.fromFuture(decision);
    if (single) {
      delayed.flatMap(outcome -> Mono.from(answer(outcome, source, true))).subscribe(actual);
    } else {
      delayed.flatMapMany(outcome -> answer(outcome, source, false)).subscribe(actual);
    }
  }

  @SuppressWarnings("unchecked")
  private static <T> Publisher<T> answer(Object outcome, Publisher<? extends T> source, boolean single) {
    if (outcome == RUN) {
      return (Publisher<T>) source;
    }
    // An injected result, cast as the CompletionStage form casts it.
    T result = (T) outcome;
    return single ? Mono.justOrEmpty(result) : result == null ? Flux.empty() : Flux.just(result);
  }

  /** A {@code Mono} whose subscriptions are decided by the policy; it adds no subscriber of its own. */
  private static final class ChaosMono<T> extends MonoOperator<T, T> {
    private final ChaosOperator<T> operator;

    ChaosMono(Mono<? extends T> source, ChaosOperator<T> operator) {
      super(source);
      this.operator = operator;
    }

    @Override
    public void subscribe(CoreSubscriber<? super T> actual) {
      operator.subscribe(source, actual, true);
    }
  }

  /** A {@code Flux} whose subscriptions are decided by the policy; it adds no subscriber of its own. */
  private static final class ChaosFlux<T> extends FluxOperator<T, T> {
    private final ChaosOperator<T> operator;

    ChaosFlux(Flux<? extends T> source, ChaosOperator<T> operator) {
      super(source);
      this.operator = operator;
    }

    @Override
    public void subscribe(CoreSubscriber<? super T> actual) {
      operator.subscribe(source, actual, false);
    }
  }
}
