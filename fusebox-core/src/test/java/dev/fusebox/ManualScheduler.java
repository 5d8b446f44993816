package dev.fusebox;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;

/**
 * A scheduler on a {@link ManualTicker}: tasks run when a test moves time past their due time, on the
 * test's thread, in due order.
 */
public final class ManualScheduler implements Scheduler {

  private record Entry(long due, long sequence, Runnable task, CompletableFuture<Void> future) {}

  private final ManualTicker ticker;
  private final PriorityQueue<Entry> queue =
      new PriorityQueue<>((a, b) -> a.due != b.due ? Long.compare(a.due, b.due) : Long.compare(a.sequence, b.sequence));
  private long sequence;

  public ManualScheduler(ManualTicker ticker) {
    this.ticker = ticker;
  }

  public ManualTicker ticker() {
    return ticker;
  }

  @Override
  public synchronized Future<?> schedule(Runnable task, long delayNanos) {
    CompletableFuture<Void> future = new CompletableFuture<>();
    queue.add(new Entry(ticker.nanos() + Math.max(0, delayNanos), sequence++, task, future));
    return future;
  }

  /** Moves time forward and runs every task that falls due, each at its own due time. */
  public void advance(Duration duration) {
    long target = ticker.nanos() + duration.toNanos();
    for (;;) {
      Entry next;
      synchronized (this) {
        next = queue.peek();
        if (next == null || next.due > target) {
          break;
        }
        queue.poll();
      }
      if (next.due > ticker.nanos()) {
        ticker.set(next.due);
      }
      if (!next.future.isCancelled()) {
        next.task.run();
        next.future.complete(null);
      }
    }
    if (ticker.nanos() < target) {
      ticker.set(target);
    }
  }

  /** Runs every task due now. */
  public void runDue() {
    advance(Duration.ZERO);
  }

  /** Returns how many tasks wait, cancelled ones included. */
  public synchronized int pending() {
    return (int) queue.stream().filter(e -> !e.future.isCancelled()).count();
  }

  /** Returns the delays, from now, of the waiting tasks. */
  public synchronized List<Duration> pendingDelays() {
    List<Duration> delays = new ArrayList<>();
    queue.stream()
        .filter(e -> !e.future.isCancelled())
        .sorted((a, b) -> Long.compare(a.due, b.due))
        .forEach(e -> delays.add(Duration.ofNanos(e.due - ticker.nanos())));
    return delays;
  }
}
