package dev.fusebox;

import java.util.Objects;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs a task after a delay, for the policies that wait without holding a thread: asynchronous retries,
 * time limits on asynchronous calls, injected latency.
 *
 * <p>{@link #system()} is a shared daemon scheduler, created on first use; {@link #of} adapts an executor
 * the application already manages. Tests pass a scheduler driven by the same hand-moved {@link Ticker}.
 *
 * <pre>{@code
 * RetryConfig config = RetryConfig.builder()
 *     .scheduler(Scheduler.of(applicationScheduledExecutor))
 *     .build();
 * }</pre>
 *
 * <p>Implementations must be threadsafe, and must not run the task on the calling thread.
 */
@FunctionalInterface
public interface Scheduler {

  /**
   * Runs {@code task} once, after {@code delayNanos} nanoseconds (at once if not positive).
   *
   * @param task what to run, once
   * @param delayNanos how long from now, in nanoseconds
   * @return a future whose {@code cancel} prevents the task from running if it has not started
   */
  Future<?> schedule(Runnable task, long delayNanos);

  /**
   * Returns the shared scheduler: one daemon thread per JVM, created on first use and stopped after a
   * minute with nothing scheduled, that only hands tasks over; tasks must be short or hand their work to
   * another executor. Scheduling and cancelling take no lock, so a call path may schedule (a time limit, a
   * breaker's automatic transition) without one.
   *
   * @return the shared scheduler: one daemon thread per JVM, created on first use and stopped after a minute
   *     with nothing scheduled, that only hands tasks over; tasks must be short or hand their work to another
   *     executor
   */
  static Scheduler system() {
    return SystemScheduler.INSTANCE;
  }

  /**
   * Returns a scheduler backed by the given executor, which the caller keeps owning and shuts down.
   *
   * @param executor runs the tasks; the caller keeps owning it and shuts it down
   * @return a scheduler backed by the given executor, which the caller keeps owning and shuts down
   */
  static Scheduler of(ScheduledExecutorService executor) {
    Objects.requireNonNull(executor, "executor must not be null");
    return (task, delayNanos) -> executor.schedule(task, Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
  }
}
