package dev.fusebox.internal;

import dev.fusebox.Subscription;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.ToIntFunction;

/**
 * The machinery behind every public registry (circuit breakers, retries, bulkheads, ...): instances by
 * name, created exactly once under races, named configurations, added/removed listeners, and a
 * registry-wide event stream.
 *
 * <p>Design note. Instances live in a {@link ConcurrentHashMap}; {@code computeIfAbsent} guarantees one
 * creation per name, and only the creating caller announces it. The event stream forwards from each
 * instance only while someone listens to it, and only the event types someone wants, so an unobserved
 * registry adds no listener to its instances (a listener makes an instance build the events it wants on
 * its call path). When the wanted types change, every forwarding subscription is replaced. Changes to the
 * forwarding set are rare and serialised by a lock that no call path takes; removing an instance drops its
 * forwarding subscription, so the registry keeps nothing of a removed instance.
 *
 * <p>This class is threadsafe.
 *
 * @param <P> the policy type
 * @param <C> its configuration type
 * @param <E> its event type
 */
public final class NamedRegistry<P, C, E> {

  /** The name under which a registry's default configuration is known. */
  public static final String DEFAULT_CONFIG = "default";

  private final String kind;
  private final ConcurrentHashMap<String, P> instances = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, C> configs = new ConcurrentHashMap<>();
  private final Listeners<P> addedListeners;
  private final Listeners<P> removedListeners;
  private final Listeners<E> eventListeners;
  private final ConcurrentHashMap<P, Subscription> forwarding = new ConcurrentHashMap<>();
  private final ReentrantLock forwardingLock = new ReentrantLock();
  private final BiFunction<String, C, P> factory;
  private final TypedSubscriber<P, E> subscribe;

  /** Subscribes a consumer to the events of the given types (a {@link Listeners} mask) of an instance. */
  @FunctionalInterface
  public interface TypedSubscriber<P, E> {
    Subscription subscribe(P instance, long types, Consumer<E> consumer);
  }

  /**
   * @param kind names the instances in messages, for instance {@code "circuit breaker"}
   * @param defaultConfig the configuration of instances created without one
   * @param factory creates an instance from a name and a configuration
   * @param subscribe subscribes a consumer to an instance's events
   */
  public NamedRegistry(
      String kind,
      C defaultConfig,
      BiFunction<String, C, P> factory,
      BiFunction<P, Consumer<E>, Subscription> subscribe) {
    this(kind, defaultConfig, factory, event -> 0, (instance, types, consumer) -> subscribe.apply(instance, consumer));
  }

  /**
   * Creates a registry whose event stream can be filtered by type.
   *
   * @param typeOf returns an event's type as a number in [0, 64), as for {@link Listeners}
   * @param subscribe subscribes a consumer to the events of the given types of an instance
   */
  public NamedRegistry(
      String kind,
      C defaultConfig,
      BiFunction<String, C, P> factory,
      ToIntFunction<? super E> typeOf,
      TypedSubscriber<P, E> subscribe) {
    this.kind = Objects.requireNonNull(kind, "kind");
    this.factory = Objects.requireNonNull(factory, "factory");
    this.subscribe = Objects.requireNonNull(subscribe, "subscribe");
    this.configs.put(DEFAULT_CONFIG, Objects.requireNonNull(defaultConfig, "defaultConfig must not be null"));
    this.addedListeners = new Listeners<>(kind + " registry", "added");
    this.removedListeners = new Listeners<>(kind + " registry", "removed");
    this.eventListeners = new Listeners<>(kind + " registry", "events", typeOf);
  }

  /** Adds or replaces a named configuration; rejects the default's name and blank names. */
  public void addConfiguration(String configName, C config) {
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

  /** Returns the named configuration, if any. */
  public Optional<C> configuration(String configName) {
    Objects.requireNonNull(configName, "configName must not be null");
    return Optional.ofNullable(configs.get(configName));
  }

  /** Returns the default configuration. */
  public C defaultConfig() {
    return configs.get(DEFAULT_CONFIG);
  }

  /** Returns the instance of that name, creating it with {@code config} if there is none. */
  public P get(String name, C config) {
    Objects.requireNonNull(name, "name must not be null");
    Objects.requireNonNull(config, "config must not be null");
    P existing = instances.get(name);
    if (existing != null) {
      return existing;
    }
    Object[] created = new Object[1];
    P instance = instances.computeIfAbsent(name, n -> {
      P fresh = factory.apply(n, config);
      created[0] = fresh;
      return fresh;
    });
    if (created[0] == instance) {
      added(name, instance);
    }
    return instance;
  }

  /** Returns the instance of that name, creating it with the named configuration if there is none. */
  public P get(String name, String configName) {
    Objects.requireNonNull(name, "name must not be null");
    Objects.requireNonNull(configName, "configName must not be null");
    P existing = instances.get(name);
    if (existing != null) {
      return existing;
    }
    C config = configs.get(configName);
    if (config == null) {
      throw new IllegalArgumentException(
          "configName '" + configName + "' is not known; known configurations: " + configs.keySet());
    }
    return get(name, config);
  }

  /** Returns the instance of that name, if any. */
  public Optional<P> find(String name) {
    Objects.requireNonNull(name, "name must not be null");
    return Optional.ofNullable(instances.get(name));
  }

  /** Returns a snapshot of all instances. */
  public Collection<P> all() {
    return List.copyOf(instances.values());
  }

  /** Removes the instance of that name and every trace of it in the registry. */
  public Optional<P> remove(String name) {
    Objects.requireNonNull(name, "name must not be null");
    P removed = instances.remove(name);
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

  /** Subscribes to instances being created. */
  public Subscription onAdded(Consumer<? super P> listener) {
    return addedListeners.subscribe(listener);
  }

  /** Subscribes to instances being removed. */
  public Subscription onRemoved(Consumer<? super P> listener) {
    return removedListeners.subscribe(listener);
  }

  /** Subscribes to the events of every instance, present and future. */
  public Subscription onEvent(Consumer<? super E> listener) {
    return onEvent(Listeners.ALL, listener);
  }

  /** Subscribes to the events of the given types (a {@link Listeners} mask) of every instance. */
  public Subscription onEvent(long types, Consumer<? super E> listener) {
    Objects.requireNonNull(listener, "listener must not be null");
    forwardingLock.lock();
    try {
      long before = eventListeners.wanted();
      Subscription subscription = eventListeners.subscribe(types, listener);
      reforwardIfWantedChanged(before);
      return () -> {
        forwardingLock.lock();
        try {
          long previously = eventListeners.wanted();
          subscription.close();
          reforwardIfWantedChanged(previously);
        } finally {
          forwardingLock.unlock();
        }
      };
    } finally {
      forwardingLock.unlock();
    }
  }

  /** Replaces every forwarding subscription when the union of wanted types changed; under the lock. */
  private void reforwardIfWantedChanged(long before) {
    if (eventListeners.wanted() == before && (eventListeners.isEmpty() == forwarding.isEmpty())) {
      return;
    }
    forwarding.values().forEach(Subscription::close);
    forwarding.clear();
    if (!eventListeners.isEmpty()) {
      instances.values().forEach(this::forward);
    }
  }

  /** Returns how many instances currently forward their events; for tests of the no-leak guarantee. */
  public int forwardingCount() {
    return forwarding.size();
  }

  private void added(String name, P instance) {
    forwardingLock.lock();
    try {
      // A remove racing with this creation may already have dropped the instance: forward only what is here.
      if (!eventListeners.isEmpty() && instances.get(name) == instance) {
        forward(instance);
      }
    } finally {
      forwardingLock.unlock();
    }
    addedListeners.publish(instance);
  }

  private void forward(P instance) {
    forwarding.computeIfAbsent(instance, i -> subscribe.subscribe(i, eventListeners.wanted(), eventListeners::publish));
  }

  /** Returns the number of instances. */
  public int size() {
    return instances.size();
  }

  @Override
  public String toString() {
    return kind + " registry[" + instances.size() + "]";
  }
}
