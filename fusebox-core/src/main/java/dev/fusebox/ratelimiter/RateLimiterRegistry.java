package dev.fusebox.ratelimiter;

import dev.fusebox.Subscription;
import dev.fusebox.internal.NamedRegistry;
import java.util.Collection;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Creates and keeps rate limiters by name, so that every part of an application calling the same
 * dependency shares one limiter, and so one budget of permits.
 *
 * <p>{@link #rateLimiter(String)} returns the limiter of that name, creating it on first use; under any
 * race exactly one instance is created and every caller gets it. A limiter keeps the configuration it was
 * created with: asking again with another configuration returns the existing one. Named configurations let
 * families of limiters share settings.
 *
 * <pre>{@code
 * RateLimiterRegistry registry = RateLimiterRegistry.of(RateLimiterConfig.ofDefaults());
 * registry.addConfiguration("partners", RateLimiterConfig.builder().limitForPeriod(10).build());
 *
 * RateLimiter search = registry.rateLimiter("search");
 * RateLimiter quotes = registry.rateLimiter("quote-api", "partners");
 * registry.onEvent(event -> audit.record(event));
 * }</pre>
 *
 * <p>Removing a limiter forgets it entirely: the registry keeps no reference and no listener on it. While
 * nobody subscribes to {@link #onEvent}, the registry adds no listener to its limiters, so they build no
 * events. This class is threadsafe.
 */
public final class RateLimiterRegistry {

  /** The name under which the registry's default configuration is known. */
  public static final String DEFAULT_CONFIG = NamedRegistry.DEFAULT_CONFIG;

  private final NamedRegistry<RateLimiter, RateLimiterConfig, RateLimiterEvent> registry;

  private RateLimiterRegistry(RateLimiterConfig defaultConfig) {
    this.registry =
        new NamedRegistry<>("rate limiter", defaultConfig, RateLimiter::of, RateLimiter::onEvent);
  }

  /** Creates a registry whose default configuration is {@link RateLimiterConfig#ofDefaults()}. */
  public static RateLimiterRegistry ofDefaults() {
    return of(RateLimiterConfig.ofDefaults());
  }

  /** Creates a registry with the given default configuration. */
  public static RateLimiterRegistry of(RateLimiterConfig defaultConfig) {
    return new RateLimiterRegistry(defaultConfig);
  }

  /**
   * Adds or replaces a named configuration. Rate limiters already created keep theirs.
   *
   * @throws IllegalArgumentException if the name is {@value #DEFAULT_CONFIG} or blank
   */
  public void addConfiguration(String configName, RateLimiterConfig config) {
    registry.addConfiguration(configName, config);
  }

  /** Returns the named configuration, if there is one; {@value #DEFAULT_CONFIG} is always there. */
  public Optional<RateLimiterConfig> configuration(String configName) {
    return registry.configuration(configName);
  }

  /** Returns the registry's default configuration. */
  public RateLimiterConfig defaultConfig() {
    return registry.defaultConfig();
  }

  /** Returns the rate limiter of that name, creating it with the default configuration if there is none. */
  public RateLimiter rateLimiter(String name) {
    return registry.get(name, registry.defaultConfig());
  }

  /**
   * Returns the rate limiter of that name, creating it with {@code config} if there is none. An existing
   * rate limiter keeps its own configuration.
   */
  public RateLimiter rateLimiter(String name, RateLimiterConfig config) {
    return registry.get(name, config);
  }

  /**
   * Returns the rate limiter of that name, creating it with the named configuration if there is none.
   *
   * @throws IllegalArgumentException if no configuration has that name
   */
  public RateLimiter rateLimiter(String name, String configName) {
    return registry.get(name, configName);
  }

  /** Returns the rate limiter of that name, if it exists, without creating one. */
  public Optional<RateLimiter> find(String name) {
    return registry.find(name);
  }

  /** Returns a snapshot of every rate limiter. */
  public Collection<RateLimiter> all() {
    return registry.all();
  }

  /**
   * Removes the rate limiter of that name and forgets it. The limiter keeps working for whoever still
   * holds it.
   *
   * @return the removed rate limiter, if there was one
   */
  public Optional<RateLimiter> remove(String name) {
    return registry.remove(name);
  }

  /** Subscribes to rate limiters being created in this registry. */
  public Subscription onAdded(Consumer<? super RateLimiter> listener) {
    return registry.onAdded(listener);
  }

  /** Subscribes to rate limiters being removed from this registry. */
  public Subscription onRemoved(Consumer<? super RateLimiter> listener) {
    return registry.onRemoved(listener);
  }

  /**
   * Subscribes to the events of every rate limiter of this registry, present and future. While nobody
   * listens here, the registry adds no listener to its limiters.
   */
  public Subscription onEvent(Consumer<? super RateLimiterEvent> listener) {
    return registry.onEvent(listener);
  }

  int forwardingCount() {
    return registry.forwardingCount();
  }

  @Override
  public String toString() {
    return "RateLimiterRegistry[" + registry.size() + " rate limiters]";
  }
}
