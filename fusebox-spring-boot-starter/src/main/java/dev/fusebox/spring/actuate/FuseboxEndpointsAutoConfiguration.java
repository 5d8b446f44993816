package dev.fusebox.spring.actuate;

import dev.fusebox.circuitbreaker.CircuitBreakerRegistry;
import dev.fusebox.observability.EventHistory;
import dev.fusebox.spring.FuseboxAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The {@code circuitbreakers} and {@code circuitbreakerevents} actuator endpoints, when the actuator is on
 * the class path; each is created only when available (enabled and exposed), as every actuator endpoint.
 */
@AutoConfiguration(after = FuseboxAutoConfiguration.class)
@ConditionalOnClass({Endpoint.class, ConditionalOnAvailableEndpoint.class})
@ConditionalOnBean(CircuitBreakerRegistry.class)
public final class FuseboxEndpointsAutoConfiguration {

  /** Creates the configuration; Spring Boot does. */
  public FuseboxEndpointsAutoConfiguration() {}

  /** The {@code circuitbreakers} endpoint. */
  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnAvailableEndpoint
  public CircuitBreakersEndpoint circuitBreakersEndpoint(CircuitBreakerRegistry registry) {
    return new CircuitBreakersEndpoint(registry);
  }

  /** The {@code circuitbreakerevents} endpoint. */
  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnAvailableEndpoint
  @ConditionalOnBean(EventHistory.class)
  public CircuitBreakerEventsEndpoint circuitBreakerEventsEndpoint(EventHistory history) {
    return new CircuitBreakerEventsEndpoint(history);
  }
}
