package dev.fusebox;

import dev.fusebox.internal.DaemonThreads;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The shared daemon scheduler behind {@link Scheduler#system()}: one thread, started on first use, that runs
 * tasks when they fall due.
 *
 * <p>Design note. {@link #schedule} runs on the threads of calls (a time limiter's timeout, a breaker
 * opening with its automatic transition on), so it takes no lock: it appends the task to a lock-free inbox
 * and wakes the worker only if the task is due before the worker means to wake. The worker alone owns the
 * queue of pending tasks, a plain priority queue. It publishes when it will wake next ({@code wakeAt}), then
 * looks at the inbox once more before it parks; a scheduler appends, then reads {@code wakeAt}. Both are
 * volatile accesses, so of a worker about to sleep and a task just appended at least one sees the other:
 * the worker finds the task, or the scheduler finds the worker asleep past it and unparks it. A cancelled
 * task stays queued until it falls due (and is then skipped), unless cancellations pile up: every
 * {@link #PURGE_AFTER}th one wakes the worker, which drops all cancelled tasks at once. So a time limiter
 * whose timeouts are nearly all cancelled keeps at most a few thousand dead tasks, as
 * {@code setRemoveOnCancelPolicy} kept none, without a lock per cancellation.
 *
 * <p>Like the coarse ticker's refresher, the worker starts in the root thread group with no inherited thread
 * locals and no context class loader, and it stops after {@link #IDLE_NANOS} with nothing to do, so that it
 * pins no class loader of an application that stopped using it; the next {@link #schedule} starts another.
 *
 * <p>This class is threadsafe.
 */
enum SystemScheduler implements Scheduler {
  INSTANCE;

  /** How long the worker waits with nothing scheduled before it stops. */
  static final long IDLE_NANOS = TimeUnit.SECONDS.toNanos(60);
  /** How many cancellations make the worker drop the cancelled tasks it still holds. */
  static final int PURGE_AFTER = 4096;

  private static final VarHandle WORKER;

  static {
    try {
      WORKER = MethodHandles.lookup().findVarHandle(SystemScheduler.class, "worker", Thread.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** A scheduled task: runs at {@code due} unless cancelled first. */
  private static final class Task extends FutureTask<Void> implements Comparable<Task> {
    final long due;
    final long sequence;

    Task(Runnable task, long due, long sequence) {
      super(task, null);
      this.due = due;
      this.sequence = sequence;
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      boolean cancelled = super.cancel(mayInterruptIfRunning);
      if (cancelled) {
        INSTANCE.cancelled();
      }
      return cancelled;
    }

    @Override
    public int compareTo(Task other) {
      long difference = due - other.due;
      return difference != 0 ? Long.signum(difference) : Long.compare(sequence, other.sequence);
    }
  }

  private final ConcurrentLinkedQueue<Task> inbox = new ConcurrentLinkedQueue<>();
  private final AtomicInteger cancellations = new AtomicInteger();
  private final AtomicLong sequence = new AtomicLong();
  /** The running worker, or null when none runs (not yet started, or stopped for idleness). */
  private volatile Thread worker;
  /** When the worker wakes next, by {@link System#nanoTime()}; meaningful while {@link #sleeping}. */
  private volatile long wakeAt;
  /** Whether the worker is, or is about to be, parked until {@link #wakeAt}. */
  private volatile boolean sleeping;

  @Override
  public Future<?> schedule(Runnable task, long delayNanos) {
    Task scheduled = new Task(task, System.nanoTime() + Math.max(0, delayNanos), sequence.getAndIncrement());
    inbox.offer(scheduled);
    Thread current = worker;
    if (current == null) {
      start();
    } else if (sleeping && scheduled.due - wakeAt < 0) {
      LockSupport.unpark(current);
    }
    return scheduled;
  }

  private void cancelled() {
    if (cancellations.incrementAndGet() % PURGE_AFTER == 0) {
      Thread current = worker;
      if (current != null) {
        LockSupport.unpark(current);
      }
    }
  }

  private void start() {
    Thread created = DaemonThreads.create("fusebox-scheduler", this::work);
    if (WORKER.compareAndSet(this, (Thread) null, created)) {
      created.start();
    }
  }

  /** The worker's loop: runs due tasks, sleeps until the next, stops when idle for long enough. */
  private void work() {
    PriorityQueue<Task> pending = new PriorityQueue<>();
    int purgedAt = cancellations.get();
    long idleSince = System.nanoTime();
    for (;;) {
      Thread.interrupted(); // nobody may stop the worker with an interrupt, or turn its parks into a spin
      for (Task task; (task = inbox.poll()) != null; ) {
        pending.add(task);
      }
      if (cancellations.get() - purgedAt >= PURGE_AFTER) {
        purgedAt = cancellations.get();
        pending.removeIf(Task::isCancelled);
      }
      long now = System.nanoTime();
      for (Task head; (head = pending.peek()) != null && head.due - now <= 0; ) {
        pending.poll();
        head.run(); // a FutureTask: the task's own exception stays in it and never reaches this loop
        now = System.nanoTime();
      }
      if (!pending.isEmpty()) {
        idleSince = now;
      } else if (now - idleSince >= IDLE_NANOS && stop()) {
        return;
      }
      long next = pending.isEmpty() ? idleSince + IDLE_NANOS : pending.peek().due;
      wakeAt = next;
      sleeping = true;
      if (inbox.isEmpty()) {
        LockSupport.parkNanos(this, next - System.nanoTime());
      }
      sleeping = false;
    }
  }

  /** Stops the worker unless a task arrived meanwhile; a task appended after that starts a new worker. */
  private boolean stop() {
    worker = null;
    if (inbox.isEmpty()) {
      return true;
    }
    // A task came in as the worker was leaving: carry on, unless a scheduler has started another worker.
    return !WORKER.compareAndSet(this, (Thread) null, Thread.currentThread());
  }

  @Override
  public String toString() {
    return "Scheduler.system()";
  }
}
