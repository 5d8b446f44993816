package dev.fusebox.dashboard;

import dev.fusebox.internal.VirtualThreads;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads of the standalone server.
 *
 * <p>Each open event stream holds its thread for as long as the page is open. On Java 21 and later every
 * request gets a virtual thread, which costs next to nothing while it waits; the module is compiled for
 * Java 17, so core's {@code VirtualThreads} finds the factory at run time. Before 21, a fixed pool of daemon threads serves, sized
 * so that the largest number of open streams still leaves threads for the page's other requests.
 */
final class Threads {

  private Threads() {}

  static ExecutorService serverExecutor(int platformThreads) {
    ExecutorService virtual = VirtualThreads.perTaskExecutor();
    if (virtual != null) {
      return virtual;
    }
    AtomicInteger count = new AtomicInteger();
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            platformThreads,
            platformThreads,
            30,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            task -> {
              Thread thread = new Thread(task, "fusebox-dashboard-http-" + count.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }
}
