package dev.fusebox.bulkhead;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusebox.Ticker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Real threads against exact admission, with the limit still and with the limit moving underneath. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AdaptiveBulkheadConcurrencyTest {

  private static final int THREADS = 8;

  private static void runTogether(Runnable body) throws Exception {
    CyclicBarrier barrier = new CyclicBarrier(THREADS);
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < THREADS; i++) {
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
    for (Thread t : threads) {
      t.join();
    }
  }

  @Test
  void neverAdmitsOneCallBeyondAFixedLimit() throws Exception {
    AdaptiveBulkhead bulkhead = AdaptiveBulkhead.of("db", AdaptiveBulkheadConfig.builder()
        .initialLimit(3).minLimit(3).maxLimit(3).sampleWindowSize(1).probeInterval(Duration.ZERO).build());
    AtomicInteger inside = new AtomicInteger();
    AtomicInteger maxInside = new AtomicInteger();
    AtomicLong admitted = new AtomicLong();

    runTogether(() -> {
      for (int i = 0; i < 20_000; i++) {
        if (bulkhead.tryAcquirePermission()) {
          admitted.incrementAndGet();
          maxInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
          Thread.yield();
          inside.decrementAndGet();
          bulkhead.onSuccess(1_000);
        }
      }
    });

    assertThat(maxInside.get()).isLessThanOrEqualTo(3);
    assertThat(bulkhead.metrics().totalPermittedCalls()).isEqualTo(admitted.get());
    assertThat(bulkhead.metrics().concurrentCalls()).isZero();
    assertThat(bulkhead.metrics().limit()).isEqualTo(3);
  }

  @Test
  void limitMovingUnderContentionNeverCorruptsTheCountOrLeavesItsBounds() throws Exception {
    AdaptiveBulkhead bulkhead = AdaptiveBulkhead.of("db", AdaptiveBulkheadConfig.builder()
        .initialLimit(4).minLimit(1).maxLimit(6).sampleWindowSize(1).backoffRatio(0.5)
        .probeInterval(Duration.ZERO).ticker(Ticker.system()).build());
    AtomicInteger inside = new AtomicInteger();
    AtomicInteger maxInside = new AtomicInteger();
    List<Integer> limitsSeen = java.util.Collections.synchronizedList(new ArrayList<>());
    bulkhead.onEvent(e -> {
      if (e instanceof BulkheadEvent.LimitChanged c) {
        limitsSeen.add(c.newLimit());
      }
    });

    runTogether(() -> {
      ThreadLocalRandom random = ThreadLocalRandom.current();
      for (int i = 0; i < 20_000; i++) {
        if (bulkhead.tryAcquirePermission()) {
          maxInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
          Thread.yield();
          inside.decrementAndGet();
          int roll = random.nextInt(100);
          if (roll < 2) {
            bulkhead.onDropped(50_000);
          } else if (roll < 50) {
            bulkhead.onSuccess(1_000);
          } else if (roll < 95) {
            bulkhead.onSuccess(40_000);
          } else {
            bulkhead.releasePermission();
          }
        }
      }
    });

    assertThat(limitsSeen).isNotEmpty().allSatisfy(l -> assertThat(l).isBetween(1, 6));
    assertThat(maxInside.get()).isLessThanOrEqualTo(6);
    AdaptiveBulkhead.Metrics m = bulkhead.metrics();
    assertThat(m.concurrentCalls()).isZero();
    assertThat(m.limit()).isBetween(1, 6);
    // The word is intact: exactly `limit` permits can be taken now, and not one more.
    for (int i = 0; i < m.limit(); i++) {
      assertThat(bulkhead.tryAcquirePermission()).isTrue();
    }
    assertThat(bulkhead.tryAcquirePermission()).isFalse();
  }
}
