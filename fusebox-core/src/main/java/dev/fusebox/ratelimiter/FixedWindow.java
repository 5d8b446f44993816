package dev.fusebox.ratelimiter;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * At most {@code limit} permits per window of {@code period} nanoseconds, windows aligned on
 * {@code origin}, as one {@code long}.
 *
 * <p>Design note. Number every permit ever granted on one line, window {@code w} owning positions
 * {@code [w × limit, (w + 1) × limit)}. The state {@code position} is the first position not yet given
 * out. A request in window {@code c} first moves {@code position} up to {@code c × limit} (the unused rest
 * of past windows is lost), then takes the next {@code permits} positions in one CAS; if they do not fit in
 * the window they would start in, it skips to the start of the next window, so a request's permits all
 * belong to one window. A request whose positions lie in a later window has reserved them, and waits until
 * that window starts. Each position is handed out once, and each window has {@code limit} positions: no
 * window ever grants more than {@code limit} permits, whatever the contention, and reservations queue in
 * arrival order. Because at most one permit is allowed per nanosecond, {@code c × limit} never exceeds the
 * nanoseconds elapsed since {@code origin}, so no product overflows for about three centuries.
 */
final class FixedWindow extends Permits {

  private static final VarHandle POSITION;
  private static final long FROZEN_WORD = Long.MIN_VALUE;

  static {
    try {
      POSITION = MethodHandles.lookup().findVarHandle(FixedWindow.class, "position", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final long origin;
  private final long limit;
  private final long period;
  /**
   * Permits granted in window 0 beyond its {@code limit} positions: used before a limit change lowered the
   * limit below them. They take no position (window 0 is already full) but count if the limit changes again
   * within window 0, so that shrinking and growing back cannot grant them a second time.
   */
  private final long carried;
  private volatile long position;

  FixedWindow(long origin, int limit, long period, long position) {
    this(origin, limit, period, position, 0);
  }

  private FixedWindow(long origin, long limit, long period, long position, long carried) {
    this.origin = origin;
    this.limit = limit;
    this.period = period;
    this.position = position;
    this.carried = carried;
  }

  private long window(long now) {
    return Math.floorDiv(now - origin, period);
  }

  @Override
  long reserve(long now, int permits, long maxWaitNanos) {
    if (permits > limit) {
      // Only a request checked against a larger limit just before a change gets here.
      return REJECTED;
    }
    long current = window(now);
    long p = position;
    for (;;) {
      if (p == FROZEN_WORD) {
        return FROZEN;
      }
      long start = Math.max(p, current * limit);
      long window = Math.floorDiv(start, limit);
      if (start + permits > (window + 1) * limit) {
        window++;
        start = window * limit;
      }
      long wait = window == current ? 0 : origin + window * period - now;
      if (wait > maxWaitNanos) {
        return REJECTED;
      }
      long witness = (long) POSITION.compareAndExchange(this, p, start + permits);
      if (witness == p) {
        return wait;
      }
      p = witness;
    }
  }

  @Override
  long available(long now) {
    long p = position;
    if (p == FROZEN_WORD) {
      return next.available(now);
    }
    long current = window(now);
    return (current + 1) * limit - Math.max(p, current * limit);
  }

  @Override
  long drain(long now) {
    long current = window(now);
    long end = (current + 1) * limit;
    long p = position;
    for (;;) {
      if (p == FROZEN_WORD) {
        return FROZEN;
      }
      long start = Math.max(p, current * limit);
      if (start >= end) {
        return 0;
      }
      long witness = (long) POSITION.compareAndExchange(this, p, end);
      if (witness == p) {
        return end - start;
      }
      p = witness;
    }
  }

  @Override
  Permits changeLimit(int limitForPeriod, int burstCapacity, long now) {
    long current = window(now);
    for (;;) {
      long p = position;
      // The successor's window 0 is the current window. The permits used in it count against the new
      // limit (those beyond it are carried, not positioned), and reservations for later windows follow
      // them, keeping their place: a smaller limit may leave a window unused for a while, never over-used.
      long start = Math.max(p, current * limit);
      long end = (current + 1) * limit;
      long usedNow = Math.min(start, end) - current * limit + (current == 0 ? carried : 0);
      long reserved = start - Math.min(start, end);
      FixedWindow successor = new FixedWindow(
          origin + current * period,
          limitForPeriod,
          period,
          Math.min(usedNow, limitForPeriod) + reserved,
          Math.max(0, usedNow - limitForPeriod));
      next = successor;
      if (POSITION.compareAndSet(this, p, FROZEN_WORD)) {
        return successor;
      }
    }
  }
}
