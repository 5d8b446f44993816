package dev.fusebox.spring.bulkhead;

import dev.fusebox.bulkhead.AdaptiveBulkhead;
import static dev.fusebox.spring.support.ConfigBuilding.set;

import dev.fusebox.bulkhead.AdaptiveBulkheadConfig;
import dev.fusebox.bulkhead.AdaptiveBulkheadRegistry;
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
 * The adaptive bulkheads: an {@link AdaptiveBulkheadRegistry} built from {@code fusebox.adaptive-bulkhead},
 * with every named configuration and instance; backs off when the application declares its own.
 * {@code fusebox.adaptive-bulkhead.enabled=false} (or {@code fusebox.enabled=false}) leaves them out.
 *
 * <pre>{@code
 * fusebox.adaptive-bulkhead.instances.inventory.max-limit=64
 * }</pre>
 */
@AutoConfiguration
@ConditionalOnProperty(prefix = "fusebox", name = {"enabled", "adaptive-bulkhead.enabled"}, matchIfMissing = true)
@EnableConfigurationProperties(AdaptiveBulkheadProperties.class)
public final class FuseboxAdaptiveBulkheadAutoConfiguration {

  /** Creates the configuration; Spring Boot does. */
  public FuseboxAdaptiveBulkheadAutoConfiguration() {}

  /**
   * The adaptive bulkheads, every configured instance created at start-up.
   *
   * @param properties the {@code fusebox.adaptive-bulkhead} settings
   * @param customizers the application's changes to each instance's configuration
   * @param refreshes where the registry's live reconfiguration goes, when it is on
   * @return the registry, every configured instance in it
   */
  @Bean
  @ConditionalOnMissingBean
  public AdaptiveBulkheadRegistry adaptiveBulkheadRegistry(
      AdaptiveBulkheadProperties properties, ObjectProvider<AdaptiveBulkheadCustomizer> customizers,
      ObjectProvider<PolicyRefreshes> refreshes) {
    List<AdaptiveBulkheadCustomizer> list = customizers.orderedStream().toList();
    ConfigBuilding.EntryBuilder<AdaptiveBulkheadConfig, AdaptiveBulkheadProperties.Instance> builder =
        (name, resolved, problems) -> {
          AdaptiveBulkheadProperties.Instance p = resolved.values();
          AdaptiveBulkheadConfig.Builder b = AdaptiveBulkheadConfig.builder();
          set(p.getInitialLimit(), b::initialLimit);
          set(p.getMinLimit(), b::minLimit);
          set(p.getMaxLimit(), b::maxLimit);
          set(p.getAlpha(), b::alpha);
          set(p.getBeta(), b::beta);
          set(p.getBackoffRatio(), b::backoffRatio);
          set(p.getSampleWindowSize(), b::sampleWindowSize);
          set(p.getProbeInterval(), b::probeInterval);
          if (p.getDropExceptions() != null) {
            List<Class<? extends Throwable>> drops = List.copyOf(p.getDropExceptions());
            b.dropWhen(e -> drops.stream().anyMatch(type -> type.isInstance(e)));
          }
          list.forEach(c -> c.customize(name, b));
          return ConfigBuilding.build(resolved, Map.of(), b::build, problems);
        };
    return PolicyRefreshes.registry(
        refreshes.getIfAvailable(),
        properties,
        AdaptiveBulkheadProperties.class,
        builder,
        AdaptiveBulkheadProperties.Instance::new,
        AdaptiveBulkheadRegistry::of,
        AdaptiveBulkheadRegistry::bulkhead,
        AdaptiveBulkhead::config,
        AdaptiveBulkhead::reconfigure);
  }
}
