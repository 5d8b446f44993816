package dev.fusebox.timelimiter;

import dev.fusebox.internal.Outcomes;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;
import java.util.function.BiConsumer;

/**
 * The stage returned for an asynchronous call: it completes like the call's stage, or with a
 * {@link java.util.concurrent.TimeoutException} when the timer fires first.
 *
 * <p>Design note. Three things race to complete this stage: the call's stage, the timer, and the caller
 * cancelling. {@code CompletableFuture}'s own completion is the arbiter: only the winning {@code complete},
 * {@code completeExceptionally} or {@code cancel} returns true, and only the winner counts the outcome and
 * publishes its event, so every call counts exactly once. The timer is scheduled before the listener is
 * attached to the call's stage, so a stage that is already complete cancels a timer that exists; the timer
 * reference is volatile because the listener may run on another thread.
 */
final class TimedStage<T> extends CompletableFuture<T> implements BiConsumer<T, Throwable> {

  private final TimeLimiterImpl limiter;
  /** The options the call started with, which it keeps to its end. */
  private final TimeLimiterImpl.Settings settings;
  private final CompletionStage<T> source;
  private volatile Future<?> timer;

  TimedStage(TimeLimiterImpl limiter, TimeLimiterImpl.Settings settings, CompletionStage<T> source) {
    this.limiter = limiter;
    this.settings = settings;
    this.source = source;
  }

  void start() {
    try {
      timer = settings.scheduler().schedule(this::timeout, settings.timeoutNanos());
    } catch (RuntimeException e) {
      // A scheduler that refuses (shut down) cannot bound the call: say so rather than wait unbounded.
      if (completeExceptionally(e) && settings.cancelRunningFuture()) {
        cancelSource(true);
      }
      return;
    }
    source.whenComplete(this);
  }

  @Override
  public void accept(T value, Throwable thrown) {
    if (thrown == null) {
      if (complete(value)) {
        stopTimer();
        limiter.succeeded();
      }
    } else {
      Throwable failure = Outcomes.unwrap(thrown);
      if (completeExceptionally(failure)) {
        stopTimer();
        limiter.failed(failure);
      }
    }
  }

  private void timeout() {
    if (completeExceptionally(settings.timeoutException())) {
      boolean cancel = settings.cancelRunningFuture();
      if (cancel) {
        cancelSource(true);
      }
      limiter.timedOut(cancel);
    }
  }

  private void stopTimer() {
    Future<?> t = timer;
    if (t != null) {
      t.cancel(false);
    }
  }

  private void cancelSource(boolean mayInterruptIfRunning) {
    try {
      source.toCompletableFuture().cancel(mayInterruptIfRunning);
    } catch (UnsupportedOperationException e) {
      // A stage that cannot be viewed as a future cannot be cancelled from here; its outcome is ignored.
    }
  }

  @Override
  public boolean cancel(boolean mayInterruptIfRunning) {
    boolean cancelled = super.cancel(mayInterruptIfRunning);
    if (cancelled) {
      stopTimer();
      cancelSource(mayInterruptIfRunning);
    }
    return cancelled;
  }
}
