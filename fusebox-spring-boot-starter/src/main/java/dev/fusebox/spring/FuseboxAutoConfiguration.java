package dev.fusebox.spring;

import dev.fusebox.spring.annotation.FuseboxAnnotationBeanPostProcessor;
import dev.fusebox.spring.bulkhead.FuseboxAdaptiveBulkheadAutoConfiguration;
import dev.fusebox.spring.bulkhead.FuseboxBulkheadAutoConfiguration;
import dev.fusebox.spring.chaos.FuseboxChaosAutoConfiguration;
import dev.fusebox.spring.circuitbreaker.FuseboxCircuitBreakerAutoConfiguration;
import dev.fusebox.spring.ratelimiter.FuseboxRateLimiterAutoConfiguration;
import dev.fusebox.spring.retry.FuseboxRetryAutoConfiguration;
import dev.fusebox.spring.throttle.FuseboxAdaptiveThrottleAutoConfiguration;
import dev.fusebox.spring.timelimiter.FuseboxTimeLimiterAutoConfiguration;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Role;
import org.springframework.core.env.Environment;

/**
 * The annotations ({@code @CircuitBreaker}, {@code @Retry}, ...), applied after every policy's own
 * auto-configuration ({@code dev.fusebox.spring.circuitbreaker}, {@code .retry}, {@code .bulkhead}, ...), each of
 * which builds its registry from its properties. What depends on the registries (the actuator, the metrics,
 * the dashboard, the {@code RestClient} breakers) comes after this one.
 *
 * <p>It imports every policy's auto-configuration, so that naming this one (as a test's
 * {@code AutoConfigurations.of(FuseboxAutoConfiguration.class)} does) still brings every registry; to leave a
 * policy out, switch it off rather than exclude its auto-configuration.
 *
 * <pre>{@code
 * fusebox.enabled=false              # the whole starter off
 * fusebox.retry.enabled=false        # one policy off
 * fusebox.annotations.enabled=false  # the annotations off, the registries kept
 * }</pre>
 */
@AutoConfiguration(
    after = {
      FuseboxCircuitBreakerAutoConfiguration.class,
      FuseboxRetryAutoConfiguration.class,
      FuseboxTimeLimiterAutoConfiguration.class,
      FuseboxBulkheadAutoConfiguration.class,
      FuseboxAdaptiveBulkheadAutoConfiguration.class,
      FuseboxRateLimiterAutoConfiguration.class,
      FuseboxChaosAutoConfiguration.class,
      FuseboxAdaptiveThrottleAutoConfiguration.class
    })
@Import({
  FuseboxCircuitBreakerAutoConfiguration.class,
  FuseboxRetryAutoConfiguration.class,
  FuseboxTimeLimiterAutoConfiguration.class,
  FuseboxBulkheadAutoConfiguration.class,
  FuseboxAdaptiveBulkheadAutoConfiguration.class,
  FuseboxRateLimiterAutoConfiguration.class,
  FuseboxChaosAutoConfiguration.class,
  FuseboxAdaptiveThrottleAutoConfiguration.class
})
@ConditionalOnBooleanProperty(name = "fusebox.enabled", matchIfMissing = true)
public final class FuseboxAutoConfiguration {

  /** Creates the configuration; Spring Boot does. */
  public FuseboxAutoConfiguration() {}

  /**
   * Applies {@code @CircuitBreaker}, {@code @Retry}, {@code @RateLimiter}, {@code @TimeLimiter},
   * {@code @Bulkhead} and {@code @Chaos} to the beans that carry them.
   * Static, as every post-processor declaration should be, so that it does not start this configuration
   * early. Proxies are class-based, as Spring Boot's are unless {@code spring.aop.proxy-target-class=false},
   * so that an annotated bean can still be injected by its class when it implements an interface.
   *
   * @param environment where {@code spring.aop.proxy-target-class} is read
   * @return the post-processor
   */
  @Bean
  @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
  @ConditionalOnBooleanProperty(name = "fusebox.annotations.enabled", matchIfMissing = true)
  public static FuseboxAnnotationBeanPostProcessor fuseboxAnnotationBeanPostProcessor(Environment environment) {
    FuseboxAnnotationBeanPostProcessor processor = new FuseboxAnnotationBeanPostProcessor();
    processor.setProxyTargetClass(environment.getProperty("spring.aop.proxy-target-class", Boolean.class, true));
    return processor;
  }
}
