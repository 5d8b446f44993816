package dev.fusebox.circuitbreaker;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A breaker's own recent latency, for {@link CircuitBreakerConfig.Builder#slowCallDurationPercentile}: the
 * calls of one period are counted in a log-linear histogram, and when the period ends its percentile times
 * the multiplier becomes the slow-call threshold of the next period.
 *
 * <p>Design note. The call path pays one uncontended-in-the-common-case increment of a histogram cell and
 * one volatile read of the threshold; the percentile is worked out once per period, by the one call that
 * moves the period on (a CAS on its start). The histogram is emptied cell by cell with getAndSet, so a call
 * counted meanwhile lands in one period or the next, never in neither. Cells are eight per power of two, so
 * the percentile is known to within 12.5%; the cell's upper bound is taken, erring towards fewer slow calls.
 *
 * <p>A period in which the breaker left CLOSED does not become the baseline: a degradation that opened the
 * breaker must not become the new normal. Nor does a period with fewer than the configured minimum of calls.
 * Until a first period qualifies, the configured {@code slowCallDurationThreshold} decides.
 */
final class LatencyBaseline {

  private static final VarHandle PERIOD_START;
  private static final VarHandle LEARNING;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      PERIOD_START = lookup.findVarHandle(LatencyBaseline.class, "periodStart", long.class);
      LEARNING = lookup.findVarHandle(LatencyBaseline.class, "learning", boolean.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** Sub-cells per power of two, as a shift: 2^3 = 8. */
  private static final int SUB_BITS = 3;
  private static final int SUB = 1 << SUB_BITS;
  static final int CELLS = 64 * SUB;
  /** No threshold learnt yet: the configured duration decides. */
  static final long NOT_LEARNT = -1;

  private final AtomicLongArray cells = new AtomicLongArray(CELLS);
  /** The counts of the period being learnt from; only the call that won the period's CAS writes it. */
  private final long[] scratch = new long[CELLS];
  private volatile long periodStart;
  /** The learnt threshold in nanoseconds, or {@link #NOT_LEARNT}. */
  private volatile long threshold = NOT_LEARNT;
  /** Whether the breaker left CLOSED in the current period, which then teaches nothing. */
  private volatile boolean disturbed;
  /** How many calls the periods that ended held, learnt from or not; written only by the learning call. */
  private volatile long endedCalls;
  /** Whether a call is learning from {@link #scratch}; a period that ends meanwhile is merged into the next. */
  private volatile boolean learning;

  LatencyBaseline(long now) {
    this.periodStart = now;
  }

  /** Returns the threshold a call must exceed to be slow, given the configured one. */
  long threshold(CompiledConfig s) {
    long learnt = threshold;
    return learnt == NOT_LEARNT ? s.slowNanos : learnt;
  }

  /** Returns the learnt threshold, or {@link #NOT_LEARNT}. */
  long learnt() {
    return threshold;
  }

  /** Counts a call of a closed breaker that lasted {@code duration} and ended at {@code now}. */
  void add(CompiledConfig s, long duration, long now) {
    cells.getAndIncrement(cell(duration));
    long start = periodStart;
    if (now - start >= s.baselinePeriodNanos
        && PERIOD_START.compareAndSet(this, start, now)
        && LEARNING.compareAndSet(this, false, true)) {
      try {
        learn(s);
      } finally {
        learning = false;
      }
    }
  }

  /** Notes that the breaker left CLOSED: the current period will teach nothing. */
  void disturb() {
    if (!disturbed) {
      disturbed = true;
    }
  }

  /** Forgets what was learnt, as {@link CircuitBreaker#reset()} does, and starts a period at {@code now}. */
  void forget(long now) {
    for (int i = 0; i < CELLS; i++) {
      cells.set(i, 0);
    }
    threshold = NOT_LEARNT;
    disturbed = false;
    periodStart = now;
  }

  private void learn(CompiledConfig s) {
    long[] counts = scratch;
    for (int i = 0; i < CELLS; i++) {
      counts[i] = cells.getAndSet(i, 0);
    }
    boolean calm = !disturbed;
    disturbed = false;
    long total = 0;
    for (long c : counts) {
      total += c;
    }
    endedCalls += total;
    if (!calm || total < s.baselineMinimumCalls) {
      return;
    }
    long rank = (long) Math.ceil(total * s.baselinePercentile / 100.0);
    long seen = 0;
    for (int i = 0; i < CELLS; i++) {
      seen += counts[i];
      if (seen >= Math.max(rank, 1)) {
        double learnt = upperBound(i) * s.baselineMultiplier;
        threshold = learnt >= Long.MAX_VALUE ? Long.MAX_VALUE : Math.max(1, (long) learnt);
        return;
      }
    }
  }

  /** Returns how many calls the periods that ended held, learnt from or not. */
  long endedCalls() {
    return endedCalls;
  }

  /** Returns how many calls the current period holds so far. */
  long pending() {
    long total = 0;
    for (int i = 0; i < CELLS; i++) {
      total += cells.get(i);
    }
    return total;
  }

  /** The cell of a duration: eight per power of two, durations under 8 ns each in their own. */
  static int cell(long duration) {
    if (duration < SUB) {
      return (int) Math.max(duration, 0);
    }
    int exponent = 63 - Long.numberOfLeadingZeros(duration);
    int sub = (int) (duration >>> (exponent - SUB_BITS)) & (SUB - 1);
    return (exponent - SUB_BITS + 1) * SUB + sub;
  }

  /** The largest duration of a cell. */
  static long upperBound(int cell) {
    if (cell < SUB) {
      return cell;
    }
    int exponent = cell / SUB + SUB_BITS - 1;
    long sub = cell % SUB;
    long low = (SUB + sub) << (exponent - SUB_BITS);
    long width = 1L << (exponent - SUB_BITS);
    return low + width - 1 < 0 ? Long.MAX_VALUE : low + width - 1;
  }
}
