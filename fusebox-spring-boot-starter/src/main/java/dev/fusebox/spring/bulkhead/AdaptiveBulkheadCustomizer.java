package dev.fusebox.spring.bulkhead;

import dev.fusebox.bulkhead.AdaptiveBulkheadConfig;

/**
 * Adjusts an adaptive bulkhead configuration built from properties, for what YAML cannot say: a drop
 * predicate, a ticker. Declare beans of this type; each is called, in order, for every named configuration
 * and every instance of the properties, with its name, and for {@code default}, before the core validates
 * the result.
 *
 * <pre>{@code
 * @Bean
 * AdaptiveBulkheadCustomizer dropOnOverload() {
 *   return (name, builder) -> builder.dropWhen(e -> e instanceof OverloadedException);
 * }
 * }</pre>
 *
 * <p>Called during start-up only.
 */
@FunctionalInterface
public interface AdaptiveBulkheadCustomizer {

  /**
   * Adjusts the builder of the configuration or instance named {@code name}.
   *
   * @param name the name under {@code configs} or {@code instances}, or {@code default}
   * @param builder the builder, holding the options of the properties
   */
  void customize(String name, AdaptiveBulkheadConfig.Builder builder);
}
