package dev.fusebox.reactor;

import java.util.concurrent.CyclicBarrier;

/** Runs two actions at the same moment on two threads, for tests of what must happen exactly once. */
final class Races {

  private Races() {}

  static void race(Runnable first, Runnable second) {
    CyclicBarrier start = new CyclicBarrier(2);
    Throwable[] failure = new Throwable[1];
    Thread other = new Thread(() -> {
      try {
        start.await();
        second.run();
      } catch (Throwable e) {
        failure[0] = e;
      }
    });
    other.start();
    try {
      start.await();
      first.run();
      other.join();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    if (failure[0] != null) {
      throw new AssertionError(failure[0]);
    }
  }
}
