package dev.fusebox.spring.timelimiter;

import dev.fusebox.timelimiter.TimeLimiter;
import static dev.fusebox.spring.support.ConfigBuilding.set;

import dev.fusebox.spring.support.ConfigBuilding;
import dev.fusebox.spring.support.PolicyRefreshes;
import dev.fusebox.timelimiter.TimeLimiterConfig;
import dev.fusebox.timelimiter.TimeLimiterRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * The time limiters: a {@link TimeLimiterRegistry} built from {@code fusebox.timelimiter}, with every named
 * configuration and instance; backs off when the application declares its own.
 * {@code fusebox.timelimiter.enabled=false} (or {@code fusebox.enabled=false}) leaves the time limiters out.
 *
 * <pre>{@code
 * fusebox.timelimiter.instances.inventory.timeout-duration=2s
 * }</pre>
 */
@AutoConfiguration
@ConditionalOnProperty(prefix = "fusebox", name = {"enabled", "timelimiter.enabled"}, matchIfMissing = true)
@EnableConfigurationProperties(TimeLimiterProperties.class)
public final class FuseboxTimeLimiterAutoConfiguration {

  /** Creates the configuration; Spring Boot does. */
  public FuseboxTimeLimiterAutoConfiguration() {}

  /**
   * The time limiters. On Java 17 to 20 blocking calls run on a pool of daemon threads that the starter
   * owns; on Java 21 and later, on a virtual thread each.
   *
   * @param properties the {@code fusebox.timelimiter} settings
   * @param customizers the application's changes to each instance's configuration
   * @param executor the threads for blocking calls on Java 17 to 20
   * @param refreshes where the registry's live reconfiguration goes, when it is on
   * @return the registry, every configured instance in it
   */
  @Bean
  @ConditionalOnMissingBean
  public TimeLimiterRegistry timeLimiterRegistry(
      TimeLimiterProperties properties,
      ObjectProvider<TimeLimiterCustomizer> customizers,
      ObjectProvider<BlockingCallExecutor> executor,
      ObjectProvider<PolicyRefreshes> refreshes) {
    List<TimeLimiterCustomizer> list = customizers.orderedStream().toList();
    Executor blocking = BlockingCallExecutor.virtualThreadsAvailable() ? null : executor.getObject();
    ConfigBuilding.EntryBuilder<TimeLimiterConfig, TimeLimiterProperties.Instance> builder =
        (name, resolved, problems) -> {
          TimeLimiterProperties.Instance p = resolved.values();
          TimeLimiterConfig.Builder b = TimeLimiterConfig.builder();
          set(p.getTimeoutDuration(), b::timeoutDuration);
          set(p.getCancelRunningFuture(), b::cancelRunningFuture);
          if (blocking != null) {
            b.executor(blocking);
          }
          list.forEach(c -> c.customize(name, b));
          return ConfigBuilding.build(resolved, Map.of(), b::build, problems);
        };
    return PolicyRefreshes.registry(
        refreshes.getIfAvailable(),
        properties,
        TimeLimiterProperties.class,
        builder,
        TimeLimiterProperties.Instance::new,
        TimeLimiterRegistry::of,
        TimeLimiterRegistry::timeLimiter,
        TimeLimiter::config,
        TimeLimiter::reconfigure);
  }

  @Bean
  BlockingCallExecutor fuseboxBlockingCallExecutor() {
    return new BlockingCallExecutor();
  }
}
