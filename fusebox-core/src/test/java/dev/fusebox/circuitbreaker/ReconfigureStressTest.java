package dev.fusebox.circuitbreaker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusebox.testing.ManualTicker;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Issue 18 under load: callers hammer a breaker while an operator reconfigures it over and over. No call is
 * lost from the totals, every window stays consistent with its own slots, the half-open stay never lets
 * out more trials than it permits, and the last configuration wins. Nothing sleeps.
 */
class ReconfigureStressTest {

  private static final int CALLERS = 4;
  private static final int CALLS = 20_000;

  @Test
  void callsAndReconfigurationsAtOnceKeepEveryCountConsistent() throws Exception {
    ManualTicker ticker = new ManualTicker();
    CircuitBreakerConfig wide =
        CircuitBreakerConfig.builder().ticker(ticker).countBasedWindow(100).failureRateThreshold(100).build();
    CircuitBreakerConfig narrow = wide.toBuilder().countBasedWindow(30).failureRateThreshold(100).build();
    CircuitBreaker breaker = CircuitBreaker.of("stress", wide);
    AtomicBoolean done = new AtomicBoolean();
    CyclicBarrier start = new CyclicBarrier(CALLERS + 1);
    ExecutorService threads = Executors.newFixedThreadPool(CALLERS + 1);
    try {
      List<Future<Integer>> futures = new ArrayList<>();
      for (int t = 0; t < CALLERS; t++) {
        int thread = t;
        futures.add(threads.submit(() -> {
          start.await();
          for (int i = 0; i < CALLS; i++) {
            if ((i + thread) % 3 == 0) {
              breaker.onError(1, new IllegalStateException("down"));
            } else {
              breaker.executeSupplier(() -> "ok");
            }
          }
          return 0;
        }));
      }
      Future<Integer> operator = threads.submit(() -> {
        start.await();
        int changes = 0;
        while (!done.get()) {
          breaker.reconfigure(changes % 2 == 0 ? narrow : wide);
          changes++;
        }
        breaker.reconfigure(narrow);
        return changes;
      });
      for (Future<Integer> f : futures) {
        f.get(120, TimeUnit.SECONDS);
      }
      done.set(true);
      assertThat(operator.get(120, TimeUnit.SECONDS)).isPositive();
    } finally {
      threads.shutdownNow();
    }
    CircuitBreaker.Metrics m = breaker.metrics();
    assertThat(m.totalSuccessfulCalls() + m.totalFailedCalls()).isEqualTo((long) CALLERS * CALLS);
    assertThat(breaker.config()).isSameAs(narrow);
    assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
    ClosedStay closed = (ClosedStay) ((CircuitBreakerImpl) breaker).stay();
    CountWindow window = (CountWindow) closed.window;
    assertThat(window.counts()).isEqualTo(window.recount());
    assertThat(m.numberOfBufferedCalls()).isEqualTo(30);
  }

  @Test
  void trialsRacingReconfigurationsNeverExceedThePermittedNumber() throws Exception {
    int permitted = 3;
    ManualTicker ticker = new ManualTicker();
    for (int round = 0; round < 200; round++) {
      CircuitBreakerConfig config =
          CircuitBreakerConfig.builder().ticker(ticker).permittedNumberOfCallsInHalfOpenState(permitted).build();
      CircuitBreaker breaker = CircuitBreaker.of("trials", config);
      breaker.transitionToHalfOpenState();
      CyclicBarrier start = new CyclicBarrier(CALLERS + 1);
      ExecutorService threads = Executors.newFixedThreadPool(CALLERS + 1);
      List<Future<Integer>> futures = new ArrayList<>();
      try {
        for (int t = 0; t < CALLERS; t++) {
          futures.add(threads.submit(() -> {
            start.await();
            int admitted = 0;
            for (int i = 0; i < 5; i++) {
              if (breaker.tryAcquirePermit() != null) {
                admitted++;
              }
            }
            return admitted;
          }));
        }
        futures.add(threads.submit(() -> {
          start.await();
          for (int i = 0; i < 5; i++) {
            breaker.reconfigure(config.toBuilder().permittedNumberOfCallsInHalfOpenState(10 + i).build());
          }
          return 0;
        }));
        int admitted = 0;
        for (Future<Integer> f : futures) {
          admitted += f.get(60, TimeUnit.SECONDS);
        }
        assertThat(admitted).as("round %d", round).isEqualTo(permitted);
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.HALF_OPEN);
      } finally {
        threads.shutdownNow();
      }
    }
  }
}
