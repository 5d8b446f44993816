package dev.fusebox.bulkhead;

import dev.fusebox.Subscription;
import dev.fusebox.internal.NamedRegistry;
import java.util.Collection;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Creates and keeps bulkheads by name, so that every part of an application calling the same dependency
 * shares one bulkhead, and so one limit.
 *
 * <p>{@link #bulkhead(String)} returns the bulkhead of that name, creating it on first use; under any race
 * exactly one instance is created and every caller gets it. A bulkhead keeps the configuration it was
 * created with: asking again with another configuration returns the existing one. Named configurations let
 * families of bulkheads share settings.
 *
 * <pre>{@code
 * BulkheadRegistry registry = BulkheadRegistry.of(BulkheadConfig.ofDefaults());
 * registry.addConfiguration("reports", BulkheadConfig.builder().maxConcurrentCalls(4).build());
 *
 * Bulkhead inventory = registry.bulkhead("inventory");
 * Bulkhead pdf = registry.bulkhead("pdf-renderer", "reports");
 * registry.onEvent(event -> audit.record(event));
 * }</pre>
 *
 * <p>Removing a bulkhead forgets it entirely: the registry keeps no reference and no listener on it. While
 * nobody subscribes to {@link #onEvent}, the registry adds no listener to its bulkheads, so they build no
 * events. This class is threadsafe.
 */
public final class BulkheadRegistry {

  /** The name under which the registry's default configuration is known. */
  public static final String DEFAULT_CONFIG = NamedRegistry.DEFAULT_CONFIG;

  private final NamedRegistry<Bulkhead, BulkheadConfig, BulkheadEvent> registry;

  private BulkheadRegistry(BulkheadConfig defaultConfig) {
    this.registry = new NamedRegistry<>("bulkhead", defaultConfig, Bulkhead::of, Bulkhead::onEvent);
  }

  /** Creates a registry whose default configuration is {@link BulkheadConfig#ofDefaults()}. */
  public static BulkheadRegistry ofDefaults() {
    return of(BulkheadConfig.ofDefaults());
  }

  /** Creates a registry with the given default configuration. */
  public static BulkheadRegistry of(BulkheadConfig defaultConfig) {
    return new BulkheadRegistry(defaultConfig);
  }

  /**
   * Adds or replaces a named configuration. Bulkheads already created keep theirs.
   *
   * @throws IllegalArgumentException if the name is {@value #DEFAULT_CONFIG} or blank
   */
  public void addConfiguration(String configName, BulkheadConfig config) {
    registry.addConfiguration(configName, config);
  }

  /** Returns the named configuration, if there is one; {@value #DEFAULT_CONFIG} is always there. */
  public Optional<BulkheadConfig> configuration(String configName) {
    return registry.configuration(configName);
  }

  /** Returns the registry's default configuration. */
  public BulkheadConfig defaultConfig() {
    return registry.defaultConfig();
  }

  /** Returns the bulkhead of that name, creating it with the default configuration if there is none. */
  public Bulkhead bulkhead(String name) {
    return registry.get(name, registry.defaultConfig());
  }

  /**
   * Returns the bulkhead of that name, creating it with {@code config} if there is none. An existing
   * bulkhead keeps its own configuration.
   */
  public Bulkhead bulkhead(String name, BulkheadConfig config) {
    return registry.get(name, config);
  }

  /**
   * Returns the bulkhead of that name, creating it with the named configuration if there is none.
   *
   * @throws IllegalArgumentException if no configuration has that name
   */
  public Bulkhead bulkhead(String name, String configName) {
    return registry.get(name, configName);
  }

  /** Returns the bulkhead of that name, if it exists, without creating one. */
  public Optional<Bulkhead> find(String name) {
    return registry.find(name);
  }

  /** Returns a snapshot of every bulkhead. */
  public Collection<Bulkhead> all() {
    return registry.all();
  }

  /**
   * Removes the bulkhead of that name and forgets it. The bulkhead keeps working for whoever still holds
   * it.
   *
   * @return the removed bulkhead, if there was one
   */
  public Optional<Bulkhead> remove(String name) {
    return registry.remove(name);
  }

  /** Subscribes to bulkheads being created in this registry. */
  public Subscription onAdded(Consumer<? super Bulkhead> listener) {
    return registry.onAdded(listener);
  }

  /** Subscribes to bulkheads being removed from this registry. */
  public Subscription onRemoved(Consumer<? super Bulkhead> listener) {
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
    return "BulkheadRegistry[" + registry.size() + " bulkheads]";
  }
}
