package dev.fusebox;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A clock that callers read with a single volatile load.
 *
 * <p>Design note. A breaker with slow-call detection needs two time readings per call; two
 * {@code System.nanoTime()} calls cost more than the rest of the call path together. One daemon thread
 * copies {@code System.nanoTime()} into a volatile field every {@link #RESOLUTION_NANOS}; readers load that
 * field. There is a single writer, so readings are monotonic without any CAS. The thread starts when this
 * class is initialised, that is on the first {@link Ticker#coarse()} call, never at JVM start, and holds no
 * context class loader so it pins no application class loader. The cost is one short wake-up per
 * millisecond, well under one percent of a core.
 */
enum CoarseTicker implements Ticker {
  INSTANCE;

  /** How often the shared reading is refreshed, and so the resolution of this ticker. */
  static final long RESOLUTION_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

  private volatile long now = System.nanoTime();

  CoarseTicker() {
    Thread refresher = new Thread(this::refreshForever, "fusebox-coarse-ticker");
    refresher.setDaemon(true);
    refresher.setContextClassLoader(null);
    refresher.start();
  }

  private void refreshForever() {
    for (;;) {
      LockSupport.parkNanos(RESOLUTION_NANOS);
      now = System.nanoTime();
    }
  }

  @Override
  public long nanos() {
    return now;
  }

  @Override
  public String toString() {
    return "Ticker.coarse()";
  }
}
