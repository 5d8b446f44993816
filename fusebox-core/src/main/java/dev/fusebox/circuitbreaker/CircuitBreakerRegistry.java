package dev.fusebox.circuitbreaker;

import dev.fusebox.Subscription;
import dev.fusebox.internal.Listeners;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
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
 * <p>Removing a breaker forgets it entirely: the registry keeps no reference and no listener on it. This
 * class is threadsafe.
 */
public final class CircuitBreakerRegistry {

  /** The name under which the registry's default configuration is known. */
  public static final String DEFAULT_CONFIG = "default";

  private final ConcurrentHashMap<String, CircuitBreaker> breakers = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, CircuitBreakerConfig> configs = new ConcurrentHashMap<>();
  private final Listeners<CircuitBreaker> addedListeners = new Listeners<>("registry", "circuit breakers");
  private final Listeners<CircuitBreaker> removedListeners = new Listeners<>("registry", "circuit breakers");
  private final Listeners<CircuitBreakerEvent> eventListeners = new Listeners<>("registry", "circuit breakers");
  /**
   * One forwarding subscription per breaker while the registry-wide stream has listeners, and none
   * otherwise: a breaker nobody listens to builds no per-call events. Changes to the forwarding set are
   * rare and serialised by {@link #forwardingLock}; the call path never touches it.
   */
  private final ConcurrentHashMap<CircuitBreaker, Subscription> forwarding = new ConcurrentHashMap<>();
  private final ReentrantLock forwardingLock = new ReentrantLock();
  private final BreakerFactory factory;

  /** Creates the breakers of a registry; the hook through which shared-state integrations take part. */
  @FunctionalInterface
  interface BreakerFactory {
    CircuitBreaker create(String name, CircuitBreakerConfig config);
  }

  private CircuitBreakerRegistry(CircuitBreakerConfig defaultConfig, BreakerFactory factory) {
    configs.put(DEFAULT_CONFIG, Objects.requireNonNull(defaultConfig, "defaultConfig must not be null"));
    this.factory = factory;
  }

  /** Creates a registry whose default configuration is {@link CircuitBreakerConfig#ofDefaults()}. */
  public static CircuitBreakerRegistry ofDefaults() {
    return of(CircuitBreakerConfig.ofDefaults());
  }

  /** Creates a registry with the given default configuration. */
  public static CircuitBreakerRegistry of(CircuitBreakerConfig defaultConfig) {
    return new CircuitBreakerRegistry(defaultConfig, CircuitBreaker::of);
  }

  static CircuitBreakerRegistry of(CircuitBreakerConfig defaultConfig, BreakerFactory factory) {
    return new CircuitBreakerRegistry(defaultConfig, Objects.requireNonNull(factory, "factory"));
  }

  /**
   * Adds or replaces a named configuration. Breakers already created keep theirs.
   *
   * @throws IllegalArgumentException if the name is {@value #DEFAULT_CONFIG} or blank
   */
  public void addConfiguration(String configName, CircuitBreakerConfig config) {
    Objects.requireNonNull(configName, "configName must not be null");
    Objects.requireNonNull(config, "config must not be null");
    if (configName.isBlank()) {
      throw new IllegalArgumentException("configName must not be blank");
    }
    if (DEFAULT_CONFIG.equals(configName)) {
      throw new IllegalArgumentException(
          "configName must not be '" + DEFAULT_CONFIG + "': that is the registry's default configuration");
    }
    configs.put(configName, config);
  }

  /** Returns the named configuration, if there is one; {@value #DEFAULT_CONFIG} is always there. */
  public Optional<CircuitBreakerConfig> configuration(String configName) {
    Objects.requireNonNull(configName, "configName must not be null");
    return Optional.ofNullable(configs.get(configName));
  }

  /** Returns the registry's default configuration. */
  public CircuitBreakerConfig defaultConfig() {
    return configs.get(DEFAULT_CONFIG);
  }

  /** Returns the breaker of that name, creating it with the default configuration if there is none. */
  public CircuitBreaker circuitBreaker(String name) {
    return circuitBreaker(name, defaultConfig());
  }

  /**
   * Returns the breaker of that name, creating it with {@code config} if there is none. An existing breaker
   * keeps its own configuration.
   */
  public CircuitBreaker circuitBreaker(String name, CircuitBreakerConfig config) {
    Objects.requireNonNull(name, "name must not be null");
    Objects.requireNonNull(config, "config must not be null");
    CircuitBreaker existing = breakers.get(name);
    if (existing != null) {
      return existing;
    }
    CircuitBreaker[] created = new CircuitBreaker[1];
    CircuitBreaker breaker = breakers.computeIfAbsent(name, n -> created[0] = factory.create(n, config));
    if (created[0] == breaker) {
      added(breaker);
    }
    return breaker;
  }

  /**
   * Returns the breaker of that name, creating it with the named configuration if there is none.
   *
   * @throws IllegalArgumentException if no configuration has that name
   */
  public CircuitBreaker circuitBreaker(String name, String configName) {
    Objects.requireNonNull(name, "name must not be null");
    Objects.requireNonNull(configName, "configName must not be null");
    CircuitBreaker existing = breakers.get(name);
    if (existing != null) {
      return existing;
    }
    CircuitBreakerConfig config = configs.get(configName);
    if (config == null) {
      throw new IllegalArgumentException(
          "configName '" + configName + "' is not known; known configurations: " + configs.keySet());
    }
    return circuitBreaker(name, config);
  }

  /** Returns the breaker of that name, if it exists, without creating one. */
  public Optional<CircuitBreaker> find(String name) {
    Objects.requireNonNull(name, "name must not be null");
    return Optional.ofNullable(breakers.get(name));
  }

  /** Returns a snapshot of every breaker. */
  public Collection<CircuitBreaker> all() {
    return List.copyOf(breakers.values());
  }

  /**
   * Removes the breaker of that name and forgets it: no reference and no listener of the registry stay on
   * it. The breaker keeps working for whoever still holds it.
   *
   * @return the removed breaker, if there was one
   */
  public Optional<CircuitBreaker> remove(String name) {
    Objects.requireNonNull(name, "name must not be null");
    CircuitBreaker removed = breakers.remove(name);
    if (removed == null) {
      return Optional.empty();
    }
    forwardingLock.lock();
    try {
      Subscription subscription = forwarding.remove(removed);
      if (subscription != null) {
        subscription.close();
      }
    } finally {
      forwardingLock.unlock();
    }
    removedListeners.publish(removed);
    return Optional.of(removed);
  }

  /** Resets every breaker. */
  public void resetAll() {
    breakers.values().forEach(CircuitBreaker::reset);
  }

  /** Subscribes to breakers being created in this registry. */
  public Subscription onAdded(Consumer<? super CircuitBreaker> listener) {
    return addedListeners.subscribe(listener);
  }

  /** Subscribes to breakers being removed from this registry. */
  public Subscription onRemoved(Consumer<? super CircuitBreaker> listener) {
    return removedListeners.subscribe(listener);
  }

  /**
   * Subscribes to the events of every breaker of this registry, present and future, per-call events
   * included. While nobody listens here, the registry adds no listener to its breakers.
   */
  public Subscription onEvent(Consumer<? super CircuitBreakerEvent> listener) {
    Objects.requireNonNull(listener, "listener must not be null");
    forwardingLock.lock();
    try {
      Subscription subscription = eventListeners.subscribe(listener);
      if (eventListeners.size() == 1) {
        breakers.values().forEach(this::forward);
      }
      return () -> {
        forwardingLock.lock();
        try {
          subscription.close();
          if (eventListeners.isEmpty()) {
            forwarding.values().forEach(Subscription::close);
            forwarding.clear();
          }
        } finally {
          forwardingLock.unlock();
        }
      };
    } finally {
      forwardingLock.unlock();
    }
  }

  private void added(CircuitBreaker breaker) {
    forwardingLock.lock();
    try {
      // A remove racing with this creation may already have dropped the breaker: forward only what is here.
      if (!eventListeners.isEmpty() && breakers.get(breaker.name()) == breaker) {
        forward(breaker);
      }
    } finally {
      forwardingLock.unlock();
    }
    addedListeners.publish(breaker);
  }

  private void forward(CircuitBreaker breaker) {
    forwarding.computeIfAbsent(breaker, b -> b.onEvent(eventListeners::publish));
  }

  @Override
  public String toString() {
    return "CircuitBreakerRegistry[" + breakers.size() + " breakers]";
  }
}
