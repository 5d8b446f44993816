package dev.fusebox.spring.metrics;

import dev.fusebox.PolicyRegistry;
import dev.fusebox.micrometer.FuseboxMetrics;
import dev.fusebox.micrometer.FuseboxObservation;
import dev.fusebox.spring.FuseboxAutoConfiguration;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.observation.ObservationRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/**
 * Publishes every policy of every {@link PolicyRegistry} bean as Micrometer meters
 * ({@code fusebox.circuitbreaker.*}, {@code fusebox.retry.*} and so on, a registry of your own policy's
 * included, see {@link FuseboxMetrics}) when Micrometer and fusebox-micrometer are on the class path: a
 * {@link MeterBinder} bean, which Spring Boot binds to the application's meter registries. Off with
 * {@code fusebox.metrics.enabled=false}; {@code fusebox.metrics.percentile-histogram=true} publishes a
 * call-duration histogram (at the cost of an event per call). With an {@link ObservationRegistry} bean (Spring
 * Boot's, when tracing or observations are set up) it also writes the policies' decisions onto the current
 * observation ({@link FuseboxObservation}); off with {@code fusebox.observation.enabled=false}.
 */
@AutoConfiguration(after = FuseboxAutoConfiguration.class)
@ConditionalOnClass({MeterBinder.class, FuseboxMetrics.class})
@ConditionalOnProperty(prefix = "fusebox", name = {"enabled", "metrics.enabled"}, matchIfMissing = true)
public final class FuseboxMetricsAutoConfiguration {

  /** Creates the configuration; Spring Boot does. */
  public FuseboxMetricsAutoConfiguration() {}

  /**
   * The binding of every policy registry bean to Micrometer.
   *
   * @param registries the application's policy registries, the starter's and its own
   * @param percentileHistogram whether breakers' call durations go into a histogram
   * @return the binding, which Spring Boot binds to every meter registry
   */
  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnBean(PolicyRegistry.class)
  public FuseboxMetrics fuseboxMetrics(
      ObjectProvider<PolicyRegistry<?, ?, ?>> registries,
      @Value("${fusebox.metrics.percentile-histogram:false}") boolean percentileHistogram) {
    FuseboxMetrics.Builder b = FuseboxMetrics.builder().percentileHistogram(percentileHistogram);
    registries.orderedStream().forEach(b::registry);
    return b.build();
  }

  /**
   * The policies' decisions on the application's observations, and so in its traces.
   *
   * @param observations the application's observation registry
   * @param registries the application's policy registries
   * @return the tracing, closed with the application context
   */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  @ConditionalOnBean({ObservationRegistry.class, PolicyRegistry.class})
  @ConditionalOnProperty(prefix = "fusebox", name = "observation.enabled", matchIfMissing = true)
  public FuseboxObservation fuseboxObservation(
      ObservationRegistry observations, ObjectProvider<PolicyRegistry<?, ?, ?>> registries) {
    FuseboxObservation.Builder b = FuseboxObservation.builder(observations);
    registries.orderedStream().forEach(b::registry);
    return b.build();
  }
}
