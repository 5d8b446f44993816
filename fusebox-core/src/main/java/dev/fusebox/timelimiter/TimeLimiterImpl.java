package dev.fusebox.timelimiter;

import dev.fusebox.internal.EventTime;
import dev.fusebox.Scheduler;
import dev.fusebox.Subscription;
import dev.fusebox.internal.Listeners;
import dev.fusebox.internal.Reconfigurations;
import dev.fusebox.internal.Outcomes;
import dev.fusebox.internal.VirtualThreads;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The time limiter.
 *
 * <p>Design note. A blocking call becomes a {@link FutureTask} run on a virtual thread or the configured
 * executor, and the caller parks in {@link FutureTask#get()}, which takes no monitor, so a virtual caller
 * never pins its carrier. The timeout is a task on the configured {@link Scheduler}: it sets a volatile
 * flag, then cancels the task (interrupting the worker when so configured). {@code FutureTask} makes
 * completion and cancellation race safely: exactly one wins, its interrupt never outlives the task's
 * {@code run}, and a caller who sees the cancellation also sees the flag written before it, so it can tell
 * a timeout from any other cancellation. The timer is scheduled before the task is launched, so a call
 * always has a timer that its completion can cancel. Asynchronous calls are handled by {@link TimedStage}.
 * Counters are {@link LongAdder}s; events are built only while somebody listens.
 */
final class TimeLimiterImpl implements TimeLimiter {

  @FunctionalInterface
  private interface Invoker {
    Object invoke(Object target, Object argument) throws Exception;
  }

  private static final Invoker SUPPLIER = (target, unused) -> ((Supplier<?>) target).get();
  private static final Invoker CALLABLE = (target, unused) -> ((Callable<?>) target).call();
  private static final Invoker RUNNABLE =
      (target, unused) -> {
        ((Runnable) target).run();
        return null;
      };

  @SuppressWarnings("unchecked")
  private static final Invoker FUNCTION = (target, argument) -> ((Function<Object, Object>) target).apply(argument);

  private final String name;
  /**
   * The options of one configuration. A call takes those current at its start and keeps them to its end, so
   * that {@link #reconfigure} applies from the next call on.
   */
  record Settings(
      TimeLimiterConfig config,
      long timeoutNanos,
      boolean cancelRunningFuture,
      Scheduler scheduler,
      Executor executor,
      String timeoutMessage) {

    static Settings of(String name, TimeLimiterConfig config) {
      return new Settings(
          config,
          config.timeoutDuration().toNanos(),
          config.cancelRunningFuture(),
          config.scheduler(),
          config.executorOrNull(),
          "TimeLimiter '" + name + "' timed out after " + config.timeoutDuration().toMillis() + " ms");
    }

    TimeoutException timeoutException() {
      return new TimeoutException(timeoutMessage);
    }
  }

  private volatile Settings settings;
  private final ThreadFactory virtualThreads;
  private final Listeners<TimeLimiterEvent> events;
  private final LongAdder successes = new LongAdder();
  private final LongAdder failures = new LongAdder();
  private final LongAdder timeouts = new LongAdder();

  TimeLimiterImpl(String name, TimeLimiterConfig config) {
    // The factory even with an executor: a reconfiguration may drop the executor later.
    this(name, config, name != null ? VirtualThreads.factory("fusebox-" + name + "-") : null);
  }

  /** For tests: {@code virtualThreads} stands for what the JVM offers, null for a JVM without them. */
  TimeLimiterImpl(String name, TimeLimiterConfig config, ThreadFactory virtualThreads) {
    Objects.requireNonNull(name, "name must not be null");
    if (name.isBlank()) {
      throw new IllegalArgumentException("name must not be blank, was '" + name + "'");
    }
    this.name = name;
    this.settings = Settings.of(name, Objects.requireNonNull(config, "config must not be null"));
    this.virtualThreads = virtualThreads;
    this.events = new Listeners<>("time limiter", name);
  }

  // ---------------------------------------------------------------------------------------------------
  // Blocking calls

  @Override
  @SuppressWarnings("unchecked")
  public <T> T executeCallable(Callable<T> callable) throws Exception {
    Objects.requireNonNull(callable, "callable must not be null");
    return (T) run(CALLABLE, callable, null, true);
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T> T executeSupplier(Supplier<T> supplier) {
    Objects.requireNonNull(supplier, "supplier must not be null");
    return (T) runUnchecked(SUPPLIER, supplier, null);
  }

  @Override
  public void executeRunnable(Runnable runnable) {
    Objects.requireNonNull(runnable, "runnable must not be null");
    runUnchecked(RUNNABLE, runnable, null);
  }

  private Object runUnchecked(Invoker invoker, Object target, Object argument) {
    try {
      return run(invoker, target, argument, false);
    } catch (Exception e) {
      throw Outcomes.rethrow(e);
    }
  }

  /** A blocking call, and the flag its timer raises before cancelling it. */
  private static final class BlockingCall extends FutureTask<Object> {
    volatile boolean timedOut;

    BlockingCall(Invoker invoker, Object target, Object argument) {
      super(() -> invoker.invoke(target, argument));
    }
  }

  private Object run(Invoker invoker, Object target, Object argument, boolean checkedInterrupt) throws Exception {
    Settings o = settings;
    Executor executor = o.executor();
    if (executor == null && virtualThreads == null) {
      throw new IllegalStateException(
          "TimeLimiter '" + name + "' cannot time a blocking call: this JVM (Java "
              + Runtime.version().feature()
              + ") has no virtual threads and no executor is configured; set one with "
              + "TimeLimiterConfig.builder().executor(...), or use executeCompletionStage");
    }
    BlockingCall call = new BlockingCall(invoker, target, argument);
    Future<?> timer = o.scheduler().schedule(() -> expire(call, o.cancelRunningFuture()), o.timeoutNanos());
    try {
      if (executor != null) {
        executor.execute(call);
      } else {
        virtualThreads.newThread(call).start();
      }
    } catch (RuntimeException | Error e) {
      timer.cancel(false);
      throw e;
    }
    try {
      Object result = call.get();
      timer.cancel(false);
      succeeded();
      return result;
    } catch (ExecutionException e) {
      timer.cancel(false);
      Throwable failure = e.getCause() != null ? e.getCause() : e;
      failed(failure);
      throw Outcomes.rethrow(failure);
    } catch (CancellationException e) {
      if (!call.timedOut) {
        throw e;
      }
      timedOut(o.cancelRunningFuture());
      throw o.timeoutException();
    } catch (InterruptedException e) {
      timer.cancel(false);
      call.cancel(true);
      if (checkedInterrupt) {
        throw e;
      }
      Thread.currentThread().interrupt();
      CancellationException cancelled =
          new CancellationException("TimeLimiter '" + name + "': the caller was interrupted while waiting");
      cancelled.initCause(e);
      throw cancelled;
    }
  }

  private static void expire(BlockingCall call, boolean cancelRunningFuture) {
    if (!call.isDone()) {
      call.timedOut = true;
      call.cancel(cancelRunningFuture);
    }
  }

  // ---------------------------------------------------------------------------------------------------
  // Asynchronous calls

  @Override
  public <T> CompletionStage<T> executeCompletionStage(Supplier<? extends CompletionStage<T>> supplier) {
    Objects.requireNonNull(supplier, "supplier must not be null");
    CompletionStage<T> stage;
    try {
      stage = supplier.get();
    } catch (Throwable e) {
      failed(e);
      return CompletableFuture.failedFuture(e);
    }
    if (stage == null) {
      NullPointerException npe = new NullPointerException("the supplier returned a null CompletionStage");
      failed(npe);
      return CompletableFuture.failedFuture(npe);
    }
    if (stage instanceof CompletableFuture<T> done && done.isDone()) {
      // Complete before any timer could run: in time by definition, so none is scheduled (a timer costs
      // more than the rest of the call). A success hands over the call's own stage, already complete.
      if (!done.isCompletedExceptionally()) {
        succeeded();
        return done;
      }
      CompletableFuture<T> failure = new CompletableFuture<>();
      done.whenComplete((value, thrown) -> {
        Throwable cause = Outcomes.unwrap(thrown);
        failed(cause);
        failure.completeExceptionally(cause);
      });
      return failure;
    }
    TimedStage<T> timed = new TimedStage<>(this, settings, stage);
    timed.start();
    return timed;
  }

  // ---------------------------------------------------------------------------------------------------
  // Decorators

  @Override
  @SuppressWarnings("unchecked")
  public <T> Callable<T> decorateCallable(Callable<T> callable) {
    Objects.requireNonNull(callable, "callable must not be null");
    return () -> (T) run(CALLABLE, callable, null, true);
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T> Supplier<T> decorateSupplier(Supplier<T> supplier) {
    Objects.requireNonNull(supplier, "supplier must not be null");
    return () -> (T) runUnchecked(SUPPLIER, supplier, null);
  }

  @Override
  public Runnable decorateRunnable(Runnable runnable) {
    Objects.requireNonNull(runnable, "runnable must not be null");
    return () -> runUnchecked(RUNNABLE, runnable, null);
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T, R> Function<T, R> decorateFunction(Function<T, R> function) {
    Objects.requireNonNull(function, "function must not be null");
    return argument -> (R) runUnchecked(FUNCTION, function, argument);
  }

  // ---------------------------------------------------------------------------------------------------
  // Manual API

  @Override
  public void onSuccess() {
    succeeded();
  }

  @Override
  public void onError(Throwable error) {
    Objects.requireNonNull(error, "error must not be null");
    failed(error);
  }

  @Override
  public TimeoutException onTimeout(boolean cancelled) {
    timedOut(cancelled);
    return settings.timeoutException();
  }

  // ---------------------------------------------------------------------------------------------------
  // Outcomes

  void succeeded() {
    successes.increment();
    if (!events.isEmpty()) {
      events.publish(new TimeLimiterEvent.Success(name, EventTime.now()));
    }
  }

  void failed(Throwable failure) {
    failures.increment();
    if (!events.isEmpty()) {
      events.publish(new TimeLimiterEvent.Failure(name, EventTime.now(), failure));
    }
  }

  void timedOut(boolean cancelled) {
    timeouts.increment();
    if (!events.isEmpty()) {
      events.publish(new TimeLimiterEvent.Timeout(name, EventTime.now(), cancelled));
    }
  }

  // ---------------------------------------------------------------------------------------------------
  // Introspection

  @Override
  public String name() {
    return name;
  }

  @Override
  public TimeLimiterConfig config() {
    return settings.config();
  }

  @Override
  public synchronized void reconfigure(TimeLimiterConfig next) {
    // The lock serializes reconfigurations only; calls never take it.
    Objects.requireNonNull(next, "config must not be null");
    TimeLimiterConfig previous = settings.config();
    settings = Settings.of(name, next);
    Reconfigurations.log("Time limiter", name, next);
    if (!events.isEmpty()) {
      events.publish(new TimeLimiterEvent.ConfigurationChanged(name, EventTime.now(), previous, next));
    }
  }

  @Override
  public Metrics metrics() {
    return new TimeLimiterMetricsSnapshot(successes.sum(), failures.sum(), timeouts.sum());
  }

  @Override
  public boolean supportsBlockingCalls() {
    return settings.executor() != null || virtualThreads != null;
  }

  @Override
  public Subscription onEvent(Consumer<? super TimeLimiterEvent> listener) {
    return events.subscribe(listener);
  }

  @Override
  public String toString() {
    return "TimeLimiter[" + name + "]";
  }
}
