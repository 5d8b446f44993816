package dev.fusebox.bulkhead;

import dev.fusebox.Ticker;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * A counting semaphore whose waiters are served first come, first served, by direct hand-off.
 *
 * <p>Design note. Two counters that only grow say where the permits are: {@code acquired}, the permits ever
 * taken, and {@code released}, the permits ever made free again; {@code acquired - released} are out (held by a
 * caller, or in transit to one waiter) and {@code max} minus that are free. Taking a free permit is one CAS
 * of {@code acquired} that only succeeds while fewer than {@code max} are out; {@code released} is read
 * before the CAS and only grows, so a stale read errs towards refusing, and no more than {@code max}
 * permits are ever out: that is the whole fast path, with no lock, no allocation and no look at the queue.
 * Making a permit free is one CAS of {@code released} that only succeeds while it stays below
 * {@code acquired}, so a stray release cannot raise the bound. As the acquisitions are counted in the CAS
 * that takes the permit, the number of admitted callers costs no atomic of its own: it is {@code acquired},
 * corrected on the slow paths by {@code handedOff} (see below). A waiting caller, a resize and the metrics pay
 * for the two counters: a consistent count of the permits out is two reads of {@code released} around one of
 * {@code acquired} that agree.
 *
 * <p>A caller that may wait enqueues a {@link Waiter}, then looks for a free permit once more before it
 * parks. A release first offers its permit to the oldest waiter: one CAS of that waiter's status from
 * {@code WAITING} to {@code HANDED} moves the permit without ever making it free, so a newcomer cannot take
 * it ahead of the queue; the waiter counts itself in {@code handedOff}, as no CAS of {@code acquired} counted
 * it. Only when no waiter accepts does the release increment {@code released}, and
 * then it looks at the queue again. These two re-checks close the lost wake-up: a waiter enqueued too late
 * for the release's poll either sees the incremented count in its own re-check, or is seen by the
 * release's second look, which takes the permit back (a CAS of {@code acquired}, which counts the waiter it
 * goes to, so that this grant is {@code FRESH} and the waiter does not count itself again) and hands it over. (The queue's offer and poll and
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
 * before an older waiter; between waiters the order is strict. An acquisition that read the bound just before
 * a smaller one was set may still take a permit under the old bound. A cancelled waiter removes its node in O(n)
 * so that a flood of time-outs cannot grow the queue.
 */
final class FairPermits {

  private static final VarHandle ACQUIRED;
  private static final VarHandle RELEASED;
  private static final VarHandle WAITING;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      ACQUIRED = lookup.findVarHandle(FairPermits.class, "acquired", long.class);
      RELEASED = lookup.findVarHandle(FairPermits.class, "released", long.class);
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
  /** The permits ever taken by a CAS; only grows. */
  private volatile long acquired;
  /** The permits ever made free again; only grows, never past {@code acquired}. */
  private volatile long released;
  private volatile int waiting;
  /**
   * The callers admitted by a hand-off, which no CAS of {@code acquired} counted, minus the permits taken by a
   * CAS that admitted nobody (a release's second look that found only cancelled waiters, a waiter granted twice
   * or interrupted). Written on the slow paths only.
   */
  private final LongAdder handedOff = new LongAdder();

  FairPermits(int max) {
    this(max, new ConcurrentLinkedQueue<>());
  }

  /** Lets tests pass a queue that pauses at the steps whose interleavings they pin. */
  FairPermits(int max, ConcurrentLinkedQueue<Waiter> queue) {
    this.max = max;
    this.queue = queue;
  }

  /** Takes a free permit if there is one, counting its caller as admitted; never waits. */
  boolean tryAcquire() {
    long a = acquired;
    while (a - released < max) {
      long witness = (long) ACQUIRED.compareAndExchange(this, a, a + 1);
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
          giveBackGranted(waiter);
        }
        return Outcome.ACQUIRED;
      }
      for (;;) {
        if (waiter.status >= Waiter.HANDED) {
          return granted(waiter);
        }
        long remaining = maxWaitNanos - (ticker.nanos() - start);
        if (remaining <= 0) {
          if (waiter.cancel()) {
            queue.remove(waiter);
            return Outcome.TIMED_OUT;
          }
          return granted(waiter);
        }
        parker.park(blocker, remaining);
        if (Thread.interrupted()) {
          if (waiter.cancel()) {
            queue.remove(waiter);
          } else {
            giveBackGranted(waiter);
          }
          return Outcome.INTERRUPTED;
        }
      }
    } finally {
      WAITING.getAndAdd(this, -1);
    }
  }

  /** A granted waiter's admission: counted here if the permit was handed over, else by its CAS. */
  private Outcome granted(Waiter waiter) {
    if (waiter.status == Waiter.HANDED) {
      handedOff.increment();
    }
    return Outcome.ACQUIRED;
  }

  /** Passes on the permit a grant gave a waiter that is not keeping it; a fresh one admitted nobody. */
  private void giveBackGranted(Waiter waiter) {
    if (waiter.status == Waiter.FRESH) {
      handedOff.decrement();
    }
    release();
  }

  /**
   * Gives a permit back: to the oldest waiter if there is one, else to the free count. A release while no
   * permit is out (a caller releasing twice) changes nothing.
   */
  void release() {
    pass(false);
  }

  /** Passes on a permit in hand; {@code fresh} when a CAS of {@code acquired} took (and counted) it. */
  private void pass(boolean fresh) {
    for (;;) {
      Waiter next;
      while ((next = queue.poll()) != null) {
        if (next.grant(fresh ? Waiter.FRESH : Waiter.HANDED)) {
          LockSupport.unpark(next.thread);
          return;
        }
      }
      if (!increment()) {
        return;
      }
      if (fresh) {
        handedOff.decrement(); // its CAS counted an admission that did not happen
      }
      // A waiter may have enqueued after the poll above and parked before the increment: take the permit
      // back for it, unless someone already took it (then that one holds it and will release it later).
      if (queue.isEmpty() || !tryAcquire()) {
        return;
      }
      fresh = true;
    }
  }

  /** Frees a permit; refuses when none is out, so that a stray release cannot raise the bound. */
  private boolean increment() {
    long r = released;
    while (r < acquired) {
      long witness = (long) RELEASED.compareAndExchange(this, r, r + 1);
      if (witness == r) {
        return true;
      }
      r = witness;
    }
    return false;
  }

  /**
   * Changes the bound to {@code newMax} without taking a permit from anyone who holds one. A larger bound
   * hands the new permits to the oldest waiters, taking each for one as a release's second look would; a
   * smaller one frees nothing until enough holders have released, even if more than the new bound are out.
   * Callers must not resize concurrently.
   */
  void resize(int newMax) {
    int delta = newMax - max;
    max = newMax;
    for (int i = 0; i < delta && !queue.isEmpty() && tryAcquire(); i++) {
      pass(true);
    }
  }

  int available() {
    return Math.max(0, max - inUse());
  }

  /** The permits out: held, or in transit to a waiter; after a smaller bound, possibly more than it. */
  int inUse() {
    for (;;) {
      long r = released;
      long a = acquired;
      if (r == released) {
        return (int) (a - r);
      }
    }
  }

  /** The callers admitted since creation: by a free permit, or by a hand-off while they waited. */
  long admitted() {
    return acquired + handedOff.sum();
  }

  int waiting() {
    return waiting;
  }

  /**
   * One waiting caller; its status moves once, from {@code WAITING} to cancelled or granted: {@code HANDED} a
   * permit someone held, or {@code FRESH}, a permit a CAS of {@code acquired} took, and counted, for it.
   */
  static final class Waiter {
    static final int WAITING = 0;
    static final int CANCELLED = 1;
    static final int HANDED = 2;
    static final int FRESH = 3;
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

    boolean grant(int how) {
      return STATUS.compareAndSet(this, WAITING, how);
    }

    boolean cancel() {
      return STATUS.compareAndSet(this, WAITING, CANCELLED);
    }
  }
}
