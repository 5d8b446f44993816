package dev.fusebox.spring.bulkhead;

import dev.fusebox.bulkhead.Bulkhead;
import static dev.fusebox.spring.support.ConfigBuilding.set;

import dev.fusebox.bulkhead.BulkheadConfig;
import dev.fusebox.bulkhead.BulkheadRegistry;
import dev.fusebox.spring.support.ConfigBuilding;
import dev.fusebox.spring.support.PolicyRefreshes;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * The semaphore bulkheads: a {@link BulkheadRegistry} built from {@code fusebox.bulkhead}, with every named
 * configuration and instance; backs off when the application declares its own.
 * {@code fusebox.bulkhead.enabled=false} (or {@code fusebox.enabled=false}) leaves them out.
 *
 * <pre>{@code
 * fusebox.bulkhead.instances.inventory.max-concurrent-calls=20
 * }</pre>
 */
@AutoConfiguration
@ConditionalOnProperty(prefix = "fusebox", name = {"enabled", "bulkhead.enabled"}, matchIfMissing = true)
@EnableConfigurationProperties(BulkheadProperties.class)
public final class FuseboxBulkheadAutoConfiguration {

  /** Creates the configuration; Spring Boot does. */
  public FuseboxBulkheadAutoConfiguration() {}

  /**
   * The bulkheads, every configured instance created at start-up.
   *
   * @param properties the {@code fusebox.bulkhead} settings
   * @param customizers the application's changes to each instance's configuration
   * @param refreshes where the registry's live reconfiguration goes, when it is on
   * @return the registry, every configured instance in it
   */
  @Bean
  @ConditionalOnMissingBean
  public BulkheadRegistry bulkheadRegistry(
      BulkheadProperties properties, ObjectProvider<BulkheadCustomizer> customizers,
      ObjectProvider<PolicyRefreshes> refreshes) {
    List<BulkheadCustomizer> list = customizers.orderedStream().toList();
    ConfigBuilding.EntryBuilder<BulkheadConfig, BulkheadProperties.Instance> builder =
        (name, resolved, problems) -> {
          BulkheadProperties.Instance p = resolved.values();
          BulkheadConfig.Builder b = BulkheadConfig.builder();
          set(p.getMaxConcurrentCalls(), b::maxConcurrentCalls);
          set(p.getMaxWaitDuration(), b::maxWaitDuration);
          list.forEach(c -> c.customize(name, b));
          return ConfigBuilding.build(resolved, Map.of(), b::build, problems);
        };
    return PolicyRefreshes.registry(
        refreshes.getIfAvailable(),
        properties,
        BulkheadProperties.class,
        builder,
        BulkheadProperties.Instance::new,
        BulkheadRegistry::of,
        BulkheadRegistry::bulkhead,
        Bulkhead::config,
        Bulkhead::reconfigure);
  }
}
