package dev.fusebox;

import dev.fusebox.internal.DaemonThreads;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

/**
 * A clock that callers read with a single volatile load.
 *
 * <p>Design note. A breaker with slow-call detection needs two time readings per call; two
 * {@code System.nanoTime()} calls cost more than the rest of the call path together. One daemon thread
 * copies {@code System.nanoTime()} into a volatile field every {@link #RESOLUTION_NANOS}; readers load that
 * field. The field's two low bits carry the refresher's state (a reading loses 3 ns of its precision, which a
 * millisecond clock does not have anyway): {@link #READ} says a reader has seen the current reading,
 * {@link #STOPPED} that no refresher runs. A reader whose load finds {@code READ} set is done; the first
 * reader after each refresh sets it with one CAS, so readers write at most once per refresh between them.
 * The refresher swaps in each new reading with {@code READ} clear and so learns whether anybody read the
 * last one; after {@link #IDLE_NANOS} without a read it stops, by a CAS that a racing reader's CAS makes
 * fail, and the next reader, finding {@code STOPPED}, reads {@code System.nanoTime()} itself and starts a
 * new refresher, exactly one since only one CAS can clear {@code STOPPED}. Readings stay monotonic: every
 * value written is a later {@code System.nanoTime()} than the one it replaces.
 *
 * <p>Why it stops: a thread running code of a class pins that class's loader. An application server that
 * loads Fusebox with each web application would otherwise keep one refresher, and one class loader, per
 * redeployment forever. A refresher also starts in the root thread group, inherits no thread locals and has
 * no context class loader, so it keeps nothing of its first caller; and it clears an interrupt instead of
 * letting it turn every park into an immediate return, which would spin a core.
 *
 * <p>What a reading guarantees: it is a {@code System.nanoTime()} value, never ahead of the system clock,
 * never decreasing. How far it lags depends on the refresher being scheduled: about a millisecond when it
 * is, and without bound when the machine starves it of CPU (tens of milliseconds have been seen on a loaded
 * 2-core machine). Decisions that need better than that take {@link Ticker#system()}.
 */
final class CoarseTicker implements Ticker {

  /** How often the shared reading is refreshed, and so the resolution of this ticker. */
  static final long RESOLUTION_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
  /** How long the refresher keeps running without a single read before it stops. */
  static final long IDLE_NANOS = TimeUnit.SECONDS.toNanos(60);

  static final CoarseTicker INSTANCE =
      new CoarseTicker(System::nanoTime, LockSupport::parkNanos, IDLE_NANOS / RESOLUTION_NANOS);

  static final long READ = 1;
  static final long STOPPED = 2;
  private static final long STATE_BITS = READ | STOPPED;
  private static final VarHandle NOW;

  static {
    try {
      NOW = MethodHandles.lookup().findVarHandle(CoarseTicker.class, "now", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final LongSupplier clock;
  private final LongConsumer parker;
  private final long idleRefreshes;
  /** The latest reading with the state in its two low bits; no refresher runs until the first read. */
  private volatile long now;

  /**
   * A ticker that reads {@code clock}, and whose refresher waits with {@code parker} between refreshes and
   * stops after {@code idleRefreshes} refreshes nobody read.
   */
  CoarseTicker(LongSupplier clock, LongConsumer parker, long idleRefreshes) {
    this.clock = clock;
    this.parker = parker;
    this.idleRefreshes = idleRefreshes;
    this.now = (clock.getAsLong() & ~STATE_BITS) | STOPPED;
  }

  @Override
  public long nanos() {
    long reading = now;
    if ((reading & STATE_BITS) != READ) {
      return firstRead(reading);
    }
    return reading & ~STATE_BITS;
  }

  /** Marks the current reading as read, or, if no refresher runs, reads the clock and starts one. */
  private long firstRead(long reading) {
    for (;;) {
      if ((reading & STOPPED) != 0) {
        long fresh = (clock.getAsLong() & ~STATE_BITS) | READ;
        if (NOW.compareAndSet(this, reading, fresh)) {
          start();
          return fresh & ~STATE_BITS;
        }
      } else if ((reading & READ) == 0) {
        if (NOW.compareAndSet(this, reading, reading | READ)) {
          return reading & ~STATE_BITS;
        }
      } else {
        return reading & ~STATE_BITS;
      }
      reading = now;
    }
  }

  private void start() {
    DaemonThreads.create("fusebox-coarse-ticker", this::refresh).start();
  }

  /** The refresher's loop; returns once nobody has read for {@code idleRefreshes} refreshes. */
  void refresh() {
    long unread = 0;
    for (;;) {
      parker.accept(RESOLUTION_NANOS);
      // An interrupt would make every later park return at once: nobody may stop this thread that way.
      Thread.interrupted();
      long previous = now;
      long fresh = clock.getAsLong() & ~STATE_BITS;
      if ((previous & READ) != 0) {
        unread = 0;
      } else if (++unread >= idleRefreshes) {
        if (NOW.compareAndSet(this, previous, fresh | STOPPED)) {
          return;
        }
        unread = 0; // a reader came just in time
      }
      // A reader marking the previous reading as read just now is overwritten; it only delays the stop.
      now = fresh;
    }
  }

  @Override
  public String toString() {
    return "Ticker.coarse()";
  }
}
