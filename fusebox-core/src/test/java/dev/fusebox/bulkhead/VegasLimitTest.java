package dev.fusebox.bulkhead;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.fusebox.bulkhead.BulkheadEvent.LimitChangeReason;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The limit rules, one window at a time, on synthetic windows. Latencies are in milliseconds. Most tests
 * pin the steady-state rules and so start with slow start over; the slow-start tests say so.
 */
class VegasLimitTest {

  private static final long MS = 1_000_000;

  private static AdaptiveBulkheadConfig.Builder config() {
    return AdaptiveBulkheadConfig.builder()
        .initialLimit(20).minLimit(2).maxLimit(40).alpha(3).beta(6).backoffRatio(0.5)
        .probeInterval(Duration.ZERO);
  }

  /** Ten calls averaging {@code avgMs}, the fastest {@code minMs}, with {@code inflight} in flight at most. */
  private static SampleWindow.Summary window(double avgMs, long minMs, int inflight) {
    return new SampleWindow.Summary(10, Math.round(avgMs * 10 * MS), minMs * MS, 0, inflight, 0);
  }

  /** Like {@link #window(double, long, int)}, for calls that all started at {@code startMs} or later. */
  private static SampleWindow.Summary window(double avgMs, long minMs, int inflight, long startMs) {
    return new SampleWindow.Summary(10, Math.round(avgMs * 10 * MS), minMs * MS, startMs * MS, inflight, 0);
  }

  private static SampleWindow.Summary dropped(int drops) {
    return new SampleWindow.Summary(10 - drops, (10 - drops) * 10 * MS, 10 * MS, 0, 20, drops);
  }

  @Test
  void queueEstimateIsLimitTimesOneMinusNoLoadOverActualLatency() {
    assertThat(VegasLimit.queue(20, 10 * MS, 12.5 * MS)).isCloseTo(4.0, within(1e-9));
    assertThat(VegasLimit.queue(20, 10 * MS, 10 * MS)).isZero();
    assertThat(VegasLimit.queue(20, 10 * MS, 8 * MS)).isZero();
  }

  @Test
  void firstWindowSetsTheNoLoadLatencyToItsFastestCall() {
    VegasLimit vegas = new VegasLimit(config().build(), 0, true);

    vegas.update(window(12, 9, 20), 0);

    assertThat(vegas.noLoadRtt()).isEqualTo(9 * MS);
    assertThat(vegas.latestRtt()).isEqualTo(12 * MS);
  }

  @Test
  void growsByOneWhileTheQueueIsBelowAlphaAndTheLimitIsInUse() {
    VegasLimit vegas = new VegasLimit(config().build(), 0, true);

    // queue = 20 * (1 - 10/11) = 1.8 < 3
    VegasLimit.Change change = vegas.update(window(11, 10, 10), 0);

    assertThat(change).isEqualTo(new VegasLimit.Change(20, 21, LimitChangeReason.LOW_QUEUEING));
    assertThat(vegas.limit()).isEqualTo(21);
  }

  @Test
  void doesNotGrowWhileLessThanHalfTheLimitIsInUse() {
    VegasLimit vegas = new VegasLimit(config().build(), 0, true);

    assertThat(vegas.update(window(10, 10, 9), 0)).isNull();
    assertThat(vegas.limit()).isEqualTo(20);
  }

  @Test
  void holdsWhileTheQueueIsBetweenAlphaAndBeta() {
    VegasLimit vegas = new VegasLimit(config().build(), 0, true);
    vegas.update(window(10, 10, 0), 0);

    // queue = 20 * (1 - 10/rtt): 3.19, 4 and 5.71, all within [alpha, beta]
    assertThat(vegas.update(window(11.9, 10, 20), 0)).isNull();
    assertThat(vegas.update(window(12.5, 10, 20), 0)).isNull();
    assertThat(vegas.update(window(14, 10, 20), 0)).isNull();
    assertThat(vegas.limit()).isEqualTo(20);
  }

  @Test
  void shrinksByOneWhenTheQueueExceedsBeta() {
    VegasLimit vegas = new VegasLimit(config().build(), 0, true);
    vegas.update(window(10, 10, 0), 0);

    // queue = 20 * (1 - 10/20) = 10 > 6
    VegasLimit.Change change = vegas.update(window(20, 10, 20), 0);

    assertThat(change).isEqualTo(new VegasLimit.Change(20, 19, LimitChangeReason.HIGH_QUEUEING));
  }

  @Test
  void aWindowWithDropsMultipliesTheLimitByTheBackoffRatioOnce() {
    VegasLimit vegas = new VegasLimit(config().build(), 0, true);

    VegasLimit.Change change = vegas.update(dropped(3), 0);

    assertThat(change).isEqualTo(new VegasLimit.Change(20, 10, LimitChangeReason.DROPPED));
  }

  @Test
  void neverLeavesMinLimitAndMaxLimit() {
    VegasLimit vegas = new VegasLimit(config().initialLimit(3).build(), 0, true);
    assertThat(vegas.update(dropped(1), 0)).isEqualTo(new VegasLimit.Change(3, 2, LimitChangeReason.DROPPED));
    assertThat(vegas.update(dropped(1), 0)).isNull();
    assertThat(vegas.limit()).isEqualTo(2);

    VegasLimit top = new VegasLimit(config().initialLimit(40).build(), 0, true);
    assertThat(top.update(window(10, 10, 40), 0)).isNull();
    assertThat(top.limit()).isEqualTo(40);
  }

  @Test
  void betweenProbesTheNoLoadLatencyOnlyFalls() {
    VegasLimit vegas = new VegasLimit(config().build(), 0, true);
    vegas.update(window(12, 10, 0), 0);
    vegas.update(window(30, 25, 0), 0);
    assertThat(vegas.noLoadRtt()).isEqualTo(10 * MS);
    vegas.update(window(9, 8, 0), 0);
    assertThat(vegas.noLoadRtt()).isEqualTo(8 * MS);
  }

  @Test
  void probeHalvesTheLimitThenRestoresItWithAFreshlyMeasuredNoLoadLatency() {
    long second = Duration.ofSeconds(1).toNanos();
    VegasLimit vegas = new VegasLimit(config().probeInterval(Duration.ofSeconds(60)).build(), 0, true);
    vegas.update(window(10, 10, 0), 0);

    VegasLimit.Change start = vegas.update(window(10, 10, 0), 60 * second);
    assertThat(start).isEqualTo(new VegasLimit.Change(20, 10, LimitChangeReason.PROBE_STARTED));
    assertThat(vegas.probing()).isTrue();

    // Calls started before the probe began say nothing about the unloaded dependency.
    SampleWindow.Summary stale = new SampleWindow.Summary(10, 300 * MS, 25 * MS, 60 * second - 1, 10, 0);
    assertThat(vegas.update(stale, 61 * second)).isNull();
    assertThat(vegas.probing()).isTrue();

    // The dependency got slower for good: 25 ms unloaded. The probe learns it; the minimum could not.
    SampleWindow.Summary fresh = new SampleWindow.Summary(10, 300 * MS, 25 * MS, 60 * second, 10, 0);
    VegasLimit.Change end = vegas.update(fresh, 62 * second);

    assertThat(end).isEqualTo(new VegasLimit.Change(10, 20, LimitChangeReason.PROBE_ENDED));
    assertThat(vegas.noLoadRtt()).isEqualTo(25 * MS);
    assertThat(vegas.probing()).isFalse();
    // The next probe is due a whole interval after this one ended.
    assertThat(vegas.update(window(25, 25, 0), 121 * second)).isNull();
    assertThat(vegas.update(window(25, 25, 0), 122 * second).reason()).isEqualTo(LimitChangeReason.PROBE_STARTED);
  }

  @Test
  void dropsDuringAProbeBackOffTheLimitItRestores() {
    VegasLimit vegas =
        new VegasLimit(config().backoffRatio(0.9).probeInterval(Duration.ofSeconds(1)).build(), 0, true);
    long probeAt = Duration.ofSeconds(1).toNanos();
    assertThat(vegas.update(window(10, 10, 0), probeAt))
        .isEqualTo(new VegasLimit.Change(20, 10, LimitChangeReason.PROBE_STARTED));

    SampleWindow.Summary drops = new SampleWindow.Summary(5, 50 * MS, 10 * MS, probeAt, 5, 5);
    VegasLimit.Change end = vegas.update(drops, probeAt + 1);

    assertThat(end).isEqualTo(new VegasLimit.Change(10, 18, LimitChangeReason.PROBE_ENDED));
    assertThat(vegas.probing()).isFalse();
  }

  @Test
  void probeAtTheFloorReMeasuresWithoutLowering() {
    VegasLimit vegas = new VegasLimit(config().initialLimit(2).probeInterval(Duration.ofSeconds(1)).build(), 0, true);
    vegas.update(window(10, 10, 0), 0);

    VegasLimit.Change change = vegas.update(window(40, 30, 2), Duration.ofSeconds(1).toNanos());

    assertThat(vegas.probing()).isFalse();
    assertThat(vegas.noLoadRtt()).isEqualTo(30 * MS);
    // queue = 2 * (1 - 30/40) = 0.5 < alpha, and the limit is in use
    assertThat(change).isEqualTo(new VegasLimit.Change(2, 3, LimitChangeReason.LOW_QUEUEING));
  }

  @Test
  void windowOfOnlyDropsOrNoLatencyYetChangesNothingButDropBackoff() {
    VegasLimit vegas = new VegasLimit(config().build(), 0, true);

    assertThat(vegas.update(new SampleWindow.Summary(0, 0, Long.MAX_VALUE, 0, 0, 0), 0)).isNull();
    assertThat(vegas.noLoadRtt()).isEqualTo(VegasLimit.UNKNOWN);
    assertThat(vegas.update(new SampleWindow.Summary(0, 0, Long.MAX_VALUE, 0, 0, 10), 0).reason())
        .isEqualTo(LimitChangeReason.DROPPED);
  }

  @Test
  void slowStartDoublesTheLimitPerUnqueuedWindowThenJumpsToTheEstimatedCapacityPlusAlpha() {
    VegasLimit vegas = new VegasLimit(config().maxLimit(100).build(), 0);
    assertThat(vegas.slowStart()).isTrue();

    // The very first window is not judged: its calls are the ones that found the dependency emptiest.
    assertThat(vegas.update(window(10, 10, 20, 0), 10 * MS)).isNull();
    assertThat(vegas.update(window(10, 10, 20, 10), 20 * MS))
        .isEqualTo(new VegasLimit.Change(20, 40, LimitChangeReason.LOW_QUEUEING));
    // 40 in flight at 12.5 ms against 10 ms unloaded: queue 8, so the dependency serves 32 at once.
    VegasLimit.Change exit = vegas.update(window(12.5, 10, 40, 30), 40 * MS);

    assertThat(exit).isEqualTo(new VegasLimit.Change(40, 35, LimitChangeReason.HIGH_QUEUEING));
    assertThat(vegas.slowStart()).isFalse();
    // From now on, one step at a time, for calls started a round trip (12.5 ms) after the change.
    assertThat(vegas.update(window(10, 10, 35, 52), 70 * MS)).isNull();
    assertThat(vegas.update(window(10, 10, 35, 53), 80 * MS))
        .isEqualTo(new VegasLimit.Change(35, 36, LimitChangeReason.LOW_QUEUEING));
  }

  @Test
  void slowStartDoesNotDoubleALimitThatIsNotInUse() {
    VegasLimit vegas = new VegasLimit(config().build(), 0);
    vegas.update(window(10, 10, 9, 0), 10 * MS);

    assertThat(vegas.update(window(10, 10, 9, 10), 20 * MS)).isNull();
    assertThat(vegas.slowStart()).isTrue();
  }

  @Test
  void aDropEndsSlowStart() {
    VegasLimit vegas = new VegasLimit(config().build(), 0);
    vegas.update(window(10, 10, 9, 0), 10 * MS);

    SampleWindow.Summary drop = new SampleWindow.Summary(9, 90 * MS, 10 * MS, 10 * MS, 20, 1);
    assertThat(vegas.update(drop, 20 * MS).reason()).isEqualTo(LimitChangeReason.DROPPED);
    assertThat(vegas.slowStart()).isFalse();
  }

  @Test
  void windowWithACallStartedWithinARoundTripAfterTheLastChangeIsNotJudged() {
    VegasLimit vegas = new VegasLimit(config().build(), 0, true);
    assertThat(vegas.update(window(10, 10, 20), 100 * MS))
        .isEqualTo(new VegasLimit.Change(20, 21, LimitChangeReason.LOW_QUEUEING));

    // Calls started before the change, or less than a round trip (10 ms) after it: whatever they say,
    // even drops, the limit stays.
    assertThat(vegas.update(new SampleWindow.Summary(10, 400 * MS, 10 * MS, 99 * MS, 21, 3), 200 * MS)).isNull();
    assertThat(vegas.update(window(40, 10, 21, 109), 210 * MS)).isNull();
    assertThat(vegas.limit()).isEqualTo(21);

    assertThat(vegas.update(window(10, 10, 21, 110), 300 * MS))
        .isEqualTo(new VegasLimit.Change(21, 22, LimitChangeReason.LOW_QUEUEING));
  }
}
