package dev.fusebox.circuitbreaker;

import dev.fusebox.PolicyKind;
import dev.fusebox.PolicyRegistry;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import dev.fusebox.Subscription;
import dev.fusebox.circuitbreaker.spi.BreakerCoordinator;
import dev.fusebox.circuitbreaker.spi.SharedBreakerControl;
import dev.fusebox.internal.Listeners;
import dev.fusebox.internal.Tags;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
public final class CircuitBreakerRegistry
    extends PolicyRegistry<CircuitBreaker, CircuitBreakerConfig, CircuitBreakerEvent> {

  private static final String PROBES = "Health probes the breaker ran, by outcome";
  private static final String CALLS =
      "Calls through the circuit breaker by outcome: successful, failed, ignored, not_permitted";
  private static final String SLOW = "Calls slower than the slow-call threshold by outcome: successful, failed";

  private static final PolicyKind<CircuitBreaker> KIND = describe();

  private static PolicyKind<CircuitBreaker> describe() {
    PolicyKind.Builder<CircuitBreaker> kind =
        PolicyKind.<CircuitBreaker>builder("circuitbreaker", "circuit breakers", CircuitBreaker::name);
    for (CircuitBreaker.State state : CircuitBreaker.State.values()) {
      kind.measure(
          "fusebox.circuitbreaker.state",
          PolicyKind.Measure.Type.GAUGE,
          Map.of("state", state.name().toLowerCase(Locale.ROOT)),
          null,
          "Whether the circuit breaker is in this state (1) or not (0)",
          b -> b.state() == state ? 1 : 0);
    }
    return kind.counter("fusebox.circuitbreaker.calls", "successful", CALLS, b -> b.metrics().totalSuccessfulCalls())
        .counter("fusebox.circuitbreaker.calls", "failed", CALLS, b -> b.metrics().totalFailedCalls())
        .counter("fusebox.circuitbreaker.calls", "ignored", CALLS, b -> b.metrics().totalIgnoredCalls())
        .counter("fusebox.circuitbreaker.calls", "not_permitted", CALLS, b -> b.metrics().totalNotPermittedCalls())
        .counter("fusebox.circuitbreaker.slow.calls", "successful", SLOW, b -> b.metrics().totalSlowSuccessfulCalls())
        .counter("fusebox.circuitbreaker.slow.calls", "failed", SLOW, b -> b.metrics().totalSlowFailedCalls())
        .counter("fusebox.circuitbreaker.probes", "successful", PROBES, b -> b.metrics().totalSuccessfulProbes())
        .counter("fusebox.circuitbreaker.probes", "failed", PROBES, b -> b.metrics().totalFailedProbes())
        .gauge("fusebox.circuitbreaker.failure.rate", "percent",
            "Failure rate of the window; -1 below the minimum calls", b -> b.metrics().failureRate())
        .gauge("fusebox.circuitbreaker.slow.call.rate", "percent",
            "Slow-call rate of the window; -1 below the minimum calls", b -> b.metrics().slowCallRate())
        .gauge("fusebox.circuitbreaker.buffered.calls", "calls", "Outcomes in the window",
            b -> b.metrics().numberOfBufferedCalls())
        .gauge("fusebox.circuitbreaker.ramp", "percent",
            "Share of calls admitted; below 100 while ramping up after recovery", b -> b.metrics().rampPercentage())
        .timeGauge("fusebox.circuitbreaker.next.trial", null,
            "Time until the open circuit breaker admits a trial call; 0 when not open",
            b -> Optional.of(b.metrics().nextTrialIn().orElse(Duration.ZERO)))
        .timeGauge("fusebox.circuitbreaker.time.in.state", null,
            "Time since the circuit breaker entered its current state", b -> Optional.of(b.metrics().timeInState()))
        .build();
  }

  /** Creates a breaker of a registry from its name, configuration and tags (the registry's merged in). */
  private interface Creator {
    CircuitBreaker create(String name, CircuitBreakerConfig config, Map<String, String> tags);
  }

  private final Creator creator;

  private CircuitBreakerRegistry(CircuitBreakerConfig defaultConfig, Map<String, String> tags, Creator creator) {
    super(
        KIND,
        defaultConfig,
        (name, config) -> creator.create(name, config, tags),
        event -> event.type().ordinal(),
        (breaker, types, consumer) -> ((CircuitBreakerImpl) breaker).onEvent(types, consumer),
        tags);
    this.creator = creator;
  }

  /**
   * Creates a registry whose default configuration is {@link CircuitBreakerConfig#ofDefaults()}.
   *
   * @return a new, empty registry
   */
  public static CircuitBreakerRegistry ofDefaults() {
    return of(CircuitBreakerConfig.ofDefaults());
  }

  /**
   * Creates a registry with the given default configuration.
   *
   * @param defaultConfig the configuration of breakers created without one
   * @return a new, empty registry
   */
  public static CircuitBreakerRegistry of(CircuitBreakerConfig defaultConfig) {
    return of(defaultConfig, Map.of());
  }

  /**
   * Creates a registry with tags, as Resilience4j's {@code CircuitBreakerRegistry.of(config, tags)}: every
   * breaker it creates carries them (under tags of its own, see
   * {@link #circuitBreaker(String, CircuitBreakerConfig, Map)}), and integrations publish them with the
   * breakers' metrics.
   *
   * @param defaultConfig the configuration of breakers created without one
   * @param tags the registry's tags, copied
   * @return a new, empty registry
   * @throws NullPointerException if an argument, a tag key or a tag value is null
   */
  public static CircuitBreakerRegistry of(CircuitBreakerConfig defaultConfig, Map<String, String> tags) {
    return new CircuitBreakerRegistry(defaultConfig, Tags.copyOf(tags), CircuitBreakerImpl::new);
  }

  /**
   * Creates a registry whose breakers a coordinator shares with other processes, for integrations such as
   * fusebox-redis; applications normally get such a registry from the integration itself. Each breaker is
   * attached to the coordinator when created and detached when removed; calls stay local (see
   * {@link BreakerCoordinator}).
   *
   * @param defaultConfig the configuration of breakers created without one
   * @param coordinator shares the breakers' state
   * @return a new, empty registry
   */
  public static CircuitBreakerRegistry coordinated(
      CircuitBreakerConfig defaultConfig, BreakerCoordinator coordinator) {
    Objects.requireNonNull(coordinator, "coordinator must not be null");
    Map<CircuitBreaker, SharedBreakerControl> controls = new ConcurrentHashMap<>();
    CircuitBreakerRegistry registry =
        new CircuitBreakerRegistry(
            defaultConfig,
            Map.of(),
            (name, config, tags) -> {
              CircuitBreakerImpl breaker = new CircuitBreakerImpl(name, config, tags);
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
   * Returns the breaker of that name, creating it with the default configuration if there is none.
   *
   * @param name the breaker's name
   * @return the breaker of that name
   */
  public CircuitBreaker circuitBreaker(String name) {
    return getOrCreate(name, defaultConfig());
  }

  /**
   * Returns the breaker of that name, creating it with {@code config} if there is none. An existing breaker
   * keeps its own configuration.
   *
   * @param name the breaker's name
   * @param config the configuration of a new breaker
   * @return the breaker of that name
   */
  public CircuitBreaker circuitBreaker(String name, CircuitBreakerConfig config) {
    return getOrCreate(name, config);
  }

  /**
   * Returns the breaker of that name, creating it with {@code config} and {@code tags} over the registry's
   * own if there is none, as Resilience4j's {@code circuitBreaker(name, config, tags)}. An existing breaker
   * keeps its configuration and tags.
   *
   * @param name the breaker's name
   * @param config the configuration of a new breaker
   * @param tags the tags of a new breaker, added over the registry's
   * @return the breaker of that name
   * @throws NullPointerException if an argument, a tag key or a tag value is null
   */
  public CircuitBreaker circuitBreaker(String name, CircuitBreakerConfig config, Map<String, String> tags) {
    Map<String, String> merged = tagsWith(tags);
    return getOrCreate(name, config, (n, c) -> creator.create(n, c, merged));
  }

  /**
   * Returns the breaker of that name, creating it with the named configuration if there is none.
   *
   * @param name the breaker's name
   * @param configName the name of a configuration added with {@link #addConfiguration}
   * @return the breaker of that name
   * @throws IllegalArgumentException if no configuration has that name
   */
  public CircuitBreaker circuitBreaker(String name, String configName) {
    return getOrCreate(name, configName);
  }

  /** Resets every breaker. */
  public void resetAll() {
    all().forEach(CircuitBreaker::reset);
  }

  /**
   * Subscribes to the events of the given types of every breaker of this registry, present and future. The
   * breakers build only the event types some listener wants, so a dashboard that follows transitions and
   * rejections costs successful calls nothing.
   *
   * @param types the wanted event types
   * @param listener receives the events
   * @return the subscription that removes the listener
   */
  public Subscription onEvent(Set<CircuitBreakerEvent.Type> types, Consumer<? super CircuitBreakerEvent> listener) {
    return onEvent(Listeners.maskOf(types), listener);
  }
}
