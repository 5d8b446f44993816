package dev.fusebox;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongConsumer;
import org.junit.jupiter.api.Test;

/**
 * The coarse ticker's refresher, driven step by step: the test owns its clock and lets it through one park
 * at a time, so nothing here depends on how fast anything runs.
 */
class CoarseTickerTest {

  /** A parker that lets the refresher through one park per {@link #step()}. */
  static final class Steps implements LongConsumer {
    final Semaphore permits = new Semaphore(0);
    final AtomicInteger parks = new AtomicInteger();
    final AtomicReference<Thread> refresher = new AtomicReference<>();
    volatile boolean interruptOnNextPark;
    volatile boolean sawInterrupt;

    @Override
    public void accept(long nanos) {
      refresher.set(Thread.currentThread());
      sawInterrupt |= Thread.currentThread().isInterrupted();
      if (interruptOnNextPark) {
        interruptOnNextPark = false;
        Thread.currentThread().interrupt();
      }
      parks.incrementAndGet();
      permits.acquireUninterruptibly();
    }

    /** Lets one refresh happen and waits until the refresher parks again or stops. */
    void step() throws InterruptedException {
      int before = parks.get();
      Thread thread = refresher.get();
      permits.release();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (parks.get() == before && thread.isAlive()) {
        assertThat(System.nanoTime() - deadline).as("the refresher took its step").isNegative();
        Thread.onSpinWait();
      }
    }

    void awaitFirstPark() {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (parks.get() == 0) {
        assertThat(System.nanoTime() - deadline).as("the refresher started").isNegative();
        Thread.onSpinWait();
      }
    }
  }

  private final AtomicLong clock = new AtomicLong(1_000_000_000L);
  private final Steps steps = new Steps();

  @Test
  void aReadStartsTheRefresherWhichPublishesEachNewReading() throws InterruptedException {
    CoarseTicker ticker = new CoarseTicker(clock::get, steps, 3);
    assertThat(ticker.nanos()).isEqualTo(1_000_000_000L);
    steps.awaitFirstPark();

    clock.addAndGet(1_000_000);
    steps.step();

    assertThat(ticker.nanos()).isEqualTo(1_001_000_000L);
    clock.addAndGet(1_000_000);
    assertThat(ticker.nanos()).as("unchanged until the next refresh").isEqualTo(1_001_000_000L);
  }

  @Test
  void theRefresherStopsWhenNobodyReadsAndTheNextReadStartsAnotherWithAFreshReading() throws Exception {
    CoarseTicker ticker = new CoarseTicker(clock::get, steps, 3);
    ticker.nanos();
    steps.awaitFirstPark();
    Thread first = steps.refresher.get();

    for (int i = 0; i < 4 && first.isAlive(); i++) {
      clock.addAndGet(1_000_000);
      steps.step();
    }
    first.join(TimeUnit.SECONDS.toMillis(10));
    assertThat(first.isAlive()).as("the idle refresher stopped").isFalse();

    clock.addAndGet(5_000_000_000L);
    steps.parks.set(0);
    assertThat(ticker.nanos()).as("the first read after the stop reads the clock").isEqualTo(clock.get());
    steps.awaitFirstPark();
    assertThat(steps.refresher.get()).isNotSameAs(first);
  }

  @Test
  void aReadEveryRefreshKeepsTheRefresherRunning() throws InterruptedException {
    CoarseTicker ticker = new CoarseTicker(clock::get, steps, 3);
    ticker.nanos();
    steps.awaitFirstPark();
    Thread refresher = steps.refresher.get();

    for (int i = 0; i < 20; i++) {
      clock.addAndGet(1_000_000);
      steps.step();
      assertThat(ticker.nanos()).isEqualTo(clock.get());
    }

    assertThat(refresher.isAlive()).isTrue();
  }

  @Test
  void anInterruptNeitherStopsTheRefresherNorSurvivesIntoItsNextPark() throws InterruptedException {
    CoarseTicker ticker = new CoarseTicker(clock::get, steps, 1_000);
    ticker.nanos();
    steps.awaitFirstPark();

    steps.interruptOnNextPark = true;
    steps.step();
    steps.step();
    steps.step();

    assertThat(steps.sawInterrupt).as("a park began with the interrupt still set").isFalse();
    assertThat(steps.refresher.get().isAlive()).isTrue();
  }

  @Test
  void readingsNeverDecreaseAndNeverRunAheadOfTheClock() throws InterruptedException {
    CoarseTicker ticker = new CoarseTicker(clock::get, steps, 3);
    long previous = ticker.nanos();
    steps.awaitFirstPark();
    for (int i = 0; i < 10; i++) {
      clock.addAndGet(999_999);
      if (i % 3 != 0) {
        steps.step();
      }
      long reading = ticker.nanos();
      assertThat(reading).isGreaterThanOrEqualTo(previous).isLessThanOrEqualTo(clock.get());
      previous = reading;
    }
  }
}
