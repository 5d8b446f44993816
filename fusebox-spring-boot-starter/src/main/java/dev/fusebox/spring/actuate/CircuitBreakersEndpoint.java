package dev.fusebox.spring.actuate;

import dev.fusebox.circuitbreaker.CircuitBreaker;
import dev.fusebox.circuitbreaker.CircuitBreakerConfig;
import dev.fusebox.circuitbreaker.CircuitBreakerRegistry;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * The {@code circuitbreakers} actuator endpoint: every breaker with its state and window figures, one
 * breaker in detail with its configuration, and a write operation to step in.
 *
 * <ul>
 *   <li>{@code GET /actuator/circuitbreakers}: {@code {"circuitBreakers": {"inventory": {...}}}}, sorted by
 *       name;</li>
 *   <li>{@code GET /actuator/circuitbreakers/{name}}: one breaker, its cumulative totals and its
 *       configuration; 404 if there is none;</li>
 *   <li>{@code POST /actuator/circuitbreakers/{name}} with {@code {"action": "force-open"}} (or
 *       {@code disable}, {@code close}, {@code reset}): carries it out and answers the breaker as it is now;
 *       400 for another action, 404 for an unknown breaker.</li>
 * </ul>
 *
 * <p>It is an ordinary actuator endpoint: reachable over HTTP only once exposed
 * ({@code management.endpoints.web.exposure.include=circuitbreakers}), and guarded by whatever security the
 * application puts on the actuator. The write operation never creates a breaker. This class is threadsafe.
 */
@Endpoint(id = "circuitbreakers")
public final class CircuitBreakersEndpoint {

  /** The actions of the write operation. */
  public static final List<String> ACTIONS = List.of("force-open", "disable", "close", "reset");

  private final CircuitBreakerRegistry registry;

  /**
   * Creates the endpoint.
   *
   * @param registry the breakers shown
   */
  public CircuitBreakersEndpoint(CircuitBreakerRegistry registry) {
    this.registry = registry;
  }

  /**
   * Lists every breaker with its state and window figures.
   *
   * @return every breaker by name, under {@code circuitBreakers}
   */
  @ReadOperation
  public Map<String, Object> circuitBreakers() {
    Map<String, Object> breakers = new LinkedHashMap<>();
    registry.all().stream()
        .sorted(Comparator.comparing(CircuitBreaker::name))
        .forEach(b -> breakers.put(b.name(), summary(b)));
    return Map.of("circuitBreakers", breakers);
  }

  /**
   * Describes one breaker in full; {@code null} (404) if there is none of that name.
   *
   * @param name the breaker's name, from the path
   * @return the breaker's state, configuration and figures, or null (404) if there is none of that name
   */
  @ReadOperation
  public Map<String, Object> circuitBreaker(@Selector String name) {
    return registry.find(name).map(CircuitBreakersEndpoint::details).orElse(null);
  }

  /**
   * Moves one breaker: {@code force-open}, {@code disable}, {@code close} (also how a forced-open or
   * disabled breaker goes back to normal) or {@code reset} (closed, with an empty window). Resilience4j's
   * upper-case names ({@code FORCE_OPEN}, ...) are accepted too.
   *
    * @param name the breaker's name, from the path
    * @param action the action, from the request body
   * @return the breaker as it is after the action
   * @throws InvalidEndpointRequestException (400) for an unknown action or breaker; a write operation cannot
   *     answer 404 without tying the endpoint to the web
   */
  @WriteOperation
  public Map<String, Object> act(@Selector String name, String action) {
    String normalized = action == null ? "" : action.trim().toLowerCase(Locale.ROOT).replace('_', '-');
    if (!ACTIONS.contains(normalized)) {
      throw new InvalidEndpointRequestException(
          "no action '" + action + "'; one of " + String.join(", ", ACTIONS), "Unknown action");
    }
    CircuitBreaker breaker = registry.find(name).orElseThrow(() ->
        new InvalidEndpointRequestException("no circuit breaker named '" + name + "'", "Unknown circuit breaker"));
    switch (normalized) {
      case "force-open" -> breaker.transitionToForcedOpenState();
      case "disable" -> breaker.transitionToDisabledState();
      case "close" -> breaker.transitionToClosedState();
      default -> breaker.reset();
    }
    return details(breaker);
  }

  static Map<String, Object> summary(CircuitBreaker breaker) {
    CircuitBreaker.Metrics m = breaker.metrics();
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("state", m.state().name());
    s.put("failureRate", m.failureRate());
    s.put("slowCallRate", m.slowCallRate());
    s.put("failureRateThreshold", breaker.config().failureRateThreshold());
    s.put("slowCallRateThreshold", breaker.config().slowCallRateThreshold());
    s.put("bufferedCalls", m.numberOfBufferedCalls());
    s.put("failedCalls", m.numberOfFailedCalls());
    s.put("slowCalls", m.numberOfSlowCalls());
    s.put("slowFailedCalls", m.numberOfSlowFailedCalls());
    s.put("notPermittedCalls", m.numberOfNotPermittedCalls());
    m.nextTrialIn().ifPresent(d -> s.put("nextTrialInMillis", d.toMillis()));
    s.put("rampPercentage", m.rampPercentage());
    s.put("timeInStateMillis", m.timeInState().toMillis());
    return s;
  }

  static Map<String, Object> details(CircuitBreaker breaker) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("name", breaker.name());
    d.putAll(summary(breaker));
    CircuitBreaker.Metrics m = breaker.metrics();
    Map<String, Object> totals = new LinkedHashMap<>();
    totals.put("successful", m.totalSuccessfulCalls());
    totals.put("failed", m.totalFailedCalls());
    totals.put("ignored", m.totalIgnoredCalls());
    totals.put("notPermitted", m.totalNotPermittedCalls());
    totals.put("slowSuccessful", m.totalSlowSuccessfulCalls());
    totals.put("slowFailed", m.totalSlowFailedCalls());
    d.put("totals", totals);
    d.put("config", config(breaker.config()));
    return d;
  }

  private static Map<String, Object> config(CircuitBreakerConfig c) {
    Map<String, Object> s = new LinkedHashMap<>();
    if (c.windowType() == CircuitBreakerConfig.WindowType.COUNT_BASED) {
      s.put("countBasedWindow", c.windowSize());
    } else {
      s.put("timeBasedWindow", c.windowSpan().toString());
    }
    s.put("minimumNumberOfCalls", c.minimumNumberOfCalls());
    s.put("failureRateThreshold", c.failureRateThreshold());
    s.put("slowCallRateThreshold", c.slowCallRateThreshold());
    s.put("slowCallDurationThreshold", c.slowCallDurationThreshold().toString());
    s.put("slowCallDetection", c.slowCallDetection());
    s.put("consecutiveFailureThreshold", c.consecutiveFailureThreshold());
    s.put("waitDurationInOpenState", c.waitDurationInOpenState().toString());
    s.put("openStateBackoffMultiplier", c.openStateBackoffMultiplier());
    s.put("openStateBackoffMax", c.openStateBackoffMax().toString());
    s.put("openStateJitter", c.openStateJitter());
    s.put("permittedNumberOfCallsInHalfOpenState", c.permittedNumberOfCallsInHalfOpenState());
    s.put("maxWaitDurationInHalfOpenState", c.maxWaitDurationInHalfOpenState().toString());
    s.put("automaticTransitionFromOpenToHalfOpenEnabled", c.automaticTransitionFromOpenToHalfOpenEnabled());
    s.put("recoveryRamp", c.recoveryRamp().toString());
    s.put("recordExceptions", c.recordExceptions().stream().map(Class::getName).toList());
    s.put("ignoreExceptions", c.ignoreExceptions().stream().map(Class::getName).toList());
    return s;
  }
}
