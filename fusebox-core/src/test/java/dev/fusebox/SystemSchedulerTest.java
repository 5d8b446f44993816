package dev.fusebox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusebox.circuitbreaker.CircuitBreaker;
import dev.fusebox.circuitbreaker.CircuitBreakerConfig;
import dev.fusebox.testing.ManualTicker;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The shared scheduler. The review's fourth suspicion was that a breaker opening with its automatic
 * transition on scheduled that transition on the calling thread, into a {@code ScheduledThreadPoolExecutor}
 * whose queue takes a lock: a lock on the call path. The first test pins that the calling thread does
 * schedule; {@link Scheduler#system()} is therefore built to take no lock there (see its design note). The
 * others pin what it must still do. Nothing here measures time: tasks are held back by a latch on the
 * scheduler's one thread, and conditions are awaited with generous deadlines.
 */
class SystemSchedulerTest {

  private static final long DEADLINE_SECONDS = 10;

  /** Occupies the scheduler's thread until released, so that tasks scheduled meanwhile queue up. */
  private static CountDownLatch blockTheWorker() throws InterruptedException {
    CountDownLatch running = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Scheduler.system().schedule(() -> {
      running.countDown();
      awaitQuietly(release);
    }, 0);
    assertThat(running.await(DEADLINE_SECONDS, TimeUnit.SECONDS)).isTrue();
    return release;
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(DEADLINE_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void passMillis(long millis) {
    long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    while (System.nanoTime() - until < 0) {
      Thread.onSpinWait();
    }
  }

  @Test
  void aBreakerOpeningWithTheAutomaticTransitionSchedulesOnTheCallingThread() {
    AtomicReference<Thread> scheduledOn = new AtomicReference<>();
    Scheduler recording = (task, delay) -> {
      scheduledOn.set(Thread.currentThread());
      return Scheduler.system().schedule(task, delay);
    };
    CircuitBreaker breaker =
        CircuitBreaker.of(
            "automatic",
            CircuitBreakerConfig.builder()
                .ticker(new ManualTicker())
                .countBasedWindow(1)
                .automaticTransitionFromOpenToHalfOpenEnabled(true)
                .scheduler(recording)
                .build());

    try {
      breaker.executeRunnable(() -> {
        throw new IllegalStateException("down");
      });
    } catch (IllegalStateException expected) {
      // the call that opens the breaker
    }

    assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
    assertThat(scheduledOn.get()).isSameAs(Thread.currentThread());
  }

  @Test
  void tasksRunInTheOrderTheyFallDueAndOnlyOnceDue() throws InterruptedException {
    CountDownLatch release = blockTheWorker();
    List<String> ran = new CopyOnWriteArrayList<>();
    CountDownLatch done = new CountDownLatch(3);
    // Scheduled last-first, far enough apart that a descheduled test thread cannot swap their due times.
    Scheduler.system().schedule(() -> { ran.add("third"); done.countDown(); }, TimeUnit.MILLISECONDS.toNanos(300));
    Scheduler.system().schedule(() -> { ran.add("first"); done.countDown(); }, 0);
    Scheduler.system().schedule(() -> { ran.add("second"); done.countDown(); }, TimeUnit.MILLISECONDS.toNanos(150));
    Future<?> later = Scheduler.system().schedule(() -> ran.add("an hour later"), TimeUnit.HOURS.toNanos(1));
    passMillis(300);

    release.countDown();

    assertThat(done.await(DEADLINE_SECONDS, TimeUnit.SECONDS)).isTrue();
    assertThat(ran).containsExactly("first", "second", "third");
    assertThat(later.isDone()).isFalse();
    later.cancel(false);
  }

  @Test
  void aCancelledTaskNeverRunsAndAThrowingOneStopsNothing() throws InterruptedException {
    CountDownLatch release = blockTheWorker();
    List<String> ran = new CopyOnWriteArrayList<>();
    CountDownLatch after = new CountDownLatch(1);
    Future<?> cancelled = Scheduler.system().schedule(() -> ran.add("cancelled"), 0);
    Future<?> throwing = Scheduler.system().schedule(() -> {
      throw new IllegalStateException("task bug");
    }, 0);
    Scheduler.system().schedule(() -> { ran.add("after"); after.countDown(); }, 0);

    assertThat(cancelled.cancel(false)).isTrue();
    release.countDown();

    assertThat(after.await(DEADLINE_SECONDS, TimeUnit.SECONDS)).isTrue();
    assertThat(ran).containsExactly("after");
    assertThat(cancelled.isCancelled()).isTrue();
    assertThat(throwing.isDone()).isTrue();
  }

  @Test
  void theWorkerShrugsOffAnInterruptAndKeepsNothingOfItsFirstCaller() throws InterruptedException {
    AtomicReference<Thread> worker = new AtomicReference<>();
    CountDownLatch seen = new CountDownLatch(1);
    Scheduler.system().schedule(() -> {
      worker.set(Thread.currentThread());
      seen.countDown();
    }, 0);
    assertThat(seen.await(DEADLINE_SECONDS, TimeUnit.SECONDS)).isTrue();

    worker.get().interrupt();
    CountDownLatch ranAfterwards = new CountDownLatch(1);
    Scheduler.system().schedule(ranAfterwards::countDown, TimeUnit.MILLISECONDS.toNanos(1));

    assertThat(ranAfterwards.await(DEADLINE_SECONDS, TimeUnit.SECONDS)).isTrue();
    assertThat(worker.get().isDaemon()).isTrue();
    assertThat(worker.get().getThreadGroup().getParent()).isNull();
    assertThat(worker.get().getContextClassLoader()).isNull();
  }

  @Test
  void aFloodOfCancelledTimeoutsLeavesTheSchedulerRunningItsOtherTasks() throws InterruptedException {
    for (int i = 0; i < 3 * SystemScheduler.PURGE_AFTER; i++) {
      Scheduler.system().schedule(() -> {}, TimeUnit.HOURS.toNanos(1)).cancel(false);
    }
    CountDownLatch stillRunning = new CountDownLatch(1);
    Scheduler.system().schedule(stillRunning::countDown, 0);
    assertThat(stillRunning.await(DEADLINE_SECONDS, TimeUnit.SECONDS)).isTrue();
  }
}
