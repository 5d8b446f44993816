package dev.fusebox.spring.cloud;

import dev.fusebox.bulkhead.BulkheadRegistry;
import dev.fusebox.circuitbreaker.CircuitBreakerRegistry;
import dev.fusebox.timelimiter.TimeLimiterRegistry;
import java.util.function.Consumer;
import java.util.function.Function;
import org.springframework.cloud.client.circuitbreaker.CircuitBreaker;
import org.springframework.cloud.client.circuitbreaker.CircuitBreakerFactory;

/**
 * Spring Cloud CircuitBreaker's blocking factory on Fusebox. Auto-configured over the starter's registries,
 * so {@code fusebox.circuitbreaker.instances.<id>} (and {@code fusebox.timelimiter.instances.<id>},
 * {@code fusebox.bulkhead.instances.<id>}) apply to {@code create("<id>")}; ids without properties get
 * what {@link #configure} or {@link #configureDefault} set, else the registries' defaults.
 *
 * <pre>{@code
 * @Bean
 * Customizer<FuseboxCircuitBreakerFactory> slowServices() {
 *   return factory -> factory.configure(builder -> builder
 *       .timeLimiterConfig(TimeLimiterConfig.builder().timeoutDuration(Duration.ofSeconds(3)).build()),
 *       "reports", "exports");
 * }
 *
 * String report = factory.create("reports").run(() -> client.report(), e -> "report unavailable");
 * }</pre>
 *
 * <p>Each call runs inside, from the outside in: the bulkhead, if any; the breaker; the time limiter, if
 * any, so that a time-out is a failure for the breaker and a full bulkhead is not. The fallback gets the
 * caller's own exception, or the policy's rejection ({@link dev.fusebox.circuitbreaker.CallNotPermittedException},
 * {@link dev.fusebox.bulkhead.BulkheadFullException}, {@link java.util.concurrent.TimeoutException}).
 * A time limiter runs the blocking call on another thread: a virtual thread on Java 21 and later, else the
 * starter's pool. Configure an id before its first {@code create}: the breaker, once created, lives in the
 * registry with its configuration.
 */
public final class FuseboxCircuitBreakerFactory
    extends CircuitBreakerFactory<FuseboxCircuitBreakerConfiguration, FuseboxConfigBuilder> {

  private final Policies<CircuitBreaker> policies;

  /**
   * Creates a factory over these registries; the auto-configuration passes the starter's.
   *
   * @param circuitBreakers where the breakers live
   * @param timeLimiters where the time limiters live
   * @param bulkheads where the bulkheads live
   * @throws NullPointerException if a registry is null
   */
  public FuseboxCircuitBreakerFactory(
      CircuitBreakerRegistry circuitBreakers, TimeLimiterRegistry timeLimiters, BulkheadRegistry bulkheads) {
    this.policies = new Policies<>(circuitBreakers, timeLimiters, bulkheads,
        (breaker, extras) -> new FuseboxCircuitBreaker(breaker, extras.limiter(), extras.bulkhead()));
  }

  /**
   * Returns the circuit breaker of this id, the same one on every call.
   *
   * @param id the id: the name of the Fusebox breaker, time limiter and bulkhead
   * @return the circuit breaker
   * @throws NullPointerException if {@code id} is null
   */
  @Override
  public CircuitBreaker create(String id) {
    return policies.create(id, null, getConfigurations());
  }

  /**
   * Returns the circuit breaker of this id in this group: an id without properties or configuration of
   * its own takes the group's named configurations ({@code fusebox.circuitbreaker.configs.<group>}, and
   * the same for time limiters and bulkheads) where they exist.
   *
   * @param id the id
   * @param groupName the group, a configuration name
   * @return the circuit breaker
   * @throws NullPointerException if {@code id} is null
   */
  @Override
  public CircuitBreaker create(String id, String groupName) {
    return policies.create(id, groupName, getConfigurations());
  }

  /**
   * Sets the configuration of every id that has neither properties nor a {@link #configure} of its own.
   *
   * @param defaultConfiguration from an id to its configuration
   * @throws NullPointerException if {@code defaultConfiguration} is null
   */
  @Override
  public void configureDefault(Function<String, FuseboxCircuitBreakerConfiguration> defaultConfiguration) {
    policies.configureDefault(defaultConfiguration);
  }

  /**
   * Sets the configuration of these ids, each built from a fresh {@link FuseboxConfigBuilder}.
   *
   * @param consumer sets the builder's options
   * @param ids the ids
   */
  @Override
  public void configure(Consumer<FuseboxConfigBuilder> consumer, String... ids) {
    super.configure(consumer, ids);
    policies.configured();
  }

  @Override
  protected FuseboxConfigBuilder configBuilder(String id) {
    return new FuseboxConfigBuilder(id);
  }
}
