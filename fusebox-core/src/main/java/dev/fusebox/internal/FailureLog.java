package dev.fusebox.internal;

import java.lang.System.Logger.Level;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reports listener failures through {@link System.Logger}, at most once per {@link #PERIOD_NANOS}; the
 * report says how many were suppressed since the last one. Uses {@code System.nanoTime()} directly: this is
 * about the log's volume, not about any decision of a policy, so no injected ticker is needed.
 *
 * <p>This class is threadsafe.
 */
final class FailureLog {

  static final long PERIOD_NANOS = TimeUnit.SECONDS.toNanos(10);
  private static final System.Logger LOGGER = System.getLogger("dev.fusebox");

  private final AtomicLong suppressed = new AtomicLong();
  private final AtomicLong lastReport = new AtomicLong(System.nanoTime() - PERIOD_NANOS);

  void report(String owner, Object value, Throwable failure) {
    long now = System.nanoTime();
    long last = lastReport.get();
    if (now - last < PERIOD_NANOS || !lastReport.compareAndSet(last, now)) {
      suppressed.incrementAndGet();
      return;
    }
    long skipped = suppressed.getAndSet(0);
    String event = value == null ? "null" : value.getClass().getSimpleName();
    LOGGER.log(
        Level.WARNING,
        () ->
            "A listener of "
                + owner
                + " threw on "
                + event
                + "; the "
                + owner
                + " is unaffected"
                + (skipped > 0 ? " (" + skipped + " similar failures not logged)" : ""),
        failure);
  }
}
