package dev.fusebox.spring.throttle;

import dev.fusebox.throttle.AdaptiveThrottleConfig;

/**
 * Adjusts an adaptive throttle configuration built from properties, for what YAML cannot say: which
 * results the dependency did not accept, a random source, a ticker. Declare beans of this type; each is
 * called, in order, for every named configuration and every instance of the properties, with its name, and
 * for {@code default}, before the core validates the result.
 *
 * <pre>{@code
 * @Bean
 * AdaptiveThrottleCustomizer overloadedIsRefused() {
 *   return (name, builder) -> builder.recordResult(r -> r instanceof ResponseEntity<?> e && e.getStatusCode().value() == 503);
 * }
 * }</pre>
 *
 * <p>Called during start-up only.
 */
@FunctionalInterface
public interface AdaptiveThrottleCustomizer {

  /**
   * Adjusts the builder of the configuration or instance named {@code name}.
   *
   * @param name the name under {@code configs} or {@code instances}, or {@code default}
   * @param builder the builder, holding the options of the properties
   */
  void customize(String name, AdaptiveThrottleConfig.Builder builder);
}
