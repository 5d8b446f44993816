package dev.fusebox.bulkhead;

import dev.fusebox.Subscription;
import dev.fusebox.internal.NamedRegistry;
import java.util.Collection;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Creates and keeps adaptive bulkheads by name, so that every part of an application calling the same
 * dependency shares one bulkhead, and so one learnt limit.
 *
 * <p>{@link #bulkhead(String)} returns the bulkhead of that name, creating it on first use; under any race
 * exactly one instance is created and every caller gets it. A bulkhead keeps the configuration it was
 * created with: asking again with another configuration returns the existing one. Named configurations let
 * families of bulkheads share settings.
 *
 * <pre>{@code
 * AdaptiveBulkheadRegistry registry = AdaptiveBulkheadRegistry.of(AdaptiveBulkheadConfig.ofDefaults());
 * registry.addConfiguration("batch", AdaptiveBulkheadConfig.builder().maxLimit(20).build());
 *
 * AdaptiveBulkhead search = registry.bulkhead("search");
 * AdaptiveBulkhead exports = registry.bulkhead("exports", "batch");
 * registry.onEvent(event -> audit.record(event));
 * }</pre>
 *
 * <p>Removing a bulkhead forgets it entirely: the registry keeps no reference and no listener on it. While
 * nobody subscribes to {@link #onEvent}, the registry adds no listener to its bulkheads, so they build no
 * events. This class is threadsafe.
 */
public final class AdaptiveBulkheadRegistry {

  /** The name under which the registry's default configuration is known. */
  public static final String DEFAULT_CONFIG = NamedRegistry.DEFAULT_CONFIG;

  private final NamedRegistry<AdaptiveBulkhead, AdaptiveBulkheadConfig, BulkheadEvent> registry;

  private AdaptiveBulkheadRegistry(AdaptiveBulkheadConfig defaultConfig) {
    this.registry =
        new NamedRegistry<>("adaptive bulkhead", defaultConfig, AdaptiveBulkhead::of, AdaptiveBulkhead::onEvent);
  }

  /** Creates a registry whose default configuration is {@link AdaptiveBulkheadConfig#ofDefaults()}. */
  public static AdaptiveBulkheadRegistry ofDefaults() {
    return of(AdaptiveBulkheadConfig.ofDefaults());
  }

  /** Creates a registry with the given default configuration. */
  public static AdaptiveBulkheadRegistry of(AdaptiveBulkheadConfig defaultConfig) {
    return new AdaptiveBulkheadRegistry(defaultConfig);
  }

  /**
   * Adds or replaces a named configuration. Bulkheads already created keep theirs.
   *
   * @throws IllegalArgumentException if the name is {@value #DEFAULT_CONFIG} or blank
   */
  public void addConfiguration(String configName, AdaptiveBulkheadConfig config) {
    registry.addConfiguration(configName, config);
  }

  /** Returns the named configuration, if there is one; {@value #DEFAULT_CONFIG} is always there. */
  public Optional<AdaptiveBulkheadConfig> configuration(String configName) {
    return registry.configuration(configName);
  }

  /** Returns the registry's default configuration. */
  public AdaptiveBulkheadConfig defaultConfig() {
    return registry.defaultConfig();
  }

  /** Returns the bulkhead of that name, creating it with the default configuration if there is none. */
  public AdaptiveBulkhead bulkhead(String name) {
    return registry.get(name, registry.defaultConfig());
  }

  /**
   * Returns the bulkhead of that name, creating it with {@code config} if there is none. An existing
   * bulkhead keeps its own configuration.
   */
  public AdaptiveBulkhead bulkhead(String name, AdaptiveBulkheadConfig config) {
    return registry.get(name, config);
  }

  /**
   * Returns the bulkhead of that name, creating it with the named configuration if there is none.
   *
   * @throws IllegalArgumentException if no configuration has that name
   */
  public AdaptiveBulkhead bulkhead(String name, String configName) {
    return registry.get(name, configName);
  }

  /** Returns the bulkhead of that name, if it exists, without creating one. */
  public Optional<AdaptiveBulkhead> find(String name) {
    return registry.find(name);
  }

  /** Returns a snapshot of every bulkhead. */
  public Collection<AdaptiveBulkhead> all() {
    return registry.all();
  }

  /**
   * Removes the bulkhead of that name and forgets it. The bulkhead keeps working for whoever still holds
   * it.
   *
   * @return the removed bulkhead, if there was one
   */
  public Optional<AdaptiveBulkhead> remove(String name) {
    return registry.remove(name);
  }

  /** Subscribes to bulkheads being created in this registry. */
  public Subscription onAdded(Consumer<? super AdaptiveBulkhead> listener) {
    return registry.onAdded(listener);
  }

  /** Subscribes to bulkheads being removed from this registry. */
  public Subscription onRemoved(Consumer<? super AdaptiveBulkhead> listener) {
    return registry.onRemoved(listener);
  }

  /**
   * Subscribes to the events of every bulkhead of this registry, present and future. While nobody listens
   * here, the registry adds no listener to its bulkheads.
   */
  public Subscription onEvent(Consumer<? super BulkheadEvent> listener) {
    return registry.onEvent(listener);
  }

  int forwardingCount() {
    return registry.forwardingCount();
  }

  @Override
  public String toString() {
    return "AdaptiveBulkheadRegistry[" + registry.size() + " bulkheads]";
  }
}
