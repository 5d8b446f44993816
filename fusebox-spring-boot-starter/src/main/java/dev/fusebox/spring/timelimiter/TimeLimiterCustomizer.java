package dev.fusebox.spring.timelimiter;

import dev.fusebox.timelimiter.TimeLimiterConfig;

/**
 * Adjusts a time limiter configuration built from properties, for what YAML cannot say: predicates, a ticker, a
 * scheduler. Declare beans of this type; each is called, in order, for every named configuration and
 * every instance of the properties, with its name, and for {@code default}, before the core validates the
 * result.
 *
 * <pre>{@code
 * @Bean
 * TimeLimiterCustomizer myCustomizer() {
 *   return (name, builder) -> builder.executor(myExecutor);
 * }
 * }</pre>
 *
 * <p>Called during start-up only.
 */
@FunctionalInterface
public interface TimeLimiterCustomizer {

  /**
   * Adjusts the builder of the configuration or instance named {@code name}.
   *
   * @param name the name under {@code configs} or {@code instances}, or {@code default}
   * @param builder the builder, holding the options of the properties
   */
  void customize(String name, TimeLimiterConfig.Builder builder);
}
