package dev.fusebox.bulkhead;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusebox.testing.ManualTicker;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The two interleavings that lose a wake-up in a naive semaphore, forced step by step: the queue pauses a
 * release right after it found nobody waiting, or a waiter right before it enqueues.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FairPermitsInterleavingTest {

  private final ManualTicker ticker = new ManualTicker();

  /** A queue that runs a hook once: after a poll that found nothing, or before an offer. */
  static final class HookedQueue extends ConcurrentLinkedQueue<FairPermits.Waiter> {
    private static final long serialVersionUID = 1L;
    transient Runnable afterEmptyPoll;
    transient Runnable beforeOffer;
    transient Runnable afterOffer;

    @Override
    public FairPermits.Waiter poll() {
      FairPermits.Waiter waiter = super.poll();
      Runnable hook = afterEmptyPoll;
      if (waiter == null && hook != null) {
        afterEmptyPoll = null;
        hook.run();
      }
      return waiter;
    }

    @Override
    public boolean offer(FairPermits.Waiter waiter) {
      Runnable hook = beforeOffer;
      if (hook != null) {
        beforeOffer = null;
        hook.run();
      }
      boolean offered = super.offer(waiter);
      hook = afterOffer;
      if (hook != null) {
        afterOffer = null;
        hook.run();
      }
      return offered;
    }
  }

  @Test
  void waiterThatEnqueuesJustAfterAReleaseFoundTheQueueEmptyIsStillHandedThePermit() throws Exception {
    HookedQueue queue = new HookedQueue();
    FairPermits permits = new FairPermits(1, queue);
    assertThat(permits.tryAcquire()).isTrue();
    CountDownLatch parked = new CountDownLatch(1);
    // Parks for real until unparked; if nobody unparks it, it gives up after 10 s of real time and the
    // ticker then says the whole wait has passed, so a lost wake-up fails the test instead of hanging it.
    BulkheadConfig.Parker parker = (blocker, nanos) -> {
      parked.countDown();
      LockSupport.parkNanos(blocker, TimeUnit.SECONDS.toNanos(10));
      ticker.advanceNanos(nanos);
    };
    AtomicReference<FairPermits.Outcome> outcome = new AtomicReference<>();
    Thread waiter = new Thread(() -> outcome.set(permits.acquire(1_000, ticker, parker, this)), "waiter");
    queue.afterEmptyPoll = () -> {
      waiter.start();
      await(parked);
    };

    permits.release();
    waiter.join();

    assertThat(outcome.get()).isEqualTo(FairPermits.Outcome.ACQUIRED);
    assertThat(permits.available()).isZero();
    permits.release();
    assertThat(permits.available()).isEqualTo(1);
  }

  @Test
  void waiterThatEnqueuesJustAfterAWholeReleaseTakesTheFreedPermitWithoutParking() {
    HookedQueue queue = new HookedQueue();
    FairPermits permits = new FairPermits(1, queue);
    assertThat(permits.tryAcquire()).isTrue();
    int[] parks = new int[1];
    BulkheadConfig.Parker parker = (blocker, nanos) -> {
      parks[0]++;
      ticker.advanceNanos(nanos);
    };
    queue.beforeOffer = permits::release;

    FairPermits.Outcome outcome = permits.acquire(1_000, ticker, parker, this);

    assertThat(outcome).isEqualTo(FairPermits.Outcome.ACQUIRED);
    assertThat(parks[0]).isZero();
    assertThat(queue).isEmpty();
    assertThat(permits.available()).isZero();
  }

  @Test
  void waiterGrantedWhileItsReCheckAlsoTookAFreePermitGivesOneBack() {
    HookedQueue queue = new HookedQueue();
    FairPermits permits = new FairPermits(2, queue);
    assertThat(permits.tryAcquire()).isTrue();
    assertThat(permits.tryAcquire()).isTrue();
    BulkheadConfig.Parker parker = (blocker, nanos) -> ticker.advanceNanos(nanos);
    // Right after the waiter enqueued: one release grants its node, a second one frees a permit, which the
    // waiter's re-check then takes too. It must keep one permit and pass the other on.
    queue.afterOffer = () -> {
      permits.release();
      permits.release();
    };

    FairPermits.Outcome outcome = permits.acquire(1_000, ticker, parker, this);

    assertThat(outcome).isEqualTo(FairPermits.Outcome.ACQUIRED);
    assertThat(permits.inUse()).isEqualTo(1);
    assertThat(permits.available()).isEqualTo(1);
  }

  private static void await(CountDownLatch latch) {
    try {
      assertThat(latch.await(30, TimeUnit.SECONDS)).isTrue();
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }
}
