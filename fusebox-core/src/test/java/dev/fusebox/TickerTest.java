package dev.fusebox;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TickerTest {

  @Test
  void systemTickerReadsNanoTime() {
    long before = System.nanoTime();
    long reading = Ticker.system().nanos();
    long after = System.nanoTime();
    assertThat(reading).isBetween(before, after);
  }

  @Test
  void coarseTickerNeverGoesBackwardsAndStaysBehindTheSystemClock() {
    Ticker coarse = Ticker.coarse();
    long previous = coarse.nanos();
    for (int i = 0; i < 100_000; i++) {
      long reading = coarse.nanos();
      assertThat(reading).isGreaterThanOrEqualTo(previous).isLessThanOrEqualTo(System.nanoTime());
      previous = reading;
    }
  }

  @Test
  void coarseTickerAdvancesWithoutAnyCallerDoingAnything() throws InterruptedException {
    Ticker coarse = Ticker.coarse();
    long first = coarse.nanos();
    // Spinning on the reading is the only way to watch the background refresh; no breaker logic is timed here.
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (coarse.nanos() == first && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertThat(coarse.nanos()).isGreaterThan(first);
  }

  @Test
  void coarseTickerRunsOnOneDaemonThread() {
    Ticker.coarse().nanos();
    assertThat(Thread.getAllStackTraces().keySet())
        .filteredOn(t -> t.getName().equals("fusebox-coarse-ticker"))
        .singleElement()
        .satisfies(t -> assertThat(t.isDaemon()).isTrue());
  }
}
