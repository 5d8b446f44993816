package dev.fusebox.throttle;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;

/**
 * The stage returned for an asynchronous call the throttle let through: it records the call's outcome,
 * then completes as the call's own stage did.
 *
 * <p>A throttle holds no permit, so there is nothing to give back and no race to settle: cancelling the
 * returned stage only passes the cancellation on to the call's stage, whose completion is then recorded
 * like any other (a cancellation counts for nothing). A {@code recordResult} predicate that throws fails
 * the returned stage with its exception, as the synchronous forms would throw it.
 */
final class ThrottledCall<T> extends CompletableFuture<T> implements BiConsumer<T, Throwable> {

  private final AdaptiveThrottleImpl throttle;
  private final CompletionStage<T> source;

  ThrottledCall(AdaptiveThrottleImpl throttle, CompletionStage<T> source) {
    this.throttle = throttle;
    this.source = source;
  }

  @Override
  public void accept(T value, Throwable failure) {
    if (failure != null) {
      // CompletableFuture relays a failure wrapped once; the caller gets the call's own exception.
      Throwable cause =
          failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
      throttle.threw(cause);
      completeExceptionally(cause);
      return;
    }
    try {
      throttle.returned(value);
    } catch (RuntimeException | Error e) {
      completeExceptionally(e);
      return;
    }
    complete(value);
  }

  @Override
  public boolean cancel(boolean mayInterruptIfRunning) {
    boolean cancelled = super.cancel(mayInterruptIfRunning);
    if (cancelled) {
      try {
        source.toCompletableFuture().cancel(mayInterruptIfRunning);
      } catch (UnsupportedOperationException e) {
        // A stage that cannot be viewed as a future cannot be cancelled from here; its outcome still counts.
      }
    }
    return cancelled;
  }
}
