package dev.fusebox.retry;

/**
 * The progress of one call through a retry, created at its first failure (a call that succeeds at once
 * never needs one). Used by one thread at a time: a synchronous call's own thread, or an asynchronous call's
 * successive completion and scheduler threads, which the stage and the scheduler order by happens-before.
 */
final class Attempts {

  final long start;
  /** The number of the attempt that finished last, from 1. */
  int attempt = 1;
  /** The backoff computed for the previous retry, for decorrelated jitter. */
  long previousWaitNanos;
  private Throwable[] earlier;
  private int earlierCount;

  Attempts(long start) {
    this.start = start;
  }

  /** Remembers the failure of an attempt that is being retried, to attach to the final failure. */
  void remember(Throwable failure, int max) {
    if (failure == null) {
      return;
    }
    if (earlier == null) {
      earlier = new Throwable[max];
    }
    if (earlierCount < max) {
      earlier[earlierCount++] = failure;
    }
  }

  int earlierCount() {
    return earlierCount;
  }

  Throwable earlier(int index) {
    return earlier[index];
  }
}
