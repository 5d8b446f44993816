package dev.fusebox.spring.cloud.gateway;

import dev.fusebox.spring.cloud.FuseboxCircuitBreakerAutoConfiguration;
import dev.fusebox.spring.cloud.ReactiveFuseboxCircuitBreakerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.cloud.gateway.filter.factory.FallbackHeadersGatewayFilterFactory;
import org.springframework.cloud.gateway.filter.factory.SpringCloudCircuitBreakerFilterFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.web.reactive.DispatcherHandler;

/**
 * Registers the Gateway's {@code CircuitBreaker} route filter for the Fusebox reactive factory, which the
 * Gateway itself does only for Resilience4j's, and its {@code FallbackHeaders} filter, when Spring Cloud
 * Gateway (server, WebFlux) is on the class path.
 *
 * <pre>{@code
 * filters:
 *   - name: CircuitBreaker
 *     args: { name: orders, fallbackUri: forward:/fallback/orders }
 * }</pre>
 */
@AutoConfiguration(after = FuseboxCircuitBreakerAutoConfiguration.class)
@ConditionalOnClass({SpringCloudCircuitBreakerFilterFactory.class, DispatcherHandler.class})
@ConditionalOnBean(ReactiveFuseboxCircuitBreakerFactory.class)
public final class FuseboxGatewayAutoConfiguration {

  /** Creates the configuration; Spring Boot does. */
  public FuseboxGatewayAutoConfiguration() {}

  /**
   * The {@code CircuitBreaker} filter, unless another implementation's is declared.
   *
   * @param factory the Fusebox reactive factory
   * @param dispatcherHandler the handler a {@code forward:} fallback goes through
   * @return the filter factory
   */
  @Bean
  @ConditionalOnMissingBean(SpringCloudCircuitBreakerFilterFactory.class)
  public FuseboxCircuitBreakerFilterFactory fuseboxCircuitBreakerFilterFactory(
      ReactiveFuseboxCircuitBreakerFactory factory, ObjectProvider<DispatcherHandler> dispatcherHandler) {
    return new FuseboxCircuitBreakerFilterFactory(factory, dispatcherHandler);
  }

  /**
   * The {@code FallbackHeaders} filter, which tells a fallback endpoint why it was called.
   *
   * @return the filter factory
   */
  @Bean
  @ConditionalOnMissingBean
  public FallbackHeadersGatewayFilterFactory fallbackHeadersGatewayFilterFactory() {
    return new FallbackHeadersGatewayFilterFactory();
  }
}
