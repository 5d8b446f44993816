package dev.fusebox.fallback;

import dev.fusebox.Subscription;
import dev.fusebox.internal.NamedRegistry;
import java.util.Collection;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Creates and keeps fallbacks by name, so that every part of an application calling the same dependency
 * shares one fallback, its last-known-good cache and its metrics.
 *
 * <p>A fallback is typed by the values it answers with, a registry holds fallbacks of any type: the caller
 * names the type when asking, as with any heterogeneous container, and must ask for one name with one type
 * only. Under any race exactly one instance per name is created; it keeps the configuration it was created
 * with.
 *
 * <pre>{@code
 * FallbackRegistry registry = FallbackRegistry.ofDefaults();   // last-known-good caches by default
 * Fallback<Price> prices = registry.fallback("prices");
 * Fallback<Profile> profiles = registry.fallback("profiles", FallbackConfig.<Profile>builder()
 *     .fallbackValue(Profile.ANONYMOUS)
 *     .build());
 * }</pre>
 *
 * <p>While nobody subscribes to {@link #onEvent}, the registry adds no listener to its fallbacks. This class
 * is threadsafe.
 */
public final class FallbackRegistry {

  /** The name under which the registry's default configuration is known. */
  public static final String DEFAULT_CONFIG = NamedRegistry.DEFAULT_CONFIG;

  private final NamedRegistry<Fallback<?>, FallbackConfig<?>, FallbackEvent> registry;

  private FallbackRegistry(FallbackConfig<?> defaultConfig) {
    this.registry =
        new NamedRegistry<>("fallback", defaultConfig, FallbackRegistry::create, Fallback::onEvent);
  }

  private static Fallback<?> create(String name, FallbackConfig<?> config) {
    return new FallbackImpl<>(name, config);
  }

  /** Creates a registry whose default configuration is {@link FallbackConfig#ofDefaults()}. */
  public static FallbackRegistry ofDefaults() {
    return of(FallbackConfig.ofDefaults());
  }

  /** Creates a registry with the given default configuration. */
  public static FallbackRegistry of(FallbackConfig<?> defaultConfig) {
    return new FallbackRegistry(defaultConfig);
  }

  /**
   * Adds or replaces a named configuration. Fallbacks already created keep theirs.
   *
   * @throws IllegalArgumentException if the name is {@value #DEFAULT_CONFIG} or blank
   */
  public void addConfiguration(String configName, FallbackConfig<?> config) {
    registry.addConfiguration(configName, config);
  }

  /** Returns the named configuration, if there is one; {@value #DEFAULT_CONFIG} is always there. */
  public Optional<FallbackConfig<?>> configuration(String configName) {
    return registry.configuration(configName);
  }

  /** Returns the registry's default configuration. */
  public FallbackConfig<?> defaultConfig() {
    return registry.defaultConfig();
  }

  /** Returns the fallback of that name, creating it with the default configuration if there is none. */
  @SuppressWarnings("unchecked")
  public <T> Fallback<T> fallback(String name) {
    return (Fallback<T>) registry.get(name, registry.defaultConfig());
  }

  /** Returns the fallback of that name, creating it with {@code config} if there is none. */
  @SuppressWarnings("unchecked")
  public <T> Fallback<T> fallback(String name, FallbackConfig<T> config) {
    return (Fallback<T>) registry.get(name, config);
  }

  /**
   * Returns the fallback of that name, creating it with the named configuration if there is none.
   *
   * @throws IllegalArgumentException if no configuration has that name
   */
  @SuppressWarnings("unchecked")
  public <T> Fallback<T> fallback(String name, String configName) {
    return (Fallback<T>) registry.get(name, configName);
  }

  /** Returns the fallback of that name, if it exists, without creating one. */
  public Optional<Fallback<?>> find(String name) {
    return registry.find(name);
  }

  /** Returns a snapshot of every fallback. */
  public Collection<Fallback<?>> all() {
    return registry.all();
  }

  /** Removes the fallback of that name and forgets it; it keeps working for whoever still holds it. */
  public Optional<Fallback<?>> remove(String name) {
    return registry.remove(name);
  }

  /** Subscribes to fallbacks being created in this registry. */
  public Subscription onAdded(Consumer<? super Fallback<?>> listener) {
    return registry.onAdded(listener);
  }

  /** Subscribes to fallbacks being removed from this registry. */
  public Subscription onRemoved(Consumer<? super Fallback<?>> listener) {
    return registry.onRemoved(listener);
  }

  /** Subscribes to the events of every fallback of this registry, present and future. */
  public Subscription onEvent(Consumer<? super FallbackEvent> listener) {
    return registry.onEvent(listener);
  }

  int forwardingCount() {
    return registry.forwardingCount();
  }

  @Override
  public String toString() {
    return "FallbackRegistry[" + registry.size() + " fallbacks]";
  }
}
