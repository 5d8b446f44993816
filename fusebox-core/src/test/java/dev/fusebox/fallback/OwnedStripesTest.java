package dev.fusebox.fallback;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class OwnedStripesTest {

  @Test
  void countsEveryIncrementOfOneThread() {
    OwnedStripes counter = new OwnedStripes();
    for (int i = 0; i < 1_000; i++) {
      counter.increment();
    }
    assertThat(counter.sum()).isEqualTo(1_000);
  }

  @Test
  void isExactOnceManyMoreThreadsThanStripesHaveFinished() throws Exception {
    OwnedStripes counter = new OwnedStripes();
    int threads = 4 * Runtime.getRuntime().availableProcessors() + 8;
    int each = 50_000;
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> running = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread thread = new Thread(() -> {
        try {
          start.await();
        } catch (InterruptedException e) {
          throw new AssertionError(e);
        }
        for (int i = 0; i < each; i++) {
          counter.increment();
        }
      });
      thread.start();
      running.add(thread);
    }
    start.countDown();
    for (Thread thread : running) {
      thread.join();
    }
    assertThat(counter.sum()).isEqualTo((long) threads * each);
  }

  @Test
  void threadsTakingTurnsOnOneStripeLoseNothing() throws Exception {
    OwnedStripes counter = new OwnedStripes();
    counter.increment(); // this thread owns its stripe from now on
    for (int round = 0; round < 20; round++) {
      Thread other = new Thread(() -> {
        for (int i = 0; i < 1_000; i++) {
          counter.increment();
        }
      });
      other.start();
      for (int i = 0; i < 1_000; i++) {
        counter.increment();
      }
      other.join();
    }
    assertThat(counter.sum()).isEqualTo(1 + 20 * 2_000L);
  }

  @Test
  void aStripeWhoseOwnerEndedGoesToTheNextThreadWithItsCountKept() throws Exception {
    // Virtual threads, one per request: were stripes kept by their first, long-dead owners, every later
    // thread would count in the adder and the stripes would buy nothing.
    OwnedStripes counter = new OwnedStripes();
    for (int t = 0; t < 500; t++) {
      Thread shortLived = new Thread(() -> {
        for (int i = 0; i < 10; i++) {
          counter.increment();
        }
      });
      shortLived.start();
      shortLived.join();
    }
    assertThat(counter.sum()).isEqualTo(5_000);
    assertThat(counter.overflow()).as("counted in the adder").isZero();
  }
}
