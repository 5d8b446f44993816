package dev.fusebox.circuitbreaker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusebox.testing.ManualTicker;
import dev.fusebox.circuitbreaker.CircuitBreaker.State;
import dev.fusebox.circuitbreaker.Fixtures.Boom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Many threads at once against one breaker. Each test fails if a permit is handed out twice, an outcome
 * is lost or counted twice, or a decision is taken twice. Threads start together on a barrier; nothing
 * sleeps.
 */
class ConcurrencyStressTest {

  private static final int THREADS = 8;
  private final ExecutorService pool = Executors.newFixedThreadPool(THREADS);
  private final ManualTicker ticker = new ManualTicker();

  @AfterEach
  void stopThreads() {
    pool.shutdownNow();
  }

  private interface Task {
    void run(int thread) throws Exception;
  }

  /** Runs the task on THREADS fresh threads released together; rethrows the first failure. */
  private static void runTogether(Task task) throws Exception {
    CyclicBarrier barrier = new CyclicBarrier(THREADS);
    ExecutorService threads = Executors.newFixedThreadPool(THREADS);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        int thread = t;
        futures.add(threads.submit(() -> {
          barrier.await();
          task.run(thread);
          return null;
        }));
      }
      for (Future<?> future : futures) {
        future.get(60, TimeUnit.SECONDS);
      }
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void aBurstAtTheOpenToHalfOpenEdgeGetsExactlyThePermittedTrials() throws Exception {
    int permitted = 3;
    for (int round = 0; round < 200; round++) {
      CircuitBreaker breaker =
          CircuitBreaker.of(
              "burst",
              CircuitBreakerConfig.builder()
                  .ticker(ticker)
                  .permittedNumberOfCallsInHalfOpenState(permitted)
                  .build());
      List<StateTransition> transitions = new java.util.concurrent.CopyOnWriteArrayList<>();
      breaker.onStateTransition(transitions::add);
      breaker.transitionToOpenState();
      ticker.advance(Duration.ofSeconds(60));
      AtomicInteger inflight = new AtomicInteger();
      AtomicInteger maxInflight = new AtomicInteger();
      AtomicInteger admitted = new AtomicInteger();
      CountDownLatch attempted = new CountDownLatch(THREADS);
      CountDownLatch release = new CountDownLatch(1);
      Future<?> burst =
          pool.submit(() -> {
            runTogether(thread -> {
              try {
                breaker.executeRunnable(() -> {
                  admitted.incrementAndGet();
                  maxInflight.accumulateAndGet(inflight.incrementAndGet(), Math::max);
                  attempted.countDown();
                  try {
                    release.await();
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                  inflight.decrementAndGet();
                });
              } catch (CallNotPermittedException e) {
                attempted.countDown();
              }
            });
            return null;
          });
      assertThat(attempted.await(30, TimeUnit.SECONDS)).isTrue();
      assertThat(admitted).hasValue(permitted);
      assertThat(maxInflight).hasValue(permitted);
      release.countDown();
      burst.get(30, TimeUnit.SECONDS);
      assertThat(breaker.state()).isEqualTo(State.CLOSED);
      assertThat(transitions).extracting(t -> t.from() + ">" + t.to())
          .containsExactly("CLOSED>OPEN", "OPEN>HALF_OPEN", "HALF_OPEN>CLOSED");
      assertThat(breaker.metrics().numberOfNotPermittedCalls()).isEqualTo(THREADS - permitted);
    }
  }

  @Test
  void noOutcomeIsLostOrCountedTwice() throws Exception {
    int calls = 20_000;
    CircuitBreaker breaker =
        CircuitBreaker.of(
            "totals",
            CircuitBreakerConfig.builder().ticker(ticker).countBasedWindow(100).failureRateThreshold(100).build());
    runTogether(thread -> {
      for (int i = 0; i < calls; i++) {
        if (i % 4 == thread % 4) {
          try {
            breaker.executeRunnable(() -> { throw new Boom(); });
          } catch (Boom expected) {
            // counted by the breaker
          }
        } else {
          breaker.executeRunnable(() -> { });
        }
      }
    });
    CircuitBreaker.Metrics m = breaker.metrics();
    assertThat(breaker.state()).isEqualTo(State.CLOSED);
    assertThat(m.totalFailedCalls()).isEqualTo(THREADS * calls / 4);
    assertThat(m.totalSuccessfulCalls()).isEqualTo(THREADS * calls * 3 / 4);
    assertThat(m.numberOfBufferedCalls()).isEqualTo(100);
    CountWindow window = (CountWindow) ((ClosedStay) ((CircuitBreakerImpl) breaker).stay()).window;
    assertThat(window.counts()).isEqualTo(window.recount());
  }

  @Test
  void theCountWindowsTotalsMatchItsSlotsAfterEveryKindOfOutcomeRaced() throws Exception {
    CircuitBreaker breaker =
        CircuitBreaker.of(
            "slots",
            CircuitBreakerConfig.builder()
                .ticker(ticker)
                .countBasedWindow(37)
                .slowCallDurationThreshold(Duration.ofSeconds(1))
                .build());
    breaker.transitionToMetricsOnlyState();
    runTogether(thread -> {
      for (int i = 0; i < 20_000; i++) {
        long duration = (i + thread) % 3 == 0 ? Duration.ofSeconds(2).toNanos() : 0;
        if ((i * 7 + thread) % 5 < 2) {
          breaker.onError(duration, new Boom());
        } else {
          breaker.onSuccess(duration);
        }
      }
    });
    CountWindow window = (CountWindow) ((ManualStay) ((CircuitBreakerImpl) breaker).stay()).window;
    assertThat(window.counts()).isEqualTo(window.recount());
    assertThat(window.counts().buffered()).isEqualTo(37);
    CircuitBreaker.Metrics m = breaker.metrics();
    assertThat(m.totalFailedCalls() + m.totalSuccessfulCalls()).isEqualTo(THREADS * 20_000L);
  }

  @Test
  void aTimeWindowLosesNoCallWhenThreadsRecordIntoTheSameBucket() throws Exception {
    CircuitBreaker breaker =
        CircuitBreaker.of(
            "time",
            CircuitBreakerConfig.builder()
                .ticker(ticker)
                .timeBasedWindow(Duration.ofSeconds(10))
                .slowCallDetection(false)
                .build());
    breaker.transitionToMetricsOnlyState();
    runTogether(thread -> {
      for (int i = 0; i < 10_000; i++) {
        if (i % 10 == 0) {
          breaker.onError(0, new Boom());
        } else {
          breaker.onSuccess(0);
        }
      }
    });
    CircuitBreaker.Metrics m = breaker.metrics();
    assertThat(m.numberOfBufferedCalls()).isEqualTo(THREADS * 10_000);
    assertThat(m.numberOfFailedCalls()).isEqualTo(THREADS * 1_000);
  }

  @Test
  void aTimeWindowLosesNoCallWhileBucketsRollOver() throws Exception {
    CircuitBreaker breaker =
        CircuitBreaker.of(
            "rolling",
            CircuitBreakerConfig.builder()
                .ticker(ticker)
                .timeBasedWindow(Duration.ofSeconds(100))
                .slowCallDetection(false)
                .build());
    breaker.transitionToMetricsOnlyState();
    runTogether(thread -> {
      for (int i = 0; i < 5_000; i++) {
        if (thread == 0 && i % 100 == 0) {
          ticker.advance(Duration.ofSeconds(1));
        }
        breaker.onSuccess(0);
      }
    });
    // 50 seconds passed, all within the 100-second window: every call must still be there.
    assertThat(breaker.metrics().numberOfBufferedCalls()).isEqualTo(THREADS * 5_000);
  }

  @Test
  void manyThreadsFailingTogetherOpenTheBreakerExactlyOnce() throws Exception {
    for (int round = 0; round < 100; round++) {
      CircuitBreaker breaker =
          CircuitBreaker.of(
              "trip", CircuitBreakerConfig.builder().ticker(ticker).countBasedWindow(10).build());
      AtomicInteger openings = new AtomicInteger();
      breaker.onStateTransition(t -> {
        if (t.to() == State.OPEN) {
          openings.incrementAndGet();
        }
      });
      runTogether(thread -> {
        for (int i = 0; i < 20; i++) {
          try {
            breaker.executeRunnable(() -> { throw new Boom(); });
          } catch (Boom | CallNotPermittedException expected) {
            // either the call failed or the breaker was already open
          }
        }
      });
      assertThat(breaker.state()).isEqualTo(State.OPEN);
      assertThat(openings).hasValue(1);
    }
  }

  @Test
  void theHalfOpenDecisionIsTakenExactlyOnce() throws Exception {
    for (int round = 0; round < 100; round++) {
      CircuitBreaker breaker =
          CircuitBreaker.of(
              "decide",
              CircuitBreakerConfig.builder().ticker(ticker).permittedNumberOfCallsInHalfOpenState(THREADS).build());
      breaker.transitionToHalfOpenState();
      AtomicInteger decisions = new AtomicInteger();
      breaker.onStateTransition(t -> decisions.incrementAndGet());
      int failing = round % (THREADS + 1);
      runTogether(thread -> {
        if (thread < failing) {
          try {
            breaker.executeRunnable(() -> { throw new Boom(); });
          } catch (Boom expected) {
            // a failed trial
          }
        } else {
          breaker.executeRunnable(() -> { });
        }
      });
      assertThat(decisions).hasValue(1);
      assertThat(breaker.state()).isEqualTo(failing * 2 >= THREADS ? State.OPEN : State.CLOSED);
    }
  }

  @Test
  void cancellingAnAsynchronousTrialWhileItCompletesAccountsForThePermitExactlyOnce() throws Exception {
    for (int round = 0; round < 500; round++) {
      CircuitBreaker breaker =
          CircuitBreaker.of(
              "cancel",
              CircuitBreakerConfig.builder().ticker(ticker).permittedNumberOfCallsInHalfOpenState(1).build());
      breaker.transitionToHalfOpenState();
      CompletableFuture<String> call = new CompletableFuture<>();
      CompletionStage<String> stage = breaker.executeCompletionStage(() -> call);
      CyclicBarrier barrier = new CyclicBarrier(2);
      Future<?> canceller = pool.submit(() -> { barrier.await(); return stage.toCompletableFuture().cancel(false); });
      Future<?> completer = pool.submit(() -> { barrier.await(); return call.complete("done"); });
      canceller.get(10, TimeUnit.SECONDS);
      completer.get(10, TimeUnit.SECONDS);
      if (breaker.state() == State.CLOSED) {
        // The completion won: one success recorded, which closed the breaker.
        assertThat(breaker.metrics().totalSuccessfulCalls()).isEqualTo(1);
      } else {
        // The cancellation won: nothing recorded, and the permit is free again.
        assertThat(breaker.state()).isEqualTo(State.HALF_OPEN);
        assertThat(breaker.metrics().totalSuccessfulCalls()).isZero();
        assertThat(breaker.tryAcquirePermission()).isTrue();
        assertThat(breaker.tryAcquirePermission()).isFalse();
      }
    }
  }

  @Test
  void transitionsMadeOnManyThreadsReachAListenerAsOneUnbrokenChain() throws Exception {
    CircuitBreaker breaker = CircuitBreaker.of("chain", CircuitBreakerConfig.builder().ticker(ticker).build());
    List<StateTransition> seen = new ArrayList<>();
    // Transitions reach a listener one at a time, so a plain list is enough, and would break if they did not.
    breaker.onStateTransition(seen::add);
    int moves = 20_000;

    runTogether(thread -> {
      for (int i = 0; i < moves; i++) {
        if ((i + thread) % 2 == 0) {
          breaker.transitionToForcedOpenState();
        } else {
          breaker.transitionToDisabledState();
        }
      }
    });

    assertThat(seen).hasSize(THREADS * moves);
    State expected = State.CLOSED;
    int broken = 0;
    for (StateTransition t : seen) {
      broken += t.from() == expected ? 0 : 1;
      expected = t.to();
    }
    assertThat(broken).as("transitions whose from() is not the previous to()").isZero();
    assertThat(expected).isEqualTo(breaker.state());
  }
}
