package dev.fusebox.spring.retry;

import dev.fusebox.retry.RetryConfig;
import dev.fusebox.retry.Retry;
import dev.fusebox.retry.RetryBudget;
import dev.fusebox.retry.RetryRegistry;
import dev.fusebox.spring.support.ConfigBuilding;
import dev.fusebox.spring.support.PolicyRefreshes;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * The retries: a {@link RetryRegistry} built from {@code fusebox.retry}, with every named configuration and
 * instance; backs off when the application declares its own. {@code fusebox.retry.enabled=false} (or
 * {@code fusebox.enabled=false}) leaves the retries out.
 *
 * <pre>{@code
 * fusebox.retry.instances.inventory.max-attempts=3
 * }</pre>
 */
@AutoConfiguration
@ConditionalOnProperty(prefix = "fusebox", name = {"enabled", "retry.enabled"}, matchIfMissing = true)
@EnableConfigurationProperties(RetryProperties.class)
public final class FuseboxRetryAutoConfiguration {

  /** Creates the configuration; Spring Boot does. */
  public FuseboxRetryAutoConfiguration() {}

  /**
   * The retries, every configured instance created at start-up.
   *
   * @param properties the {@code fusebox.retry} settings
   * @param customizers the application's changes to each instance's configuration
   * @param refreshes where the registry's live reconfiguration goes, when it is on
   * @return the registry, every configured instance in it
   */
  @Bean
  @ConditionalOnMissingBean
  public RetryRegistry retryRegistry(RetryProperties properties, ObjectProvider<RetryCustomizer> customizers,
      ObjectProvider<PolicyRefreshes> refreshes) {
    List<RetryCustomizer> list = customizers.orderedStream().toList();
    Map<String, RetryBudget> budgets = new HashMap<>();
    ConfigBuilding.EntryBuilder<RetryConfig, RetryProperties.Instance> builder =
        (name, resolved, problems) -> RetryConfigs.build(name, resolved, list, budgets, problems);
    return PolicyRefreshes.registry(
        refreshes.getIfAvailable(),
        properties,
        RetryProperties.class,
        builder,
        RetryProperties.Instance::new,
        RetryRegistry::of,
        RetryRegistry::retry,
        Retry::config,
        Retry::reconfigure);
  }
}
