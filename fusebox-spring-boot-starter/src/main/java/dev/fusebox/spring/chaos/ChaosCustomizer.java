package dev.fusebox.spring.chaos;

import dev.fusebox.chaos.ChaosConfig;

/**
 * Adjusts a chaos configuration built from properties, for what YAML cannot say: the fault to throw, the
 * result to return, a random source. Declare beans of this type; each is called, in order, for every named
 * configuration and every instance of the properties, with its name, and for {@code default}, before the
 * core validates the result.
 *
 * <pre>{@code
 * @Bean
 * ChaosCustomizer timeouts() {
 *   return (name, builder) -> builder.fault(() -> new SocketTimeoutException("injected"));
 * }
 * }</pre>
 *
 * <p>Called during start-up only.
 */
@FunctionalInterface
public interface ChaosCustomizer {

  /**
   * Adjusts the builder of the configuration or instance named {@code name}.
   *
   * @param name the name under {@code configs} or {@code instances}, or {@code default}
   * @param builder the builder, holding the options of the properties
   */
  void customize(String name, ChaosConfig.Builder builder);
}
