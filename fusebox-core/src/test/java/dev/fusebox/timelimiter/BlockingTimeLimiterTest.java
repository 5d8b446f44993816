package dev.fusebox.timelimiter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.fusebox.testing.ManualScheduler;
import dev.fusebox.testing.ManualTicker;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;

/**
 * Blocking calls: the caller waits on its own thread while the test moves the scheduler, so every timeout
 * here is fired by hand. The latches' time limits only keep a broken build from hanging.
 */
class BlockingTimeLimiterTest {

  private static final long SAFETY_SECONDS = 30;

  private final ManualScheduler scheduler = new ManualScheduler(new ManualTicker());
  private final ExecutorService workers = Executors.newCachedThreadPool();
  private final ExecutorService callers = Executors.newCachedThreadPool();
  private final List<TimeLimiterEvent> events = new CopyOnWriteArrayList<>();

  @AfterEach
  void stopThreads() {
    workers.shutdownNow();
    callers.shutdownNow();
  }

  private TimeLimiter limiter(TimeLimiterConfig.Builder config) {
    TimeLimiter limiter = TimeLimiter.of("blocking", config.scheduler(scheduler).executor(workers).build());
    limiter.onEvent(events::add);
    return limiter;
  }

  /** A call that signals it started and then blocks until interrupted, recording the interrupt. */
  private static final class Hanging implements Callable<String> {
    final CountDownLatch started = new CountDownLatch(1);
    final CountDownLatch interrupted = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    volatile Thread thread;

    @Override
    public String call() throws InterruptedException {
      thread = Thread.currentThread();
      started.countDown();
      try {
        release.await();
        return "released";
      } catch (InterruptedException e) {
        interrupted.countDown();
        throw e;
      }
    }

    void awaitStart() throws InterruptedException {
      assertThat(started.await(SAFETY_SECONDS, TimeUnit.SECONDS)).isTrue();
    }
  }

  private Future<Throwable> callInBackground(Callable<?> call) {
    return callers.submit(() -> catchThrowable(call::call));
  }

  @Test
  void returnsTheResultOfACallThatFinishesInTimeAndCancelsTheTimer() throws Exception {
    TimeLimiter limiter = limiter(TimeLimiterConfig.builder());
    assertThat(limiter.executeCallable(() -> Thread.currentThread().getName())).isNotEqualTo(Thread.currentThread().getName());
    assertThat(scheduler.pending()).isZero();
    assertThat(limiter.metrics().numberOfSuccessfulCalls()).isEqualTo(1);
    assertThat(events).singleElement().isInstanceOf(TimeLimiterEvent.Success.class);
  }

  @Test
  void rethrowsTheCallsOwnExceptionUnchanged() {
    TimeLimiter limiter = limiter(TimeLimiterConfig.builder());
    IOException io = new IOException("disk");
    assertThat(catchThrowable(() -> limiter.executeCallable(() -> {
      throw io;
    }))).isSameAs(io);
    IllegalStateException state = new IllegalStateException("state");
    assertThat(catchThrowable(() -> limiter.executeSupplier(() -> {
      throw state;
    }))).isSameAs(state);
    assertThat(limiter.metrics().numberOfFailedCalls()).isEqualTo(2);
    assertThat(scheduler.pending()).isZero();
  }

  @Test
  void timesOutWhenTheSchedulerFiresAndInterruptsTheWorker() throws Exception {
    TimeLimiter limiter = limiter(TimeLimiterConfig.builder().timeoutDuration(Duration.ofMillis(800)));
    Hanging hanging = new Hanging();
    Future<Throwable> outcome = callInBackground(() -> limiter.executeCallable(hanging));
    hanging.awaitStart();

    scheduler.advance(Duration.ofMillis(799));
    assertThat(outcome.isDone()).isFalse();
    scheduler.advance(Duration.ofMillis(1));

    assertThat(outcome.get(SAFETY_SECONDS, TimeUnit.SECONDS)).isInstanceOf(TimeoutException.class)
        .hasMessage("TimeLimiter 'blocking' timed out after 800 ms");
    assertThat(hanging.interrupted.await(SAFETY_SECONDS, TimeUnit.SECONDS)).isTrue();
    assertThat(limiter.metrics().numberOfTimedOutCalls()).isEqualTo(1);
    assertThat(events).singleElement().isInstanceOfSatisfying(TimeLimiterEvent.Timeout.class,
        e -> assertThat(e.cancelled()).isTrue());
  }

  @Test
  void leavesTheWorkerRunningWhenCancelRunningFutureIsOff() throws Exception {
    TimeLimiter limiter = limiter(TimeLimiterConfig.builder().cancelRunningFuture(false));
    Hanging hanging = new Hanging();
    Future<Throwable> outcome = callInBackground(() -> limiter.executeCallable(hanging));
    hanging.awaitStart();
    scheduler.advance(Duration.ofSeconds(1));
    assertThat(outcome.get(SAFETY_SECONDS, TimeUnit.SECONDS)).isInstanceOf(TimeoutException.class);
    assertThat(hanging.interrupted.getCount()).isEqualTo(1);
    assertThat(hanging.thread.isInterrupted()).isFalse();
    hanging.release.countDown();
    assertThat(limiter.metrics().numberOfSuccessfulCalls()).isZero();
  }

  @Test
  void theSupplierVariantThrowsTheTimeoutExceptionUndeclared() throws Exception {
    TimeLimiter limiter = limiter(TimeLimiterConfig.builder());
    Hanging hanging = new Hanging();
    Supplier<String> decorated = limiter.decorateSupplier(() -> {
      try {
        return hanging.call();
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    Future<Throwable> outcome = callers.submit(() -> catchThrowable(decorated::get));
    hanging.awaitStart();
    scheduler.advance(Duration.ofSeconds(1));
    assertThat(outcome.get(SAFETY_SECONDS, TimeUnit.SECONDS)).isInstanceOf(TimeoutException.class);
  }

  @Test
  void anInterruptedCallerCancelsTheCall() throws Exception {
    TimeLimiter limiter = limiter(TimeLimiterConfig.builder());
    Hanging checked = new Hanging();
    AtomicReference<Thread> caller = new AtomicReference<>();
    Future<Throwable> outcome = callInBackground(() -> {
      caller.set(Thread.currentThread());
      return limiter.executeCallable(checked);
    });
    checked.awaitStart();
    caller.get().interrupt();
    assertThat(outcome.get(SAFETY_SECONDS, TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class);
    assertThat(checked.interrupted.await(SAFETY_SECONDS, TimeUnit.SECONDS)).isTrue();
    assertThat(scheduler.pending()).isZero();
  }

  @Test
  void anInterruptedSupplierCallerGetsACancellationWithTheFlagRestored() throws Exception {
    TimeLimiter limiter = limiter(TimeLimiterConfig.builder());
    Hanging hanging = new Hanging();
    AtomicReference<Thread> caller = new AtomicReference<>();
    Future<Object[]> outcome = callers.submit(() -> {
      caller.set(Thread.currentThread());
      Throwable thrown = catchThrowable(() -> limiter.executeRunnable(() -> {
        try {
          hanging.call();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }));
      return new Object[] {thrown, Thread.interrupted()};
    });
    hanging.awaitStart();
    caller.get().interrupt();
    Object[] result = outcome.get(SAFETY_SECONDS, TimeUnit.SECONDS);
    assertThat((Throwable) result[0]).isInstanceOf(CancellationException.class)
        .hasCauseInstanceOf(InterruptedException.class);
    assertThat(result[1]).isEqualTo(true);
  }

  @Test
  void functionsAreTimedWithTheirArgument() {
    TimeLimiter limiter = limiter(TimeLimiterConfig.builder());
    assertThat(limiter.decorateFunction((Integer x) -> x * 2).apply(21)).isEqualTo(42);
  }

  // ---------------------------------------------------------------------------------------------------
  // Where blocking calls run

  @Test
  void runsBlockingCallsOnVirtualThreadsWhenNoExecutorIsConfigured() throws Exception {
    List<Thread> made = new ArrayList<>();
    ThreadFactory fakeVirtual = task -> {
      Thread thread = new Thread(task, "virtual-stand-in");
      made.add(thread);
      return thread;
    };
    TimeLimiter limiter = new TimeLimiterImpl("vt", TimeLimiterConfig.builder().scheduler(scheduler).build(), fakeVirtual);
    assertThat(limiter.supportsBlockingCalls()).isTrue();
    assertThat(limiter.executeCallable(() -> Thread.currentThread().getName())).isEqualTo("virtual-stand-in");
    assertThat(made).hasSize(1);
  }

  @Test
  void saysClearlyThatBlockingCallsNeedAnExecutorWithoutVirtualThreads() {
    TimeLimiter limiter = new TimeLimiterImpl("old-jvm", TimeLimiterConfig.builder().scheduler(scheduler).build(), null);
    assertThat(limiter.supportsBlockingCalls()).isFalse();
    assertThatThrownBy(() -> limiter.executeCallable(() -> "x"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("TimeLimiter 'old-jvm' cannot time a blocking call: this JVM (Java ")
        .hasMessageEndingWith("has no virtual threads and no executor is configured; set one with "
            + "TimeLimiterConfig.builder().executor(...), or use executeCompletionStage");
    assertThat(scheduler.pending()).isZero();
  }

  @Test
  @EnabledForJreRange(min = JRE.JAVA_21)
  void findsTheJvmsVirtualThreadsAtRunTime() throws Exception {
    TimeLimiter limiter = TimeLimiter.of("real-vt", TimeLimiterConfig.builder().scheduler(scheduler).build());
    assertThat(limiter.supportsBlockingCalls()).isTrue();
    Boolean virtual = limiter.executeCallable(() -> (Boolean) Thread.class.getMethod("isVirtual").invoke(Thread.currentThread()));
    assertThat(virtual).isTrue();
  }

  @Test
  @EnabledForJreRange(max = JRE.JAVA_20)
  void findsNoVirtualThreadsBeforeJava21() {
    TimeLimiter limiter = TimeLimiter.of("no-vt", TimeLimiterConfig.builder().scheduler(scheduler).build());
    assertThat(limiter.supportsBlockingCalls()).isFalse();
    assertThatThrownBy(() -> limiter.executeCallable(() -> "x")).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aRejectingExecutorReachesTheCallerAndLeavesNoTimer() {
    ExecutorService closed = Executors.newSingleThreadExecutor();
    closed.shutdown();
    TimeLimiter limiter = TimeLimiter.of("closed", TimeLimiterConfig.builder().scheduler(scheduler).executor(closed).build());
    assertThatThrownBy(() -> limiter.executeCallable(() -> "x"))
        .isInstanceOf(java.util.concurrent.RejectedExecutionException.class);
    assertThat(scheduler.pending()).isZero();
  }
}
