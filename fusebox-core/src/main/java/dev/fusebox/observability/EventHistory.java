package dev.fusebox.observability;

import dev.fusebox.Subscription;
import dev.fusebox.circuitbreaker.CircuitBreaker;
import dev.fusebox.circuitbreaker.CircuitBreakerEvent;
import dev.fusebox.circuitbreaker.CircuitBreakerRegistry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The recent events of circuit breakers, kept per breaker in a bounded ring, for a dashboard, an actuator
 * endpoint or a post-mortem: what happened to {@code inventory} in the last minutes, and in what order.
 *
 * <p>Attach a history to a {@link CircuitBreakerRegistry}, and it covers every breaker of the registry,
 * present and future, through {@link CircuitBreakerRegistry#onEvent}; or to one {@link CircuitBreaker}.
 * Each breaker keeps its last {@link EventHistoryConfig#capacity() capacity} events (100 by default) of the
 * {@link EventHistoryConfig#eventTypes() kept types} (all but successful calls by default); older events are
 * overwritten. A breaker's ring is created on its first kept event, so memory is at most {@code capacity}
 * events per breaker that had one, and the history of a breaker removed from the registry is dropped with
 * it: the history holds no reference to any breaker, only events and names.
 *
 * <p>Every list returned is an immutable snapshot, <b>oldest event first, newest last</b>, which is the
 * order in which the breaker recorded them.
 *
 * <pre>{@code
 * EventHistory history = EventHistory.attach(registry);
 * List<CircuitBreakerEvent> recent = history.events("inventory");
 * List<CircuitBreakerEvent> openings = history.query()
 *     .breaker("inventory")
 *     .types(Type.STATE_TRANSITION)
 *     .since(Instant.now().minus(Duration.ofMinutes(15)))
 *     .list();
 * history.close(); // stops recording and forgets everything
 * }</pre>
 *
 * <h2>Cost</h2>
 * Recording is a wait-free claim of a slot and one CAS; writers never block each other or the breaker.
 * Listening to a breaker's events makes it build an event object for every call, successful ones included
 * (the core's listeners are not filtered by type), so a history costs one small allocation per call even
 * though it keeps no successes by default.
 *
 * <p>Breakers are told apart by name: attach one history to one registry, or to breakers with distinct
 * names. This class is threadsafe; readers tolerate concurrent writes and may miss an event that is being
 * recorded at that very moment, never show one twice.
 */
public final class EventHistory implements AutoCloseable {

  private final EventHistoryConfig config;
  private final EnumSet<CircuitBreakerEvent.Type> kept;
  private final PerBreaker<EventRing> rings;
  private volatile List<Subscription> subscriptions = List.of();

  private EventHistory(EventHistoryConfig config, Predicate<String> covered) {
    this.config = Objects.requireNonNull(config, "config must not be null");
    this.kept = EnumSet.copyOf(config.eventTypes());
    int capacity = config.capacity();
    this.rings = new PerBreaker<>(name -> new EventRing(capacity), covered);
  }

  /**
   * Attaches a history with the default configuration to every breaker of the registry, present and future.
   *
   * @param registry the registry whose breakers, present and future, are covered
   * @return the history, recording from now on; closing it stops the recording
   */
  public static EventHistory attach(CircuitBreakerRegistry registry) {
    return attach(registry, EventHistoryConfig.ofDefaults());
  }

  /**
   * Attaches a history to every breaker of the registry, present and future.
   *
   * @param registry the registry whose breakers, present and future, are covered
   * @param config how many events are kept per breaker, and of which types
   * @return the history, recording from now on; closing it stops the recording
   */
  public static EventHistory attach(CircuitBreakerRegistry registry, EventHistoryConfig config) {
    Objects.requireNonNull(registry, "registry must not be null");
    EventHistory history = new EventHistory(config, name -> registry.find(name).isPresent());
    // Removal first: a breaker removed while the event stream is being attached is still forgotten.
    Subscription removals = registry.onRemoved(breaker -> history.rings.drop(breaker.name()));
    history.subscriptions = List.of(removals, registry.onEvent(history.kept, history::record));
    return history;
  }

  /**
   * Attaches a history with the default configuration to one breaker.
   *
   * @param breaker the breaker covered
   * @return the history, recording from now on; closing it stops the recording
   */
  public static EventHistory attach(CircuitBreaker breaker) {
    return attach(breaker, EventHistoryConfig.ofDefaults());
  }

  /**
   * Attaches a history to one breaker.
   *
   * @param breaker the breaker covered
   * @param config how many events are kept per breaker, and of which types
   * @return the history, recording from now on; closing it stops the recording
   */
  public static EventHistory attach(CircuitBreaker breaker, EventHistoryConfig config) {
    Objects.requireNonNull(breaker, "breaker must not be null");
    String breakerName = breaker.name();
    EventHistory history = new EventHistory(config, breakerName::equals);
    history.subscriptions = List.of(breaker.onEvent(history.kept, history::record));
    return history;
  }

  void record(CircuitBreakerEvent event) {
    if (kept.contains(event.type())) {
      EventRing ring = rings.forEvent(event.breakerName());
      if (ring != null) {
        ring.add(event);
      }
    }
  }

  /**
   * Returns the configuration.
   *
   * @return the configuration
   */
  public EventHistoryConfig config() {
    return config;
  }

  /**
   * Returns the names of the breakers that have a history, sorted.
   *
   * @return the names of the breakers that have a history, sorted
   */
  public Set<String> breakerNames() {
    return rings.names();
  }

  /**
   * Returns the kept events of one breaker, oldest first; empty if it has none or is not covered.
   *
   * @param breakerName the breaker's name
   * @return the kept events of one breaker, oldest first; empty if it has none or is not covered
   */
  public List<CircuitBreakerEvent> events(String breakerName) {
    Objects.requireNonNull(breakerName, "breakerName must not be null");
    EventRing ring = rings.find(breakerName);
    return ring == null ? List.of() : ring.snapshot();
  }

  /**
   * Returns the kept events of every breaker, oldest first by timestamp (events of one breaker keep their
   * recorded order among equal timestamps).
   *
   * @return the kept events of every breaker, oldest first by timestamp (events of one breaker keep their
   *     recorded order among equal timestamps)
   */
  public List<CircuitBreakerEvent> events() {
    return query().list();
  }

  /**
   * Returns how many events of this breaker were kept since its history began, those already overwritten
   * included; {@code recordedCount - events(name).size()} were pushed out by newer ones.
   *
   * @param breakerName the breaker's name
   * @return how many events of this breaker were kept since its history began, those already overwritten
   *     included; {@code recordedCount - events(name).size()} were pushed out by newer ones
   */
  public long recordedCount(String breakerName) {
    Objects.requireNonNull(breakerName, "breakerName must not be null");
    EventRing ring = rings.find(breakerName);
    return ring == null ? 0 : ring.recorded();
  }

  /**
   * Starts a query over every breaker, every kept type and all of the history.
   *
   * @return a query that keeps everything until narrowed
   */
  public Query query() {
    return new Query(this, null, null, null, Integer.MAX_VALUE);
  }

  /** Stops recording and forgets every event. Idempotent. */
  @Override
  public void close() {
    subscriptions.forEach(Subscription::close);
    rings.close();
  }

  EventRing ring(String breakerName) {
    return rings.find(breakerName);
  }

  int ringCount() {
    return rings.size();
  }

  @Override
  public String toString() {
    return "EventHistory[" + rings.size() + " breakers, " + config + "]";
  }

  /**
   * A filter over an {@link EventHistory}, for dashboards and endpoints: which breaker, which types, since
   * when, how many. Queries are immutable: each method returns a new query.
   *
   * <pre>{@code
   * List<CircuitBreakerEvent> last = history.query().types(Type.NOT_PERMITTED, Type.ERROR).last(20).list();
   * }</pre>
   */
  public static final class Query {

    private final EventHistory history;
    private final String breakerName;
    private final EnumSet<CircuitBreakerEvent.Type> types;
    private final Instant since;
    private final int last;

    private Query(
        EventHistory history, String breakerName, EnumSet<CircuitBreakerEvent.Type> types, Instant since, int last) {
      this.history = history;
      this.breakerName = breakerName;
      this.types = types;
      this.since = since;
      this.last = last;
    }

    /**
     * Keeps only the events of the named breaker.
     *
     * @param name the breaker's name
     * @return this query
     */
    public Query breaker(String name) {
      Objects.requireNonNull(name, "breaker name must not be null");
      return new Query(history, name, types, since, last);
    }

    /**
     * Keeps only events of these types.
     *
     * @param first a type to keep
     * @param more further types to keep
     * @return this query
     */
    public Query types(CircuitBreakerEvent.Type first, CircuitBreakerEvent.Type... more) {
      Objects.requireNonNull(first, "types must not contain null");
      Objects.requireNonNull(more, "types must not be null");
      EnumSet<CircuitBreakerEvent.Type> set = EnumSet.of(first);
      for (CircuitBreakerEvent.Type type : more) {
        set.add(Objects.requireNonNull(type, "types must not contain null"));
      }
      return new Query(history, breakerName, set, since, last);
    }

    /**
     * Keeps only events of these types; an empty set keeps nothing.
     *
     * @param types the types to keep
     * @return this query
     */
    public Query types(Collection<CircuitBreakerEvent.Type> types) {
      Objects.requireNonNull(types, "types must not be null");
      EnumSet<CircuitBreakerEvent.Type> set = EnumSet.noneOf(CircuitBreakerEvent.Type.class);
      for (CircuitBreakerEvent.Type type : types) {
        set.add(Objects.requireNonNull(type, "types must not contain null"));
      }
      return new Query(history, breakerName, set, since, last);
    }

    /**
     * Keeps only events whose timestamp is at or after {@code instant}.
     *
     * @param instant the earliest timestamp kept
     * @return this query
     */
    public Query since(Instant instant) {
      Objects.requireNonNull(instant, "since must not be null");
      return new Query(history, breakerName, types, instant, last);
    }

    /**
     * Keeps only the newest {@code count} events that pass the other filters.
     *
     * @param count how many of the newest events to keep; at least 0
     * @return this query
     */
    public Query last(int count) {
      if (count < 0) {
        throw new IllegalArgumentException("last must be at least 0, was " + count);
      }
      return new Query(history, breakerName, types, since, count);
    }

    /**
     * Runs the query: an immutable list, oldest first.
     *
     * @return the matching events, oldest first; immutable
     */
    public List<CircuitBreakerEvent> list() {
      List<CircuitBreakerEvent> result = new ArrayList<>();
      if (breakerName != null) {
        addMatching(history.events(breakerName), result);
      } else {
        for (String name : history.breakerNames()) {
          addMatching(history.events(name), result);
        }
        // A stable sort keeps each breaker's recorded order among equal timestamps.
        result.sort(Comparator.comparing(CircuitBreakerEvent::timestamp));
      }
      int from = Math.max(0, result.size() - last);
      return List.copyOf(result.subList(from, result.size()));
    }

    private void addMatching(List<CircuitBreakerEvent> events, List<CircuitBreakerEvent> into) {
      for (CircuitBreakerEvent event : events) {
        if ((types == null || types.contains(event.type()))
            && (since == null || !event.timestamp().isBefore(since))) {
          into.add(event);
        }
      }
    }
  }
}
