package dev.fusebox.circuitbreaker;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;

/**
 * The stage returned for an asynchronous call: it reports the call's outcome to the breaker exactly once,
 * then completes like the call's own stage.
 *
 * <p>Two things can end the call: its stage completing, or the caller cancelling the returned stage. Both
 * race for one flag; the winner reports. A cancellation (either way) reports no outcome and gives a
 * half-open permit back, which closes the permit leak peers shipped. Cancelling the returned stage also
 * tries to cancel the call's stage.
 */
final class AsyncCall<T> extends CompletableFuture<T> implements BiConsumer<T, Throwable> {

  private static final VarHandle REPORTED;

  static {
    try {
      REPORTED = MethodHandles.lookup().findVarHandle(AsyncCall.class, "reported", boolean.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final Stay permit;
  private final long start;
  private final CompletionStage<T> source;
  @SuppressWarnings("unused") // accessed through REPORTED
  private volatile boolean reported;

  AsyncCall(Stay permit, long start, CompletionStage<T> source) {
    this.permit = permit;
    this.start = start;
    this.source = source;
  }

  private boolean claim() {
    return REPORTED.compareAndSet(this, false, true);
  }

  @Override
  public void accept(T value, Throwable failure) {
    Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    if (claim()) {
      try {
        if (cause == null) {
          permit.breaker.callPath().returned(permit, start, value);
        } else if (cause instanceof CancellationException) {
          permit.breaker.callPath().release(permit);
        } else {
          permit.breaker.callPath().threw(permit, start, cause);
        }
      } catch (RuntimeException | Error e) {
        // A throwing result predicate: the caller gets that exception, as the synchronous API would give it.
        completeExceptionally(e);
        return;
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
      permit.breaker.callPath().release(permit);
      try {
        source.toCompletableFuture().cancel(mayInterruptIfRunning);
      } catch (UnsupportedOperationException e) {
        // A stage that cannot be viewed as a future cannot be cancelled from here; its outcome is ignored.
      }
    }
    return cancelled;
  }
}
