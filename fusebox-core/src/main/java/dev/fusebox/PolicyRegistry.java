package dev.fusebox;

import dev.fusebox.internal.Listeners;
import dev.fusebox.internal.Tags;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.ToIntFunction;

/**
 * Policies of one kind by name, so that every part of an application calling the same dependency shares
 * one policy and its state: the base of {@code CircuitBreakerRegistry}, {@code RetryRegistry},
 * {@code BulkheadRegistry} and the others, and of a registry for a policy of your own.
 *
 * <p>Every registry offers the same operations, named as in Resilience4j: named configurations
 * ({@link #addConfiguration}, {@link #configuration}, {@link #defaultConfig}), lookup without creation
 * ({@link #find}, {@link #all}), {@link #remove}, and listeners for instances being added or removed and
 * for the events of every instance ({@link #onAdded}, {@link #onRemoved}, {@link #onEvent}). Each
 * subclass adds its typed factories ({@code circuitBreaker(name)}, {@code retry(name, config)}, ...)
 * on top of {@link #getOrCreate(String, Object)}: the instance of a name is created on first use, exactly
 * once under any race, and keeps the configuration it was created with.
 *
 * <pre>{@code
 * final class HedgeRegistry extends PolicyRegistry<Hedge, HedgeConfig, HedgeEvent> {
 *   HedgeRegistry(HedgeConfig defaults) {
 *     super(Hedge.KIND, defaults, Hedge::of, Hedge::onEvent);
 *   }
 *   Hedge hedge(String name) {
 *     return getOrCreate(name, defaultConfig());
 *   }
 * }
 * }</pre>
 *
 * <h2>Guarantees</h2>
 * <ul>
 *   <li>"added" and "removed" reach listeners in the order the registry changed: a listener that follows
 *       both always ends up tracking exactly the instances the registry holds, however creations and
 *       removals of the same name race.</li>
 *   <li>Removing an instance forgets it entirely: no reference and no listener of the registry stay on it;
 *       it keeps working for whoever still holds it.</li>
 *   <li>While nobody subscribes to {@link #onEvent}, the registry adds no listener to its instances, so
 *       they build no events on their call paths.</li>
 * </ul>
 *
 * <p>Design note. Instances live in a {@link ConcurrentHashMap}; looking up an existing one is a lock-free
 * read. Creating and removing go through one lock (never taken by a call path or by a lookup) that
 * covers the change of the map and its announcement, which is what keeps "added" from overtaking a later
 * "removed". The event stream forwards from an instance only while someone listens, and only the event
 * types someone wants; when the wanted types change, every forwarding subscription is replaced, under the
 * same lock.
 *
 * <p>This class is threadsafe.
 *
 * @param <P> the policy type
 * @param <C> its configuration type
 * @param <E> its event type
 */
public abstract class PolicyRegistry<P, C, E> {

  /** The name under which a registry's default configuration is known. */
  public static final String DEFAULT_CONFIG = "default";

  /**
   * Subscribes a consumer to the events of one instance.
   *
   * @param <P> the policy type
   * @param <E> its event type
   */
  @FunctionalInterface
  protected interface EventSource<P, E> {
    /**
     * Subscribes {@code consumer} to {@code instance}'s events of the given types.
     *
     * @param instance the instance to follow
     * @param types the wanted event types, one bit per {@link Enum#ordinal()} (all bits: every type)
     * @param consumer receives the events
     * @return the subscription that stops the forwarding
     */
    Subscription subscribe(P instance, long types, Consumer<E> consumer);
  }

  private final PolicyKind<P> kind;
  private final ConcurrentHashMap<String, P> instances = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, C> configs = new ConcurrentHashMap<>();
  private final Listeners<P> addedListeners;
  private final Listeners<P> removedListeners;
  private final Listeners<E> eventListeners;
  private final ConcurrentHashMap<P, Subscription> forwarding = new ConcurrentHashMap<>();
  /** Serialises creation, removal, their announcements and changes of the forwarding set. */
  private final ReentrantLock lifecycle = new ReentrantLock();
  private final BiFunction<String, C, P> factory;
  private final EventSource<P, E> events;
  private final Map<String, String> tags;

  /**
   * Creates a registry whose instances' events are all forwarded alike.
   *
   * @param kind what integrations need to publish the instances
   * @param defaultConfig the configuration of instances created without one
   * @param factory creates an instance from a name and a configuration
   * @param subscribe subscribes a consumer to every event of an instance
   */
  protected PolicyRegistry(
      PolicyKind<P> kind,
      C defaultConfig,
      BiFunction<String, C, P> factory,
      BiFunction<P, Consumer<E>, Subscription> subscribe) {
    this(kind, defaultConfig, factory, event -> 0, (p, types, consumer) -> subscribe.apply(p, consumer));
    Objects.requireNonNull(subscribe, "subscribe must not be null");
  }

  /**
   * Creates a registry whose event stream can be filtered by type, so that instances build only the
   * event types some listener wants.
   *
   * @param kind what integrations need to publish the instances
   * @param defaultConfig the configuration of instances created without one
   * @param factory creates an instance from a name and a configuration
   * @param typeOf returns an event's type as a number in [0, 64), its type's ordinal
   * @param events subscribes a consumer to the events of the given types of an instance
   */
  protected PolicyRegistry(
      PolicyKind<P> kind,
      C defaultConfig,
      BiFunction<String, C, P> factory,
      ToIntFunction<? super E> typeOf,
      EventSource<P, E> events) {
    this(kind, defaultConfig, factory, typeOf, events, Map.of());
  }

  /**
   * Creates a registry like {@link #PolicyRegistry(PolicyKind, Object, BiFunction, ToIntFunction,
   * EventSource)} that carries tags, as Resilience4j's registries do: integrations publish them with every
   * instance's metrics, and a subclass gives them to the instances it creates.
   *
   * @param kind what integrations need to publish the instances
   * @param defaultConfig the configuration of instances created without one
   * @param factory creates an instance from a name and a configuration
   * @param typeOf returns an event's type as a number in [0, 64), its type's ordinal
   * @param events subscribes a consumer to the events of the given types of an instance
   * @param tags the registry's tags, copied; no key or value may be null
   */
  protected PolicyRegistry(
      PolicyKind<P> kind,
      C defaultConfig,
      BiFunction<String, C, P> factory,
      ToIntFunction<? super E> typeOf,
      EventSource<P, E> events,
      Map<String, String> tags) {
    this.tags = Tags.copyOf(tags);
    this.kind = Objects.requireNonNull(kind, "kind must not be null");
    this.factory = Objects.requireNonNull(factory, "factory must not be null");
    this.events = Objects.requireNonNull(events, "events must not be null");
    this.configs.put(DEFAULT_CONFIG, Objects.requireNonNull(defaultConfig, "defaultConfig must not be null"));
    this.addedListeners = new Listeners<>(kind.id() + " registry", "added");
    this.removedListeners = new Listeners<>(kind.id() + " registry", "removed");
    this.eventListeners = new Listeners<>(kind.id() + " registry", "events", typeOf);
  }

  /**
   * Returns the registry's tags: what integrations publish with the metrics of every instance. Empty unless
   * the registry was created with tags.
   *
   * @return the tags, an immutable map
   */
  public final Map<String, String> tags() {
    return tags;
  }

  /**
   * Returns the registry's tags with {@code own} added over them: an instance's tags, as Resilience4j merges
   * them (the instance's value wins for a key both have).
   *
   * @param own the instance's own tags
   * @return the merged tags, an immutable map
   */
  protected final Map<String, String> tagsWith(Map<String, String> own) {
    Map<String, String> copy = Tags.copyOf(own);
    if (copy.isEmpty()) {
      return tags;
    }
    Map<String, String> merged = new java.util.LinkedHashMap<>(tags);
    merged.putAll(copy);
    return Map.copyOf(merged);
  }

  /**
   * Returns what integrations need to publish this registry's instances: their kind's identifier and the
   * numbers each exposes.
   *
   * @return the kind of the instances
   */
  public final PolicyKind<P> kind() {
    return kind;
  }

  /**
   * Adds or replaces a named configuration. Instances already created keep theirs.
   *
   * @param configName the configuration's name; not blank, not {@value #DEFAULT_CONFIG}
   * @param config the configuration
   * @throws IllegalArgumentException if the name is {@value #DEFAULT_CONFIG} or blank
   */
  public final void addConfiguration(String configName, C config) {
    Objects.requireNonNull(configName, "configName must not be null");
    Objects.requireNonNull(config, "config must not be null");
    if (configName.isBlank()) {
      throw new IllegalArgumentException("configName must not be blank, was '" + configName + "'");
    }
    if (DEFAULT_CONFIG.equals(configName)) {
      throw new IllegalArgumentException(
          "configName must not be '" + DEFAULT_CONFIG + "': that is the registry's default configuration");
    }
    configs.put(configName, config);
  }

  /**
   * Returns the named configuration, if there is one; {@value #DEFAULT_CONFIG} is always there.
   *
   * @param configName the configuration's name
   * @return the configuration, or empty if none has that name
   */
  public final Optional<C> configuration(String configName) {
    Objects.requireNonNull(configName, "configName must not be null");
    return Optional.ofNullable(configs.get(configName));
  }

  /**
   * Returns the registry's default configuration.
   *
   * @return the configuration of instances created without one
   */
  public final C defaultConfig() {
    return configs.get(DEFAULT_CONFIG);
  }

  /**
   * Returns the instance of that name, creating it with {@code config} if there is none. An existing
   * instance keeps its own configuration.
   *
   * @param name the instance's name
   * @param config the configuration of a new instance
   * @return the instance of that name
   */
  protected final P getOrCreate(String name, C config) {
    return getOrCreate(name, config, factory);
  }

  /**
   * Returns the instance of that name, creating it with {@code config} through {@code creator} if there is
   * none: for a factory method that creates differently (with tags of the instance's own, say).
   *
   * @param name the instance's name
   * @param config the configuration of a new instance
   * @param creator creates the new instance from the name and the configuration
   * @return the instance of that name
   */
  protected final P getOrCreate(String name, C config, BiFunction<String, C, P> creator) {
    Objects.requireNonNull(name, "name must not be null");
    Objects.requireNonNull(config, "config must not be null");
    Objects.requireNonNull(creator, "creator must not be null");
    P existing = instances.get(name);
    if (existing != null) {
      return existing;
    }
    lifecycle.lock();
    try {
      existing = instances.get(name);
      if (existing != null) {
        return existing;
      }
      P created = Objects.requireNonNull(creator.apply(name, config), "the factory returned null");
      instances.put(name, created);
      if (!eventListeners.isEmpty()) {
        forward(created);
      }
      addedListeners.publish(created);
      return created;
    } finally {
      lifecycle.unlock();
    }
  }

  /**
   * Returns the instance of that name, creating it with the named configuration if there is none.
   *
   * @param name the instance's name
   * @param configName the name of the configuration of a new instance
   * @return the instance of that name
   * @throws IllegalArgumentException if a new instance is needed and no configuration has that name
   */
  protected final P getOrCreate(String name, String configName) {
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
    return getOrCreate(name, config);
  }

  /**
   * Returns the instance of that name, if it exists, without creating one.
   *
   * @param name the instance's name
   * @return the instance, or empty
   */
  public final Optional<P> find(String name) {
    Objects.requireNonNull(name, "name must not be null");
    return Optional.ofNullable(instances.get(name));
  }

  /**
   * Returns a snapshot of every instance.
   *
   * @return the instances, in no particular order
   */
  public final Collection<P> all() {
    return List.copyOf(instances.values());
  }

  /**
   * Removes the instance of that name and forgets it: no reference and no listener of the registry stay on
   * it. The instance keeps working for whoever still holds it.
   *
   * @param name the instance's name
   * @return the removed instance, if there was one
   */
  public final Optional<P> remove(String name) {
    Objects.requireNonNull(name, "name must not be null");
    lifecycle.lock();
    try {
      P removed = instances.remove(name);
      if (removed == null) {
        return Optional.empty();
      }
      Subscription subscription = forwarding.remove(removed);
      if (subscription != null) {
        subscription.close();
      }
      removedListeners.publish(removed);
      return Optional.of(removed);
    } finally {
      lifecycle.unlock();
    }
  }

  /**
   * Subscribes to instances being created in this registry. A listener that throws is logged and never
   * disturbs the registry or the caller.
   *
   * @param listener receives each new instance
   * @return the subscription that removes the listener
   */
  public final Subscription onAdded(Consumer<? super P> listener) {
    return addedListeners.subscribe(listener);
  }

  /**
   * Subscribes to instances being removed from this registry.
   *
   * @param listener receives each removed instance
   * @return the subscription that removes the listener
   */
  public final Subscription onRemoved(Consumer<? super P> listener) {
    return removedListeners.subscribe(listener);
  }

  /**
   * Subscribes to the events of every instance of this registry, present and future.
   *
   * @param listener receives the events, on the threads that cause them
   * @return the subscription that removes the listener
   */
  public final Subscription onEvent(Consumer<? super E> listener) {
    return onEvent(Listeners.ALL, listener);
  }

  /**
   * Subscribes to the events of the given types of every instance, present and future: the subclasses'
   * typed {@code onEvent(Set<Type>, ...)} come down to this.
   *
   * @param types the wanted event types, one bit per type ordinal
   * @param listener receives the events
   * @return the subscription that removes the listener
   */
  protected final Subscription onEvent(long types, Consumer<? super E> listener) {
    Objects.requireNonNull(listener, "listener must not be null");
    lifecycle.lock();
    try {
      long before = eventListeners.wanted();
      Subscription subscription = eventListeners.subscribe(types, listener);
      reforwardIfWantedChanged(before);
      return () -> {
        lifecycle.lock();
        try {
          long previously = eventListeners.wanted();
          subscription.close();
          reforwardIfWantedChanged(previously);
        } finally {
          lifecycle.unlock();
        }
      };
    } finally {
      lifecycle.unlock();
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

  private void forward(P instance) {
    forwarding.computeIfAbsent(
        instance, i -> events.subscribe(i, eventListeners.wanted(), eventListeners::publish));
  }

  /**
   * Returns how many instances forward their events now: zero while nobody listens.
   *
   * @return the number of forwarding subscriptions
   */
  protected final int forwardingCount() {
    return forwarding.size();
  }

  /**
   * Returns the number of instances.
   *
   * @return how many instances the registry holds
   */
  public final int size() {
    return instances.size();
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "[" + instances.size() + " " + kind.plural() + "]";
  }
}
