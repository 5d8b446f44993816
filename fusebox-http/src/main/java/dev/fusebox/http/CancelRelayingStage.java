package dev.fusebox.http;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;

/**
 * A stage that completes with a step applied to another stage's outcome, and passes a cancellation back to
 * that stage. The plain {@code handle} of {@link CompletableFuture} would not: cancelling a dependent leaves
 * its source running, so a caller's cancel would never reach the HTTP exchange at the bottom of the chain.
 */
final class CancelRelayingStage extends CompletableFuture<Object> implements BiConsumer<Object, Throwable> {

  /** Turns an outcome into a value, or throws what the relay fails with. */
  @FunctionalInterface
  interface Step {
    Object apply(Object value, Throwable error) throws Throwable;
  }

  private final CompletableFuture<?> source;
  private final Step step;

  private CancelRelayingStage(CompletableFuture<?> source, Step step) {
    this.source = source;
    this.step = step;
  }

  /** Returns a relay of {@code source} through {@code step}; the error the step sees is never a wrapper. */
  static CancelRelayingStage after(CompletionStage<?> source, Step step) {
    CancelRelayingStage relay = new CancelRelayingStage(source.toCompletableFuture(), step);
    source.whenComplete(relay);
    return relay;
  }

  @Override
  public void accept(Object value, Throwable error) {
    Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    try {
      complete(step.apply(value, cause));
    } catch (Throwable e) {
      completeExceptionally(e);
    }
  }

  @Override
  public boolean cancel(boolean mayInterruptIfRunning) {
    boolean cancelled = super.cancel(mayInterruptIfRunning);
    if (cancelled) {
      source.cancel(mayInterruptIfRunning);
    }
    return cancelled;
  }
}
