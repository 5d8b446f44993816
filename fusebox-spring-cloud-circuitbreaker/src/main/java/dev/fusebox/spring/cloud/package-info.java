/**
 * Fusebox as a Spring Cloud CircuitBreaker implementation: {@link dev.fusebox.spring.cloud.FuseboxCircuitBreakerFactory}
 * for blocking calls and {@link dev.fusebox.spring.cloud.ReactiveFuseboxCircuitBreakerFactory} for {@code Mono} and
 * {@code Flux}, both auto-configured over the Fusebox starter's registries, so that
 * {@code fusebox.circuitbreaker.instances.<id>} applies to {@code factory.create("<id>")}.
 *
 * <pre>{@code
 * String quote = factory.create("quotes").run(() -> client.quote(), e -> "no quote: " + e.getMessage());
 * }</pre>
 */
package dev.fusebox.spring.cloud;
