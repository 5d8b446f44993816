package dev.fusebox.spring.actuate;

import dev.fusebox.circuitbreaker.CircuitBreaker;
import dev.fusebox.circuitbreaker.CircuitBreakerConfig;
import dev.fusebox.circuitbreaker.CircuitBreakerRegistry;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.convert.DurationStyle;

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
 *   <li>{@code {"action": "deploy-mode", "duration": "10m"}} puts the breaker in
 *       {@linkplain CircuitBreaker#startDeployMode(Duration) deploy mode} for that long ({@code 10m},
 *       {@code PT10M}; {@linkplain #DEFAULT_DEPLOY_MODE_DURATION 10 minutes} when absent), starting it again
 *       replaces the stretch; {@code {"action": "end-deploy-mode"}} ends it. Deploy mode is per instance: with
 *       {@code "scope": "fleet"} both are a 400. The reads show {@code deployMode}, and while it is on
 *       {@code deployModeRemainingMillis}; one breaker also its {@code slowCallDurationThreshold} in force
 *       (learnt from its latency with {@code slow-call-duration-percentile}, else the configured one).</li>
 *   <li>With breakers shared through Redis, {@code {"action": "force-open", "scope": "fleet", "reason":
 *       "INC-4711", "duration": "30m"}} acts on every instance at once through
 *       {@code RedisSharedState.fleet()} ({@code force-open}, {@code disable}, or {@code close} to release;
 *       a reason is required, a duration optional); {@code "scope": "instance"} is the default. The reads
 *       then show the fleet too: the list its {@code fleetOverrides}, one breaker its {@code fleet} (the
 *       override in force and each live instance's state).</li>
 * </ul>
 *
 * <p>It is an ordinary actuator endpoint: reachable over HTTP only once exposed
 * ({@code management.endpoints.web.exposure.include=circuitbreakers}), and guarded by whatever security the
 * application puts on the actuator. The write operation never creates a breaker. This class is threadsafe.
 */
@Endpoint(id = "circuitbreakers")
public final class CircuitBreakersEndpoint {

  /** The actions of the write operation. */
  public static final List<String> ACTIONS =
      List.of("force-open", "disable", "close", "reset", "deploy-mode", "end-deploy-mode");

  /** How long {@code deploy-mode} lasts when the request gives no {@code duration}: a typical rollout. */
  public static final Duration DEFAULT_DEPLOY_MODE_DURATION = Duration.ofMinutes(10);

  /** The scopes of the write operation. */
  public static final List<String> SCOPES = List.of("instance", "fleet");

  private final CircuitBreakerRegistry registry;
  private final @Nullable FleetAccess fleet;

  /**
   * Creates the endpoint.
   *
   * @param registry the breakers shown
   */
  public CircuitBreakersEndpoint(CircuitBreakerRegistry registry) {
    this(registry, null);
  }

  CircuitBreakersEndpoint(CircuitBreakerRegistry registry, @Nullable FleetAccess fleet) {
    this.registry = registry;
    this.fleet = fleet;
  }

  private boolean shared() {
    return fleet != null && fleet.present();
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
    if (!shared()) {
      return Map.of("circuitBreakers", breakers);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("circuitBreakers", breakers);
    out.put("fleetOverrides", fleetRead(fleet::overrides));
    return out;
  }

  /**
   * Describes one breaker in full; {@code null} (404) if there is none of that name.
   *
   * @param name the breaker's name, from the path
   * @return the breaker's state, configuration and figures, or null (404) if there is none of that name
   */
  @ReadOperation
  public Map<String, Object> circuitBreaker(@Selector String name) {
    Map<String, Object> d = registry.find(name).map(CircuitBreakersEndpoint::details).orElse(null);
    if (d != null && shared()) {
      d.put("fleet", fleetRead(() -> fleet.describe(name)));
    }
    return d;
  }

  /** A read of the fleet that cannot reach Redis says so in place of the figures, rather than failing the page. */
  private static Map<String, Object> fleetRead(java.util.function.Supplier<Map<String, Object>> read) {
    try {
      return read.get();
    } catch (IllegalStateException e) {
      return Map.of("error", String.valueOf(e.getMessage()));
    }
  }

  /**
   * Moves one breaker: {@code force-open}, {@code disable}, {@code close} (also how a forced-open or
   * disabled breaker goes back to normal) or {@code reset} (closed, with an empty window); or switches its
   * deploy mode: {@code deploy-mode} (for {@code duration}, 10 minutes when absent) and
   * {@code end-deploy-mode}, on this instance only. Resilience4j's upper-case names ({@code FORCE_OPEN},
   * ...) are accepted too.
   *
   * @param name the breaker's name, from the path
   * @param action the action, from the request body
   * @param scope {@code instance} (the default) or {@code fleet}, from the request body
   * @param reason why, required for the fleet (it is logged and shown on every instance), from the body
   * @param duration for a fleet's {@code force-open}, how long ({@code 30m}, {@code PT30M}), until released
   *     when absent; for {@code deploy-mode}, how long it lasts ({@code 10m}, {@code PT10M}), 10 minutes when
   *     absent
   * @return the breaker as it is after the action
   * @throws InvalidEndpointRequestException (400) for an unknown action or breaker; a write operation cannot
   *     answer 404 without tying the endpoint to the web
   */
  @WriteOperation
  public Map<String, Object> act(
      @Selector String name, String action, @Nullable String scope, @Nullable String reason,
      @Nullable String duration) {
    String normalized = action == null ? "" : action.trim().toLowerCase(Locale.ROOT).replace('_', '-');
    if (!ACTIONS.contains(normalized)) {
      throw new InvalidEndpointRequestException(
          "no action '" + action + "'; one of " + String.join(", ", ACTIONS), "Unknown action");
    }
    String where = scope == null ? "instance" : scope.trim().toLowerCase(Locale.ROOT);
    if (!SCOPES.contains(where)) {
      throw new InvalidEndpointRequestException(
          "no scope '" + scope + "'; one of " + String.join(", ", SCOPES), "Unknown scope");
    }
    if (where.equals("fleet")) {
      if (normalized.endsWith("deploy-mode")) {
        throw new InvalidEndpointRequestException(
            "'" + normalized + "' acts on one instance only: deploy mode is per instance for now; send it with"
                + " scope 'instance' to each instance", "Not for the fleet");
      }
      return actOnFleet(name, normalized, reason, duration);
    }
    CircuitBreaker breaker = registry.find(name).orElseThrow(() ->
        new InvalidEndpointRequestException("no circuit breaker named '" + name + "'", "Unknown circuit breaker"));
    switch (normalized) {
      case "force-open" -> breaker.transitionToForcedOpenState();
      case "disable" -> breaker.transitionToDisabledState();
      case "close" -> breaker.transitionToClosedState();
      case "deploy-mode" -> {
        Duration length = duration(duration);
        try {
          breaker.startDeployMode(length == null ? DEFAULT_DEPLOY_MODE_DURATION : length);
        } catch (IllegalArgumentException e) {
          throw new InvalidEndpointRequestException(String.valueOf(e.getMessage()), "Bad duration");
        }
      }
      case "end-deploy-mode" -> breaker.endDeployMode();
      default -> breaker.reset();
    }
    return details(breaker);
  }

  private Map<String, Object> actOnFleet(
      String name, String action, @Nullable String reason, @Nullable String duration) {
    if (!shared()) {
      throw new InvalidEndpointRequestException(
          "scope 'fleet' needs breakers shared through Redis (fusebox.redis.uri)", "No fleet");
    }
    if (action.equals("reset")) {
      throw new InvalidEndpointRequestException(
          "'reset' acts on one instance only; for the fleet use force-open, disable or close", "Unknown action");
    }
    if (reason == null || reason.isBlank()) {
      throw new InvalidEndpointRequestException(
          "a fleet action needs a 'reason' (it is logged and shown on every instance)", "Missing reason");
    }
    Duration wait = duration(duration);
    if (wait != null && !action.equals("force-open")) {
      throw new InvalidEndpointRequestException("'duration' applies to force-open only", "Bad duration");
    }
    Map<String, Object> result;
    try {
      result = fleet.act(name, action, reason, wait);
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new InvalidEndpointRequestException(String.valueOf(e.getMessage()), "Fleet action refused");
    }
    Map<String, Object> d = registry.find(name).map(CircuitBreakersEndpoint::details).orElseGet(() -> {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", name);
      return m;
    });
    d.put("scope", "fleet");
    d.put("fleetAction", result);
    d.put("fleet", fleetRead(() -> fleet.describe(name)));
    return d;
  }

  /** Parses a request's {@code duration}, Spring's way ({@code 30m}, {@code PT30M}); null when absent. */
  private static @Nullable Duration duration(@Nullable String duration) {
    if (duration == null || duration.isBlank()) {
      return null;
    }
    try {
      return DurationStyle.detectAndParse(duration.trim());
    } catch (IllegalArgumentException e) {
      throw new InvalidEndpointRequestException(
          "duration '" + duration + "' is not a duration (30m, PT30M)", "Bad duration");
    }
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
    Optional<Duration> deployMode = breaker.deployModeRemaining();
    s.put("deployMode", deployMode.isPresent());
    deployMode.ifPresent(d -> s.put("deployModeRemainingMillis", d.toMillis()));
    return s;
  }

  static Map<String, Object> details(CircuitBreaker breaker) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("name", breaker.name());
    d.putAll(summary(breaker));
    // The threshold in force: the configured one, or the one learnt from the breaker's own latency.
    d.put("slowCallDurationThreshold", breaker.slowCallDurationThreshold().toString());
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
    s.put("failureRateConfidence", c.failureRateConfidence());
    s.put("slowCallDurationPercentile", c.slowCallDurationPercentile());
    s.put("slowCallDurationMultiplier", c.slowCallDurationMultiplier());
    s.put("slowCallBaselinePeriod", c.slowCallBaselinePeriod().toString());
    s.put("slowCallBaselineMinimumCalls", c.slowCallBaselineMinimumCalls());
    s.put("deployModeFailureThreshold", c.deployModeFailureThreshold());
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
