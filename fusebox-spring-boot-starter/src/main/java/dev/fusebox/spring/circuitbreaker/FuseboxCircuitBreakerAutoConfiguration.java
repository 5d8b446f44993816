package dev.fusebox.spring.circuitbreaker;

import dev.fusebox.circuitbreaker.CircuitBreakerConfig;
import dev.fusebox.circuitbreaker.CircuitBreaker;
import dev.fusebox.circuitbreaker.CircuitBreakerRegistry;
import dev.fusebox.observability.EventHistory;
import dev.fusebox.observability.EventHistoryConfig;
import dev.fusebox.spring.FuseboxConfigurationException;
import dev.fusebox.spring.support.ConfigBuilding;
import dev.fusebox.spring.support.PolicyRefreshes;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * The circuit breakers: a {@link CircuitBreakerRegistry} built from {@code fusebox.circuitbreaker}, with
 * every named configuration and instance, and the breakers' recent events. Each bean backs off when the
 * application declares its own; {@code fusebox.circuitbreaker.enabled=false} (or {@code fusebox.enabled=false})
 * leaves the breakers out.
 *
 * <pre>{@code
 * fusebox.circuitbreaker.instances.inventory.failure-rate-threshold=50
 * }</pre>
 *
 * <p>Every entry is built at start-up, so that an invalid value stops the application with its property
 * path (see {@link FuseboxConfigurationException}).
 */
@AutoConfiguration
@ConditionalOnProperty(prefix = "fusebox", name = {"enabled", "circuitbreaker.enabled"}, matchIfMissing = true)
@EnableConfigurationProperties(CircuitBreakerProperties.class)
public final class FuseboxCircuitBreakerAutoConfiguration {

  /** Creates the configuration; Spring Boot does. */
  public FuseboxCircuitBreakerAutoConfiguration() {}

  /**
   * The circuit breakers: {@code configs.default} (or the core's defaults) as the default configuration,
   * every named configuration added, every instance created.
   *
   * @param properties the {@code fusebox.circuitbreaker} settings
   * @param customizers the application's changes to each instance's configuration
   * @param factory the maker of the registry, when the breakers are shared (fusebox-redis)
   * @param refreshes where the registry's live reconfiguration goes, when it is on
   * @return the registry, every configured instance in it
   */
  @Bean
  @ConditionalOnMissingBean
  public CircuitBreakerRegistry circuitBreakerRegistry(
      CircuitBreakerProperties properties,
      ObjectProvider<CircuitBreakerCustomizer> customizers,
      ObjectProvider<CircuitBreakerRegistryFactory> factory,
      ObjectProvider<PolicyRefreshes> refreshes) {
    List<CircuitBreakerCustomizer> list = customizers.orderedStream().toList();
    CircuitBreakerRegistryFactory create = factory.getIfAvailable(() -> CircuitBreakerRegistry::of);
    ConfigBuilding.EntryBuilder<CircuitBreakerConfig, CircuitBreakerProperties.Instance> builder =
        (name, resolved, problems) -> CircuitBreakerConfigs.build(name, resolved, list, problems);
    return PolicyRefreshes.registry(
        refreshes.getIfAvailable(),
        properties,
        CircuitBreakerProperties.class,
        builder,
        CircuitBreakerProperties.Instance::new,
        create::create,
        CircuitBreakerRegistry::circuitBreaker,
        CircuitBreaker::config,
        CircuitBreaker::reconfigure);
  }

  /**
   * The recent events of every breaker (all but successful calls), read by the
   * {@code circuitbreakerevents} endpoint and the dashboard.
   *
   * @param registry the breakers whose events are kept
   * @param properties the settings, for {@code event-history-capacity}
   * @return the history, closed with the application context
   */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  public EventHistory circuitBreakerEventHistory(CircuitBreakerRegistry registry, CircuitBreakerProperties properties) {
    EventHistoryConfig config;
    try {
      config = EventHistoryConfig.builder().capacity(properties.getEventHistoryCapacity()).build();
    } catch (IllegalArgumentException e) {
      throw new FuseboxConfigurationException(List.of(
          "fusebox.circuitbreaker.event-history-capacity must be in [1, 1048576], was "
              + properties.getEventHistoryCapacity()));
    }
    return EventHistory.attach(registry, config);
  }
}
