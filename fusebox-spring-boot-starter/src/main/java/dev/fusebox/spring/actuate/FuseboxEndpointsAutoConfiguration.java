package dev.fusebox.spring.actuate;

import dev.fusebox.PolicyRegistry;
import dev.fusebox.bulkhead.AdaptiveBulkheadRegistry;
import dev.fusebox.bulkhead.BulkheadRegistry;
import dev.fusebox.circuitbreaker.CircuitBreakerRegistry;
import dev.fusebox.observability.EventHistory;
import dev.fusebox.ratelimiter.RateLimiterRegistry;
import dev.fusebox.retry.RetryRegistry;
import dev.fusebox.spring.FuseboxAutoConfiguration;
import dev.fusebox.timelimiter.TimeLimiterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

/**
 * The {@code circuitbreakers} and {@code circuitbreakerevents} actuator endpoints, and the read-only
 * {@code retries}, {@code bulkheads}, {@code ratelimiters} and {@code timelimiters} ones, when the actuator
 * is on the class path, and the {@code fusebox} one over every policy registry bean; each is created only when available (enabled and exposed), as every actuator
 * endpoint, and only for the policies whose registry is a bean (a policy switched off has no endpoint).
 */
@AutoConfiguration(after = FuseboxAutoConfiguration.class)
@ConditionalOnClass({Endpoint.class, ConditionalOnAvailableEndpoint.class})
@ConditionalOnBooleanProperty(name = "fusebox.enabled", matchIfMissing = true)
public final class FuseboxEndpointsAutoConfiguration {

  /** Creates the configuration; Spring Boot does. */
  public FuseboxEndpointsAutoConfiguration() {}

  /**
   * The {@code circuitbreakers} endpoint.
   *
   * @param registry the breakers
   * @param fleet the fleet's side, present with fusebox-redis on the class path
   * @return the {@code circuitbreakers} endpoint
   */
  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnAvailableEndpoint
  @ConditionalOnBean(CircuitBreakerRegistry.class)
  public CircuitBreakersEndpoint circuitBreakersEndpoint(
      CircuitBreakerRegistry registry, ObjectProvider<FleetAccess> fleet) {
    return new CircuitBreakersEndpoint(registry, fleet.getIfAvailable());
  }

  /** The fleet's side of the {@code circuitbreakers} endpoint, only with fusebox-redis on the class path. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "dev.fusebox.redis.RedisSharedState")
  static class Fleet {

    @Bean
    FleetAccess fuseboxFleetAccess(ObjectProvider<dev.fusebox.redis.RedisSharedState> shared) {
      return new RedisFleetAccess(shared);
    }
  }

  /**
   * The {@code retries} endpoint.
   *
   * @param registry the retries
   * @return the {@code retries} endpoint
   */
  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnAvailableEndpoint
  @ConditionalOnBean(RetryRegistry.class)
  public RetriesEndpoint retriesEndpoint(RetryRegistry registry) {
    return new RetriesEndpoint(registry);
  }

  /**
   * The {@code bulkheads} endpoint, over the semaphore and the adaptive bulkheads; a kind switched off
   * shows none.
   *
   * @param bulkheads the semaphore bulkheads
   * @param adaptive the adaptive bulkheads
   * @return the {@code bulkheads} endpoint
   */
  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnAvailableEndpoint
  @Conditional(AnyBulkheadRegistry.class)
  public BulkheadsEndpoint bulkheadsEndpoint(
      ObjectProvider<BulkheadRegistry> bulkheads, ObjectProvider<AdaptiveBulkheadRegistry> adaptive) {
    return new BulkheadsEndpoint(
        bulkheads.getIfAvailable(BulkheadRegistry::ofDefaults),
        adaptive.getIfAvailable(AdaptiveBulkheadRegistry::ofDefaults));
  }

  /**
   * The {@code ratelimiters} endpoint.
   *
   * @param registry the rate limiters
   * @return the {@code ratelimiters} endpoint
   */
  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnAvailableEndpoint
  @ConditionalOnBean(RateLimiterRegistry.class)
  public RateLimitersEndpoint rateLimitersEndpoint(RateLimiterRegistry registry) {
    return new RateLimitersEndpoint(registry);
  }

  /**
   * The {@code timelimiters} endpoint.
   *
   * @param registry the time limiters
   * @return the {@code timelimiters} endpoint
   */
  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnAvailableEndpoint
  @ConditionalOnBean(TimeLimiterRegistry.class)
  public TimeLimitersEndpoint timeLimitersEndpoint(TimeLimiterRegistry registry) {
    return new TimeLimitersEndpoint(registry);
  }

  /**
   * The {@code fusebox} endpoint, over every {@link PolicyRegistry} bean: Fusebox's own and the
   * application's registries of policies of its own.
   *
   * @param registries every policy registry of the application
   * @return the {@code fusebox} endpoint
   */
  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnAvailableEndpoint
  public PoliciesEndpoint fuseboxPoliciesEndpoint(ObjectProvider<PolicyRegistry<?, ?, ?>> registries) {
    return new PoliciesEndpoint(registries.orderedStream().toList());
  }

  /**
   * The {@code circuitbreakerevents} endpoint.
   *
   * @param history the breakers' recent events
   * @return the {@code circuitbreakerevents} endpoint
   */
  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnAvailableEndpoint
  @ConditionalOnBean(EventHistory.class)
  public CircuitBreakerEventsEndpoint circuitBreakerEventsEndpoint(EventHistory history) {
    return new CircuitBreakerEventsEndpoint(history);
  }

  /** Matches when the application has either kind of bulkhead registry. */
  static final class AnyBulkheadRegistry extends AnyNestedCondition {

    AnyBulkheadRegistry() {
      super(ConfigurationPhase.REGISTER_BEAN);
    }

    @ConditionalOnBean(BulkheadRegistry.class)
    static final class Semaphore {}

    @ConditionalOnBean(AdaptiveBulkheadRegistry.class)
    static final class Adaptive {}
  }
}
