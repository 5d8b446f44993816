package dev.fusebox.dashboard;

import dev.fusebox.circuitbreaker.CircuitBreaker;
import dev.fusebox.redis.FleetControl;
import dev.fusebox.redis.FleetMember;
import dev.fusebox.redis.FleetOverride;
import dev.fusebox.redis.RedisSharedState;
import dev.fusebox.redis.RedisSharedStateEvent;
import java.time.Duration;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The fleet behind the breakers, when they are shared through fusebox-redis: its members with their mode,
 * the overrides in force, and how many instances hold each breaker in which state.
 *
 * <p>Design note. Every read of the fleet is a round trip to Redis, so none happens on a request: the
 * sampler thread refreshes one immutable {@link View} at most once per {@link #REFRESH} and every request
 * reads the latest one. A fleet action refreshes it at once, so the answer to the action shows its effect.
 * This is the only class of the dashboard that names a fusebox-redis type; it is loaded only when a
 * {@link RedisSharedState} was given, so the dashboard runs without fusebox-redis on the class path.
 */
final class FleetView implements FleetSection {

  static final Duration REFRESH = Duration.ofSeconds(1);
  static final int MAX_REASON = 500;

  private record View(
      List<FleetMember> members,
      Map<String, FleetOverride> overrides,
      Map<String, Map<String, CircuitBreaker.State>> states,
      String error) {
    static final View EMPTY = new View(List.of(), Map.of(), Map.of(), "");
  }

  /** How many of the fleet's latest events the page shows: the audit trail of overrides, as this instance saw it. */
  static final int EVENTS = 20;

  private final RedisSharedState shared;
  private final FleetControl fleet;
  private final java.util.ArrayDeque<String[]> events = new java.util.ArrayDeque<>();
  private final dev.fusebox.Subscription subscription;
  private volatile View view = View.EMPTY;
  private long refreshedAt;
  private boolean refreshed;

  FleetView(RedisSharedState shared) {
    this.shared = shared;
    this.fleet = shared.fleet();
    this.subscription = shared.onEvent(this::record);
  }

  /** On the sync thread: keeps what an operator needs to read back (who did what, when and why). */
  private void record(RedisSharedStateEvent event) {
    String text;
    if (event instanceof RedisSharedStateEvent.FleetOverrideApplied a) {
      text = a.override().breaker() + ": " + a.override().state() + " for the fleet, set by " + a.override().by()
          + ": " + a.override().reason();
    } else if (event instanceof RedisSharedStateEvent.FleetOverrideReleased r) {
      text = r.override().breaker() + ": " + r.override().state() + " override ended"
          + (r.releasedBy().isEmpty() ? "" : ", released by " + r.releasedBy()) + ": " + r.reason();
    } else if (event instanceof RedisSharedStateEvent.LocalChangeOverridden l) {
      text = l.breakerName() + ": moved to " + l.localState() + " here, put back to " + l.fleetState()
          + " by the fleet";
    } else if (event instanceof RedisSharedStateEvent.ModeChanged m) {
      text = "this instance " + m.from() + " -> " + m.to() + ": " + m.reason();
    } else {
      text = null;
    }
    if (text == null) {
      return;
    }
    synchronized (events) {
      events.addLast(new String[] {event.timestamp().toString(), event.type().name(), text});
      while (events.size() > EVENTS) {
        events.removeFirst();
      }
    }
  }

  @Override
  public void close() {
    subscription.close();
  }

  @Override
  public void sample(Collection<String> breakers, long nanos) {
    if (refreshed && nanos - refreshedAt < REFRESH.toNanos()) {
      return;
    }
    refreshed = true;
    refreshedAt = nanos;
    refresh(breakers);
  }

  synchronized void refresh(Collection<String> breakers) {
    try {
      Map<String, Map<String, CircuitBreaker.State>> states = new HashMap<>();
      for (String name : breakers) {
        states.put(name, fleet.states(name));
      }
      view = new View(fleet.members(), fleet.overrides(), Map.copyOf(states), "");
    } catch (IllegalStateException e) {
      // The last view stays, marked: an operator sees it is stale and why.
      View last = view;
      view = new View(last.members(), last.overrides(), last.states(), String.valueOf(e.getMessage()));
    }
  }

  /** The section's {@code fleet} member: this instance, the members, the overrides, and a read error if any. */
  @Override
  public void writeDescription(JsonWriter json) {
    View v = view;
    json.name("fleet").beginObject()
        .field("instance", shared.instanceId())
        .field("mode", shared.mode().name());
    json.name("members").beginArray();
    for (FleetMember m : v.members()) {
      json.beginObject().field("id", m.instanceId()).field("mode", m.mode().name())
          .field("lastSeen", m.lastSeen().toString()).endObject();
    }
    json.endArray();
    json.name("overrides").beginArray();
    for (FleetOverride o : v.overrides().values()) {
      writeOverride(o, json.beginObject().field("breaker", o.breaker())).endObject();
    }
    json.endArray();
    json.name("events").beginArray();
    synchronized (events) {
      for (String[] e : events) {
        json.beginObject().field("time", e[0]).field("type", e[1]).field("text", e[2]).endObject();
      }
    }
    json.endArray();
    if (!v.error().isEmpty()) {
      json.field("error", v.error());
    }
    json.endObject();
  }

  /** One breaker's {@code fleet} member: instances by state, how many, and its override if any. */
  @Override
  public void writeBreaker(String name, JsonWriter json) {
    View v = view;
    Map<String, CircuitBreaker.State> states = v.states().getOrDefault(name, Map.of());
    Map<CircuitBreaker.State, Integer> counts = new EnumMap<>(CircuitBreaker.State.class);
    states.values().forEach(s -> counts.merge(s, 1, Integer::sum));
    json.name("fleet").beginObject().field("instances", states.size());
    json.name("counts").beginObject();
    counts.forEach((state, n) -> json.field(state.name(), n));
    json.endObject();
    json.name("states").beginObject();
    states.entrySet().stream().sorted(Map.Entry.comparingByKey())
        .forEach(e -> json.field(e.getKey(), e.getValue().name()));
    json.endObject();
    // The fleet's window comes with this instance's own flushes: read here, no round trip.
    fleet.window(name).ifPresent(w -> {
      json.name("window").beginObject().field("state", w.state().name()).field("calls", w.calls())
          .field("failures", w.failures()).field("slowCalls", w.slowCalls());
      CircuitBreakerPanel.rate(json, "failureRate", w.failureRate());
      CircuitBreakerPanel.rate(json, "slowCallRate", w.slowCallRate());
      json.endObject();
    });
    FleetOverride o = v.overrides().get(name);
    json.name("override");
    if (o == null) {
      json.nullValue();
    } else {
      writeOverride(o, json.beginObject()).endObject();
    }
    json.endObject();
  }

  private static JsonWriter writeOverride(FleetOverride o, JsonWriter json) {
    json.field("state", o.state().name()).field("reason", o.reason()).field("by", o.by())
        .field("since", o.since().toString());
    json.name("until");
    if (o.until().isPresent()) {
      json.value(o.until().get().toString());
    } else {
      json.nullValue();
    }
    return json;
  }

  /**
   * Carries out a breaker action for the whole fleet; {@code close} releases the override.
   *
   * @throws IllegalArgumentException for an action the fleet has not, or when Redis cannot be used
   */
  @Override
  public void act(String breaker, String action, String reason, long durationMillis, Collection<String> breakers) {
    try {
      switch (action) {
        case "force-open" -> {
          if (durationMillis > 0) {
            fleet.forceOpen(breaker, Duration.ofMillis(durationMillis), reason);
          } else {
            fleet.forceOpen(breaker, reason);
          }
        }
        case "disable" -> fleet.disable(breaker, reason);
        case "close" -> fleet.release(breaker, reason);
        default -> throw new IllegalArgumentException(
            "scope fleet takes force-open, disable or close (which releases the fleet's override), not " + action);
      }
    } catch (IllegalStateException e) {
      throw new IllegalArgumentException("the fleet cannot be reached: " + e.getMessage(), e);
    }
    refresh(breakers);
  }
}
