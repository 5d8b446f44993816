package dev.fusebox.circuitbreaker;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The outcomes of the last {@code size} calls, two bits per call.
 *
 * <p>Design note. Every call takes a position from the sequence with one fetch-and-add; position {@code p}
 * owns slot {@code p % size} of a packed bit array (32 slots per {@code long}). The failed, slow and
 * slow-failed totals change only when a CAS actually changes a slot's bits, by exactly the difference
 * between the bits it replaced and the bits it wrote; so at quiescence they equal the population counts of
 * the array, whatever the interleaving, and no outcome is ever lost or counted twice. A success that
 * replaces a success writes nothing: in a healthy closed breaker the only shared write per call is the
 * fetch-and-add, and the slot word is only read. Two racing calls whose positions are a full window apart
 * may land in the same slot in either order; the window then holds one of them, which is as good as any
 * order between concurrent calls. All accesses are volatile, so the thread that records a failure and then
 * reads the totals sees every record that completed before its own.
 *
 * <p>Layout. Everything lives in one {@code long[]}: the sequence, the totals and the failure streak share a
 * cache line of their own (padded on both sides), and the slot words start on the next line. Under contention the
 * sequence's line moves between cores on every call; keeping it apart from the slot words and from this
 * object's read-only fields stops every other load of the call path from missing with it. A 100-call
 * window is one 176-byte array plus this object.
 */
final class CountWindow extends Window {

  private static final VarHandle CELLS = MethodHandles.arrayElementVarHandle(long[].class);
  private static final int SEQUENCE = 8;
  private static final int FAILED_TOTAL = 9;
  private static final int SLOW_TOTAL = 10;
  private static final int SLOW_FAILED_TOTAL = 11;
  private static final int STREAK = 12;
  private static final int FIRST_SLOT_WORD = 16;

  private final int size;
  private final long[] cells;

  CountWindow(int size, int minimumCalls) {
    super(minimumCalls);
    this.size = size;
    this.cells = new long[FIRST_SLOT_WORD + ((size + 31) >>> 5)];
  }

  @Override
  boolean record(int outcome, long now) {
    long position = (long) CELLS.getAndAdd(cells, SEQUENCE, 1L);
    int slot = (int) (position % size);
    int index = FIRST_SLOT_WORD + (slot >>> 5);
    int shift = (slot & 31) << 1;
    long word = (long) CELLS.getVolatile(cells, index);
    int replaced = (int) (word >>> shift) & 3;
    while (replaced != outcome) {
      long next = (word & ~(3L << shift)) | ((long) outcome << shift);
      long witness = (long) CELLS.compareAndExchange(cells, index, word, next);
      if (witness == word) {
        adjustTotals(replaced, outcome);
        break;
      }
      word = witness;
      replaced = (int) (word >>> shift) & 3;
    }
    return outcome != SUCCESS || position + 1 == minimumCalls;
  }

  int size() {
    return size;
  }

  @Override
  boolean hasShape(CircuitBreakerConfig config) {
    return config.windowType() == CircuitBreakerConfig.WindowType.COUNT_BASED && config.windowSize() == size;
  }

  @Override
  void transferTo(Window target, long now) {
    long sequence = (long) CELLS.getVolatile(cells, SEQUENCE);
    long kept = Math.min(sequence, size);
    if (target instanceof CountWindow count) {
      kept = Math.min(kept, count.size);
    }
    for (long position = sequence - kept; position < sequence; position++) {
      int slot = (int) (position % size);
      long word = (long) CELLS.getVolatile(cells, FIRST_SLOT_WORD + (slot >>> 5));
      target.record((int) (word >>> ((slot & 31) << 1)) & 3, now);
    }
  }

  @Override
  int streak() {
    return (int) Math.min(Integer.MAX_VALUE, (long) CELLS.getVolatile(cells, STREAK));
  }

  @Override
  void adoptStreak(int length) {
    CELLS.setVolatile(cells, STREAK, (long) length);
  }

  @Override
  int extendStreak() {
    return (int) Math.min(Integer.MAX_VALUE, (long) CELLS.getAndAdd(cells, STREAK, 1L) + 1);
  }

  @Override
  void endStreak() {
    if ((long) CELLS.getVolatile(cells, STREAK) != 0) {
      CELLS.setVolatile(cells, STREAK, 0L);
    }
  }

  private void adjustTotals(int replaced, int written) {
    int failedDelta = (written & FAILED) - (replaced & FAILED);
    if (failedDelta != 0) {
      CELLS.getAndAdd(cells, FAILED_TOTAL, (long) failedDelta);
    }
    int slowDelta = ((written & SLOW) - (replaced & SLOW)) >> 1;
    if (slowDelta != 0) {
      CELLS.getAndAdd(cells, SLOW_TOTAL, (long) slowDelta);
    }
    int bothDelta = (written == SLOW_FAILED ? 1 : 0) - (replaced == SLOW_FAILED ? 1 : 0);
    if (bothDelta != 0) {
      CELLS.getAndAdd(cells, SLOW_FAILED_TOTAL, (long) bothDelta);
    }
  }

  @Override
  WindowCounts counts() {
    return new WindowCounts(
        Math.min((long) CELLS.getVolatile(cells, SEQUENCE), size),
        (long) CELLS.getVolatile(cells, FAILED_TOTAL),
        (long) CELLS.getVolatile(cells, SLOW_TOTAL),
        (long) CELLS.getVolatile(cells, SLOW_FAILED_TOTAL));
  }

  @Override
  WindowCounts snapshot(long now) {
    return counts();
  }

  @Override
  int reached(CompiledConfig s) {
    return verdict(
        Math.min((long) CELLS.getVolatile(cells, SEQUENCE), size),
        (long) CELLS.getVolatile(cells, FAILED_TOTAL),
        (long) CELLS.getVolatile(cells, SLOW_TOTAL),
        s);
  }

  /**
   * Recounts the failed, slow and slow-failed totals from the slots themselves. At quiescence this equals
   * {@link #counts()}; the stress tests check that invariant after heavy contention.
   */
  WindowCounts recount() {
    long failedBits = 0;
    long slowBits = 0;
    long bothBits = 0;
    for (int slot = 0; slot < size; slot++) {
      long word = (long) CELLS.getVolatile(cells, FIRST_SLOT_WORD + (slot >>> 5));
      int bits = (int) (word >>> ((slot & 31) << 1)) & 3;
      failedBits += bits & FAILED;
      slowBits += (bits & SLOW) >> 1;
      bothBits += bits == SLOW_FAILED ? 1 : 0;
    }
    return new WindowCounts(Math.min((long) CELLS.getVolatile(cells, SEQUENCE), size), failedBits, slowBits, bothBits);
  }
}
