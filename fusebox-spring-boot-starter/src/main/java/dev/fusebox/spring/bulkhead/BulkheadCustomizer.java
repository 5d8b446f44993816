package dev.fusebox.spring.bulkhead;

import dev.fusebox.bulkhead.BulkheadConfig;

/**
 * Adjusts a bulkhead configuration built from properties, for what YAML cannot say: predicates, a ticker, a
 * scheduler. Declare beans of this type; each is called, in order, for every named configuration and
 * every instance of the properties, with its name, and for {@code default}, before the core validates the
 * result.
 *
 * <pre>{@code
 * @Bean
 * BulkheadCustomizer myCustomizer() {
 *   return (name, builder) -> builder.parker(myParker);
 * }
 * }</pre>
 *
 * <p>Called during start-up only.
 */
@FunctionalInterface
public interface BulkheadCustomizer {

  /**
   * Adjusts the builder of the configuration or instance named {@code name}.
   *
   * @param name the name under {@code configs} or {@code instances}, or {@code default}
   * @param builder the builder, holding the options of the properties
   */
  void customize(String name, BulkheadConfig.Builder builder);
}
