package dev.fusebox.rxjava3;

import dev.fusebox.chaos.Chaos;
import io.reactivex.rxjava3.core.Flowable;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Injects a {@link Chaos} policy's faults, results and latency into RxJava sources, for every type: each
 * subscription is one call.
 *
 * <pre>{@code
 * Single<Stock> stock = inventory.fetch(sku).compose(ChaosOperator.of(chaos));
 * }</pre>
 *
 * <p>Each subscription is decided as the policy's
 * {@link Chaos#executeCompletionStage(java.util.function.Supplier) asynchronous call} decides a call, and
 * counted in its metrics and events the same way:
 * <ul>
 *   <li>injected latency delays the subscription to the source without blocking a thread: the policy's
 *       {@link dev.fusebox.chaos.ChaosConfig#scheduler() scheduler} resumes it. Disposing during the delay
 *       means the source is never subscribed to;</li>
 *   <li>an injected fault fails the subscription with it, and the source is never subscribed to;</li>
 *   <li>an injected result answers instead of the source: a {@code Single}, a {@code Maybe}, a
 *       {@code Flowable} or an {@code Observable} emits it (a {@code null} result is empty: a {@code Maybe}
 *       completes, a {@code Single} fails with {@link java.util.NoSuchElementException}), a
 *       {@code Completable} completes;</li>
 *   <li>otherwise the source is subscribed to, on the same thread when no latency was injected.</li>
 * </ul>
 *
 * <p>Instances are immutable and threadsafe.
 *
 * @param <T> the type of the values
 */
public final class ChaosOperator<T> extends Transformer<T> {

  /** What the policy's call answers when it lets the call run: only this operator can tell it apart. */
  private static final Object RUN = new Object();

  private static final CompletionStage<Object> RUN_STAGE = CompletableFuture.completedFuture(RUN);

  private static final Supplier<CompletionStage<Object>> CALL = () -> RUN_STAGE;

  private final Chaos chaos;

  private ChaosOperator(Chaos chaos) {
    this.chaos = chaos;
  }

  /**
   * Returns an operator that injects {@code chaos} into sources.
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
  Flowable<T> guard(Flowable<T> upstream, boolean single) {
    return Flowable.defer(() -> {
      CompletableFuture<Object> decision = chaos.executeCompletionStage(CALL).toCompletableFuture();
      if (decision.isDone()) {
        Object outcome;
        try {
          outcome = decision.join();
        } catch (CompletionException | CancellationException e) {
          return Flowable.error(e instanceof CompletionException && e.getCause() != null ? e.getCause() : e);
        }
        return answer(outcome, upstream);
      }
      // Latency: the stage completes on the policy's scheduler; cancelling it cancels the pending start.
      return Flowable.fromCompletionStage(decision)
          .doOnCancel(() -> decision.cancel(false))
          .concatMap(outcome -> answer(outcome, upstream));
    });
  }

  @SuppressWarnings("unchecked")
  private static <T> Flowable<T> answer(Object outcome, Flowable<T> upstream) {
    if (outcome == RUN) {
      return upstream;
    }
    // An injected result, cast as the CompletionStage form casts it.
    return outcome == null ? Flowable.empty() : Flowable.just((T) outcome);
  }
}
