package dev.fusebox.ratelimiter;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A token bucket of {@code capacity} tokens refilled continuously at {@code limit} tokens per
 * {@code period} nanoseconds.
 *
 * <p>Design note. The state is the moment the bucket was, or will be, empty: {@code empty}, measured from
 * {@code origin}. At time {@code t} the bucket holds {@code floor((t − empty) × rate)} tokens, never more
 * than {@code capacity}, so a bucket idle for long is full: a request first raises {@code empty} to at
 * least {@code t − capacity / rate} (where the fraction of a token under way is lost, exactly as when a
 * real bucket overflows), then moves it later by {@code permits / rate}. This is the classic bucket, the
 * generic cell rate algorithm: over any span {@code s}, wherever it starts, at most
 * {@code capacity + rate × s} permits are granted.
 *
 * <p>{@code 1 / rate} is rarely a whole number of nanoseconds (3 per second is 333,333,333⅓ ns), and
 * rounding it either way breaks exactness: up, a full bucket would start refilling a fraction of a
 * nanosecond early; down, it would hide a whole token for that fraction. So {@code empty} is exact: whole
 * nanoseconds plus a fraction in units of {@code 1 / limit} ns, with {@code limit / period} reduced by
 * their greatest common divisor. The configuration guarantees that {@code limit × period} and the time an
 * empty bucket takes to fill fit a {@code long}, so every product below does.
 *
 * <p>The two parts cannot share one primitive word without running out of bits, so they live in an
 * immutable {@link Level} swapped by CAS: one CAS decides a request, so two requests cannot spend one
 * token, under any contention. A granted request allocates that one small object; a refused one
 * allocates and writes nothing. A request that may wait moves {@code empty} past now: it reserves tokens
 * that have not arrived yet and waits until {@code empty}, when the debt is paid; later requests queue
 * behind it. A waiting caller can only be released on a whole nanosecond, so its reservation also moves
 * the level up to that nanosecond (less than a nanosecond of refill lost per waiting request): with the
 * level after every grant at or after the moment the caller proceeds, the span bound holds for the times
 * callers actually proceed, not only for the exact instants their tokens fell due. No thread refills
 * anything: the count is derived from the ticker when a request asks.
 */
final class TokenBucket extends Permits {

  /** {@code nanos + fraction / limit} nanoseconds after origin, with {@code 0 <= fraction < limit}. */
  record Level(long nanos, long fraction) {}

  private static final VarHandle EMPTY;
  private static final Level FROZEN_LEVEL = new Level(Long.MIN_VALUE, 0);

  static {
    try {
      EMPTY = MethodHandles.lookup().findVarHandle(TokenBucket.class, "empty", Level.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final long origin;
  /** The configured period, before reduction, for a successor with another limit. */
  private final long periodNanos;
  private final long limit;
  private final long period;
  private final long capacity;
  /** {@code capacity / rate} as whole nanoseconds rounded up, less {@link #fullFraction} / limit. */
  private final long fullNanos;
  private final long fullFraction;
  private volatile Level empty;

  private TokenBucket(long origin, long limit, long period, long capacity, long tokens) {
    long gcd = gcd(limit, period);
    this.origin = origin;
    this.periodNanos = period;
    this.limit = limit / gcd;
    this.period = period / gcd;
    this.capacity = capacity;
    long[] full = timeFor(capacity);
    this.fullNanos = full[0] + (full[1] == 0 ? 0 : 1);
    this.fullFraction = full[1] == 0 ? 0 : this.limit - full[1];
    long[] t = timeFor(Math.abs(tokens));
    if (tokens >= 0) {
      // tokens already in the bucket: it was empty that long ago
      this.empty = t[1] == 0 ? new Level(-t[0], 0) : new Level(-t[0] - 1, this.limit - t[1]);
    } else {
      // a debt of reserved tokens: it will be empty once they have arrived
      this.empty = new Level(t[0], t[1]);
    }
  }

  /** A bucket that starts full. */
  static TokenBucket full(long now, int limit, long period, int capacity) {
    return new TokenBucket(now, limit, period, capacity, capacity);
  }

  private static long gcd(long a, long b) {
    while (b != 0) {
      long t = a % b;
      a = b;
      b = t;
    }
    return a;
  }

  /** The time {@code tokens} (not negative) take to arrive, as {nanoseconds, fraction / limit}. */
  private long[] timeFor(long tokens) {
    long rest = Math.floorMod(tokens, limit) * period;
    return new long[] {Math.floorDiv(tokens, limit) * period + rest / limit, rest % limit};
  }

  /** The whole tokens that arrive between {@code from} and {@code elapsed}; negative before it. */
  private long tokensSince(Level from, long elapsed) {
    long nanos = elapsed - from.nanos;
    return Math.floorDiv(nanos, period) * limit
        + Math.floorDiv(Math.floorMod(nanos, period) * limit - from.fraction, period);
  }

  /** Whether the bucket starting to fill at {@code level} is full at {@code elapsed}. */
  private boolean fullAt(Level level, long elapsed) {
    long behind = elapsed - fullNanos - level.nanos;
    return behind > 0 || (behind == 0 && level.fraction <= fullFraction);
  }

  /** {@code level}, raised to the level of a full bucket at {@code elapsed}. */
  private Level atMostFull(Level level, long elapsed) {
    return fullAt(level, elapsed) ? new Level(elapsed - fullNanos, fullFraction) : level;
  }

  @Override
  long reserve(long now, int permits, long maxWaitNanos) {
    if (permits > capacity) {
      // Only a request checked against a larger limit just before a change gets here.
      return REJECTED;
    }
    long elapsed = now - origin;
    long rest = (long) permits % limit * period;
    long costNanos = permits / limit * period + rest / limit;
    long costFraction = rest % limit;
    for (;;) {
      Level current = empty;
      if (current == FROZEN_LEVEL) {
        return FROZEN;
      }
      long baseNanos;
      long baseFraction;
      if (fullAt(current, elapsed)) {
        baseNanos = elapsed - fullNanos;
        baseFraction = fullFraction;
      } else {
        baseNanos = current.nanos;
        baseFraction = current.fraction;
      }
      long nextFraction = baseFraction + costFraction;
      long nextNanos = baseNanos + costNanos + (nextFraction >= limit ? 1 : 0);
      nextFraction = nextFraction >= limit ? nextFraction - limit : nextFraction;
      long wait = 0;
      if (nextNanos > elapsed || (nextNanos == elapsed && nextFraction > 0)) {
        // Due when the debt is paid, but the caller can only be released on a whole nanosecond: the
        // level moves up to that moment, so that what follows refills from when the caller proceeds.
        nextNanos += nextFraction == 0 ? 0 : 1;
        nextFraction = 0;
        wait = nextNanos - elapsed;
      }
      if (wait > maxWaitNanos) {
        return REJECTED;
      }
      if (EMPTY.compareAndSet(this, current, new Level(nextNanos, nextFraction))) {
        return wait;
      }
    }
  }

  @Override
  long available(long now) {
    Level current = empty;
    if (current == FROZEN_LEVEL) {
      return next.available(now);
    }
    long elapsed = now - origin;
    return tokensSince(atMostFull(current, elapsed), elapsed);
  }

  @Override
  long drain(long now) {
    long elapsed = now - origin;
    for (;;) {
      Level current = empty;
      if (current == FROZEN_LEVEL) {
        return FROZEN;
      }
      long tokens = tokensSince(atMostFull(current, elapsed), elapsed);
      if (tokens <= 0) {
        return 0;
      }
      if (EMPTY.compareAndSet(this, current, new Level(elapsed, 0))) {
        return tokens;
      }
    }
  }

  @Override
  Permits changeLimit(int limitForPeriod, int burstCapacity, long now) {
    long elapsed = now - origin;
    for (;;) {
      Level current = empty;
      // Whole tokens carry over, up to the new capacity, and so does a debt of reserved tokens; the
      // fraction of a token under way is lost, which errs on the side of fewer.
      long tokens = Math.min(burstCapacity, tokensSince(atMostFull(current, elapsed), elapsed));
      TokenBucket successor = new TokenBucket(now, limitForPeriod, periodNanos, burstCapacity, tokens);
      next = successor;
      if (EMPTY.compareAndSet(this, current, FROZEN_LEVEL)) {
        return successor;
      }
    }
  }
}
