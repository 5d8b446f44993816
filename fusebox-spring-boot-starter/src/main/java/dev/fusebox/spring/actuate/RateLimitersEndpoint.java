package dev.fusebox.spring.actuate;

import dev.fusebox.ratelimiter.RateLimiter;
import dev.fusebox.ratelimiter.RateLimiterConfig;
import dev.fusebox.ratelimiter.RateLimiterRegistry;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

/**
 * The {@code ratelimiters} actuator endpoint, read-only, as Resilience4j's of the same name.
 *
 * <ul>
 *   <li>{@code GET /actuator/ratelimiters}: {@code {"rateLimiters": {"partner": {"availablePermissions": 12,
 *       ...}}}}, sorted by name;</li>
 *   <li>{@code GET /actuator/ratelimiters/{name}}: one rate limiter with its configuration; 404 if there is
 *       none.</li>
 * </ul>
 *
 * <p>Reachable over HTTP once exposed ({@code management.endpoints.web.exposure.include=ratelimiters}). This
 * class is threadsafe.
 */
@Endpoint(id = "ratelimiters")
public final class RateLimitersEndpoint {

  private final RateLimiterRegistry registry;

  /**
   * Creates the endpoint.
   *
   * @param registry the rate limiters shown
   */
  public RateLimitersEndpoint(RateLimiterRegistry registry) {
    this.registry = registry;
  }

  /**
   * Lists every rate limiter with its figures.
   *
   * @return every rate limiter by name, with its figures
   */
  @ReadOperation
  public Map<String, Object> rateLimiters() {
    return Map.of("rateLimiters", Listing.byName(registry.all(), RateLimiter::name, RateLimitersEndpoint::figures));
  }

  /**
   * Describes one rate limiter in full; {@code null} (404) if there is none of that name.
   *
   * @param name the rate limiter's name, from the path
   * @return its figures, or null (404) if there is none of that name
   */
  @ReadOperation
  public Map<String, Object> rateLimiter(@Selector String name) {
    return registry.find(name).map(r -> Listing.details(r.name(), figures(r), config(r.config()))).orElse(null);
  }

  private static Map<String, Object> figures(RateLimiter limiter) {
    RateLimiter.Metrics m = limiter.metrics();
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("availablePermissions", m.availablePermissions());
    f.put("waitingThreads", m.numberOfWaitingThreads());
    f.put("limitForPeriod", m.limitForPeriod());
    f.put("successfulAcquisitions", m.totalSuccessfulAcquisitions());
    f.put("failedAcquisitions", m.totalFailedAcquisitions());
    f.put("permittedPermits", m.totalPermittedPermits());
    return f;
  }

  private static Map<String, Object> config(RateLimiterConfig c) {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("algorithm", c.algorithm().name());
    s.put("limitForPeriod", c.limitForPeriod());
    s.put("limitRefreshPeriod", c.limitRefreshPeriod().toString());
    s.put("timeoutDuration", c.timeoutDuration().toString());
    s.put("burstCapacity", c.burstCapacity());
    return s;
  }
}
