package dev.fusebox.dashboard;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The last samples of one policy instance, for the dashboard's charts: a fixed-size ring that one thread
 * (the sampler) writes and any thread reads.
 *
 * <p>Design note. Samples are immutable and carry their tick. The writer stores a sample in its slot, then
 * publishes the new count through a volatile write; a reader reads the count first, so it sees every
 * sample up to that count. A slot the writer overwrites while a reader walks the ring holds a newer sample
 * than the reader expected there, never a duplicate (each slot holds one sample at a time); sorting by tick
 * puts it in its place, so a snapshot is always in tick order, at worst missing its oldest entries. Memory is bounded by the capacity, whatever the uptime.
 */
final class SampleRing {

  /**
   * One sampling interval of one instance: rates per second computed from the cumulative counters.
   *
   * @param tick the sampler's tick that took it
   * @param calls calls that ran, per second (successful, failed and ignored)
   * @param failed failed calls per second
   * @param rejected rejected calls per second
   */
  record Sample(long tick, double calls, double failed, double rejected) {}

  private final AtomicReferenceArray<Sample> slots;
  private volatile long count;

  SampleRing(int capacity) {
    this.slots = new AtomicReferenceArray<>(capacity);
  }

  /** Adds a sample; called by the sampler thread only. */
  void add(Sample sample) {
    long n = count;
    slots.lazySet((int) (n % slots.length()), sample);
    count = n + 1;
  }

  /** Returns the newest sample, or null if there is none. */
  Sample latest() {
    long n = count;
    return n == 0 ? null : slots.get((int) ((n - 1) % slots.length()));
  }

  /** Returns the samples held, oldest first, each tick at most once. */
  List<Sample> snapshot() {
    long n = count;
    int capacity = slots.length();
    List<Sample> samples = new ArrayList<>(capacity);
    for (long i = Math.max(0, n - capacity); i < n; i++) {
      Sample sample = slots.get((int) (i % capacity));
      if (sample != null) {
        samples.add(sample);
      }
    }
    // A slot overwritten during the walk holds a newer sample than its neighbours: order by tick.
    samples.sort(Comparator.comparingLong(Sample::tick));
    return samples;
  }

  int capacity() {
    return slots.length();
  }
}
