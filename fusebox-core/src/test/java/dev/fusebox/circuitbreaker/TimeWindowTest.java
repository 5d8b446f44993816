package dev.fusebox.circuitbreaker;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The time window's buckets, white-box: what one bucket can hold, and what it forgets. */
class TimeWindowTest {

  private static final long SECOND = 1_000_000_000L;

  @Test
  void oneBucketCountsPastFourBillionCallsWithoutCorruptingItsEpoch() {
    TimeWindow window = new TimeWindow(10 * SECOND, 1, 0);
    long fourBillion = 1L << 32;

    window.record(Window.SUCCESS, 5 * SECOND, fourBillion - 1);
    window.record(Window.FAILED, 5 * SECOND, fourBillion);
    window.record(Window.SUCCESS, 5 * SECOND);

    WindowCounts counts = window.snapshot(5 * SECOND);
    assertThat(counts.buffered()).isEqualTo(2 * fourBillion);
    assertThat(counts.failed()).isEqualTo(fourBillion);
    assertThat(window.snapshot(14 * SECOND).buffered()).as("still in the window at 14 s").isEqualTo(2 * fourBillion);
    assertThat(window.snapshot(15 * SECOND).buffered()).as("aged out at 15 s").isZero();
  }

  @Test
  void aBucketHoldsTrillionsOfCalls() {
    TimeWindow window = new TimeWindow(3600 * SECOND, 1, 0);
    long trillions = 10_000_000_000_000L;

    window.record(Window.SLOW_FAILED, 7 * SECOND, trillions);

    WindowCounts counts = window.snapshot(7 * SECOND);
    assertThat(counts).isEqualTo(new WindowCounts(trillions, trillions, trillions, trillions));
  }
}
