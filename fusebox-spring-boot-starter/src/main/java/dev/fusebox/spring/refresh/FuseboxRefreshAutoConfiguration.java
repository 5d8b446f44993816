package dev.fusebox.spring.refresh;

import dev.fusebox.spring.support.PolicyRefreshes;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.cloud.context.environment.EnvironmentChangeEvent;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Live reconfiguration: when Spring Cloud reports a change of {@code fusebox.*} properties (an
 * {@code EnvironmentChangeEvent}, sent by {@code /actuator/refresh}, Spring Cloud Config or a Kubernetes
 * config reload), the circuit breakers, retries, bulkheads, adaptive bulkheads, rate limiters and time
 * limiters follow it, keeping their state; see {@link FuseboxConfigurationRefreshed} for what a refresh
 * reports. Needs spring-cloud-context on the class path; {@code fusebox.refresh.enabled=false} turns it off.
 *
 * <pre>{@code
 * management.endpoints.web.exposure.include=refresh
 * fusebox.circuitbreaker.instances.backend.failure-rate-threshold=40
 * }</pre>
 */
@AutoConfiguration
@ConditionalOnClass(EnvironmentChangeEvent.class)
@ConditionalOnProperty(prefix = "fusebox", name = {"enabled", "refresh.enabled"}, matchIfMissing = true)
public final class FuseboxRefreshAutoConfiguration {

  /** Creates the configuration; Spring Boot does. */
  public FuseboxRefreshAutoConfiguration() {}

  /**
   * The policies that follow their properties; each registry built from properties adds itself.
   *
   * @return an empty list
   */
  @Bean
  public PolicyRefreshes fuseboxPolicyRefreshes() {
    return new PolicyRefreshes();
  }

  @Bean
  FuseboxRefresher fuseboxRefresher(
      ConfigurableEnvironment environment, PolicyRefreshes refreshes, ApplicationEventPublisher publisher) {
    return new FuseboxRefresher(environment, refreshes, publisher);
  }
}
