package dev.fusebox.internal;

/**
 * Starts the few threads of Fusebox's own (the coarse ticker's refresher, the shared scheduler's worker) so
 * that they keep nothing of the caller that happens to start them: the root thread group rather than the
 * caller's (an application server's, say), no inherited thread locals, no context class loader.
 *
 * <p>Not API: {@code dev.fusebox.internal} is not exported.
 */
public final class DaemonThreads {

  private DaemonThreads() {}

  /**
   * Returns a daemon thread, not yet started, that runs {@code body}.
   *
   * @param name the thread's name, shown in thread dumps
   * @param body what the thread runs
   * @return a daemon thread, not yet started, that runs {@code body}
   */
  public static Thread create(String name, Runnable body) {
    Thread thread = new Thread(rootGroup(), body, name, 0, false);
    thread.setDaemon(true);
    thread.setContextClassLoader(null);
    return thread;
  }

  private static ThreadGroup rootGroup() {
    ThreadGroup group = Thread.currentThread().getThreadGroup();
    try {
      while (group.getParent() != null) {
        group = group.getParent();
      }
    } catch (SecurityException e) {
      // A security manager that hides the parent groups: stay in the highest group it lets us see.
    }
    return group;
  }
}
