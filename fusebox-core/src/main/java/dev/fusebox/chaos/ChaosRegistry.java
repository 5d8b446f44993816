package dev.fusebox.chaos;

import dev.fusebox.Subscription;
import dev.fusebox.internal.NamedRegistry;
import java.util.Collection;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Creates and keeps chaos policies by name, so that a chaos control panel (the demo's, an admin endpoint)
 * can find the policy of each dependency and change its settings while the application runs.
 *
 * <p>{@link #chaos(String)} returns the policy of that name, creating it on first use; under any race
 * exactly one instance is created.
 *
 * <pre>{@code
 * ChaosRegistry registry = ChaosRegistry.ofDefaults();   // policies inject nothing until told
 * Chaos inventory = registry.chaos("inventory");
 * // later, from an admin endpoint:
 * registry.find("inventory").ifPresent(c -> c.update(s -> s.withFaultRate(0.3)));
 * registry.all().forEach(Chaos::disable);
 * }</pre>
 *
 * <p>While nobody subscribes to {@link #onEvent}, the registry adds no listener to its policies. This class
 * is threadsafe.
 */
public final class ChaosRegistry {

  /** The name under which the registry's default configuration is known. */
  public static final String DEFAULT_CONFIG = NamedRegistry.DEFAULT_CONFIG;

  private final NamedRegistry<Chaos, ChaosConfig, ChaosEvent> registry;

  private ChaosRegistry(ChaosConfig defaultConfig) {
    this.registry = new NamedRegistry<>("chaos", defaultConfig, Chaos::of, Chaos::onEvent);
  }

  /** Creates a registry whose default configuration is {@link ChaosConfig#ofDefaults()}. */
  public static ChaosRegistry ofDefaults() {
    return of(ChaosConfig.ofDefaults());
  }

  /** Creates a registry with the given default configuration. */
  public static ChaosRegistry of(ChaosConfig defaultConfig) {
    return new ChaosRegistry(defaultConfig);
  }

  /**
   * Adds or replaces a named configuration. Policies already created keep theirs.
   *
   * @throws IllegalArgumentException if the name is {@value #DEFAULT_CONFIG} or blank
   */
  public void addConfiguration(String configName, ChaosConfig config) {
    registry.addConfiguration(configName, config);
  }

  /** Returns the named configuration, if there is one; {@value #DEFAULT_CONFIG} is always there. */
  public Optional<ChaosConfig> configuration(String configName) {
    return registry.configuration(configName);
  }

  /** Returns the registry's default configuration. */
  public ChaosConfig defaultConfig() {
    return registry.defaultConfig();
  }

  /** Returns the policy of that name, creating it with the default configuration if there is none. */
  public Chaos chaos(String name) {
    return registry.get(name, registry.defaultConfig());
  }

  /** Returns the policy of that name, creating it with {@code config} if there is none. */
  public Chaos chaos(String name, ChaosConfig config) {
    return registry.get(name, config);
  }

  /**
   * Returns the policy of that name, creating it with the named configuration if there is none.
   *
   * @throws IllegalArgumentException if no configuration has that name
   */
  public Chaos chaos(String name, String configName) {
    return registry.get(name, configName);
  }

  /** Returns the policy of that name, if it exists, without creating one. */
  public Optional<Chaos> find(String name) {
    return registry.find(name);
  }

  /** Returns a snapshot of every policy. */
  public Collection<Chaos> all() {
    return registry.all();
  }

  /** Removes the policy of that name and forgets it; it keeps working for whoever still holds it. */
  public Optional<Chaos> remove(String name) {
    return registry.remove(name);
  }

  /** Subscribes to policies being created in this registry. */
  public Subscription onAdded(Consumer<? super Chaos> listener) {
    return registry.onAdded(listener);
  }

  /** Subscribes to policies being removed from this registry. */
  public Subscription onRemoved(Consumer<? super Chaos> listener) {
    return registry.onRemoved(listener);
  }

  /** Subscribes to the events of every policy of this registry, present and future. */
  public Subscription onEvent(Consumer<? super ChaosEvent> listener) {
    return registry.onEvent(listener);
  }

  int forwardingCount() {
    return registry.forwardingCount();
  }

  @Override
  public String toString() {
    return "ChaosRegistry[" + registry.size() + " chaos policies]";
  }
}
