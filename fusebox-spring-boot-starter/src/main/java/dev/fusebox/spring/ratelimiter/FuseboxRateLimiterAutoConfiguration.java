package dev.fusebox.spring.ratelimiter;

import dev.fusebox.ratelimiter.RateLimiter;
import static dev.fusebox.spring.support.ConfigBuilding.set;

import dev.fusebox.ratelimiter.RateLimiterConfig;
import dev.fusebox.ratelimiter.RateLimiterRegistry;
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
 * The rate limiters: a {@link RateLimiterRegistry} built from {@code fusebox.ratelimiter}, with every named
 * configuration and instance; backs off when the application declares its own.
 * {@code fusebox.ratelimiter.enabled=false} (or {@code fusebox.enabled=false}) leaves them out.
 *
 * <pre>{@code
 * fusebox.ratelimiter.instances.inventory.limit-for-period=100
 * }</pre>
 */
@AutoConfiguration
@ConditionalOnProperty(prefix = "fusebox", name = {"enabled", "ratelimiter.enabled"}, matchIfMissing = true)
@EnableConfigurationProperties(RateLimiterProperties.class)
public final class FuseboxRateLimiterAutoConfiguration {

  /** Creates the configuration; Spring Boot does. */
  public FuseboxRateLimiterAutoConfiguration() {}

  /**
   * The rate limiters, every configured instance created at start-up.
   *
   * @param properties the {@code fusebox.ratelimiter} settings
   * @param customizers the application's changes to each instance's configuration
   * @param refreshes where the registry's live reconfiguration goes, when it is on
   * @return the registry, every configured instance in it
   */
  @Bean
  @ConditionalOnMissingBean
  public RateLimiterRegistry rateLimiterRegistry(
      RateLimiterProperties properties, ObjectProvider<RateLimiterCustomizer> customizers,
      ObjectProvider<PolicyRefreshes> refreshes) {
    List<RateLimiterCustomizer> list = customizers.orderedStream().toList();
    ConfigBuilding.EntryBuilder<RateLimiterConfig, RateLimiterProperties.Instance> builder =
        (name, resolved, problems) -> {
          RateLimiterProperties.Instance p = resolved.values();
          RateLimiterConfig.Builder b = RateLimiterConfig.builder();
          set(p.getAlgorithm(), b::algorithm);
          set(p.getLimitForPeriod(), b::limitForPeriod);
          set(p.getLimitRefreshPeriod(), b::limitRefreshPeriod);
          set(p.getTimeoutDuration(), b::timeoutDuration);
          set(p.getBurstCapacity(), b::burstCapacity);
          list.forEach(c -> c.customize(name, b));
          return ConfigBuilding.build(resolved, Map.of(), b::build, problems);
        };
    return PolicyRefreshes.registry(
        refreshes.getIfAvailable(),
        properties,
        RateLimiterProperties.class,
        builder,
        RateLimiterProperties.Instance::new,
        RateLimiterRegistry::of,
        RateLimiterRegistry::rateLimiter,
        RateLimiter::config,
        RateLimiter::reconfigure);
  }
}
