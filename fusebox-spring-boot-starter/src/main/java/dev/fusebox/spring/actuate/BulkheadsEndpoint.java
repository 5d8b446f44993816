package dev.fusebox.spring.actuate;

import dev.fusebox.bulkhead.AdaptiveBulkhead;
import dev.fusebox.bulkhead.AdaptiveBulkheadConfig;
import dev.fusebox.bulkhead.AdaptiveBulkheadRegistry;
import dev.fusebox.bulkhead.Bulkhead;
import dev.fusebox.bulkhead.BulkheadRegistry;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

/**
 * The {@code bulkheads} actuator endpoint, read-only: the semaphore bulkheads and the adaptive ones.
 *
 * <ul>
 *   <li>{@code GET /actuator/bulkheads}: {@code {"bulkheads": {"reports": {"availableConcurrentCalls": 3,
 *       ...}}, "adaptiveBulkheads": {"search": {"limit": 42, ...}}}}, each sorted by name;</li>
 *   <li>{@code GET /actuator/bulkheads/{name}}: one bulkhead with its configuration (the semaphore one when
 *       both kinds have that name); 404 if there is none.</li>
 * </ul>
 *
 * <p>Reachable over HTTP once exposed ({@code management.endpoints.web.exposure.include=bulkheads}). This
 * class is threadsafe.
 */
@Endpoint(id = "bulkheads")
public final class BulkheadsEndpoint {

  private final BulkheadRegistry bulkheads;
  private final AdaptiveBulkheadRegistry adaptive;

  /**
   * Creates the endpoint.
   *
   * @param bulkheads the semaphore bulkheads shown
   * @param adaptive the adaptive bulkheads shown
   */
  public BulkheadsEndpoint(BulkheadRegistry bulkheads, AdaptiveBulkheadRegistry adaptive) {
    this.bulkheads = bulkheads;
    this.adaptive = adaptive;
  }

  /**
   * Lists every bulkhead with its figures.
   *
   * @return every bulkhead, semaphore and adaptive, by name, with its figures
   */
  @ReadOperation
  public Map<String, Object> bulkheads() {
    return Map.of(
        "bulkheads", Listing.byName(bulkheads.all(), Bulkhead::name, BulkheadsEndpoint::figures),
        "adaptiveBulkheads", Listing.byName(adaptive.all(), AdaptiveBulkhead::name, BulkheadsEndpoint::figures));
  }

  /**
   * Describes one bulkhead in full; {@code null} (404) if there is none of that name.
   *
   * @param name the bulkhead's name, from the path
   * @return the bulkhead's figures, or null (404) if there is none of that name
   */
  @ReadOperation
  public Map<String, Object> bulkhead(@Selector String name) {
    Bulkhead fixed = bulkheads.find(name).orElse(null);
    if (fixed != null) {
      Map<String, Object> config = new LinkedHashMap<>();
      config.put("maxConcurrentCalls", fixed.config().maxConcurrentCalls());
      config.put("maxWaitDuration", fixed.config().maxWaitDuration().toString());
      Map<String, Object> d = Listing.details(name, figures(fixed), config);
      d.put("type", "semaphore");
      return d;
    }
    return adaptive.find(name).map(b -> {
      Map<String, Object> d = Listing.details(name, figures(b), config(b.config()));
      d.put("type", "adaptive");
      return d;
    }).orElse(null);
  }

  private static Map<String, Object> figures(Bulkhead bulkhead) {
    Bulkhead.Metrics m = bulkhead.metrics();
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("availableConcurrentCalls", m.availableConcurrentCalls());
    f.put("maxAllowedConcurrentCalls", m.maxAllowedConcurrentCalls());
    f.put("concurrentCalls", m.concurrentCalls());
    f.put("waitingCalls", m.waitingCalls());
    f.put("permittedCalls", m.totalPermittedCalls());
    f.put("rejectedCalls", m.totalRejectedCalls());
    f.put("finishedCalls", m.totalFinishedCalls());
    return f;
  }

  private static Map<String, Object> figures(AdaptiveBulkhead bulkhead) {
    AdaptiveBulkhead.Metrics m = bulkhead.metrics();
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("limit", m.limit());
    f.put("concurrentCalls", m.concurrentCalls());
    f.put("availableConcurrentCalls", m.availableConcurrentCalls());
    m.noLoadRtt().ifPresent(d -> f.put("noLoadRttMicros", d.toNanos() / 1_000));
    m.latestRtt().ifPresent(d -> f.put("latestRttMicros", d.toNanos() / 1_000));
    f.put("probing", m.probing());
    f.put("permittedCalls", m.totalPermittedCalls());
    f.put("rejectedCalls", m.totalRejectedCalls());
    f.put("droppedCalls", m.totalDroppedCalls());
    return f;
  }

  private static Map<String, Object> config(AdaptiveBulkheadConfig c) {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("initialLimit", c.initialLimit());
    s.put("minLimit", c.minLimit());
    s.put("maxLimit", c.maxLimit());
    s.put("alpha", c.alpha());
    s.put("beta", c.beta());
    s.put("backoffRatio", c.backoffRatio());
    s.put("sampleWindowSize", c.sampleWindowSize());
    s.put("probeInterval", c.probeInterval().toString());
    return s;
  }
}
