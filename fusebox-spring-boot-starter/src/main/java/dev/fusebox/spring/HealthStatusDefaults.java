package dev.fusebox.spring;

import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Teaches the health endpoint the {@code DEGRADED} status of open circuit breakers: places it between
 * {@code OUT_OF_SERVICE} and {@code UP} in {@code management.endpoint.health.status.order}, so that an
 * application with an open breaker reports {@code DEGRADED} rather than {@code UP}, and maps it to HTTP
 * 200, so that it stays in its load balancer's rotation. The values are defaults, added last: an
 * application that sets either property keeps its own.
 */
public final class HealthStatusDefaults implements EnvironmentPostProcessor, Ordered {

  /** The status of an application with an open, non-critical breaker. */
  public static final String DEGRADED = "DEGRADED";

  static final String SOURCE = "fuseboxHealthStatusDefaults";

  /** Creates the post-processor; Spring Boot does, through {@code META-INF/spring.factories}. */
  public HealthStatusDefaults() {}

  @Override
  public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
    if (environment.getPropertySources().contains(SOURCE)) {
      return;
    }
    // Any mapping replaces Spring Boot's built-in one, so its two entries are repeated here; a map given
    // elsewhere is merged with these, key by key.
    environment.getPropertySources().addLast(new MapPropertySource(SOURCE, Map.of(
        "management.endpoint.health.status.order", "DOWN,OUT_OF_SERVICE," + DEGRADED + ",UP,UNKNOWN",
        "management.endpoint.health.status.http-mapping.DOWN", "503",
        "management.endpoint.health.status.http-mapping.OUT_OF_SERVICE", "503",
        "management.endpoint.health.status.http-mapping." + DEGRADED, "200")));
  }

  @Override
  public int getOrder() {
    return Ordered.LOWEST_PRECEDENCE;
  }
}
