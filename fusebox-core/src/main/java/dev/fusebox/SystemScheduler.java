package dev.fusebox;

import java.util.concurrent.Future;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/** The shared daemon scheduler behind {@link Scheduler#system()}; its thread starts on first use. */
enum SystemScheduler implements Scheduler {
  INSTANCE;

  private final ScheduledThreadPoolExecutor executor;

  SystemScheduler() {
    executor =
        new ScheduledThreadPoolExecutor(
            1,
            task -> {
              Thread thread = new Thread(task, "fusebox-scheduler");
              thread.setDaemon(true);
              thread.setContextClassLoader(null);
              return thread;
            });
    // Cancelled timeouts are the common case (the call finished first); do not keep them queued.
    executor.setRemoveOnCancelPolicy(true);
  }

  @Override
  public Future<?> schedule(Runnable task, long delayNanos) {
    return executor.schedule(task, Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
  }

  @Override
  public String toString() {
    return "Scheduler.system()";
  }
}
