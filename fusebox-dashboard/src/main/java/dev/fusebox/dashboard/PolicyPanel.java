package dev.fusebox.dashboard;

import dev.fusebox.dashboard.SampleRing.Sample;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What the panels of the policies other than breakers (retries, bulkheads, rate limiters, time limiters,
 * chaos, any other kind) have in common: the instances of one registry, each with its own figures, a chart
 * of the last minutes and a few events of the panel's own making.
 *
 * <p>Design note. As in {@link CircuitBreakerPanel}, current figures are read from the policy at request
 * time, so a control's answer shows its effect at once, and the chart comes from a {@link SampleRing} per
 * policy that the sampler thread alone writes. A series is either a cumulative counter, turned into a rate
 * per second from two readings, or a gauge (a bulkhead's calls in flight, an adaptive limit), kept as read.
 * Policies are tracked by identity, so one removed and re-created under the same name starts a fresh chart.
 * Events are not taken from the policies' own event streams, which would build an event per call: a panel
 * records the few that matter itself, from what it sees change between two samples (a chaos policy's
 * settings); each policy's list is an immutable list replaced on write, read without locking.
 *
 * @param <P> the policy type
 */
abstract class PolicyPanel<P> implements Panel {

  /**
   * One series of a policy's chart.
   *
   * @param name its name in the {@code rates} and {@code history} objects
   * @param cumulative whether the reading is a cumulative count, shown as a rate per second; else a gauge
   */
  record Series(String name, boolean cumulative) {
    static Series rate(String name) {
      return new Series(name, true);
    }

    static Series gauge(String name) {
      return new Series(name, false);
    }
  }

  private final String kind;
  private final String title;
  private final Supplier<? extends Collection<P>> all;
  private final Function<String, Optional<P>> find;
  private final Function<P, String> nameOf;
  private final List<Series> series;
  private final List<String> seriesNames;
  private final int historySize;
  private final int eventsPerInstance;
  private final ConcurrentHashMap<String, Tracked<P>> tracked = new ConcurrentHashMap<>();
  /** Sampler thread only: events recorded since the last {@link #writeNewEvents}. */
  private final List<Map<String, Object>> fresh = new ArrayList<>();

  PolicyPanel(
      String kind,
      String title,
      Supplier<? extends Collection<P>> all,
      Function<String, Optional<P>> find,
      Function<P, String> nameOf,
      List<Series> series,
      int historySize,
      int eventsPerInstance) {
    this.kind = kind;
    this.title = title;
    this.all = all;
    this.find = find;
    this.nameOf = nameOf;
    this.series = List.copyOf(series);
    this.seriesNames = this.series.stream().map(Series::name).toList();
    this.historySize = historySize;
    this.eventsPerInstance = eventsPerInstance;
  }

  /** Reads the current value of every series, in declaration order, into {@code into}. */
  abstract void read(P policy, double[] into);

  /** Writes the policy's own members (after {@code name}): its configuration and current figures. */
  abstract void writeFields(P policy, JsonWriter json);

  /**
   * Called on the sampler thread once per tick and policy, after reading its series; a panel records
   * events here ({@link #event}).
   */
  void observe(P policy, Tracked<P> tracked) {}

  @Override
  public String kind() {
    return kind;
  }

  @Override
  public String title() {
    return title;
  }

  @Override
  public List<String> actions() {
    return List.of();
  }

  @Override
  public Outcome control(String name, String action, ControlInput input) {
    return Outcome.NO_SUCH_ACTION;
  }

  /** Returns the policy of that name, if the registry has one. */
  Optional<P> find(String name) {
    return find.apply(name);
  }

  @Override
  public void sample(long tick, long nanos) {
    Set<String> present = new HashSet<>();
    for (P policy : all.get()) {
      String name = nameOf.apply(policy);
      present.add(name);
      Tracked<P> t =
          tracked.compute(name, (n, current) -> current != null && current.policy == policy ? current : new Tracked<>(policy, this));
      t.sample(tick, nanos);
      observe(policy, t);
    }
    tracked.keySet().retainAll(present);
  }

  @Override
  public void writeInstances(JsonWriter json, boolean withHistory) {
    List<P> policies = new ArrayList<>(all.get());
    policies.sort(Comparator.comparing(nameOf));
    json.beginArray();
    for (P policy : policies) {
      write(policy, json, withHistory);
    }
    json.endArray();
  }

  @Override
  public boolean writeInstance(String name, JsonWriter json, boolean withHistory) {
    P policy = find.apply(name).orElse(null);
    if (policy == null) {
      return false;
    }
    write(policy, json, withHistory);
    return true;
  }

  @Override
  public int writeNewEvents(JsonWriter json) {
    int written = fresh.size();
    for (Map<String, Object> event : fresh) {
      writeEvent(event, json);
    }
    fresh.clear();
    return written;
  }

  @Override
  public void close() {
    tracked.clear();
  }

  /**
   * Records an event of a policy: shown on its card and sent on the stream. Sampler thread only.
   *
   * @param details further members, written in their order (strings, numbers, booleans)
   */
  void event(Tracked<P> t, String type, Map<String, Object> details) {
    Map<String, Object> event = new java.util.LinkedHashMap<>();
    event.put("kind", kind);
    event.put("name", nameOf.apply(t.policy));
    event.put("type", type);
    event.put("time", Instant.now().toString());
    event.putAll(details);
    List<Map<String, Object>> events = new ArrayList<>(t.events);
    events.add(event);
    if (events.size() > eventsPerInstance) {
      events.remove(0);
    }
    t.events = List.copyOf(events);
    fresh.add(event);
  }

  private void write(P policy, JsonWriter json, boolean withHistory) {
    json.beginObject().field("name", nameOf.apply(policy));
    writeFields(policy, json);
    Tracked<P> t = tracked.get(nameOf.apply(policy));
    SampleRing ring = t != null && t.policy == policy ? t.ring : null;
    if (ring == null) {
      json.name("rates").nullValue();
      if (withHistory) {
        SampleRing.writeEmptyHistory(seriesNames, json);
      }
    } else {
      ring.writeRates(seriesNames, json);
      if (withHistory) {
        ring.writeHistory(seriesNames, json);
      }
    }
    json.name("events").beginArray();
    if (t != null && t.policy == policy) {
      t.events.forEach(e -> writeEvent(e, json));
    }
    json.endArray().endObject();
  }

  private static void writeEvent(Map<String, Object> event, JsonWriter json) {
    json.beginObject();
    event.forEach((name, value) -> {
      json.name(name);
      if (value instanceof Number n) {
        json.value(n.doubleValue());
      } else if (value instanceof Boolean b) {
        json.value(b);
      } else {
        json.value(value == null ? null : value.toString());
      }
    });
    json.endObject();
  }

  static void millis(JsonWriter json, String name, Optional<java.time.Duration> duration) {
    json.name(name);
    if (duration.isPresent()) {
      json.value(duration.get().toNanos() / 1e6);
    } else {
      json.nullValue();
    }
  }

  /**
   * A policy followed by the sampler: its ring, the previous reading of its counters, and its events. The
   * mutable fields other than {@code events} are the sampler thread's alone.
   *
   * @param <P> the policy type
   */
  static final class Tracked<P> {
    final P policy;
    final SampleRing ring;
    private final PolicyPanel<P> panel;
    private final double[] previous;
    private long lastNanos = Long.MIN_VALUE;
    /** Whatever a panel wants to compare between ticks (a chaos policy's settings). */
    Object remembered;
    volatile List<Map<String, Object>> events = List.of();

    Tracked(P policy, PolicyPanel<P> panel) {
      this.policy = policy;
      this.panel = panel;
      this.ring = new SampleRing(panel.historySize);
      this.previous = new double[panel.series.size()];
    }

    void sample(long tick, long nanos) {
      double[] now = new double[previous.length];
      panel.read(policy, now);
      // The first reading is the baseline; a ticker that has not moved gives no rate.
      if (lastNanos != Long.MIN_VALUE && nanos > lastNanos) {
        double seconds = (nanos - lastNanos) / 1e9;
        double[] values = new double[now.length];
        for (int i = 0; i < now.length; i++) {
          values[i] = panel.series.get(i).cumulative() ? Math.max(0, now[i] - previous[i]) / seconds : now[i];
        }
        ring.add(new Sample(tick, values));
      }
      if (lastNanos == Long.MIN_VALUE || nanos > lastNanos) {
        lastNanos = nanos;
        System.arraycopy(now, 0, previous, 0, now.length);
      }
    }
  }
}
