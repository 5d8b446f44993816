package dev.fusebox.dashboard;

import dev.fusebox.PolicyKind;
import dev.fusebox.PolicyKind.Measure;
import dev.fusebox.PolicyRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;

/**
 * The policies of any registry, shown from what its {@link PolicyKind} says of them: one figure per
 * measure, counters charted as rates per second and gauges as read. A policy of the application's own
 * gets a section this way, and so does every kind without a panel of its own.
 *
 * <p>Design note. The page cannot know a kind it was not written for, so the section carries the
 * description of its measures ({@code measures}: key, label, type, unit, description) and every instance
 * its values in that order ({@code values}); the series of the chart are named by the measures' keys.
 * Durations are shown in milliseconds.
 *
 * @param <P> the policy type
 */
final class MeasurePanel<P> extends PolicyPanel<P> {

  private final List<Measure<P>> measures;

  MeasurePanel(PolicyRegistry<P, ?, ?> registry, int historySize, int eventsPerInstance) {
    super(
        registry.kind().id(),
        title(registry.kind()),
        registry::all,
        registry::find,
        registry.kind()::nameOf,
        series(registry.kind()),
        historySize,
        eventsPerInstance);
    this.measures = registry.kind().measures();
  }

  private static String title(PolicyKind<?> kind) {
    String plural = kind.plural();
    return plural.isEmpty() ? kind.id() : Character.toUpperCase(plural.charAt(0)) + plural.substring(1);
  }

  private static <P> List<Series> series(PolicyKind<P> kind) {
    List<Series> series = new ArrayList<>();
    for (Measure<P> measure : kind.measures()) {
      series.add(new Series(measure.key(), measure.type() == Measure.Type.COUNTER));
    }
    return series;
  }

  @Override
  void read(P policy, double[] into) {
    for (int i = 0; i < measures.size(); i++) {
      into[i] = value(measures.get(i), policy);
    }
  }

  private static <P> double value(Measure<P> measure, P policy) {
    double read = measure.read(policy);
    return measure.type() == Measure.Type.TIME_GAUGE ? read / 1e6 : read;
  }

  @Override
  void writeFields(P policy, JsonWriter json) {
    json.name("values").beginArray();
    for (Measure<P> measure : measures) {
      json.value(value(measure, policy));
    }
    json.endArray();
  }

  @Override
  public void writeDescription(JsonWriter json) {
    json.name("measures").beginArray();
    for (Measure<P> measure : measures) {
      json.beginObject()
          .field("key", measure.key())
          .field("label", label(kind(), measure))
          .field("type", measure.type().name().toLowerCase(Locale.ROOT))
          .field("unit", measure.type() == Measure.Type.TIME_GAUGE ? "ms" : measure.baseUnit())
          .field("description", measure.description())
          .endObject();
    }
    json.endArray();
  }

  /** Returns the meter name without the kind's prefix, in words, then the tags' values. */
  static String label(String kind, Measure<?> measure) {
    String name = measure.meterName();
    for (String prefix : List.of("fusebox." + kind + ".", "fusebox.")) {
      if (name.startsWith(prefix)) {
        name = name.substring(prefix.length());
        break;
      }
    }
    StringBuilder label = new StringBuilder(name.replace('.', ' '));
    new TreeMap<>(measure.tags()).values().forEach(v -> label.append(" · ").append(v.replace('_', ' ')));
    return label.toString();
  }
}
