package dev.fusebox.ratelimiter;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * The stage of an asynchronous call whose permit falls due later: the scheduler starts the call then, and
 * this stage completes like the call's own.
 *
 * <p>Starting and cancelling race for one flag, so a call cancelled before its start never starts, and one
 * cancelled after is asked to cancel its own stage. The scheduled task is cancelled too, so that it does
 * not linger in the scheduler's queue.
 */
final class DeferredCall<T> extends CompletableFuture<T> {

  private static final VarHandle STARTED;

  static {
    try {
      STARTED = MethodHandles.lookup().findVarHandle(DeferredCall.class, "started", boolean.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final Supplier<? extends CompletionStage<T>> supplier;
  @SuppressWarnings("unused") // accessed through STARTED
  private volatile boolean started;
  private volatile Future<?> task;
  private volatile CompletionStage<T> source;

  DeferredCall(Supplier<? extends CompletionStage<T>> supplier) {
    this.supplier = supplier;
  }

  void scheduled(Future<?> task) {
    this.task = task;
  }

  /** Starts the call, unless it was cancelled first. */
  void start() {
    if (!STARTED.compareAndSet(this, false, true)) {
      return;
    }
    CompletionStage<T> stage;
    try {
      stage = supplier.get();
    } catch (Throwable e) {
      completeExceptionally(e);
      return;
    }
    if (stage == null) {
      completeExceptionally(new NullPointerException("the supplier returned a null CompletionStage"));
      return;
    }
    source = stage;
    stage.whenComplete((value, failure) -> {
      if (failure == null) {
        complete(value);
      } else {
        completeExceptionally(
            failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure);
      }
    });
    if (isCancelled()) {
      cancelSource(true);
    }
  }

  @Override
  public boolean cancel(boolean mayInterruptIfRunning) {
    boolean cancelled = super.cancel(mayInterruptIfRunning);
    if (cancelled) {
      if (STARTED.compareAndSet(this, false, true)) {
        Future<?> scheduled = task;
        if (scheduled != null) {
          scheduled.cancel(false);
        }
      } else {
        cancelSource(mayInterruptIfRunning);
      }
    }
    return cancelled;
  }

  private void cancelSource(boolean mayInterruptIfRunning) {
    CompletionStage<T> stage = source;
    if (stage != null) {
      try {
        stage.toCompletableFuture().cancel(mayInterruptIfRunning);
      } catch (UnsupportedOperationException e) {
        // A stage that cannot be viewed as a future cannot be cancelled from here.
      }
    }
  }
}
