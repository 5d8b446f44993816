package dev.fusebox;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.BooleanSupplier;
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

  /** The coarse ticker's live refresher thread, started by a read if it had stopped for idleness. */
  private static Thread refresher() {
    Ticker.coarse().nanos();
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().equals("fusebox-coarse-ticker") && t.isAlive())
        .findFirst()
        .orElseThrow();
  }

  /** Waits for a condition with a generous deadline; a deadline, not a measurement. */
  private static boolean eventually(BooleanSupplier condition) {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        return false;
      }
      Thread.onSpinWait();
    }
    return true;
  }

  @Test
  void anInterruptedRefresherClearsTheInterruptInsteadOfSpinningOnIt() {
    Thread refresher = refresher();

    refresher.interrupt();

    // With the interrupt still set, every park would return at once and the thread would spin a core.
    assertThat(eventually(() -> !refresher.isInterrupted())).as("the refresher cleared its interrupt").isTrue();
    long before = Ticker.coarse().nanos();
    assertThat(eventually(() -> Ticker.coarse().nanos() != before)).as("the refresher still refreshes").isTrue();
  }

  @Test
  void theRefresherBelongsToTheRootThreadGroupNotToItsFirstCallers() {
    assertThat(refresher().getThreadGroup().getParent()).isNull();
    assertThat(refresher().getContextClassLoader()).isNull();
  }
}
