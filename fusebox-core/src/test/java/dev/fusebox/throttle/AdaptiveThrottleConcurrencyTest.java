package dev.fusebox.throttle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusebox.testing.ManualTicker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.jetbrains.lincheck.Lincheck;
import org.junit.jupiter.api.Test;

/**
 * The counters under contention: no outcome is lost or counted twice, and no reading of the window, taken
 * while buckets move on, shows what cannot be: negative counts, more accepts than requests, outcomes that
 * have left the window, or a probability the formula would not give.
 */
class AdaptiveThrottleConcurrencyTest {

  private static final Duration BUCKET = Duration.ofMillis(100);

  private static final class Failure extends RuntimeException {
    Failure() {
      super("not accepted", null, false, false);
    }
  }

  private static final Failure FAILURE = new Failure();

  /** Checks what every reading must satisfy; returns the problem, or null. */
  private static String violation(AdaptiveThrottle.Metrics m, double max) {
    if (m.numberOfAccepts() < 0 || m.numberOfRequests() < m.numberOfAccepts()) {
      return "window of " + m.numberOfRequests() + " requests and " + m.numberOfAccepts() + " accepts";
    }
    double excess = m.numberOfRequests() - 2.0 * m.numberOfAccepts();
    double expected = excess <= 0 ? 0 : Math.min(max, excess / (m.numberOfRequests() + 1));
    if (m.rejectionProbability() != expected) {
      return "probability " + m.rejectionProbability() + " for " + m;
    }
    return null;
  }

  @Test
  void underContentionWhileBucketsMoveOnEveryOutcomeCountsOnceAndEveryReadingIsPossible() throws Exception {
    ManualTicker ticker = new ManualTicker(Long.MAX_VALUE - Duration.ofSeconds(2).toNanos());
    AdaptiveThrottle throttle =
        AdaptiveThrottle.of(
            "contended",
            AdaptiveThrottleConfig.builder().samplingWindow(Duration.ofSeconds(1)).ticker(ticker).build());
    int callers = 3;
    int calls = 40_000;
    LongAdder accepted = new LongAdder();
    LongAdder failed = new LongAdder();
    LongAdder rejected = new LongAdder();
    AtomicBoolean done = new AtomicBoolean();
    ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
    CyclicBarrier start = new CyclicBarrier(callers + 2);
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < callers; c++) {
      int caller = c;
      threads.add(new Thread(() -> {
        await(start);
        for (int i = 0; i < calls; i++) {
          boolean fails = (i + caller) % 3 != 0; // two in three fail: the throttle sheds
          try {
            throttle.executeRunnable(() -> {
              if (fails) {
                throw FAILURE;
              }
            });
            accepted.increment();
          } catch (CallThrottledException e) {
            rejected.increment();
          } catch (Failure e) {
            failed.increment();
          }
        }
      }));
    }
    threads.add(new Thread(() -> { // time: a bucket every so often, past Long.MAX_VALUE
      await(start);
      while (!done.get()) {
        ticker.advance(BUCKET);
        Thread.onSpinWait();
      }
    }));
    threads.add(new Thread(() -> { // a reader, as a metrics scrape would be
      await(start);
      long lastTotal = 0;
      while (!done.get()) {
        AdaptiveThrottle.Metrics m = throttle.metrics();
        String problem = violation(m, 0.9);
        if (problem != null) {
          problems.add(problem);
        }
        if (m.totalRequests() < lastTotal) {
          problems.add("total requests went down from " + lastTotal + " to " + m.totalRequests());
        }
        lastTotal = m.totalRequests();
      }
    }));
    threads.forEach(Thread::start);
    for (Thread caller : threads.subList(0, callers)) {
      caller.join();
    }
    done.set(true);
    for (Thread other : threads.subList(callers, threads.size())) {
      other.join();
    }

    assertThat(problems).isEmpty();
    AdaptiveThrottle.Metrics m = throttle.metrics();
    assertThat(m.totalAccepts()).isEqualTo(accepted.sum());
    assertThat(m.totalFailedRequests()).isEqualTo(failed.sum());
    assertThat(m.totalRejectedRequests()).isEqualTo(rejected.sum()).isPositive();
    assertThat(m.totalRequests()).isEqualTo((long) callers * calls);
    ticker.advance(Duration.ofSeconds(1));
    assertThat(throttle.metrics().numberOfRequests()).isZero();
  }

  /**
   * Model-checks the move to a new bucket against readings and outcomes racing with it. Two outcomes sit
   * in a bucket that has just left the window; two threads read the window (either may be the one that
   * moves it) and one of them then records an outcome. Whatever the interleaving, no reading shows the
   * outcomes that left, a negative count or more accepts than requests, and no outcome is lost.
   */
  @Test
  void aMoveToANewBucketNeverShowsOutcomesThatLeftTheWindowAndLosesNone() {
    Lincheck.runConcurrentTest(
        300,
        () -> {
          ManualTicker ticker = new ManualTicker(Long.MAX_VALUE - BUCKET.toNanos() * 5);
          AdaptiveThrottle throttle =
              AdaptiveThrottle.of(
                  "checked",
                  AdaptiveThrottleConfig.builder().samplingWindow(Duration.ofSeconds(1)).ticker(ticker).build());
          throttle.onSuccess();
          throttle.onError(FAILURE);
          ticker.advance(Duration.ofSeconds(1)); // ten buckets on: the two outcomes have left
          Queue<AdaptiveThrottle.Metrics> readings = new ConcurrentLinkedQueue<>();
          Thread reader = new Thread(() -> readings.add(throttle.metrics()));
          Thread caller = new Thread(() -> {
            readings.add(throttle.metrics());
            throttle.onSuccess();
          });
          reader.start();
          caller.start();
          join(reader);
          join(caller);
          // Plain checks: Lincheck runs this block under its own instrumentation, where AssertJ misbehaves.
          for (AdaptiveThrottle.Metrics m : readings) {
            String problem = violation(m, 0.9);
            if (problem != null || m.numberOfRequests() > 1) {
              throw new AssertionError(problem != null ? problem : "a reading shows outcomes that left: " + m);
            }
          }
          AdaptiveThrottle.Metrics after = throttle.metrics();
          if (after.totalAccepts() != 2 || after.totalFailedRequests() != 1 || after.numberOfRequests() > 1) {
            throw new AssertionError("after the race: " + after);
          }
        });
  }

  private static void await(CyclicBarrier barrier) {
    try {
      barrier.await();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static void join(Thread thread) {
    try {
      thread.join();
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }
}
