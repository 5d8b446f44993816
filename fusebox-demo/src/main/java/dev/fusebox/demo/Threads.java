package dev.fusebox.demo;

import dev.fusebox.internal.VirtualThreads;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The demo's threads: a virtual thread per task on Java 21 and later, else an unbounded pool of daemon
 * platform threads. The module is compiled for Java 17, so core's {@code VirtualThreads} finds the
 * virtual-thread factory at run time. Unbounded on purpose: the demo shows what a failing dependency does
 * to the threads of a service, so no pool may cap the damage before the reader sees it.
 */
final class Threads {

  private Threads() {}

  /** Returns whether this JVM has virtual threads. */
  static boolean virtual() {
    return VirtualThreads.available();
  }

  /** Returns an executor running each task on a thread of its own, named after {@code purpose}. */
  static ExecutorService perTask(String purpose) {
    ExecutorService virtual = VirtualThreads.perTaskExecutor();
    return virtual != null ? virtual : Executors.newCachedThreadPool(daemons(purpose));
  }

  /** Returns a factory of daemon threads named {@code purpose-1}, {@code purpose-2}, ... */
  static ThreadFactory daemons(String purpose) {
    AtomicInteger count = new AtomicInteger();
    return task -> {
      Thread thread = new Thread(task, purpose + "-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
