package dev.fusebox.bulkhead;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusebox.testing.ManualTicker;
import dev.fusebox.bulkhead.BulkheadEvent.LimitChangeReason;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import org.junit.jupiter.api.Test;

/**
 * The adaptive limit against a simulated dependency, in ticker time: no thread, no sleep, and every run
 * the same.
 *
 * <p>The dependency serves {@code capacity} calls at once in {@code base} time each; a call that arrives
 * with {@code k > capacity} calls in flight waits in its queue and takes {@code base × k / capacity}
 * (Little's law for a saturated server). Demand is unbounded: whenever the bulkhead admits, a new call
 * starts. So with a limit {@code L} above capacity, every call takes {@code base × L / capacity}, the
 * estimated queue is exactly {@code L − capacity}, and Vegas should hold {@code L} within
 * {@code [capacity + alpha, capacity + beta]}.
 */
class AdaptiveBulkheadConvergenceTest {

  private static final Duration BASE = Duration.ofMillis(10);

  private final ManualTicker ticker = new ManualTicker();

  /** A saturated dependency driven event by event; calls complete in time order. */
  private final class Simulation {
    final AdaptiveBulkhead bulkhead;
    int capacity;
    long baseNanos = BASE.toNanos();
    private final PriorityQueue<long[]> completions = new PriorityQueue<>((a, b) -> Long.compare(a[0], b[0]));
    final List<BulkheadEvent.LimitChanged> changes = new ArrayList<>();
    /** How many of the next completions time out instead. */
    int timeouts;

    Simulation(int capacity, AdaptiveBulkheadConfig.Builder config) {
      this.capacity = capacity;
      this.bulkhead = AdaptiveBulkhead.of("dependency", config.ticker(ticker).build());
      bulkhead.onEvent(e -> {
        if (e instanceof BulkheadEvent.LimitChanged c) {
          changes.add(c);
        }
      });
    }

    /** Runs until the ticker reaches {@code until}; returns the limits seen after each completion. */
    List<Integer> runFor(Duration span) {
      long end = ticker.nanos() + span.toNanos();
      List<Integer> limits = new ArrayList<>();
      admitAll();
      while (!completions.isEmpty() && completions.peek()[0] <= end) {
        long[] call = completions.poll();
        ticker.set(call[0]);
        if (timeouts > 0) {
          timeouts--;
          bulkhead.onDropped(call[0] - call[1]);
        } else {
          bulkhead.onSuccess(call[0] - call[1]);
        }
        admitAll();
        limits.add(bulkhead.metrics().limit());
      }
      return limits;
    }

    private void admitAll() {
      while (bulkhead.tryAcquirePermission()) {
        int inFlight = bulkhead.metrics().concurrentCalls();
        long latency = inFlight <= capacity ? baseNanos : baseNanos * inFlight / capacity;
        completions.add(new long[] {ticker.nanos() + latency, ticker.nanos()});
      }
    }
  }


  private static AdaptiveBulkheadConfig.Builder config() {
    return AdaptiveBulkheadConfig.builder()
        .initialLimit(10)
        .maxLimit(500)
        .alpha(3)
        .beta(6)
        .sampleWindowSize(10)
        .probeInterval(Duration.ofSeconds(5));
  }

  private static List<String> steps(List<BulkheadEvent.LimitChanged> changes) {
    return changes.stream().map(c -> c.oldLimit() + "->" + c.newLimit() + " " + c.reason()).toList();
  }

  private static void assertOnlyProbesBetween(List<BulkheadEvent.LimitChanged> changes, int limit) {
    for (int i = 0; i < changes.size(); i++) {
      String expected = i % 2 == 0
          ? limit + "->" + limit / 2 + " PROBE_STARTED"
          : limit / 2 + "->" + limit + " PROBE_ENDED";
      assertThat(steps(changes).get(i)).isEqualTo(expected);
    }
  }

  @Test
  void slowStartFindsTheCapacityThenTheLimitHoldsAtCapacityPlusAlpha() {
    Simulation sim = new Simulation(40, config());

    sim.runFor(Duration.ofSeconds(1));

    // Doubling while nothing queues; at 80 the queue estimate is 80 − 40, so capacity 40, plus alpha.
    assertThat(steps(sim.changes)).containsExactly(
        "10->20 LOW_QUEUEING", "20->40 LOW_QUEUEING", "40->80 LOW_QUEUEING", "80->43 HIGH_QUEUEING");
    assertThat(sim.bulkhead.metrics().noLoadRtt()).contains(BASE);

    sim.changes.clear();
    List<Integer> steady = sim.runFor(Duration.ofSeconds(30));

    // For 30 s nothing but the periodic probes, which halve the limit for a moment and restore it.
    assertThat(steady).containsOnly(43, 21);
    assertThat(sim.changes).hasSize(12);
    assertOnlyProbesBetween(sim.changes, 43);
    assertThat(sim.bulkhead.metrics().totalRejectedCalls()).isPositive();
  }

  @Test
  void startingFarAboveCapacityTheFirstJudgedWindowBringsTheLimitDown() {
    Simulation sim = new Simulation(40, config().initialLimit(150));

    sim.runFor(Duration.ofSeconds(1));

    assertThat(steps(sim.changes)).containsExactly("150->43 HIGH_QUEUEING");
  }

  @Test
  void limitFollowsTheDependencyDownWhenItsCapacityHalves() {
    Simulation sim = new Simulation(40, config());
    sim.runFor(Duration.ofSeconds(3));
    sim.changes.clear();

    sim.capacity = 20;
    sim.runFor(Duration.ofSeconds(10));

    // One step per judged window, down to where the queue is no longer above beta: 20 + 6.
    List<String> steps = steps(sim.changes);
    for (int i = 0; i < 17; i++) {
      assertThat(steps.get(i)).isEqualTo((43 - i) + "->" + (42 - i) + " HIGH_QUEUEING");
    }
    List<Integer> after = sim.runFor(Duration.ofSeconds(20));
    assertThat(after).containsOnly(26, 13);
  }

  @Test
  void probesRelearnANoLoadLatencyThatRoseForGood() {
    Simulation sim = new Simulation(40, config());
    sim.runFor(Duration.ofSeconds(3));

    // The dependency moved further away: every call now takes three times as long, same capacity. Until the
    // next probe that looks like congestion and the limit shrinks; the probe measures 30 ms unloaded.
    sim.baseNanos = 3 * BASE.toNanos();
    sim.runFor(Duration.ofSeconds(20));
    assertThat(sim.bulkhead.metrics().noLoadRtt()).contains(BASE.multipliedBy(3));

    sim.changes.clear();
    List<Integer> after = sim.runFor(Duration.ofSeconds(20));
    assertThat(after).containsOnly(43, 21);
    assertOnlyProbesBetween(sim.changes, 43);
  }

  @Test
  void withoutProbesARiseInNoLoadLatencyIsMistakenForCongestion() {
    // The counterpart of the test above, pinning why probes exist: the minimum alone only ever falls.
    Simulation sim = new Simulation(40, config().probeInterval(Duration.ZERO));
    sim.runFor(Duration.ofSeconds(3));

    sim.baseNanos = 3 * BASE.toNanos();
    List<Integer> after = sim.runFor(Duration.ofSeconds(30));

    assertThat(sim.bulkhead.metrics().noLoadRtt()).contains(BASE);
    // queue = L × (1 − 10/30) stays above beta = 6 until L ≤ 9: the dependency is left mostly idle.
    assertThat(after.get(after.size() - 1)).isBetween(5, 9);
  }

  @Test
  void timeoutsBackTheLimitOffOnceThenItClimbsBackOneStepAtATime() {
    Simulation sim = new Simulation(40, config().backoffRatio(0.5).probeInterval(Duration.ZERO));
    sim.runFor(Duration.ofSeconds(3));
    sim.changes.clear();

    sim.timeouts = 3;
    sim.runFor(Duration.ofSeconds(5));

    List<String> steps = steps(sim.changes);
    assertThat(steps.get(0)).isEqualTo("43->21 DROPPED");
    assertThat(steps).hasSize(23);
    for (int i = 1; i < steps.size(); i++) {
      assertThat(steps.get(i)).isEqualTo((20 + i) + "->" + (21 + i) + " LOW_QUEUEING");
    }
    assertThat(sim.bulkhead.metrics().totalDroppedCalls()).isEqualTo(3);
  }
}
