package dev.fusebox.circuitbreaker;

import dev.fusebox.Subscription;
import dev.fusebox.circuitbreaker.spi.BreakerCoordinator;
import dev.fusebox.circuitbreaker.spi.SharedBreakerControl;
import dev.fusebox.internal.Listeners;
import dev.fusebox.internal.NamedRegistry;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.Consumer;

/**
 * Creates and keeps circuit breakers by name, so that every part of an application calling the same
 * dependency shares one breaker.
 *
 * <p>{@link #circuitBreaker(String)} returns the breaker of that name, creating it on first use; under any
 * race exactly one instance is created and every caller gets it. A breaker keeps the configuration it was
 * created with: asking again with another configuration returns the existing breaker. Named
 * configurations let families of breakers share settings.
 *
 * <pre>{@code
 * CircuitBreakerRegistry registry = CircuitBreakerRegistry.of(CircuitBreakerConfig.ofDefaults());
 * registry.addConfiguration("payments", CircuitBreakerConfig.builder().failureRateThreshold(20).build());
 *
 * CircuitBreaker inventory = registry.circuitBreaker("inventory");
 * CircuitBreaker card = registry.circuitBreaker("card-api", "payments");
 * registry.onEvent(event -> audit.record(event));
 * }</pre>
 *
 * <p>Removing a breaker forgets it entirely: the registry keeps no reference and no listener on it. While
 * nobody subscribes to {@link #onEvent}, the registry adds no listener to its breakers, so they build no
 * per-call events. This class is threadsafe.
 */
public final class CircuitBreakerRegistry {

  /** The name under which the registry's default configuration is known. */
  public static final String DEFAULT_CONFIG = NamedRegistry.DEFAULT_CONFIG;

  private final NamedRegistry<CircuitBreaker, CircuitBreakerConfig, CircuitBreakerEvent> registry;

  private CircuitBreakerRegistry(
      CircuitBreakerConfig defaultConfig, BiFunction<String, CircuitBreakerConfig, CircuitBreaker> factory) {
    this.registry =
        new NamedRegistry<>(
            "circuit breaker",
            defaultConfig,
            factory,
            event -> event.type().ordinal(),
            (breaker, types, consumer) -> ((CircuitBreakerImpl) breaker).onEvent(types, consumer));
  }

  /** Creates a registry whose default configuration is {@link CircuitBreakerConfig#ofDefaults()}. */
  public static CircuitBreakerRegistry ofDefaults() {
    return of(CircuitBreakerConfig.ofDefaults());
  }

  /** Creates a registry with the given default configuration. */
  public static CircuitBreakerRegistry of(CircuitBreakerConfig defaultConfig) {
    return new CircuitBreakerRegistry(defaultConfig, CircuitBreaker::of);
  }

  /**
   * Creates a registry whose breakers a coordinator shares with other processes, for integrations such as
   * fusebox-redis; applications normally get such a registry from the integration itself. Each breaker is
   * attached to the coordinator when created and detached when removed; calls stay local (see
   * {@link BreakerCoordinator}).
   */
  public static CircuitBreakerRegistry coordinated(
      CircuitBreakerConfig defaultConfig, BreakerCoordinator coordinator) {
    Objects.requireNonNull(coordinator, "coordinator must not be null");
    Map<CircuitBreaker, SharedBreakerControl> controls = new ConcurrentHashMap<>();
    CircuitBreakerRegistry registry =
        new CircuitBreakerRegistry(
            defaultConfig,
            (name, config) -> {
              CircuitBreakerImpl breaker = new CircuitBreakerImpl(name, config);
              SharedControl control = new SharedControl(breaker);
              breaker.coordinate(coordinator.attach(control));
              controls.put(breaker, control);
              return breaker;
            });
    registry.onRemoved(
        breaker -> {
          SharedBreakerControl control = controls.remove(breaker);
          if (control != null) {
            coordinator.detach(control);
          }
        });
    return registry;
  }

  /**
   * Adds or replaces a named configuration. Breakers already created keep theirs.
   *
   * @throws IllegalArgumentException if the name is {@value #DEFAULT_CONFIG} or blank
   */
  public void addConfiguration(String configName, CircuitBreakerConfig config) {
    registry.addConfiguration(configName, config);
  }

  /** Returns the named configuration, if there is one; {@value #DEFAULT_CONFIG} is always there. */
  public Optional<CircuitBreakerConfig> configuration(String configName) {
    return registry.configuration(configName);
  }

  /** Returns the registry's default configuration. */
  public CircuitBreakerConfig defaultConfig() {
    return registry.defaultConfig();
  }

  /** Returns the breaker of that name, creating it with the default configuration if there is none. */
  public CircuitBreaker circuitBreaker(String name) {
    return registry.get(name, registry.defaultConfig());
  }

  /**
   * Returns the breaker of that name, creating it with {@code config} if there is none. An existing breaker
   * keeps its own configuration.
   */
  public CircuitBreaker circuitBreaker(String name, CircuitBreakerConfig config) {
    return registry.get(name, config);
  }

  /**
   * Returns the breaker of that name, creating it with the named configuration if there is none.
   *
   * @throws IllegalArgumentException if no configuration has that name
   */
  public CircuitBreaker circuitBreaker(String name, String configName) {
    return registry.get(name, configName);
  }

  /** Returns the breaker of that name, if it exists, without creating one. */
  public Optional<CircuitBreaker> find(String name) {
    return registry.find(name);
  }

  /** Returns a snapshot of every breaker. */
  public Collection<CircuitBreaker> all() {
    return registry.all();
  }

  /**
   * Removes the breaker of that name and forgets it: no reference and no listener of the registry stay on
   * it. The breaker keeps working for whoever still holds it.
   *
   * @return the removed breaker, if there was one
   */
  public Optional<CircuitBreaker> remove(String name) {
    return registry.remove(name);
  }

  /** Resets every breaker. */
  public void resetAll() {
    registry.all().forEach(CircuitBreaker::reset);
  }

  /** Subscribes to breakers being created in this registry. */
  public Subscription onAdded(Consumer<? super CircuitBreaker> listener) {
    return registry.onAdded(listener);
  }

  /** Subscribes to breakers being removed from this registry. */
  public Subscription onRemoved(Consumer<? super CircuitBreaker> listener) {
    return registry.onRemoved(listener);
  }

  /**
   * Subscribes to the events of every breaker of this registry, present and future, per-call events
   * included. While nobody listens here, the registry adds no listener to its breakers.
   */
  public Subscription onEvent(Consumer<? super CircuitBreakerEvent> listener) {
    return registry.onEvent(listener);
  }

  /**
   * Subscribes to the events of the given types of every breaker of this registry, present and future. The
   * breakers build only the event types some listener wants, so a dashboard that follows transitions and
   * rejections costs successful calls nothing.
   */
  public Subscription onEvent(Set<CircuitBreakerEvent.Type> types, Consumer<? super CircuitBreakerEvent> listener) {
    return registry.onEvent(Listeners.maskOf(types), listener);
  }

  int forwardingCount() {
    return registry.forwardingCount();
  }

  @Override
  public String toString() {
    return "CircuitBreakerRegistry[" + registry.size() + " breakers]";
  }
}
