package dev.fusebox.ratelimiter;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * At most {@code limit} permits in any span of {@code period} nanoseconds, wherever it starts: a sliding
 * log of grant times.
 *
 * <p>Design note. Number every permit ever granted; {@code T(p)} is the time permit {@code p} was granted
 * (or, if reserved, falls due). The log keeps two rules: times never decrease with {@code p}, and
 * {@code T(p) >= T(p − limit) + period}. Together they are exactly the promise: of any {@code limit + 1}
 * consecutive permits the last comes at least a period after the first, so no span of one period holds
 * more than {@code limit}. A request for {@code n} permits starting at position {@code s} therefore gets
 * the time {@code max(now, T(s − 1), T(s + n − 1 − limit) + period)}, granted now if that is now, reserved
 * otherwise. (A sliding counter that weights the previous window would be approximate; this is exact.)
 *
 * <p>The state is one reference, {@code head}: an immutable {@link Claim} of the latest request (its end
 * position, its size, its time). A request claims by CAS from the head it read to its own claim, which is
 * ABA-free since every claim is a new object. Older times live in {@code ring}, slot {@code p mod size}
 * holding {@code T(p)}: the ring, at least {@code limit} long, always covers the positions before the
 * head's claim that a request needs (the head's own positions all have the head's time). The invariant that makes the
 * ring trustworthy: <em>before a claim is installed, the claim it replaces has been written to the
 * ring</em>. Each request writes its predecessor's times just before its CAS; the writes are idempotent
 * and only ever raise a slot (a slot's time grows from one lap of the ring to the next), so any number of
 * requests may write the same claim, and a slow writer can never put an older lap back. The writes
 * precede the volatile CAS that installs the next claim, so whoever reads that claim sees them. A request
 * that is rejected writes nothing at all.
 *
 * <p>Trade-offs. Memory is 8 bytes per permit of the limit, and each granted request allocates one claim
 * and writes as many ring slots as its predecessor took permits. That is the price of exactness over every
 * span; the bucket and the fixed window cost neither.
 */
final class SlidingLog extends Permits {

  /** The time of a position before the first permit: so long ago that no rule applies. */
  static final long NEVER = Long.MIN_VALUE;

  private static final VarHandle HEAD;
  private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(long[].class);

  static {
    try {
      HEAD = MethodHandles.lookup().findVarHandle(SlidingLog.class, "head", Claim.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /**
   * The latest request: positions {@code [end − count, end)}, all at {@code time} (nanoseconds after
   * origin). A claim with a successor is the frozen marker.
   */
  private record Claim(long end, int count, long time, SlidingLog successor) {}

  private final long origin;
  private final int limit;
  private final long period;
  /**
   * Slot {@code p mod ring.length} holds {@code T(p)}. The ring is at least {@code limit} long; after a
   * limit change it may be longer, to remember every permit still inside the period (see
   * {@link #changeLimit}).
   */
  private final long[] ring;
  private volatile Claim head;

  private SlidingLog(long origin, int limit, long period, long[] ring, Claim head) {
    this.origin = origin;
    this.limit = limit;
    this.period = period;
    this.ring = ring;
    this.head = head;
  }

  static SlidingLog empty(long now, int limit, long period) {
    long[] ring = new long[limit];
    Arrays.fill(ring, NEVER);
    return new SlidingLog(now, limit, period, ring, new Claim(0, 0, NEVER, null));
  }

  /** {@code T(position)}, for a position before {@code head.end} and at most {@code limit} before it. */
  private long timeOf(long position, Claim head) {
    if (position < 0) {
      return NEVER;
    }
    if (position >= head.end - head.count) {
      return head.time;
    }
    return (long) SLOT.getVolatile(ring, (int) (position % ring.length));
  }

  /** Writes the claim's times to the ring; idempotent, and never lowers a slot. */
  private void publish(Claim claim) {
    for (long p = claim.end - claim.count; p < claim.end; p++) {
      int slot = (int) (p % ring.length);
      long current = (long) SLOT.getVolatile(ring, slot);
      while (current < claim.time) {
        long witness = (long) SLOT.compareAndExchange(ring, slot, current, claim.time);
        if (witness == current) {
          break;
        }
        current = witness;
      }
    }
  }

  @Override
  long reserve(long now, int permits, long maxWaitNanos) {
    if (permits > limit) {
      // Only a request checked against a larger limit just before a change gets here.
      return REJECTED;
    }
    long elapsed = now - origin;
    for (;;) {
      Claim h = head;
      if (h.successor != null) {
        return FROZEN;
      }
      long time = Math.max(elapsed, h.time);
      long bound = timeOf(h.end + permits - 1 - limit, h);
      if (bound != NEVER) {
        time = Math.max(time, bound + period);
      }
      long wait = time - elapsed;
      if (wait > maxWaitNanos) {
        return REJECTED;
      }
      publish(h);
      if (HEAD.compareAndSet(this, h, new Claim(h.end + permits, permits, time, null))) {
        return wait;
      }
    }
  }

  @Override
  long available(long now) {
    Claim h = head;
    if (h.successor != null) {
      return h.successor.available(now);
    }
    long elapsed = now - origin;
    if (h.time != NEVER && h.time > elapsed) {
      // Reservations are queued: nothing is available before them; report how many are ahead.
      return -countAfter(h, elapsed);
    }
    return Math.max(0, limit - countAfter(h, elapsed - period));
  }

  /** How many of the permits the ring holds have a time after {@code t}; times are sorted, so bisect. */
  private long countAfter(Claim h, long t) {
    long low = Math.max(0, h.end - ring.length);
    long high = h.end;
    while (low < high) {
      long mid = (low + high) >>> 1;
      long time = timeOf(mid, h);
      if (time != NEVER && time > t) {
        high = mid;
      } else {
        low = mid + 1;
      }
    }
    return h.end - low;
  }

  @Override
  long drain(long now) {
    for (;;) {
      Claim h = head;
      if (h.successor != null) {
        return FROZEN;
      }
      long free = available(now);
      if (free <= 0) {
        return 0;
      }
      long wait = reserve(now, (int) free, 0);
      if (wait == 0) {
        return free;
      }
      if (wait == FROZEN) {
        return FROZEN;
      }
    }
  }

  @Override
  Permits changeLimit(int limitForPeriod, int burstCapacity, long now) {
    long elapsed = now - origin;
    for (;;) {
      Claim h = head;
      // The successor keeps, renumbered from 0, the latest permits: at least as many as its limit needs,
      // and every one still inside the period, even beyond a lowered limit, so that lowering the limit and
      // raising it again cannot grant a permit of this period twice.
      int kept = (int) Math.min(h.end, Math.max(limitForPeriod, countAfter(h, elapsed - period)));
      long[] ring = new long[Math.max(limitForPeriod, kept)];
      Arrays.fill(ring, NEVER);
      for (int i = 0; i < kept; i++) {
        ring[i] = timeOf(h.end - kept + i, h);
      }
      long latest = h.end > 0 ? h.time : NEVER;
      SlidingLog successor =
          new SlidingLog(origin, limitForPeriod, period, ring, new Claim(kept, 0, latest, null));
      next = successor;
      if (HEAD.compareAndSet(this, h, new Claim(h.end, 0, NEVER, successor))) {
        return successor;
      }
    }
  }
}
