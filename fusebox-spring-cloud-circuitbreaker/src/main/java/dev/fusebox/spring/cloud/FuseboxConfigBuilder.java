package dev.fusebox.spring.cloud;

import dev.fusebox.bulkhead.BulkheadConfig;
import dev.fusebox.circuitbreaker.CircuitBreakerConfig;
import dev.fusebox.timelimiter.TimeLimiterConfig;
import java.util.Objects;
import org.springframework.cloud.client.circuitbreaker.ConfigBuilder;

/**
 * Builds a {@link FuseboxCircuitBreakerConfiguration}: the builder that
 * {@code factory.configure(builder -> ..., ids...)} hands out, and the one to use in
 * {@code configureDefault}. Each configuration passed in was validated when it was built.
 *
 * <pre>{@code
 * factory.configure(builder -> builder
 *     .circuitBreakerConfig(CircuitBreakerConfig.builder().consecutiveFailureThreshold(5).build())
 *     .bulkheadConfig(BulkheadConfig.builder().maxConcurrentCalls(10).build()), "payments", "refunds");
 * }</pre>
 */
public final class FuseboxConfigBuilder implements ConfigBuilder<FuseboxCircuitBreakerConfiguration> {

  private final String id;
  private CircuitBreakerConfig circuitBreakerConfig;
  private TimeLimiterConfig timeLimiterConfig;
  private BulkheadConfig bulkheadConfig;

  /**
   * Starts a configuration for {@code id}: the registry's default breaker configuration, no time limiter,
   * no bulkhead.
   *
   * @param id the circuit breaker's id
   * @throws NullPointerException if {@code id} is null
   */
  public FuseboxConfigBuilder(String id) {
    this.id = Objects.requireNonNull(id, "id must not be null");
  }

  /**
   * Sets the circuit breaker's configuration.
   *
   * @param config the configuration
   * @return this builder
   * @throws NullPointerException if {@code config} is null
   */
  public FuseboxConfigBuilder circuitBreakerConfig(CircuitBreakerConfig config) {
    this.circuitBreakerConfig = Objects.requireNonNull(config, "circuitBreakerConfig must not be null");
    return this;
  }

  /**
   * Adds a time limiter with this configuration around each call, inside the breaker, so that a time-out
   * is a failure for it.
   *
   * @param config the configuration
   * @return this builder
   * @throws NullPointerException if {@code config} is null
   */
  public FuseboxConfigBuilder timeLimiterConfig(TimeLimiterConfig config) {
    this.timeLimiterConfig = Objects.requireNonNull(config, "timeLimiterConfig must not be null");
    return this;
  }

  /**
   * Adds a bulkhead with this configuration around each call, outside the breaker, so that a full bulkhead
   * is no failure for it.
   *
   * @param config the configuration
   * @return this builder
   * @throws NullPointerException if {@code config} is null
   */
  public FuseboxConfigBuilder bulkheadConfig(BulkheadConfig config) {
    this.bulkheadConfig = Objects.requireNonNull(config, "bulkheadConfig must not be null");
    return this;
  }

  /**
   * Returns the configuration.
   *
   * @return the configuration, immutable
   */
  @Override
  public FuseboxCircuitBreakerConfiguration build() {
    return new FuseboxCircuitBreakerConfiguration(id, circuitBreakerConfig, timeLimiterConfig, bulkheadConfig);
  }
}
