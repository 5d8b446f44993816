package dev.fusebox.retry;

import dev.fusebox.Subscription;
import dev.fusebox.internal.NamedRegistry;
import java.util.Collection;
import java.util.Optional;
import java.util.function.Consumer;

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
public final class RetryRegistry {

  /** The name under which the registry's default configuration is known. */
  public static final String DEFAULT_CONFIG = NamedRegistry.DEFAULT_CONFIG;

  private final NamedRegistry<Retry, RetryConfig, RetryEvent> registry;

  private RetryRegistry(RetryConfig defaultConfig) {
    this.registry = new NamedRegistry<>("retry", defaultConfig, Retry::of, Retry::onEvent);
  }

  /** Creates a registry whose default configuration is {@link RetryConfig#ofDefaults()}. */
  public static RetryRegistry ofDefaults() {
    return of(RetryConfig.ofDefaults());
  }

  /** Creates a registry with the given default configuration. */
  public static RetryRegistry of(RetryConfig defaultConfig) {
    return new RetryRegistry(defaultConfig);
  }

  /**
   * Adds or replaces a named configuration. Retries already created keep theirs.
   *
   * @throws IllegalArgumentException if the name is {@value #DEFAULT_CONFIG} or blank
   */
  public void addConfiguration(String configName, RetryConfig config) {
    registry.addConfiguration(configName, config);
  }

  /** Returns the named configuration, if there is one; {@value #DEFAULT_CONFIG} is always there. */
  public Optional<RetryConfig> configuration(String configName) {
    return registry.configuration(configName);
  }

  /** Returns the registry's default configuration. */
  public RetryConfig defaultConfig() {
    return registry.defaultConfig();
  }

  /** Returns the retry of that name, creating it with the default configuration if there is none. */
  public Retry retry(String name) {
    return registry.get(name, registry.defaultConfig());
  }

  /** Returns the retry of that name, creating it with {@code config} if there is none. */
  public Retry retry(String name, RetryConfig config) {
    return registry.get(name, config);
  }

  /**
   * Returns the retry of that name, creating it with the named configuration if there is none.
   *
   * @throws IllegalArgumentException if no configuration has that name
   */
  public Retry retry(String name, String configName) {
    return registry.get(name, configName);
  }

  /** Returns the retry of that name, if it exists, without creating one. */
  public Optional<Retry> find(String name) {
    return registry.find(name);
  }

  /** Returns a snapshot of every retry. */
  public Collection<Retry> all() {
    return registry.all();
  }

  /** Removes the retry of that name and forgets it; it keeps working for whoever still holds it. */
  public Optional<Retry> remove(String name) {
    return registry.remove(name);
  }

  /** Subscribes to retries being created in this registry. */
  public Subscription onAdded(Consumer<? super Retry> listener) {
    return registry.onAdded(listener);
  }

  /** Subscribes to retries being removed from this registry. */
  public Subscription onRemoved(Consumer<? super Retry> listener) {
    return registry.onRemoved(listener);
  }

  /** Subscribes to the events of every retry of this registry, present and future. */
  public Subscription onEvent(Consumer<? super RetryEvent> listener) {
    return registry.onEvent(listener);
  }

  int forwardingCount() {
    return registry.forwardingCount();
  }

  @Override
  public String toString() {
    return "RetryRegistry[" + registry.size() + " retries]";
  }
}
