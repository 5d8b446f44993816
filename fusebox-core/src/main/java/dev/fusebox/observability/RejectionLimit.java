package dev.fusebox.observability;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Lets at most one rejection line of one breaker through per period, and counts the rejections it holds
 * back so that the next line can report them.
 *
 * <p>Design note. The time of the last line is one {@link AtomicLong}: a rejection whose period has run out
 * tries to move it to now by CAS, and only the winner writes a line, so racing rejections cannot write two
 * lines for one period. Every other rejection adds one to a {@link LongAdder}, which does not contend the
 * way a single counter would when an open breaker rejects on many threads at once. The winner takes the
 * count with {@link LongAdder#sumThenReset()}, which resets cell by cell with an atomic exchange, so an
 * increment racing with it is either in this count or left for the next one, never lost. Nothing here
 * blocks or allocates. Every long is a valid ticker reading, so there is no "never" value: the limit starts
 * as if a line had been written one period before its creation.
 *
 * <p>This class is threadsafe.
 */
final class RejectionLimit {

  private final long periodNanos;
  private final AtomicLong lastLine;
  private final LongAdder unreported = new LongAdder();

  /** A limit created at {@code now}, which lets the first rejection's line through at once. */
  RejectionLimit(long periodNanos, long now) {
    this.periodNanos = periodNanos;
    this.lastLine = new AtomicLong(now - periodNanos);
  }

  /**
   * Counts one rejection at {@code now}.
   *
   * @return -1 if it is held back, otherwise the number of rejections held back since the last line, which
   *     the caller reports in the line it now writes
   */
  long tryLine(long now) {
    long last = lastLine.get();
    if (now - last < periodNanos || !lastLine.compareAndSet(last, now)) {
      unreported.increment();
      return -1;
    }
    return unreported.sumThenReset();
  }

  /** Takes the count of rejections held back, for a line written for another reason. */
  long drain() {
    return unreported.sumThenReset();
  }

  /** Returns the count of rejections held back, without taking it; for tests. */
  long pending() {
    return unreported.sum();
  }
}
