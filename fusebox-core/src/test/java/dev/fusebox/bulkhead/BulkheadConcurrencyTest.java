package dev.fusebox.bulkhead;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusebox.testing.ManualTicker;
import dev.fusebox.Ticker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Real threads against the invariants: never one call too many inside, permits never lost or duplicated,
 * waiters served in arrival order. Threads start together at a barrier; nothing sleeps.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BulkheadConcurrencyTest {

  private static final int THREADS = 8;

  /** Spins until the condition holds; the deadline only turns a hang into a failure. */
  static void await(BooleanSupplier condition) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("condition not reached");
      }
      Thread.yield();
    }
  }

  private static List<Thread> start(int count, CyclicBarrier barrier, Runnable body) {
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Thread t = new Thread(() -> {
        try {
          barrier.await();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
        body.run();
      });
      t.start();
      threads.add(t);
    }
    return threads;
  }

  private static void joinAll(List<Thread> threads) throws InterruptedException {
    for (Thread t : threads) {
      t.join();
    }
  }

  @Test
  void neverAdmitsOneCallTooManyWhenRejectingAtOnce() throws Exception {
    Bulkhead bulkhead = Bulkhead.of("db", BulkheadConfig.builder().maxConcurrentCalls(3).build());
    AtomicInteger inside = new AtomicInteger();
    AtomicInteger maxInside = new AtomicInteger();
    AtomicLong admitted = new AtomicLong();
    AtomicLong rejected = new AtomicLong();

    List<Thread> threads = start(THREADS, new CyclicBarrier(THREADS), () -> {
      for (int i = 0; i < 20_000; i++) {
        try {
          bulkhead.executeRunnable(() -> {
            maxInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
            Thread.yield();
            inside.decrementAndGet();
          });
          admitted.incrementAndGet();
        } catch (BulkheadFullException e) {
          rejected.incrementAndGet();
        }
      }
    });
    joinAll(threads);

    assertThat(maxInside.get()).isLessThanOrEqualTo(3);
    assertThat(admitted.get() + rejected.get()).isEqualTo(THREADS * 20_000L);
    Bulkhead.Metrics m = bulkhead.metrics();
    assertThat(m.totalPermittedCalls()).isEqualTo(admitted.get());
    assertThat(m.totalRejectedCalls()).isEqualTo(rejected.get());
    assertThat(m.totalFinishedCalls()).isEqualTo(admitted.get());
    assertThat(m.availableConcurrentCalls()).isEqualTo(3);
  }

  @Test
  void waitingCallersAllGetThroughAndNeverExceedTheLimit() throws Exception {
    // The ticker never moves, so no waiter times out: every call must eventually be handed a permit.
    Bulkhead bulkhead = Bulkhead.of(
        "db",
        BulkheadConfig.builder()
            .maxConcurrentCalls(2)
            .maxWaitDuration(Duration.ofHours(1))
            .ticker(new ManualTicker())
            .build());
    AtomicInteger inside = new AtomicInteger();
    AtomicInteger maxInside = new AtomicInteger();
    AtomicLong done = new AtomicLong();

    List<Thread> threads = start(THREADS, new CyclicBarrier(THREADS), () -> {
      for (int i = 0; i < 3_000; i++) {
        bulkhead.executeRunnable(() -> {
          maxInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
          Thread.yield();
          inside.decrementAndGet();
        });
        done.incrementAndGet();
      }
    });
    joinAll(threads);

    assertThat(done.get()).isEqualTo(THREADS * 3_000L);
    assertThat(maxInside.get()).isLessThanOrEqualTo(2);
    assertThat(bulkhead.metrics().totalRejectedCalls()).isZero();
    assertThat(bulkhead.metrics().availableConcurrentCalls()).isEqualTo(2);
    assertThat(bulkhead.metrics().waitingCalls()).isZero();
  }

  @Test
  void waitersAreServedInTheOrderTheyArrived() throws Exception {
    Bulkhead bulkhead = Bulkhead.of(
        "db",
        BulkheadConfig.builder()
            .maxConcurrentCalls(1)
            .maxWaitDuration(Duration.ofHours(1))
            .ticker(new ManualTicker())
            .build());
    bulkhead.acquirePermission();
    List<Integer> order = new CopyOnWriteArrayList<>();
    List<Thread> waiters = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      int id = i;
      Thread t = new Thread(() -> bulkhead.executeRunnable(() -> order.add(id)));
      t.start();
      waiters.add(t);
      await(() -> bulkhead.metrics().waitingCalls() == id + 1);
    }

    bulkhead.onComplete();
    joinAll(waiters);

    assertThat(order).containsExactly(0, 1, 2, 3, 4);
    assertThat(bulkhead.metrics().availableConcurrentCalls()).isEqualTo(1);
  }

  @Test
  void releaseWakesAParkedWaiterWhichThenRunsItsCall() throws Exception {
    Bulkhead bulkhead = Bulkhead.of(
        "db",
        BulkheadConfig.builder()
            .maxConcurrentCalls(1)
            .maxWaitDuration(Duration.ofHours(1))
            .ticker(new ManualTicker())
            .build());
    bulkhead.acquirePermission();
    CountDownLatch ran = new CountDownLatch(1);
    Thread waiter = new Thread(() -> bulkhead.executeRunnable(ran::countDown));
    waiter.start();
    await(() -> waiter.getState() == Thread.State.TIMED_WAITING && bulkhead.metrics().waitingCalls() == 1);

    assertThat(ran.getCount()).isEqualTo(1);
    bulkhead.onComplete();

    assertThat(ran.await(30, TimeUnit.SECONDS)).isTrue();
    waiter.join();
    assertThat(bulkhead.metrics().availableConcurrentCalls()).isEqualTo(1);
  }

  @Test
  void interruptingAParkedWaiterRejectsItAndLeavesThePermitCountWhole() throws Exception {
    Bulkhead bulkhead = Bulkhead.of(
        "db",
        BulkheadConfig.builder()
            .maxConcurrentCalls(1)
            .maxWaitDuration(Duration.ofHours(1))
            .ticker(new ManualTicker())
            .build());
    bulkhead.acquirePermission();
    AtomicInteger outcome = new AtomicInteger();
    Thread waiter = new Thread(() -> {
      try {
        bulkhead.acquirePermission();
        outcome.set(1);
      } catch (BulkheadFullException e) {
        outcome.set(e.interrupted() && Thread.currentThread().isInterrupted() ? 2 : 3);
      }
    });
    waiter.start();
    await(() -> bulkhead.metrics().waitingCalls() == 1);

    waiter.interrupt();
    waiter.join();

    assertThat(outcome).hasValue(2);
    bulkhead.onComplete();
    assertThat(bulkhead.metrics().availableConcurrentCalls()).isEqualTo(1);
    assertThat(bulkhead.metrics().waitingCalls()).isZero();
  }

  @Test
  void timeoutsAndInterruptsRacingWithReleasesNeverLoseOrDuplicateAPermit() throws Exception {
    // Real time, tiny waits: waiters give up while permits are being handed to them. The only assertions
    // are the invariants, never how long anything took.
    Bulkhead bulkhead = Bulkhead.of(
        "db",
        BulkheadConfig.builder()
            .maxConcurrentCalls(2)
            .maxWaitDuration(Duration.ofNanos(20_000))
            .ticker(Ticker.system())
            .build());
    AtomicInteger inside = new AtomicInteger();
    AtomicInteger maxInside = new AtomicInteger();
    CyclicBarrier barrier = new CyclicBarrier(THREADS + 1);
    List<Thread> threads = start(THREADS, barrier, () -> {
      for (int i = 0; i < 2_000; i++) {
        try {
          bulkhead.executeRunnable(() -> {
            maxInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
            Thread.yield();
            inside.decrementAndGet();
          });
        } catch (BulkheadFullException e) {
          Thread.interrupted();
        }
      }
    });
    barrier.await();
    for (int round = 0; round < 200; round++) {
      threads.get(round % THREADS).interrupt();
      Thread.yield();
    }
    joinAll(threads);

    assertThat(maxInside.get()).isLessThanOrEqualTo(2);
    Bulkhead.Metrics m = bulkhead.metrics();
    assertThat(m.availableConcurrentCalls()).isEqualTo(2);
    assertThat(m.concurrentCalls()).isZero();
    assertThat(m.waitingCalls()).isZero();
    assertThat(m.totalPermittedCalls() + m.totalRejectedCalls()).isEqualTo(THREADS * 2_000L);
  }
}
