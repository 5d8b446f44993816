package dev.fusebox.spring.circuitbreaker;

import dev.fusebox.circuitbreaker.CircuitBreakerConfig;
import dev.fusebox.circuitbreaker.CircuitBreakerRegistry;

/**
 * Creates the application's {@link CircuitBreakerRegistry} from the default configuration of the
 * properties; the starter then adds the named configurations and instances to it. Without a bean of this
 * type the registry is a plain {@link CircuitBreakerRegistry#of(CircuitBreakerConfig)}; the Redis
 * auto-configuration declares one that shares every breaker through Redis.
 *
 * <pre>{@code
 * @Bean
 * CircuitBreakerRegistryFactory sharedBreakers(RedisSharedState shared) {
 *   return shared::registry;
 * }
 * }</pre>
 */
@FunctionalInterface
public interface CircuitBreakerRegistryFactory {

  /**
   * Creates an empty registry.
   *
   * @param defaultConfig the configuration of breakers created without one
    * @return the registry, with no breakers yet
   */
  CircuitBreakerRegistry create(CircuitBreakerConfig defaultConfig);
}
