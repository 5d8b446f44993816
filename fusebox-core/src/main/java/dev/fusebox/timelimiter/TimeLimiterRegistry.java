package dev.fusebox.timelimiter;

import dev.fusebox.Subscription;
import dev.fusebox.internal.NamedRegistry;
import java.util.Collection;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Creates and keeps time limiters by name, so that every part of an application calling the same
 * dependency shares one time limiter and its metrics.
 *
 * <p>{@link #timeLimiter(String)} returns the time limiter of that name, creating it on first use; under
 * any race exactly one instance is created. A time limiter keeps the configuration it was created with.
 *
 * <pre>{@code
 * TimeLimiterRegistry registry = TimeLimiterRegistry.of(TimeLimiterConfig.ofDefaults());
 * registry.addConfiguration("search", TimeLimiterConfig.builder()
 *     .timeoutDuration(Duration.ofMillis(300))
 *     .build());
 * TimeLimiter search = registry.timeLimiter("search-eu", "search");
 * registry.onEvent(event -> audit.record(event));
 * }</pre>
 *
 * <p>Removing a time limiter forgets it entirely. While nobody subscribes to {@link #onEvent}, the registry
 * adds no listener to its time limiters, so they build no events. This class is threadsafe.
 */
public final class TimeLimiterRegistry {

  /** The name under which the registry's default configuration is known. */
  public static final String DEFAULT_CONFIG = NamedRegistry.DEFAULT_CONFIG;

  private final NamedRegistry<TimeLimiter, TimeLimiterConfig, TimeLimiterEvent> registry;

  private TimeLimiterRegistry(TimeLimiterConfig defaultConfig) {
    this.registry = new NamedRegistry<>("time limiter", defaultConfig, TimeLimiter::of, TimeLimiter::onEvent);
  }

  /** Creates a registry whose default configuration is {@link TimeLimiterConfig#ofDefaults()}. */
  public static TimeLimiterRegistry ofDefaults() {
    return of(TimeLimiterConfig.ofDefaults());
  }

  /** Creates a registry with the given default configuration. */
  public static TimeLimiterRegistry of(TimeLimiterConfig defaultConfig) {
    return new TimeLimiterRegistry(defaultConfig);
  }

  /**
   * Adds or replaces a named configuration. Time limiters already created keep theirs.
   *
   * @throws IllegalArgumentException if the name is {@value #DEFAULT_CONFIG} or blank
   */
  public void addConfiguration(String configName, TimeLimiterConfig config) {
    registry.addConfiguration(configName, config);
  }

  /** Returns the named configuration, if there is one; {@value #DEFAULT_CONFIG} is always there. */
  public Optional<TimeLimiterConfig> configuration(String configName) {
    return registry.configuration(configName);
  }

  /** Returns the registry's default configuration. */
  public TimeLimiterConfig defaultConfig() {
    return registry.defaultConfig();
  }

  /** Returns the time limiter of that name, creating it with the default configuration if there is none. */
  public TimeLimiter timeLimiter(String name) {
    return registry.get(name, registry.defaultConfig());
  }

  /** Returns the time limiter of that name, creating it with {@code config} if there is none. */
  public TimeLimiter timeLimiter(String name, TimeLimiterConfig config) {
    return registry.get(name, config);
  }

  /**
   * Returns the time limiter of that name, creating it with the named configuration if there is none.
   *
   * @throws IllegalArgumentException if no configuration has that name
   */
  public TimeLimiter timeLimiter(String name, String configName) {
    return registry.get(name, configName);
  }

  /** Returns the time limiter of that name, if it exists, without creating one. */
  public Optional<TimeLimiter> find(String name) {
    return registry.find(name);
  }

  /** Returns a snapshot of every time limiter. */
  public Collection<TimeLimiter> all() {
    return registry.all();
  }

  /** Removes the time limiter of that name and forgets it; it keeps working for whoever still holds it. */
  public Optional<TimeLimiter> remove(String name) {
    return registry.remove(name);
  }

  /** Subscribes to time limiters being created in this registry. */
  public Subscription onAdded(Consumer<? super TimeLimiter> listener) {
    return registry.onAdded(listener);
  }

  /** Subscribes to time limiters being removed from this registry. */
  public Subscription onRemoved(Consumer<? super TimeLimiter> listener) {
    return registry.onRemoved(listener);
  }

  /** Subscribes to the events of every time limiter of this registry, present and future. */
  public Subscription onEvent(Consumer<? super TimeLimiterEvent> listener) {
    return registry.onEvent(listener);
  }

  int forwardingCount() {
    return registry.forwardingCount();
  }

  @Override
  public String toString() {
    return "TimeLimiterRegistry[" + registry.size() + " time limiters]";
  }
}
