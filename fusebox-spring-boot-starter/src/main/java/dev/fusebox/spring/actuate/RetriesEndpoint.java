package dev.fusebox.spring.actuate;

import dev.fusebox.retry.Retry;
import dev.fusebox.retry.RetryConfig;
import dev.fusebox.retry.RetryRegistry;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

/**
 * The {@code retries} actuator endpoint, read-only, as Resilience4j's of the same name.
 *
 * <ul>
 *   <li>{@code GET /actuator/retries}: {@code {"retries": {"pricing": {"successfulCallsWithoutRetry": 10,
 *       ...}}}}, sorted by name;</li>
 *   <li>{@code GET /actuator/retries/{name}}: one retry with its configuration; 404 if there is none.</li>
 * </ul>
 *
 * <p>Reachable over HTTP once exposed ({@code management.endpoints.web.exposure.include=retries}). This
 * class is threadsafe.
 */
@Endpoint(id = "retries")
public final class RetriesEndpoint {

  private final RetryRegistry registry;

  /**
   * Creates the endpoint.
   *
   * @param registry the retries shown
   */
  public RetriesEndpoint(RetryRegistry registry) {
    this.registry = registry;
  }

  /**
   * Lists every retry with its counts.
   *
   * @return every retry by name, with its figures
   */
  @ReadOperation
  public Map<String, Object> retries() {
    return Map.of("retries", Listing.byName(registry.all(), Retry::name, RetriesEndpoint::figures));
  }

  /**
   * Describes one retry in full; {@code null} (404) if there is none of that name.
   *
   * @param name the retry's name, from the path
   * @return its figures, or null (404) if there is none of that name
   */
  @ReadOperation
  public Map<String, Object> retry(@Selector String name) {
    return registry.find(name).map(r -> Listing.details(r.name(), figures(r), config(r.config()))).orElse(null);
  }

  private static Map<String, Object> figures(Retry retry) {
    Retry.Metrics m = retry.metrics();
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("successfulCallsWithoutRetry", m.numberOfSuccessfulCallsWithoutRetryAttempt());
    f.put("successfulCallsWithRetry", m.numberOfSuccessfulCallsWithRetryAttempt());
    f.put("failedCallsWithoutRetry", m.numberOfFailedCallsWithoutRetryAttempt());
    f.put("failedCallsWithRetry", m.numberOfFailedCallsWithRetryAttempt());
    f.put("retryAttempts", m.numberOfTotalRetryAttempts());
    f.put("budgetExhaustedCalls", m.numberOfBudgetExhaustedCalls());
    return f;
  }

  private static Map<String, Object> config(RetryConfig c) {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("maxAttempts", c.maxAttempts());
    s.put("waitDuration", c.waitDuration().toString());
    s.put("exponentialBackoffMultiplier", c.exponentialBackoffMultiplier());
    s.put("exponentialMaxWaitDuration", c.exponentialMaxWaitDuration().toString());
    s.put("jitter", c.jitter().name());
    s.put("maxDuration", c.maxDuration().toString());
    s.put("retryExceptions", c.retryExceptions().stream().map(Class::getName).toList());
    s.put("ignoreExceptions", c.ignoreExceptions().stream().map(Class::getName).toList());
    s.put("failAfterMaxAttempts", c.failAfterMaxAttempts());
    s.put("retryBudget", c.retryBudget().isPresent());
    return s;
  }
}
