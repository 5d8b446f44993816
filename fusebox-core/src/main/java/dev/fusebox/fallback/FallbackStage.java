package dev.fusebox.fallback;

import dev.fusebox.internal.Outcomes;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;

/**
 * The stage returned for an asynchronous call: it completes with the call's value, or with the fallback's
 * answer for the call's failure, computed on the thread that completes the call's stage. Cancelling it
 * cancels the call's stage, whose late outcome then finds this stage done and is dropped.
 */
final class FallbackStage<T> extends CompletableFuture<Object> implements BiConsumer<Object, Throwable> {

  private final FallbackImpl<T> fallback;
  private final Object key;
  private final boolean wrap;
  private final CompletionStage<?> source;

  FallbackStage(FallbackImpl<T> fallback, Object key, boolean wrap, CompletionStage<?> source) {
    this.fallback = fallback;
    this.key = key;
    this.wrap = wrap;
    this.source = source;
  }

  @Override
  public void accept(Object value, Throwable thrown) {
    if (isDone()) {
      return;
    }
    try {
      complete(
          thrown == null
              ? fallback.onValue(key, value, wrap)
              : fallback.onFailure(key, Outcomes.unwrap(thrown), wrap));
    } catch (Throwable answer) {
      completeExceptionally(answer);
    }
  }

  @Override
  public boolean cancel(boolean mayInterruptIfRunning) {
    boolean cancelled = super.cancel(mayInterruptIfRunning);
    if (cancelled) {
      try {
        source.toCompletableFuture().cancel(mayInterruptIfRunning);
      } catch (UnsupportedOperationException e) {
        // A stage that cannot be viewed as a future cannot be cancelled from here; its outcome is ignored.
      }
    }
    return cancelled;
  }
}
