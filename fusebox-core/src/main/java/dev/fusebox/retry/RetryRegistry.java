package dev.fusebox.retry;

import dev.fusebox.PolicyKind;
import dev.fusebox.PolicyRegistry;

/**
 * Creates and keeps retries by name, so that every part of an application calling the same dependency
 * shares one retry and its metrics.
 *
 * <p>{@link #retry(String)} returns the retry of that name, creating it on first use; under any race exactly
 * one instance is created. A retry keeps the configuration it was created with. Named configurations let
 * families of retries share settings, and with them a {@link RetryBudget}.
 *
 * <pre>{@code
 * RetryRegistry registry = RetryRegistry.of(RetryConfig.ofDefaults());
 * registry.addConfiguration("idempotent-reads", RetryConfig.builder()
 *     .maxAttempts(5)
 *     .retryBudget(RetryBudget.ofDefaults())
 *     .build());
 * Retry prices = registry.retry("prices", "idempotent-reads");
 * registry.onEvent(event -> audit.record(event));
 * }</pre>
 *
 * <p>Removing a retry forgets it entirely. While nobody subscribes to {@link #onEvent}, the registry adds no
 * listener to its retries, so they build no events. This class is threadsafe.
 */
public final class RetryRegistry extends PolicyRegistry<Retry, RetryConfig, RetryEvent> {

  private static final String CALLS =
      "Calls through the retry by outcome: successful or failed, with or without a retry";

  private static final PolicyKind<Retry> KIND =
      PolicyKind.<Retry>builder("retry", "retries", Retry::name)
          .counter("fusebox.retry.calls", "successful_without_retry", CALLS,
              r -> r.metrics().numberOfSuccessfulCallsWithoutRetryAttempt())
          .counter("fusebox.retry.calls", "successful_with_retry", CALLS,
              r -> r.metrics().numberOfSuccessfulCallsWithRetryAttempt())
          .counter("fusebox.retry.calls", "failed_without_retry", CALLS,
              r -> r.metrics().numberOfFailedCallsWithoutRetryAttempt())
          .counter("fusebox.retry.calls", "failed_with_retry", CALLS,
              r -> r.metrics().numberOfFailedCallsWithRetryAttempt())
          .counter("fusebox.retry.attempts", null, "Retries made: attempts beyond each call's first",
              r -> r.metrics().numberOfTotalRetryAttempts())
          .counter("fusebox.retry.budget.exhausted", null,
              "Calls that ended because the retry budget refused a retry",
              r -> r.metrics().numberOfBudgetExhaustedCalls())
          .build();

  private RetryRegistry(RetryConfig defaultConfig) {
    super(KIND, defaultConfig, Retry::of, Retry::onEvent);
  }

  /**
   * Creates a registry whose default configuration is {@link RetryConfig#ofDefaults()}.
   *
   * @return a new, empty registry
   */
  public static RetryRegistry ofDefaults() {
    return of(RetryConfig.ofDefaults());
  }

  /**
   * Creates a registry with the given default configuration.
   *
   * @param defaultConfig the configuration of retries created without one
   * @return a new, empty registry
   */
  public static RetryRegistry of(RetryConfig defaultConfig) {
    return new RetryRegistry(defaultConfig);
  }

  /**
   * Returns the retry of that name, creating it with the default configuration if there is none.
   *
   * @param name the retry's name
   * @return the retry of that name
   */
  public Retry retry(String name) {
    return getOrCreate(name, defaultConfig());
  }

  /**
   * Returns the retry of that name, creating it with {@code config} if there is none; an existing one
   * keeps its own configuration.
   *
   * @param name the retry's name
   * @param config the configuration of a new retry
   * @return the retry of that name
   */
  public Retry retry(String name, RetryConfig config) {
    return getOrCreate(name, config);
  }

  /**
   * Returns the retry of that name, creating it with the named configuration if there is none.
   *
   * @param name the retry's name
   * @param configName the name of a configuration added with {@link #addConfiguration}
   * @return the retry of that name
   * @throws IllegalArgumentException if no configuration has that name
   */
  public Retry retry(String name, String configName) {
    return getOrCreate(name, configName);
  }
}
