package dev.fusebox.spring.actuate;

import dev.fusebox.circuitbreaker.CircuitBreakerEvent;
import dev.fusebox.circuitbreaker.StateTransition;
import dev.fusebox.observability.EventHistory;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

/**
 * The {@code circuitbreakerevents} actuator endpoint: the recent events of the breakers, oldest first, from
 * the application's {@link EventHistory} (every kind but successful calls, 100 per breaker by default).
 *
 * <ul>
 *   <li>{@code GET /actuator/circuitbreakerevents}, optionally {@code ?name=inventory},
 *       {@code &type=STATE_TRANSITION,NOT_PERMITTED} and {@code &limit=20} (the newest 20);</li>
 *   <li>{@code GET /actuator/circuitbreakerevents/{name}} and
 *       {@code GET /actuator/circuitbreakerevents/{name}/{type}}, as in Resilience4j.</li>
 * </ul>
 *
 * <p>Each event has {@code name}, {@code type} and {@code time}, plus {@code from} and {@code to} for a
 * transition, {@code error} (the exception's class name) and {@code elapsedMillis} for a failure,
 * {@code state} for a rejection, and the rate for a threshold crossing. Types are the core's
 * {@link CircuitBreakerEvent.Type} names, in any case, with {@code -} or {@code _}; an unknown type is a
 * 400. This class is threadsafe.
 */
@Endpoint(id = "circuitbreakerevents")
public final class CircuitBreakerEventsEndpoint {

  private final EventHistory history;

  /**
   * Creates the endpoint.
   *
   * @param history the events shown
   */
  public CircuitBreakerEventsEndpoint(EventHistory history) {
    this.history = history;
  }

  /**
   * The events of every breaker, or of the one named, of the given types, the newest {@code limit}.
   *
   * @param name only this breaker's events; null or blank for every breaker
   * @param type only events of these types, comma-separated, such as {@code STATE_TRANSITION}; null or blank
   *     for all
   * @param limit at most this many, the newest; null for every event kept
   * @return the events, oldest first
   * @throws InvalidEndpointRequestException (400) for a negative limit or an unknown type
   */
  @ReadOperation
  public Map<String, Object> events(@Nullable String name, @Nullable String type, @Nullable Integer limit) {
    EventHistory.Query query = history.query();
    if (name != null && !name.isBlank()) {
      query = query.breaker(name);
    }
    if (type != null && !type.isBlank()) {
      query = query.types(types(type));
    }
    if (limit != null) {
      if (limit < 0) {
        throw new InvalidEndpointRequestException("limit must be at least 0, was " + limit, "Invalid limit");
      }
      query = query.last(limit);
    }
    return render(query.list());
  }

  /**
   * The events of one breaker.
   *
   * @param name the breaker's name, from the path
   * @return the breaker's events, oldest first
   */
  @ReadOperation
  public Map<String, Object> eventsOf(@Selector String name) {
    return events(name, null, null);
  }

  /**
   * The events of one type of one breaker.
   *
   * @param name the breaker's name, from the path
   * @param type the types, comma-separated, from the path
   * @return the breaker's events of those types, oldest first
   */
  @ReadOperation
  public Map<String, Object> eventsOfType(@Selector String name, @Selector String type) {
    return events(name, type, null);
  }

  private static EnumSet<CircuitBreakerEvent.Type> types(String list) {
    EnumSet<CircuitBreakerEvent.Type> types = EnumSet.noneOf(CircuitBreakerEvent.Type.class);
    for (String raw : list.split(",")) {
      String name = raw.trim().toUpperCase(Locale.ROOT).replace('-', '_');
      try {
        types.add(CircuitBreakerEvent.Type.valueOf(name));
      } catch (IllegalArgumentException e) {
        throw new InvalidEndpointRequestException(
            "no event type '" + raw.trim() + "'; one of " + List.of(CircuitBreakerEvent.Type.values()), "Unknown type");
      }
    }
    return types;
  }

  private static Map<String, Object> render(List<CircuitBreakerEvent> events) {
    List<Map<String, Object>> list = new ArrayList<>(events.size());
    for (CircuitBreakerEvent event : events) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("name", event.breakerName());
      e.put("type", event.type().name());
      e.put("time", event.timestamp().toString());
      if (event instanceof StateTransition t) {
        e.put("from", t.from().name());
        e.put("to", t.to().name());
      } else if (event instanceof CircuitBreakerEvent.Failure f) {
        e.put("elapsedMillis", f.elapsed().toMillis());
        e.put("slow", f.slow());
        e.put("error", f.error() == null ? "result recorded as failure" : f.error().getClass().getName());
      } else if (event instanceof CircuitBreakerEvent.IgnoredError i) {
        e.put("elapsedMillis", i.elapsed().toMillis());
        e.put("error", i.error().getClass().getName());
      } else if (event instanceof CircuitBreakerEvent.NotPermitted n) {
        e.put("state", n.state().name());
      } else if (event instanceof CircuitBreakerEvent.FailureRateExceeded r) {
        e.put("failureRate", r.failureRate());
      } else if (event instanceof CircuitBreakerEvent.SlowCallRateExceeded r) {
        e.put("slowCallRate", r.slowCallRate());
      } else if (event instanceof CircuitBreakerEvent.DeployModeChanged d) {
        e.put("active", d.active());
        e.put("durationMillis", d.duration().toMillis());
      } else if (event instanceof CircuitBreakerEvent.Success s) {
        e.put("elapsedMillis", s.elapsed().toMillis());
        e.put("slow", s.slow());
      }
      list.add(e);
    }
    return Map.of("circuitBreakerEvents", list);
  }
}
