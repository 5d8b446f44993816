package dev.fusebox.benchmarks;

import dev.fusebox.Ticker;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Item 6: the primitives that bound any breaker, measured in the same run and at the same thread counts, so
 * the breakers' figures can be read against them.
 *
 * <p>Fusebox's default closed path is, by design, one volatile read of the state, two reads of the coarse
 * clock, one fetch-and-add on the window's shared sequence, one read of a window word and one
 * {@link LongAdder} increment: its floor is about one shared atomic increment plus one LongAdder increment.
 */
public class PrimitivesBenchmark extends BenchmarkDefaults {

  /** Counters shared by every benchmark thread: uncontended at one thread, contended beyond. */
  @State(Scope.Benchmark)
  public static class Shared {
    final AtomicLong counter = new AtomicLong();
    final LongAdder adder = new LongAdder();
  }

  /** A counter of each thread's own. */
  @State(Scope.Thread)
  public static class Own {
    final AtomicLong counter = new AtomicLong();
  }

  /** A field that another thread refreshes every millisecond, as the coarse ticker's daemon does. */
  @State(Scope.Benchmark)
  public static class RefreshedField {
    volatile long now = System.nanoTime();
    volatile boolean running = true;
    Thread refresher;

    /** Starts the thread that refreshes the field every millisecond. */
    @Setup(Level.Trial)
    public void start() {
      refresher =
          new Thread(
              () -> {
                while (running) {
                  LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
                  now = System.nanoTime();
                }
              },
              "refreshed-field");
      refresher.setDaemon(true);
      refresher.start();
    }

    /**
     * Stops the refreshing thread and waits for it to end.
     *
     * @throws InterruptedException if interrupted while waiting for the thread
     */
    @TearDown(Level.Trial)
    public void stop() throws InterruptedException {
      running = false;
      refresher.join();
    }
  }

  /** Fusebox's default clock, read through the {@link Ticker} interface as a breaker reads it. */
  @State(Scope.Benchmark)
  public static class Clocks {
    final Ticker coarse = Ticker.coarse();
  }

  /**
   * Isolates one read of the precise clock: what every call pays per time reading in Resilience4j.
   *
   * @return the call's result, handed to JMH so that the call is not optimised away
   */
  @Benchmark
  public long nanoTime() {
    return System.nanoTime();
  }

  /**
   * Isolates a volatile read of a field another thread refreshes every millisecond.
   *
   * @param field the field and the thread that refreshes it
   * @return the call's result, handed to JMH so that the call is not optimised away
   */
  @Benchmark
  public long volatileReadOfRefreshedField(RefreshedField field) {
    return field.now;
  }

  /**
   * Isolates {@code Ticker.coarse().nanos()}, what a Fusebox breaker pays per time reading by default.
   *
   * @param clocks the tickers read
   * @return the call's result, handed to JMH so that the call is not optimised away
   */
  @Benchmark
  public long coarseTicker(Clocks clocks) {
    return clocks.coarse.nanos();
  }

  /**
   * Isolates an atomic increment of one counter shared by all threads (uncontended at one thread).
   *
   * @param shared counters shared by every thread of the run
   * @return the call's result, handed to JMH so that the call is not optimised away
   */
  @Benchmark
  public long atomicIncrementShared(Shared shared) {
    return shared.counter.incrementAndGet();
  }

  /**
   * Isolates an atomic increment of a counter no other thread touches.
   *
   * @param own a counter of this thread's own
   * @return the call's result, handed to JMH so that the call is not optimised away
   */
  @Benchmark
  public long atomicIncrementOwn(Own own) {
    return own.counter.incrementAndGet();
  }

  /**
   * Isolates a {@link LongAdder} increment shared by all threads.
   *
   * @param shared counters shared by every thread of the run
   */
  @Benchmark
  public void longAdderIncrement(Shared shared) {
    shared.adder.increment();
  }
}
