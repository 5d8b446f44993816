package dev.fusebox.spring.throttle;

import static dev.fusebox.spring.support.ConfigBuilding.set;
import static dev.fusebox.spring.support.ConfigBuilding.types;

import dev.fusebox.spring.support.ConfigBuilding;
import dev.fusebox.throttle.AdaptiveThrottleConfig;
import dev.fusebox.throttle.AdaptiveThrottleRegistry;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * The adaptive throttles: an {@link AdaptiveThrottleRegistry} built from {@code fusebox.adaptive-throttle},
 * with every named configuration and instance; backs off when the application declares its own.
 * {@code fusebox.adaptive-throttle.enabled=false} (or {@code fusebox.enabled=false}) leaves them out.
 *
 * <pre>{@code
 * fusebox.adaptive-throttle.instances.inventory.k=1.5
 * }</pre>
 */
@AutoConfiguration
@ConditionalOnProperty(prefix = "fusebox", name = {"enabled", "adaptive-throttle.enabled"}, matchIfMissing = true)
@EnableConfigurationProperties(AdaptiveThrottleProperties.class)
public final class FuseboxAdaptiveThrottleAutoConfiguration {

  /** Creates the configuration; Spring Boot does. */
  public FuseboxAdaptiveThrottleAutoConfiguration() {}

  /**
   * The adaptive throttles, every configured instance created at start-up.
   *
   * @param properties the {@code fusebox.adaptive-throttle} settings
   * @param customizers the application's changes to each instance's configuration
   * @return the registry, every configured instance in it
   */
  @Bean
  @ConditionalOnMissingBean
  public AdaptiveThrottleRegistry adaptiveThrottleRegistry(
      AdaptiveThrottleProperties properties, ObjectProvider<AdaptiveThrottleCustomizer> customizers) {
    List<AdaptiveThrottleCustomizer> all = customizers.orderedStream().toList();
    return ConfigBuilding.registry(
        properties,
        (name, resolved, problems) -> {
          AdaptiveThrottleProperties.Instance p = resolved.values();
          AdaptiveThrottleConfig.Builder b = AdaptiveThrottleConfig.builder();
          set(p.getK(), b::k);
          set(p.getSamplingWindow(), b::samplingWindow);
          set(p.getMaxRejectionProbability(), b::maxRejectionProbability);
          set(p.getMinimumNumberOfRequests(), b::minimumNumberOfRequests);
          set(p.getRecordExceptions(), list -> b.recordExceptions(types(list)));
          set(p.getIgnoreExceptions(), list -> b.ignoreExceptions(types(list)));
          all.forEach(c -> c.customize(name, b));
          return ConfigBuilding.build(resolved, Map.of(), b::build, problems);
        },
        AdaptiveThrottleProperties.Instance::new,
        AdaptiveThrottleRegistry::of,
        AdaptiveThrottleRegistry::addConfiguration,
        AdaptiveThrottleRegistry::adaptiveThrottle);
  }
}
