package dev.fusebox.spring.chaos;

import static dev.fusebox.spring.support.ConfigBuilding.set;

import dev.fusebox.chaos.ChaosConfig;
import dev.fusebox.chaos.ChaosRegistry;
import dev.fusebox.spring.support.ConfigBuilding;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * The chaos policies: a {@link ChaosRegistry} built from {@code fusebox.chaos}, with every named
 * configuration and instance; backs off when the application declares its own. They inject nothing until a
 * rate is set, in the properties or at run time. {@code fusebox.chaos.enabled=false} (or
 * {@code fusebox.enabled=false}) leaves them out.
 *
 * <pre>{@code
 * fusebox.chaos.instances.inventory.fault-rate=0.1
 * }</pre>
 */
@AutoConfiguration
@ConditionalOnProperty(prefix = "fusebox", name = {"enabled", "chaos.enabled"}, matchIfMissing = true)
@EnableConfigurationProperties(ChaosProperties.class)
public final class FuseboxChaosAutoConfiguration {

  /** Creates the configuration; Spring Boot does. */
  public FuseboxChaosAutoConfiguration() {}

  /**
   * The chaos policies, every configured instance created at start-up.
   *
   * @param properties the {@code fusebox.chaos} settings
   * @param customizers the application's changes to each instance's configuration
   * @return the registry, every configured instance in it
   */
  @Bean
  @ConditionalOnMissingBean
  public ChaosRegistry chaosRegistry(ChaosProperties properties, ObjectProvider<ChaosCustomizer> customizers) {
    List<ChaosCustomizer> list = customizers.orderedStream().toList();
    return ConfigBuilding.registry(
        properties,
        (name, resolved, problems) -> {
          ChaosProperties.Instance p = resolved.values();
          ChaosConfig.Builder b = ChaosConfig.builder();
          set(p.getEnabled(), b::enabled);
          set(p.getFaultRate(), b::faultRate);
          set(p.getLatencyRate(), b::latencyRate);
          set(p.getLatency(), b::latency);
          list.forEach(c -> c.customize(name, b));
          return ConfigBuilding.build(resolved, Map.of(), b::build, problems);
        },
        ChaosProperties.Instance::new,
        ChaosRegistry::of,
        ChaosRegistry::addConfiguration,
        ChaosRegistry::chaos);
  }
}
