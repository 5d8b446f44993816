package dev.fusebox.redis;

import dev.fusebox.circuitbreaker.spi.TrialGate;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The trial gate of one shared breaker: whether its half-open trials are free (the fleet is closed, or
 * the instance is degraded and runs locally), forbidden (the fleet is open), or limited to the leases the
 * flush script granted this instance (the fleet is half-open).
 *
 * <p>Design note. Calling threads only touch atomics: one volatile read of {@link #mode}, then, when
 * leases count, a decrement-if-positive on the pool of the current {@link Epoch}. The sync thread alone
 * switches modes, replaces the epoch, tops the pool up and drains it. Leases belong to the epoch (one
 * fleet half-open stay) that granted them: when the fleet moves on, the sync thread installs a new
 * {@code Epoch}, so leases and outcomes of the old one can no longer be counted for the new one. A trial
 * that finishes after such a swap finds no trial in flight in the new epoch and is ignored; the script
 * counted it as expired already. The gate cannot tell which trial a report belongs to (the SPI does not
 * say), so a report from an old trial arriving while new leased trials run in the same process is
 * counted for the new epoch: at most a miscount of outcomes, never an extra trial, since trials are only
 * ever admitted against the pool.
 */
final class LeaseGate implements TrialGate {

  /** Every trial the local breaker allows may run. */
  static final int FREE = 0;
  /** No trial may run. */
  static final int DENY = 1;
  /** A trial needs a lease from the pool. */
  static final int LEASES = 2;

  static final long DONE = 1L;
  static final long FAILED = 1L << 21;
  static final long SLOW = 1L << 42;
  private static final long FIELD = (1L << 21) - 1;

  static long done(long outcomes) {
    return outcomes & FIELD;
  }

  static long failed(long outcomes) {
    return (outcomes >>> 21) & FIELD;
  }

  static long slow(long outcomes) {
    return (outcomes >>> 42) & FIELD;
  }

  /** The leases and trial outcomes of one fleet epoch. */
  static final class Epoch {
    final long epoch;
    final AtomicInteger pool = new AtomicInteger();
    final AtomicInteger inFlight = new AtomicInteger();
    /**
     * Trials finished, failed and slow, packed into one word ({@link #DONE}, {@link #FAILED},
     * {@link #SLOW} units) so that the sync thread reads the three counts of the same moment.
     */
    final AtomicLong outcomes = new AtomicLong();
    /** Written by the sync thread only: leases received and given back, cumulative within the epoch. */
    long received;
    long returned;

    Epoch(long epoch) {
      this.epoch = epoch;
    }

    boolean take() {
      int n = pool.get();
      while (n > 0) {
        int witness = pool.compareAndExchange(n, n - 1);
        if (witness == n) {
          inFlight.incrementAndGet();
          return true;
        }
        n = witness;
      }
      return false;
    }

    /** Ends one trial in flight; returns false when none was (an old or unleased trial). */
    private boolean endTrial() {
      int n = inFlight.get();
      while (n > 0) {
        int witness = inFlight.compareAndExchange(n, n - 1);
        if (witness == n) {
          return true;
        }
        n = witness;
      }
      return false;
    }
  }

  private volatile int mode = FREE;
  private volatile Epoch current = new Epoch(0);
  private final AtomicInteger demand = new AtomicInteger();
  /** Whether this instance probes the breaker for the fleet; set once by the breaker's SharedBreaker. */
  private volatile BooleanSupplier prober = () -> true;
  private volatile Runnable probed = () -> {};

  @Override
  public boolean tryAcquireTrial() {
    int m = mode;
    if (m == FREE) {
      return true;
    }
    demand.incrementAndGet();
    return m == LEASES && current.take();
  }

  @Override
  public void releaseTrial() {
    Epoch e = current;
    if (e.endTrial()) {
      e.pool.incrementAndGet();
    }
  }

  @Override
  public void trialFinished(boolean failed, boolean slow) {
    Epoch e = current;
    if (e.endTrial()) {
      e.outcomes.getAndAdd(DONE | (failed ? FAILED : 0) | (slow ? SLOW : 0));
    }
  }

  @Override
  public boolean probes() {
    return prober.getAsBoolean();
  }

  @Override
  public void probeSucceeded() {
    probed.run();
  }

  /** Says who probes the breaker for the fleet, and what a success here must tell it. */
  void probing(BooleanSupplier prober, Runnable probed) {
    this.prober = prober;
    this.probed = probed;
  }

  // Sync thread only below.

  int mode() {
    return mode;
  }

  void mode(int mode) {
    this.mode = mode;
  }

  Epoch epoch() {
    return current;
  }

  /** Starts a new epoch: leases of the old one left in the pool are void. */
  Epoch newEpoch(long epoch) {
    Epoch e = new Epoch(epoch);
    current = e;
    return e;
  }

  /** Returns how many trials were asked for since the last call, and starts counting again. */
  int takeDemand() {
    return demand.getAndSet(0);
  }

  @Override
  public String toString() {
    return "LeaseGate[mode=" + mode + ", epoch=" + current.epoch + ", pool=" + current.pool.get() + "]";
  }
}
