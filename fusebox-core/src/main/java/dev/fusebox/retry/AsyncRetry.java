package dev.fusebox.retry;

import dev.fusebox.internal.Outcomes;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * One asynchronous call through a {@link Retry}: the stage handed to the caller, and the listener of each
 * attempt's stage.
 *
 * <p>Design note. Attempts are strictly sequential: an attempt starts on the caller's thread (the first) or
 * on the scheduler's thread (the others), and its outcome is handled on whichever thread completes its stage,
 * which then either completes this stage or schedules the next attempt. The stage completion and the
 * scheduler hand-off order these steps by happens-before, so the per-call {@link Attempts} needs no
 * synchronisation. Cancellation is the only concurrent event: it completes this stage first, so every later
 * step sees {@link #isDone()} and stops, and it cancels the scheduled attempt and the attempt in flight, both
 * published through volatile fields. A task scheduled just as the stage is cancelled is cancelled by whichever
 * side comes second.
 */
final class AsyncRetry<T> extends CompletableFuture<T> implements BiConsumer<T, Throwable> {

  private final RetryImpl.Options retry;
  private final Supplier<? extends CompletionStage<T>> supplier;
  private final long start;
  private Attempts attempts;
  private volatile CompletionStage<T> inFlight;
  private volatile Future<?> scheduled;

  AsyncRetry(RetryImpl.Options retry, Supplier<? extends CompletionStage<T>> supplier, long start) {
    this.retry = retry;
    this.supplier = supplier;
    this.start = start;
  }

  /** Starts an attempt unless the call was cancelled; a supplier that throws makes a failed attempt. */
  void attempt() {
    if (isDone()) {
      return;
    }
    CompletionStage<T> stage;
    try {
      stage = supplier.get();
    } catch (Throwable e) {
      accept(null, e);
      return;
    }
    if (stage == null) {
      accept(null, new NullPointerException("the supplier returned a null CompletionStage"));
      return;
    }
    inFlight = stage;
    stage.whenComplete(this);
  }

  private void retryNow() {
    retry.countRetry();
    attempt();
  }

  @Override
  public void accept(T value, Throwable thrown) {
    if (isDone()) {
      return;
    }
    try {
      decide(value, thrown == null ? null : Outcomes.unwrap(thrown));
    } catch (Throwable e) {
      // A throwing predicate or extractor: the caller gets that exception, as a synchronous call would.
      completeExceptionally(e);
    }
  }

  private void decide(T value, Throwable failure) {
    if (failure == null) {
      if (!retry.retriesResult(value)) {
        retry.succeeded(attempts);
        complete(value);
        return;
      }
    } else if (failure instanceof VirtualMachineError || !retry.isRetryable(failure)) {
      completeExceptionally(failure instanceof VirtualMachineError ? failure : retry.ignored(attempts, failure));
      return;
    }
    if (attempts == null) {
      attempts = new Attempts(start);
    }
    long wait = retry.nextWait(attempts, failure, value);
    if (wait < 0) {
      Throwable outcome = retry.finish(attempts, (int) wait, failure, value, null);
      if (outcome != null) {
        completeExceptionally(outcome);
      } else {
        complete(value);
      }
      return;
    }
    // Counted before the next attempt is scheduled: with no wait it may start, and finish, on the
    // scheduler's thread before schedule() returns here.
    attempts.remember(failure, RetryImpl.MAX_SUPPRESSED);
    attempts.attempt++;
    Future<?> task;
    try {
      task = retry.scheduler.schedule(this::retryNow, wait);
    } catch (RuntimeException e) {
      // A scheduler that refuses (shut down): the caller still gets the attempt's own outcome.
      attempts.attempt--;
      retry.countFailed(attempts);
      if (failure != null) {
        Outcomes.addSuppressed(failure, e, RetryImpl.MAX_SUPPRESSED + 1);
        completeExceptionally(failure);
      } else {
        completeExceptionally(e);
      }
      return;
    }
    scheduled = task;
    if (isDone()) {
      task.cancel(false);
    }
  }

  @Override
  public boolean cancel(boolean mayInterruptIfRunning) {
    boolean cancelled = super.cancel(mayInterruptIfRunning);
    if (cancelled) {
      Future<?> task = scheduled;
      if (task != null) {
        task.cancel(false);
      }
      CompletionStage<T> stage = inFlight;
      if (stage != null) {
        try {
          stage.toCompletableFuture().cancel(mayInterruptIfRunning);
        } catch (UnsupportedOperationException e) {
          // A stage that cannot be viewed as a future cannot be cancelled from here; its outcome is ignored.
        }
      }
    }
    return cancelled;
  }
}
