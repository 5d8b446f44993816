package dev.fusebox.demo;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * How many threads are inside one route's call to the upstream right now, and the most there have been
 * since the last {@link #takePeak()}: the threads a failing dependency holds hostage.
 *
 * <p>Lock-free: the count is one atomic integer, the peak another raised by CAS; a peak taken while a thread
 * enters may miss that thread, and the next period counts it. Threadsafe.
 */
final class BlockedThreads {

  private final AtomicInteger inside = new AtomicInteger();
  private final AtomicInteger peak = new AtomicInteger();

  void enter() {
    int now = inside.incrementAndGet();
    peak.accumulateAndGet(now, Math::max);
  }

  void exit() {
    inside.decrementAndGet();
  }

  /** Returns the threads inside now. */
  int now() {
    return inside.get();
  }

  /** Returns the peak since the previous call, and starts the next period at the current count. */
  int takePeak() {
    return peak.getAndSet(inside.get());
  }

  /** Returns the peak of the current period without ending it. */
  int peek() {
    return peak.get();
  }
}
