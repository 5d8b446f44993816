package dev.fusebox.fallback;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.LongAdder;

/**
 * An exact counter that most threads increment without an atomic instruction.
 *
 * <p>Design note. The counter has a few stripes, each a cache line of its own; a thread maps to one by its id.
 * The first thread to find a stripe free claims it with one CAS, once, and from then on increments it with a
 * plain read and an opaque write: it is the stripe's only writer, so no increment is ever lost, and the write
 * is atomic for a {@code long}. A thread whose stripe another thread owns counts in a {@link LongAdder}, as
 * every thread did before: no worse than that. A stripe whose owner has ended goes to the next thread that
 * maps to it, which carries its count on: seeing the owner's end ({@link Thread#isAlive()} false) orders
 * every write the owner made before the new owner's, so nothing is lost; and one-thread-per-request
 * servers (virtual threads) keep the stripes in use rather than held by threads long gone. A pool's
 * threads keep theirs. {@link #sum()} adds the stripes (opaque reads) and the adder; read after the counting threads
 * have finished (a join, a latch, a future), it is exact. Nothing is allocated after construction.
 */
final class OwnedStripes {

  private static final VarHandle COUNTS = MethodHandles.arrayElementVarHandle(long[].class);
  private static final VarHandle OWNERS = MethodHandles.arrayElementVarHandle(Thread[].class);

  /** Longs per stripe: one 64-byte cache line, so that two owners never write the same line. */
  private static final int SPREAD = 8;

  /** Twice the processors, a power of two, at least 2 and at most 64. */
  private static final int STRIPES =
      Math.min(64, Integer.highestOneBit(Math.max(1, Runtime.getRuntime().availableProcessors()) * 2 - 1) << 1);

  private final Thread[] owners = new Thread[STRIPES];
  private final long[] counts = new long[(STRIPES + 1) * SPREAD];
  private final LongAdder others = new LongAdder();

  void increment() {
    Thread thread = Thread.currentThread();
    int stripe = (int) thread.getId() & (STRIPES - 1);
    Thread owner = owners[stripe];
    if (owner == thread
        || ((owner == null || !owner.isAlive()) && OWNERS.compareAndSet(owners, stripe, owner, thread))) {
      // The first stripe starts one line in, clear of the array's header.
      int index = (stripe + 1) * SPREAD;
      COUNTS.setOpaque(counts, index, counts[index] + 1);
      return;
    }
    others.increment();
  }

  /** Returns what threads without a stripe counted in the adder. */
  long overflow() {
    return others.sum();
  }

  long sum() {
    long sum = others.sum();
    for (int stripe = 0; stripe < STRIPES; stripe++) {
      sum += (long) COUNTS.getOpaque(counts, (stripe + 1) * SPREAD);
    }
    return sum;
  }
}
