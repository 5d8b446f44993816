package dev.fusebox.spring.cloud;

import dev.fusebox.bulkhead.BulkheadRegistry;
import dev.fusebox.circuitbreaker.CircuitBreakerRegistry;
import dev.fusebox.timelimiter.TimeLimiterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.cloud.client.circuitbreaker.CircuitBreakerFactory;
import org.springframework.cloud.client.circuitbreaker.Customizer;
import org.springframework.cloud.client.circuitbreaker.ReactiveCircuitBreakerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Declares {@link FuseboxCircuitBreakerFactory} and, when Reactor is on the class path,
 * {@link ReactiveFuseboxCircuitBreakerFactory}, over the Fusebox starter's registries, unless the
 * application declares a factory of its own; off with {@code spring.cloud.circuitbreaker.fusebox.enabled=false}.
 * Beans of type {@code Customizer<FuseboxCircuitBreakerFactory>} and
 * {@code Customizer<ReactiveFuseboxCircuitBreakerFactory>} are applied to the factories, in order.
 *
 * <pre>{@code
 * @Bean
 * Customizer<ReactiveFuseboxCircuitBreakerFactory> defaults() {
 *   return factory -> factory.configureDefault(id -> new FuseboxConfigBuilder(id)
 *       .timeLimiterConfig(TimeLimiterConfig.builder().timeoutDuration(Duration.ofSeconds(2)).build())
 *       .build());
 * }
 * }</pre>
 */
@AutoConfiguration
@ConditionalOnClass(CircuitBreakerFactory.class)
@ConditionalOnBooleanProperty(name = "spring.cloud.circuitbreaker.fusebox.enabled", matchIfMissing = true)
public final class FuseboxCircuitBreakerAutoConfiguration {

  /** Creates the configuration; Spring Boot does. */
  public FuseboxCircuitBreakerAutoConfiguration() {}

  /**
   * The blocking factory.
   *
   * @param circuitBreakers the starter's breakers
   * @param timeLimiters the starter's time limiters
   * @param bulkheads the starter's bulkheads
   * @param customizers the application's customizers of the factory
   * @return the factory
   */
  @Bean
  @ConditionalOnMissingBean(CircuitBreakerFactory.class)
  public FuseboxCircuitBreakerFactory fuseboxCircuitBreakerFactory(
      CircuitBreakerRegistry circuitBreakers,
      TimeLimiterRegistry timeLimiters,
      BulkheadRegistry bulkheads,
      ObjectProvider<Customizer<FuseboxCircuitBreakerFactory>> customizers) {
    FuseboxCircuitBreakerFactory factory = new FuseboxCircuitBreakerFactory(circuitBreakers, timeLimiters, bulkheads);
    customizers.orderedStream().forEach(customizer -> customizer.customize(factory));
    return factory;
  }

  /** The reactive factory, when Reactor is there. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "reactor.core.publisher.Mono")
  public static class Reactive {

    /** Creates the configuration; Spring Boot does. */
    public Reactive() {}

    /**
     * The reactive factory.
     *
     * @param circuitBreakers the starter's breakers
     * @param timeLimiters the starter's time limiters
     * @param bulkheads the starter's bulkheads
     * @param customizers the application's customizers of the factory
     * @return the factory
     */
    @Bean
    @ConditionalOnMissingBean(ReactiveCircuitBreakerFactory.class)
    public ReactiveFuseboxCircuitBreakerFactory reactiveFuseboxCircuitBreakerFactory(
        CircuitBreakerRegistry circuitBreakers,
        TimeLimiterRegistry timeLimiters,
        BulkheadRegistry bulkheads,
        ObjectProvider<Customizer<ReactiveFuseboxCircuitBreakerFactory>> customizers) {
      ReactiveFuseboxCircuitBreakerFactory factory =
          new ReactiveFuseboxCircuitBreakerFactory(circuitBreakers, timeLimiters, bulkheads);
      customizers.orderedStream().forEach(customizer -> customizer.customize(factory));
      return factory;
    }
  }
}
