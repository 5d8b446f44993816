package dev.fusebox.spring.ratelimiter;

import dev.fusebox.ratelimiter.RateLimiterConfig;

/**
 * Adjusts a rate limiter configuration built from properties, for what YAML cannot say: predicates, a ticker, a
 * scheduler. Declare beans of this type; each is called, in order, for every named configuration and
 * every instance of the properties, with its name, and for {@code default}, before the core validates the
 * result.
 *
 * <pre>{@code
 * @Bean
 * RateLimiterCustomizer myCustomizer() {
 *   return (name, builder) -> builder.scheduler(myScheduler);
 * }
 * }</pre>
 *
 * <p>Called during start-up only.
 */
@FunctionalInterface
public interface RateLimiterCustomizer {

  /**
   * Adjusts the builder of the configuration or instance named {@code name}.
   *
   * @param name the name under {@code configs} or {@code instances}, or {@code default}
   * @param builder the builder, holding the options of the properties
   */
  void customize(String name, RateLimiterConfig.Builder builder);
}
