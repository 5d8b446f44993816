package dev.fusebox.spring.retry;

import dev.fusebox.retry.RetryConfig;

/**
 * Adjusts a retry configuration built from properties, for what YAML cannot say: predicates, a ticker, a
 * scheduler. Declare beans of this type; each is called, in order, for every named configuration and
 * every instance of the properties, with its name, and for {@code default}, before the core validates the
 * result.
 *
 * <pre>{@code
 * @Bean
 * RetryCustomizer myCustomizer() {
 *   return (name, builder) -> builder.retryOnResult(r -> r instanceof ResponseEntity<?> e \&\& e.getStatusCode().is5xxServerError());
 * }
 * }</pre>
 *
 * <p>Called during start-up only.
 */
@FunctionalInterface
public interface RetryCustomizer {

  /**
   * Adjusts the builder of the configuration or instance named {@code name}.
   *
   * @param name the name under {@code configs} or {@code instances}, or {@code default}
   * @param builder the builder, holding the options of the properties
   */
  void customize(String name, RetryConfig.Builder builder);
}
