package dev.fusebox.spring.actuate;

import dev.fusebox.timelimiter.TimeLimiter;
import dev.fusebox.timelimiter.TimeLimiterRegistry;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

/**
 * The {@code timelimiters} actuator endpoint, read-only, as Resilience4j's of the same name.
 *
 * <ul>
 *   <li>{@code GET /actuator/timelimiters}: {@code {"timeLimiters": {"search": {"timedOutCalls": 3, ...}}}},
 *       sorted by name;</li>
 *   <li>{@code GET /actuator/timelimiters/{name}}: one time limiter with its configuration; 404 if there is
 *       none.</li>
 * </ul>
 *
 * <p>Reachable over HTTP once exposed ({@code management.endpoints.web.exposure.include=timelimiters}). This
 * class is threadsafe.
 */
@Endpoint(id = "timelimiters")
public final class TimeLimitersEndpoint {

  private final TimeLimiterRegistry registry;

  /**
   * Creates the endpoint.
   *
   * @param registry the time limiters shown
   */
  public TimeLimitersEndpoint(TimeLimiterRegistry registry) {
    this.registry = registry;
  }

  /**
   * Lists every time limiter with its counts.
   *
   * @return every time limiter by name, with its figures
   */
  @ReadOperation
  public Map<String, Object> timeLimiters() {
    return Map.of("timeLimiters", Listing.byName(registry.all(), TimeLimiter::name, TimeLimitersEndpoint::figures));
  }

  /**
   * Describes one time limiter in full; {@code null} (404) if there is none of that name.
   *
   * @param name the time limiter's name, from the path
   * @return its figures, or null (404) if there is none of that name
   */
  @ReadOperation
  public Map<String, Object> timeLimiter(@Selector String name) {
    return registry.find(name).map(t -> {
      Map<String, Object> config = new LinkedHashMap<>();
      config.put("timeoutDuration", t.config().timeoutDuration().toString());
      config.put("cancelRunningFuture", t.config().cancelRunningFuture());
      config.put("supportsBlockingCalls", t.supportsBlockingCalls());
      return Listing.details(t.name(), figures(t), config);
    }).orElse(null);
  }

  private static Map<String, Object> figures(TimeLimiter limiter) {
    TimeLimiter.Metrics m = limiter.metrics();
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("successfulCalls", m.numberOfSuccessfulCalls());
    f.put("failedCalls", m.numberOfFailedCalls());
    f.put("timedOutCalls", m.numberOfTimedOutCalls());
    return f;
  }
}
