package dev.fusebox.dashboard;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The last samples of one policy instance, for the dashboard's charts: a fixed-size ring that one thread
 * (the sampler) writes and any thread reads. Every panel keeps its instances' samples in one, with as many
 * series as it declares (a breaker: calls, failed and rejected per second).
 *
 * <p>Design note. Samples are immutable and carry their tick. The writer stores a sample in its slot, then
 * publishes the new count through a volatile write; a reader reads the count first, so it sees every
 * sample up to that count. A slot the writer overwrites while a reader walks the ring holds a newer sample
 * than the reader expected there, never a duplicate (each slot holds one sample at a time); sorting by tick
 * puts it in its place, so a snapshot is always in tick order, at worst missing its oldest entries. Memory
 * is bounded by the capacity, whatever the uptime.
 */
final class SampleRing {

  /**
   * One sampling interval of one instance: a value per series, in the order its panel declares them (a
   * rate per second computed from a cumulative counter, or a gauge as read).
   *
   * @param tick the sampler's tick that took it
   * @param values one value per series (never modified once published)
   */
  record Sample(long tick, double[] values) {}

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

  /**
   * Writes the member {@code rates}: the newest sample's values by series name, with its tick, or null
   * before the first sample.
   */
  void writeRates(List<String> series, JsonWriter json) {
    Sample latest = latest();
    json.name("rates");
    if (latest == null) {
      json.nullValue();
      return;
    }
    json.beginObject().field("tick", latest.tick());
    for (int i = 0; i < series.size(); i++) {
      json.field(series.get(i), latest.values()[i]);
    }
    json.endObject();
  }

  /** Writes the member {@code history}: the ticks, then one array of values per series, oldest first. */
  void writeHistory(List<String> series, JsonWriter json) {
    writeHistory(series, snapshot(), json);
  }

  /** Writes the member {@code history} of no samples, for an instance not sampled yet. */
  static void writeEmptyHistory(List<String> series, JsonWriter json) {
    writeHistory(series, List.of(), json);
  }

  private static void writeHistory(List<String> series, List<Sample> samples, JsonWriter json) {
    json.name("history").beginObject().name("ticks").beginArray();
    samples.forEach(s -> json.value(s.tick()));
    json.endArray();
    for (int i = 0; i < series.size(); i++) {
      json.name(series.get(i)).beginArray();
      for (Sample sample : samples) {
        json.value(sample.values()[i]);
      }
      json.endArray();
    }
    json.endObject();
  }
}
