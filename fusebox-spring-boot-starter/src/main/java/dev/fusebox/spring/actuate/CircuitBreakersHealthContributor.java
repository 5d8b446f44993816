package dev.fusebox.spring.actuate;

import dev.fusebox.circuitbreaker.CircuitBreaker;
import dev.fusebox.circuitbreaker.CircuitBreakerRegistry;
import dev.fusebox.observability.CircuitBreakerHealth;
import dev.fusebox.observability.HealthReport;
import dev.fusebox.spring.HealthStatusDefaults;
import dev.fusebox.spring.circuitbreaker.CircuitBreakerProperties;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * One health component per circuit breaker, under {@code circuitBreakers}: breakers created later appear,
 * removed ones disappear, and those whose properties say {@code register-health-indicator: false} are left
 * out.
 *
 * <p>Statuses follow fusebox-core's {@link CircuitBreakerHealth}: {@code UP} when closed (and not ramping
 * up), disabled or metrics-only; {@code DEGRADED} when open, forced open, half-open or ramping up; and
 * {@code DOWN} only when a breaker marked {@code critical} is open or forced open. {@code DEGRADED} answers
 * HTTP 200 (see {@link HealthStatusDefaults}), so an optional dependency being cut off does not take the
 * application out of its load balancer; a critical one does.
 *
 * <p>Each component's details: the state, since when, the next trial while open, the ramp, the failure
 * and slow-call rates, and whether the breaker is critical. This class is threadsafe.
 */
public final class CircuitBreakersHealthContributor implements CompositeHealthContributor {

  /** The status of a breaker that is cut off or recovering, but not critical. */
  public static final Status DEGRADED = new Status(HealthStatusDefaults.DEGRADED);

  private final CircuitBreakerRegistry registry;
  private final CircuitBreakerProperties properties;
  private final CircuitBreakerHealth health;

  /**
   * Creates the contributor.
   *
   * @param registry the breakers
   * @param properties which breakers are critical or left out
   */
  public CircuitBreakersHealthContributor(CircuitBreakerRegistry registry, CircuitBreakerProperties properties) {
    this.registry = registry;
    this.properties = properties;
    this.health = CircuitBreakerHealth.builder(registry).criticalIf(b -> properties.isCritical(b.name())).build();
  }

  @Override
  public HealthContributor getContributor(String name) {
    return registry.find(name).filter(b -> properties.isHealthIndicatorRegistered(name)).map(this::indicator).orElse(null);
  }

  @Override
  public Stream<Entry> stream() {
    // One report for the whole listing, so that every component is read at the same moment.
    HealthReport report = health.check();
    return report.breakers().stream()
        .filter(b -> properties.isHealthIndicatorRegistered(b.name()))
        .map(b -> new Entry(b.name(), (HealthIndicator) () -> toHealth(b)));
  }

  private HealthIndicator indicator(CircuitBreaker breaker) {
    return () -> health.check().breakers().stream()
        .filter(b -> b.name().equals(breaker.name()))
        .findFirst()
        .map(CircuitBreakersHealthContributor::toHealth)
        .orElseGet(() -> Health.unknown().build());
  }

  static Health toHealth(HealthReport.BreakerHealth b) {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("state", b.state().name());
    details.put("since", b.since().toString());
    if (b.nextTrialAt() != null) {
      details.put("nextTrialAt", b.nextTrialAt().toString());
    }
    if (b.ramping()) {
      details.put("rampPercentage", b.rampPercentage());
    }
    details.put("failureRate", b.failureRate());
    details.put("slowCallRate", b.slowCallRate());
    details.put("critical", b.critical());
    return Health.status(status(b.status())).withDetails(details).build();
  }

  static Status status(HealthReport.Status status) {
    return switch (status) {
      case UP -> Status.UP;
      case DEGRADED -> DEGRADED;
      case DOWN -> Status.DOWN;
    };
  }
}
