package dev.fusebox.spring.actuate;

import dev.fusebox.circuitbreaker.CircuitBreakerRegistry;
import dev.fusebox.spring.FuseboxAutoConfiguration;
import dev.fusebox.spring.circuitbreaker.CircuitBreakerProperties;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * A health component per circuit breaker, when Spring Boot's health support is on the class path; off with
 * {@code management.health.circuitbreakers.enabled=false}.
 */
@AutoConfiguration(after = FuseboxAutoConfiguration.class)
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean(CircuitBreakerRegistry.class)
@ConditionalOnBooleanProperty(name = "fusebox.enabled", matchIfMissing = true)
public final class FuseboxHealthAutoConfiguration {

  /** Creates the configuration; Spring Boot does. */
  public FuseboxHealthAutoConfiguration() {}

  /**
   * The {@code circuitBreakers} health component.
   *
   * @param registry the breakers
   * @param properties the settings, for which breakers are critical or left out (defaults without them)
   * @return the health component
   */
  @Bean
  // On the method, not the class: its condition's class must not be loaded where health support is missing.
  @ConditionalOnEnabledHealthIndicator("circuitbreakers")
  @ConditionalOnMissingBean(name = "circuitBreakersHealthContributor")
  public CircuitBreakersHealthContributor circuitBreakersHealthContributor(
      CircuitBreakerRegistry registry, ObjectProvider<CircuitBreakerProperties> properties) {
    // The application's own registry, with the starter's breakers switched off, has no properties: defaults.
    return new CircuitBreakersHealthContributor(registry, properties.getIfAvailable(CircuitBreakerProperties::new));
  }
}
