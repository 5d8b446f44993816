package dev.fusebox.bulkhead;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;

/**
 * The stage returned for an asynchronous call: it holds the call's permit until the call's own stage
 * completes, gives it back exactly once, then completes like the call's stage.
 *
 * <p>Two things can end the call: its stage completing, or the caller cancelling the returned stage. Both
 * race for one flag; the winner gives the permit back. So a cancelled call frees its permit at once, even
 * if the call's stage never completes, and a late completion after a cancellation frees nothing twice.
 */
final class AsyncPermit<T> extends CompletableFuture<T> implements BiConsumer<T, Throwable> {

  /** Receives the one report of an asynchronous call. */
  interface Owner {
    /**
     * The call's stage completed.
     *
     * @param start the ticker reading when the call started
     * @param failure the stage's exception, unwrapped, or {@code null} on success
     */
    void asyncCompleted(long start, Throwable failure);

    /** The call was cancelled, by the caller or by its own stage. */
    void asyncCancelled();
  }

  private static final VarHandle REPORTED;

  static {
    try {
      REPORTED = MethodHandles.lookup().findVarHandle(AsyncPermit.class, "reported", boolean.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final Owner owner;
  private final long start;
  private final CompletionStage<T> source;
  @SuppressWarnings("unused") // accessed through REPORTED
  private volatile boolean reported;

  AsyncPermit(Owner owner, long start, CompletionStage<T> source) {
    this.owner = owner;
    this.start = start;
    this.source = source;
  }

  private boolean claim() {
    return REPORTED.compareAndSet(this, false, true);
  }

  @Override
  public void accept(T value, Throwable failure) {
    Throwable cause =
        failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    if (claim()) {
      if (cause instanceof CancellationException) {
        owner.asyncCancelled();
      } else {
        owner.asyncCompleted(start, cause);
      }
    }
    if (cause == null) {
      complete(value);
    } else {
      completeExceptionally(cause);
    }
  }

  @Override
  public boolean cancel(boolean mayInterruptIfRunning) {
    boolean cancelled = super.cancel(mayInterruptIfRunning);
    if (cancelled && claim()) {
      owner.asyncCancelled();
      try {
        source.toCompletableFuture().cancel(mayInterruptIfRunning);
      } catch (UnsupportedOperationException e) {
        // A stage that cannot be viewed as a future cannot be cancelled from here; its permit is back anyway.
      }
    }
    return cancelled;
  }
}
