package dev.fusebox;

/**
 * A source of monotonic time in nanoseconds, the only clock Fusebox consults for its decisions: sliding
 * windows, the wait in the open state, slow-call detection, backoff.
 *
 * <p>Only differences between two readings of the same ticker are meaningful; the origin is arbitrary, as
 * with {@link System#nanoTime()}. Readings never decrease.
 *
 * <p>Two tickers come ready-made:
 * <ul>
 *   <li>{@link #system()} reads {@link System#nanoTime()} on every call: exact, and costs a system clock
 *       read (about 25 ns on a typical virtual machine) each time;</li>
 *   <li>{@link #coarse()} reads a shared value that one daemon thread refreshes every millisecond while
 *       anybody reads it: one memory read per call. This is what a breaker uses unless told otherwise,
 *       since its waits and windows are seconds to minutes; see {@link #coarse()} for what it guarantees.</li>
 * </ul>
 *
 * <p>Tests pass their own ticker and move it by hand, so no test needs to sleep:
 * <pre>{@code
 * AtomicLong now = new AtomicLong();
 * CircuitBreakerConfig config = CircuitBreakerConfig.builder()
 *     .ticker(now::get)
 *     .build();
 * // ... trip the breaker, then
 * now.addAndGet(Duration.ofSeconds(60).toNanos());
 * }</pre>
 *
 * <p>Implementations must be threadsafe and cheap: a ticker is read on the call path.
 */
@FunctionalInterface
public interface Ticker {

  /**
   * Returns the current reading in nanoseconds. Successive readings never decrease.
   *
   * @return the current time in nanoseconds from an arbitrary origin
   */
  long nanos();

  /**
   * Returns the ticker that reads {@link System#nanoTime()} on every call.
   *
   * @return the precise system ticker
   */
  static Ticker system() {
    return SystemTicker.INSTANCE;
  }

  /**
   * Returns the JVM-wide coarse ticker: a value refreshed from {@link System#nanoTime()} every millisecond
   * by one daemon thread, which starts on the first read and stops after a minute without one (the next
   * read reads the system clock itself and starts it again). Reading it costs one memory load, which is why
   * breakers use it by default.
   *
   * <p>What it guarantees: every reading is a {@link System#nanoTime()} value, never ahead of
   * {@link #system()}, and readings never decrease. What it does not: a bound on the lag. The lag is about a
   * millisecond while the refresher thread gets the CPU, but nothing bounds it when the machine starves
   * that thread; on a loaded 2-core machine gaps of tens of milliseconds have been measured. A breaker
   * therefore refuses it for slow-call thresholds under 100 ms.
   *
   * @return the shared coarse ticker
   */
  static Ticker coarse() {
    return CoarseTicker.INSTANCE;
  }
}
