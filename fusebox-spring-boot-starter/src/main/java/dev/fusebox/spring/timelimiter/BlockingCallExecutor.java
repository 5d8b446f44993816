package dev.fusebox.spring.timelimiter;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.beans.factory.DisposableBean;

/**
 * The threads on which time limiters run blocking calls on Java 17 to 20, which have no virtual threads
 * (on Java 21 and later the core uses a virtual thread per call and this executor is never used). A
 * cached pool of daemon threads, which starts none until the first call and is shut down with the application
 * context.
 */
final class BlockingCallExecutor implements java.util.concurrent.Executor, DisposableBean {

  private final AtomicInteger count = new AtomicInteger();
  // A cached pool starts no thread until the first task.
  private final ExecutorService pool =
      Executors.newCachedThreadPool(
          task -> {
            Thread thread = new Thread(task, "fusebox-timelimiter-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
          });

  static boolean virtualThreadsAvailable() {
    try {
      Thread.class.getMethod("ofVirtual");
      return true;
    } catch (NoSuchMethodException e) {
      return false;
    }
  }

  @Override
  public void execute(Runnable command) {
    pool.execute(command);
  }

  @Override
  public void destroy() {
    pool.shutdownNow();
  }
}
