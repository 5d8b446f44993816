package dev.fusebox.retry;

import java.util.Objects;

/**
 * The decisions of one call whose attempts the caller makes itself: the synchronous loop of
 * {@link RetryImpl} turned inside out, with the waiting left to the caller.
 *
 * <p>A context is used by one call, one report at a time (see {@link Retry.Context}), so its fields are
 * plain. Everything it decides goes through the same {@link RetryImpl} methods as the synchronous and
 * asynchronous forms, so counts, events, the budget and the exception handed back cannot drift apart.
 */
final class RetryContext implements Retry.Context {

  private final RetryImpl.Options retry;
  private final long start;
  private Attempts attempts;
  private Throwable failure;
  private int reported;

  RetryContext(RetryImpl.Options retry, long start) {
    this.retry = retry;
    this.start = start;
  }

  @Override
  public void onSuccess() {
    reported++;
    failure = null;
    retry.succeeded(attempts);
  }

  @Override
  public long onResult(Object result) {
    reported++;
    failure = null;
    if (!retry.retriesResult(result)) {
      retry.succeeded(attempts);
      return STOP;
    }
    return next(null, result);
  }

  @Override
  public long onError(Throwable error) {
    Objects.requireNonNull(error, "error must not be null");
    reported++;
    if (error instanceof VirtualMachineError) {
      failure = error;
      return STOP;
    }
    if (!retry.isRetryable(error)) {
      failure = retry.ignored(attempts, error);
      return STOP;
    }
    return next(error, null);
  }

  private long next(Throwable error, Object result) {
    if (attempts == null) {
      attempts = new Attempts(start);
    }
    long wait = retry.nextWait(attempts, error, result);
    if (wait < 0) {
      failure = retry.finish(attempts, (int) wait, error, result, null);
      return STOP;
    }
    failure = null;
    attempts.remember(error, RetryImpl.MAX_SUPPRESSED);
    attempts.attempt++;
    retry.countRetry();
    return wait;
  }

  @Override
  public Throwable failure() {
    return failure;
  }

  @Override
  public int attempts() {
    return reported;
  }

  @Override
  public String toString() {
    return "Retry.Context[" + retry.name() + ", " + reported + " attempts]";
  }
}
