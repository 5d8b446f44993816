package dev.fusebox.dashboard;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The last samples of one policy other than a breaker (a retry, a bulkhead, a chaos policy...), for the
 * dashboard's charts: like {@link SampleRing}, with as many series as the policy's panel declares.
 *
 * <p>Design note: the same as {@link SampleRing}'s. One writer (the sampler) stores an immutable point in
 * its slot, then publishes the count through a volatile write; readers read the count first, walk the
 * slots, and sort by tick, so a slot overwritten during the walk never appears out of order or twice.
 */
final class PointRing {

  /**
   * One sampling interval: a value per series, in the order the panel declares them.
   *
   * @param tick the sampler's tick that took it
   * @param values one value per series (never modified once published)
   */
  record Point(long tick, double[] values) {}

  private final AtomicReferenceArray<Point> slots;
  private volatile long count;

  PointRing(int capacity) {
    this.slots = new AtomicReferenceArray<>(capacity);
  }

  /** Adds a point; called by the sampler thread only. */
  void add(Point point) {
    long n = count;
    slots.lazySet((int) (n % slots.length()), point);
    count = n + 1;
  }

  /** Returns the newest point, or null if there is none. */
  Point latest() {
    long n = count;
    return n == 0 ? null : slots.get((int) ((n - 1) % slots.length()));
  }

  /** Returns the points held, oldest first. */
  List<Point> snapshot() {
    long n = count;
    int capacity = slots.length();
    List<Point> points = new ArrayList<>(capacity);
    for (long i = Math.max(0, n - capacity); i < n; i++) {
      Point point = slots.get((int) (i % capacity));
      if (point != null) {
        points.add(point);
      }
    }
    points.sort(Comparator.comparingLong(Point::tick));
    return points;
  }
}
