package dev.fusebox.internal;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs submitted tasks one at a time and in submission order, on the submitting threads, without a lock
 * and without a thread of its own.
 *
 * <p>Design note. A submitter enqueues its task, then tries to become the drainer with a CAS; the drainer
 * runs tasks until the queue is empty, then steps down and checks once more, so a task enqueued just as it
 * stepped down is not stranded. A submitter that finds another drainer at work returns at once: its task
 * runs shortly, on the drainer's thread, after every task submitted before it. A task submitted from inside
 * a running task (a listener that moves the breaker again) is queued behind it instead of nesting. Tasks
 * must not throw; {@link Listeners#publish} never does.
 *
 * <p>This class is threadsafe.
 */
public final class OrderedDelivery {

  private final ConcurrentLinkedQueue<Runnable> queue = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean draining = new AtomicBoolean();

  /**
   * Queues the task and runs the queue if no other thread is running it.
   *
   * @param task what to run, after every task submitted before it
   */
  public void submit(Runnable task) {
    queue.add(task);
    while (!queue.isEmpty() && draining.compareAndSet(false, true)) {
      try {
        Runnable next;
        while ((next = queue.poll()) != null) {
          next.run();
        }
      } finally {
        draining.set(false);
      }
    }
  }
}
