package dev.fusebox.bulkhead;

import dev.fusebox.Ticker;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * A counting semaphore whose waiters are served first come, first served, by direct hand-off.
 *
 * <p>Design note. {@code available} counts the free permits; a permit is either free, held by a caller,
 * or in transit to one waiter. Taking a free permit is one CAS that only succeeds while the count is
 * positive, so no more than {@code max} permits are ever out: that is the whole fast path, with no lock,
 * no allocation and no look at the queue.
 *
 * <p>A caller that may wait enqueues a {@link Waiter}, then checks {@code available} once more before it
 * parks. A release first offers its permit to the oldest waiter: one CAS of that waiter's status from
 * {@code WAITING} to {@code GRANTED} moves the permit without ever making it free, so a newcomer cannot take
 * it ahead of the queue. Only when no waiter accepts does the release increment {@code available}, and
 * then it looks at the queue again. These two re-checks close the lost wake-up: a waiter enqueued too late
 * for the release's poll either sees the incremented count in its own re-check, or is seen by the
 * release's second look, which takes the permit back and hands it over. (The queue's offer and poll and
 * the VarHandle operations are all volatile accesses, so each side sees the other's earlier step.)
 *
 * <p>A waiter gives up (deadline, interrupt) by CAS-ing its own status from {@code WAITING} to
 * {@code CANCELLED}. Of a grant and a cancellation racing for one waiter exactly one CAS wins: if the
 * grant won, the waiter owns the permit and either keeps it (its deadline passed at that very moment) or
 * passes it on with another release (it was interrupted); a permit is never lost in transit. A waiter that
 * took a free permit in its re-check while a grant also reached it holds two, and releases one.
 *
 * <p>Trade-offs. Waiting allocates a node and a queue entry; the fast path allocates nothing. A caller
 * arriving in the few instructions between a release's increment and its second look can take the permit
 * before an older waiter; between waiters the order is strict. A cancelled waiter removes its node in O(n)
 * so that a flood of time-outs cannot grow the queue.
 */
final class FairPermits {

  private static final VarHandle AVAILABLE;
  private static final VarHandle WAITING;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      AVAILABLE = lookup.findVarHandle(FairPermits.class, "available", int.class);
      WAITING = lookup.findVarHandle(FairPermits.class, "waiting", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** What a waiting caller learnt when its wait ended. */
  enum Outcome {
    ACQUIRED,
    TIMED_OUT,
    INTERRUPTED
  }

  /** The bound; changed only by {@link #resize}, which callers serialize. */
  private volatile int max;
  private final ConcurrentLinkedQueue<Waiter> queue;
  private volatile int available;
  private volatile int waiting;

  FairPermits(int max) {
    this(max, new ConcurrentLinkedQueue<>());
  }

  /** Lets tests pass a queue that pauses at the steps whose interleavings they pin. */
  FairPermits(int max, ConcurrentLinkedQueue<Waiter> queue) {
    this.max = max;
    this.available = max;
    this.queue = queue;
  }

  /** Takes a free permit if there is one; never waits. */
  boolean tryAcquire() {
    int a = available;
    while (a > 0) {
      int witness = (int) AVAILABLE.compareAndExchange(this, a, a - 1);
      if (witness == a) {
        return true;
      }
      a = witness;
    }
    return false;
  }

  /**
   * Takes a permit, waiting for one up to {@code maxWaitNanos} measured on {@code ticker}. The interrupt
   * status is consumed when the wait ends with {@link Outcome#INTERRUPTED}.
   */
  Outcome acquire(long maxWaitNanos, Ticker ticker, BulkheadConfig.Parker parker, Object blocker) {
    if (tryAcquire()) {
      return Outcome.ACQUIRED;
    }
    if (maxWaitNanos <= 0) {
      return Outcome.TIMED_OUT;
    }
    if (Thread.interrupted()) {
      return Outcome.INTERRUPTED;
    }
    long start = ticker.nanos();
    Waiter waiter = new Waiter(Thread.currentThread());
    queue.offer(waiter);
    WAITING.getAndAdd(this, 1);
    try {
      if (tryAcquire()) {
        if (waiter.cancel()) {
          queue.remove(waiter);
        } else {
          release();
        }
        return Outcome.ACQUIRED;
      }
      for (;;) {
        if (waiter.status == Waiter.GRANTED) {
          return Outcome.ACQUIRED;
        }
        long remaining = maxWaitNanos - (ticker.nanos() - start);
        if (remaining <= 0) {
          if (waiter.cancel()) {
            queue.remove(waiter);
            return Outcome.TIMED_OUT;
          }
          return Outcome.ACQUIRED;
        }
        parker.park(blocker, remaining);
        if (Thread.interrupted()) {
          if (waiter.cancel()) {
            queue.remove(waiter);
          } else {
            release();
          }
          return Outcome.INTERRUPTED;
        }
      }
    } finally {
      WAITING.getAndAdd(this, -1);
    }
  }

  /**
   * Gives a permit back: to the oldest waiter if there is one, else to the free count. A release while no
   * permit is out (a caller releasing twice) changes nothing.
   */
  void release() {
    for (;;) {
      Waiter next;
      while ((next = queue.poll()) != null) {
        if (next.grant()) {
          LockSupport.unpark(next.thread);
          return;
        }
      }
      if (!increment()) {
        return;
      }
      // A waiter may have enqueued after the poll above and parked before the increment: take the permit
      // back for it, unless someone already took it (then that one holds it and will release it later).
      if (queue.isEmpty() || !tryAcquire()) {
        return;
      }
    }
  }

  /** Frees a permit; refuses when none is out, so that a stray release cannot raise the bound. */
  private boolean increment() {
    int a = available;
    while (a < max) {
      int witness = (int) AVAILABLE.compareAndExchange(this, a, a + 1);
      if (witness == a) {
        return true;
      }
      a = witness;
    }
    return false;
  }

  /**
   * Changes the bound to {@code newMax} without taking a permit from anyone who holds one. A larger bound
   * hands the new permits to the oldest waiters first, as releases would; a smaller one takes free permits
   * away at once and, if too many are out, lets the count go below zero, so that the next acquisitions wait
   * until enough holders have released. Callers must not resize concurrently.
   */
  void resize(int newMax) {
    int delta = newMax - max;
    if (delta > 0) {
      max = newMax; // first, so that the releases below may free up to the new bound
      for (int i = 0; i < delta; i++) {
        release();
      }
    } else if (delta < 0) {
      // First take the permits away, then lower the bound: a release in between still fits under the old
      // bound, and once the bound is lower a release that would pass it is a stray one.
      AVAILABLE.getAndAdd(this, delta);
      max = newMax;
    }
  }

  int available() {
    return Math.max(0, available);
  }

  int inUse() {
    // Unclamped: after a smaller bound the count may be below zero, with more holders than the bound.
    return max - available;
  }

  int waiting() {
    return waiting;
  }

  /** One waiting caller; its status moves once, from {@code WAITING} to granted or cancelled. */
  static final class Waiter {
    static final int WAITING = 0;
    static final int GRANTED = 1;
    static final int CANCELLED = 2;
    private static final VarHandle STATUS;

    static {
      try {
        STATUS = MethodHandles.lookup().findVarHandle(Waiter.class, "status", int.class);
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }

    final Thread thread;
    volatile int status;

    Waiter(Thread thread) {
      this.thread = thread;
    }

    boolean grant() {
      return STATUS.compareAndSet(this, WAITING, GRANTED);
    }

    boolean cancel() {
      return STATUS.compareAndSet(this, WAITING, CANCELLED);
    }
  }
}
