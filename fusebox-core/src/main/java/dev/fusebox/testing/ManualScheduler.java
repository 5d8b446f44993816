package dev.fusebox.testing;

import dev.fusebox.Scheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@link Scheduler} on a {@link ManualTicker}: scheduled tasks run when the test moves time past their
 * due time, on the test's thread, in due order; the ticker reads each task's due time while it runs.
 *
 * <pre>{@code
 * ManualTicker ticker = new ManualTicker();
 * ManualScheduler scheduler = new ManualScheduler(ticker);
 * TimeLimiter limiter = TimeLimiter.of("slow", TimeLimiterConfig.builder().scheduler(scheduler).build());
 * CompletionStage<String> stage = limiter.executeCompletionStage(() -> neverCompletes);
 * scheduler.advance(Duration.ofSeconds(1));   // the timeout fires here
 * }</pre>
 *
 * <p>Due times are compared by the sign of their difference, as ticker readings must be, so tasks fall due
 * in order across {@link Long#MAX_VALUE} too.
 *
 * <p>This class is threadsafe; tasks run outside its lock.
 */
public final class ManualScheduler implements Scheduler {

  private record Entry(long due, long sequence, Runnable task, CompletableFuture<Void> future) {}

  private final ManualTicker ticker;
  private final ReentrantLock lock = new ReentrantLock();
  private final PriorityQueue<Entry> queue =
      new PriorityQueue<>((a, b) -> a.due != b.due ? Long.signum(a.due - b.due) : Long.compare(a.sequence, b.sequence));
  private long sequence;

  /**
   * Creates a scheduler that runs in the time of {@code ticker}.
   *
   * @param ticker the time the tasks fall due in; {@link #advance} moves it
   */
  public ManualScheduler(ManualTicker ticker) {
    this.ticker = Objects.requireNonNull(ticker, "ticker must not be null");
  }

  /**
   * Returns the ticker this scheduler runs on.
   *
   * @return the ticker this scheduler runs on
   */
  public ManualTicker ticker() {
    return ticker;
  }

  @Override
  public Future<?> schedule(Runnable task, long delayNanos) {
    Objects.requireNonNull(task, "task must not be null");
    CompletableFuture<Void> future = new CompletableFuture<>();
    lock.lock();
    try {
      queue.add(new Entry(ticker.nanos() + Math.max(0, delayNanos), sequence++, task, future));
    } finally {
      lock.unlock();
    }
    return future;
  }

  /**
   * Moves time forward by {@code duration}, running every task that falls due, each at its due time.
   *
   * @param duration how far to move; not negative
   */
  public void advance(Duration duration) {
    long target = ticker.nanos() + duration.toNanos();
    for (;;) {
      Entry next;
      lock.lock();
      try {
        next = queue.peek();
        if (next == null || next.due - target > 0) {
          break;
        }
        queue.poll();
      } finally {
        lock.unlock();
      }
      if (next.due - ticker.nanos() > 0) {
        ticker.set(next.due);
      }
      if (!next.future.isCancelled()) {
        next.task.run();
        next.future.complete(null);
      }
    }
    if (ticker.nanos() - target < 0) {
      ticker.set(target);
    }
  }

  /** Runs every task due now. */
  public void runDue() {
    advance(Duration.ZERO);
  }

  /**
   * Returns how many tasks are waiting and not cancelled.
   *
   * @return how many tasks are waiting and not cancelled
   */
  public int pending() {
    return pendingDelays().size();
  }

  /**
   * Returns the delays, from now, of the waiting tasks that are not cancelled, soonest first.
   *
   * @return the delays, from now, of the waiting tasks that are not cancelled, soonest first
   */
  public List<Duration> pendingDelays() {
    lock.lock();
    try {
      List<Duration> delays = new ArrayList<>();
      queue.stream()
          .filter(e -> !e.future.isCancelled())
          .sorted((a, b) -> Long.signum(a.due - b.due))
          .forEach(e -> delays.add(Duration.ofNanos(e.due - ticker.nanos())));
      return delays;
    } finally {
      lock.unlock();
    }
  }
}
