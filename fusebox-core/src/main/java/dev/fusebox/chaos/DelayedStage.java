package dev.fusebox.chaos;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;
import java.util.function.BiConsumer;

/**
 * The stage returned for an asynchronous call delayed by injected latency: the call (or its injected
 * fault or result) starts when the scheduler runs {@link #start}, and this stage relays its outcome.
 * Cancelling it before then cancels the scheduled start, so the call never runs; after, it cancels the
 * call's stage. Both references are volatile, written before they can be needed by another thread.
 */
final class DelayedStage<T> extends CompletableFuture<T> implements BiConsumer<T, Throwable> {

  private volatile Future<?> timer;
  private volatile CompletionStage<T> inner;

  void timer(Future<?> timer) {
    this.timer = timer;
    if (isCancelled()) {
      timer.cancel(false);
    }
  }

  /** Relays {@code stage}, unless this stage was cancelled meanwhile. */
  void relay(CompletionStage<T> stage) {
    inner = stage;
    if (isDone()) {
      cancel(stage);
      return;
    }
    stage.whenComplete(this);
  }

  @Override
  public void accept(T value, Throwable failure) {
    if (failure == null) {
      complete(value);
    } else {
      completeExceptionally(dev.fusebox.internal.Outcomes.unwrap(failure));
    }
  }

  @Override
  public boolean cancel(boolean mayInterruptIfRunning) {
    boolean cancelled = super.cancel(mayInterruptIfRunning);
    if (cancelled) {
      Future<?> t = timer;
      if (t != null) {
        t.cancel(false);
      }
      CompletionStage<T> stage = inner;
      if (stage != null) {
        cancel(stage);
      }
    }
    return cancelled;
  }

  private static void cancel(CompletionStage<?> stage) {
    try {
      stage.toCompletableFuture().cancel(true);
    } catch (UnsupportedOperationException e) {
      // A stage that cannot be viewed as a future cannot be cancelled from here; its outcome is ignored.
    }
  }
}
