package dev.fusebox.spring.cloud;

import dev.fusebox.bulkhead.BulkheadConfig;
import dev.fusebox.circuitbreaker.CircuitBreakerConfig;
import dev.fusebox.timelimiter.TimeLimiterConfig;
import java.util.Objects;
import java.util.Optional;

/**
 * What a Spring Cloud circuit breaker of one id is made of, when the application says so in code rather
 * than in {@code fusebox.*} properties: a circuit breaker configuration and, optionally, a time limiter
 * and a bulkhead. Built by a {@link FuseboxConfigBuilder}; immutable.
 *
 * <pre>{@code
 * factory.configureDefault(id -> new FuseboxConfigBuilder(id)
 *     .circuitBreakerConfig(CircuitBreakerConfig.builder().failureRateThreshold(25).build())
 *     .timeLimiterConfig(TimeLimiterConfig.builder().timeoutDuration(Duration.ofSeconds(2)).build())
 *     .build());
 * }</pre>
 *
 * <p>Properties win: an id that has an instance under {@code fusebox.circuitbreaker.instances}
 * ({@code fusebox.timelimiter.instances}, {@code fusebox.bulkhead.instances}) gets that instance, whatever
 * its configuration here says, as Spring Cloud's Resilience4j implementation has it.
 */
public final class FuseboxCircuitBreakerConfiguration {

  private final String id;
  private final CircuitBreakerConfig circuitBreakerConfig;
  private final TimeLimiterConfig timeLimiterConfig;
  private final BulkheadConfig bulkheadConfig;

  FuseboxCircuitBreakerConfiguration(
      String id,
      CircuitBreakerConfig circuitBreakerConfig,
      TimeLimiterConfig timeLimiterConfig,
      BulkheadConfig bulkheadConfig) {
    this.id = id;
    this.circuitBreakerConfig = circuitBreakerConfig;
    this.timeLimiterConfig = timeLimiterConfig;
    this.bulkheadConfig = bulkheadConfig;
  }

  /**
   * Returns the id this configuration was built for.
   *
   * @return the id
   */
  public String id() {
    return id;
  }

  /**
   * Returns the circuit breaker configuration; empty means the registry's default
   * ({@code fusebox.circuitbreaker.configs.default}), or the group's configuration when the breaker is
   * created with a group that names one.
   *
   * @return the breaker's configuration, if set
   */
  public Optional<CircuitBreakerConfig> circuitBreakerConfig() {
    return Optional.ofNullable(circuitBreakerConfig);
  }

  /**
   * Returns the time limiter configuration; empty means no time limiter (unless properties configure one
   * for the id or the group).
   *
   * @return the time limiter's configuration, if set
   */
  public Optional<TimeLimiterConfig> timeLimiterConfig() {
    return Optional.ofNullable(timeLimiterConfig);
  }

  /**
   * Returns the bulkhead configuration; empty means no bulkhead (unless properties configure one for the
   * id or the group).
   *
   * @return the bulkhead's configuration, if set
   */
  public Optional<BulkheadConfig> bulkheadConfig() {
    return Optional.ofNullable(bulkheadConfig);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FuseboxCircuitBreakerConfiguration other
        && id.equals(other.id)
        && Objects.equals(circuitBreakerConfig, other.circuitBreakerConfig)
        && Objects.equals(timeLimiterConfig, other.timeLimiterConfig)
        && Objects.equals(bulkheadConfig, other.bulkheadConfig);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, circuitBreakerConfig, timeLimiterConfig, bulkheadConfig);
  }

  @Override
  public String toString() {
    return "FuseboxCircuitBreakerConfiguration{id=" + id
        + ", circuitBreakerConfig=" + (circuitBreakerConfig == null ? "registry default" : circuitBreakerConfig)
        + ", timeLimiterConfig=" + (timeLimiterConfig == null ? "none" : timeLimiterConfig)
        + ", bulkheadConfig=" + (bulkheadConfig == null ? "none" : bulkheadConfig) + '}';
  }
}
