package dev.fusebox.circuitbreaker;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.RepeatedTest;

/**
 * The latency histogram under contention: threads count calls while periods keep ending under them (every
 * 64 ns of a shared hand-driven clock), and no call is lost: each lands in a period that ended or in the
 * current one. The thresholds learnt stay within the durations the calls took, times the multiplier.
 */
class LatencyBaselineStressTest {

  @RepeatedTest(5)
  void noCallIsLostWhilePeriodsEndUnderTheCounters() throws InterruptedException {
    CompiledConfig s =
        CircuitBreakerConfig.builder()
            .slowCallDurationPercentile(99, 2)
            .slowCallBaselinePeriod(Duration.ofNanos(64))
            .slowCallBaselineMinimumCalls(1)
            .build()
            .compiled();
    LatencyBaseline baseline = new LatencyBaseline(0);
    AtomicLong clock = new AtomicLong();
    int threads = 4;
    int calls = 200_000;
    CountDownLatch start = new CountDownLatch(1);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread[] workers = new Thread[threads];
    for (int t = 0; t < threads; t++) {
      int seed = t;
      workers[t] = new Thread(() -> {
        try {
          start.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
        for (int i = 0; i < calls; i++) {
          long duration = 1_000 + ((i * 31L + seed) % 9_000);
          baseline.add(s, duration, clock.incrementAndGet());
          long learnt = baseline.learnt();
          if (learnt != LatencyBaseline.NOT_LEARNT && (learnt < 1_000 || learnt > 2 * 10_000 * 1.125)) {
            throw new AssertionError("learnt " + learnt + " ns from calls of 1 to 10 us");
          }
        }
      });
      workers[t].setUncaughtExceptionHandler((thread, e) -> failure.compareAndSet(null, e));
      workers[t].start();
    }
    start.countDown();
    for (Thread worker : workers) {
      worker.join();
    }
    assertThat(failure.get()).isNull();
    assertThat(baseline.endedCalls() + baseline.pending()).isEqualTo((long) threads * calls);
    assertThat(baseline.learnt()).isNotEqualTo(LatencyBaseline.NOT_LEARNT);
  }
}
