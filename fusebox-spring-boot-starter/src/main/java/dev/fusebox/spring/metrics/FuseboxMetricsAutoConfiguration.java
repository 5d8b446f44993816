package dev.fusebox.spring.metrics;

import dev.fusebox.circuitbreaker.CircuitBreakerRegistry;
import dev.fusebox.micrometer.FuseboxMetrics;
import dev.fusebox.spring.FuseboxAutoConfiguration;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Publishes every circuit breaker as Micrometer meters ({@code fusebox.circuitbreaker.*}, see
 * {@link FuseboxMetrics}) when Micrometer and fusebox-micrometer are on the class path: a
 * {@link MeterBinder} bean, which Spring Boot binds to the application's meter registries. Off with
 * {@code fusebox.metrics.enabled=false}; {@code fusebox.metrics.percentile-histogram=true} publishes a
 * call-duration histogram (at the cost of an event per call).
 */
@AutoConfiguration(after = FuseboxAutoConfiguration.class)
@ConditionalOnClass({MeterBinder.class, FuseboxMetrics.class})
@ConditionalOnBean(CircuitBreakerRegistry.class)
@ConditionalOnBooleanProperty(name = "fusebox.metrics.enabled", matchIfMissing = true)
public final class FuseboxMetricsAutoConfiguration {

  /** Creates the configuration; Spring Boot does. */
  public FuseboxMetricsAutoConfiguration() {}

  /**
   * The binding of the breakers to Micrometer.
   *
   * @param registry the breakers
   * @param percentileHistogram whether call durations go into a histogram
   */
  @Bean
  @ConditionalOnMissingBean
  public FuseboxMetrics fuseboxMetrics(
      CircuitBreakerRegistry registry,
      @org.springframework.beans.factory.annotation.Value("${fusebox.metrics.percentile-histogram:false}")
          boolean percentileHistogram) {
    return FuseboxMetrics.builder(registry).percentileHistogram(percentileHistogram).build();
  }
}
