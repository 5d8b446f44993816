package dev.fusebox.throttle;

import dev.fusebox.PolicyKind;
import dev.fusebox.PolicyRegistry;
import dev.fusebox.Subscription;
import dev.fusebox.internal.Listeners;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Creates and keeps adaptive throttles by name, so that every part of an application calling the same
 * dependency shares one throttle, and so one count of what that dependency accepts.
 *
 * <p>{@link #adaptiveThrottle(String)} returns the throttle of that name, creating it on first use; under
 * any race exactly one instance is created and every caller gets it. A throttle keeps the configuration it
 * was created with: asking again with another configuration returns the existing one. Named configurations
 * let families of throttles share settings.
 *
 * <pre>{@code
 * AdaptiveThrottleRegistry registry = AdaptiveThrottleRegistry.of(AdaptiveThrottleConfig.ofDefaults());
 * registry.addConfiguration("eager", AdaptiveThrottleConfig.builder().k(1.5).build());
 *
 * AdaptiveThrottle search = registry.adaptiveThrottle("search");
 * AdaptiveThrottle ads = registry.adaptiveThrottle("ads", "eager");
 * registry.onEvent(EnumSet.of(AdaptiveThrottleEvent.Type.REJECTED), event -> shed.increment());
 * }</pre>
 *
 * <p>Its {@link #kind() kind} publishes, under {@code fusebox.adaptivethrottle.*}, the cumulative
 * {@code requests}, {@code accepts}, {@code rejected} (locally), {@code failed} and {@code ignored} counts,
 * and the gauges {@code rejection.probability}, {@code window.requests} and {@code window.accepts}.
 * Removing a throttle forgets it entirely: the registry keeps no reference and no listener on it. While
 * nobody subscribes to {@link #onEvent}, the registry adds no listener to its throttles, so they build no
 * events. This class is threadsafe.
 */
public final class AdaptiveThrottleRegistry
    extends PolicyRegistry<AdaptiveThrottle, AdaptiveThrottleConfig, AdaptiveThrottleEvent> {

  private static final PolicyKind<AdaptiveThrottle> KIND =
      PolicyKind.<AdaptiveThrottle>builder("adaptivethrottle", "adaptive throttles", AdaptiveThrottle::name)
          .counter("fusebox.adaptivethrottle.requests", null,
              "Requests made through the throttle: accepted, not accepted, and rejected locally",
              t -> t.metrics().totalRequests())
          .counter("fusebox.adaptivethrottle.accepts", null, "Requests the dependency accepted",
              t -> t.metrics().totalAccepts())
          .counter("fusebox.adaptivethrottle.rejected", null,
              "Requests the throttle rejected locally, without sending them", t -> t.metrics().totalRejectedRequests())
          .counter("fusebox.adaptivethrottle.failed", null, "Requests the dependency did not accept",
              t -> t.metrics().totalFailedRequests())
          .counter("fusebox.adaptivethrottle.ignored", null, "Calls whose outcome counted for nothing",
              t -> t.metrics().totalIgnoredCalls())
          .gauge("fusebox.adaptivethrottle.rejection.probability", null,
              "Probability with which a request made now is rejected locally, from 0 to 1",
              t -> t.metrics().rejectionProbability())
          .gauge("fusebox.adaptivethrottle.window.requests", "requests",
              "Requests in the sampling window, local rejections included", t -> t.metrics().numberOfRequests())
          .gauge("fusebox.adaptivethrottle.window.accepts", "requests",
              "Requests in the sampling window that the dependency accepted", t -> t.metrics().numberOfAccepts())
          .build();

  private AdaptiveThrottleRegistry(AdaptiveThrottleConfig defaultConfig) {
    super(
        KIND,
        defaultConfig,
        AdaptiveThrottle::of,
        event -> event.type().ordinal(),
        (throttle, types, consumer) -> ((AdaptiveThrottleImpl) throttle).onEvent(types, consumer));
  }

  /**
   * Creates a registry whose default configuration is {@link AdaptiveThrottleConfig#ofDefaults()}.
   *
   * @return a new, empty registry
   */
  public static AdaptiveThrottleRegistry ofDefaults() {
    return of(AdaptiveThrottleConfig.ofDefaults());
  }

  /**
   * Creates a registry with the given default configuration.
   *
   * @param defaultConfig the configuration of throttles created without one
   * @return a new, empty registry
   */
  public static AdaptiveThrottleRegistry of(AdaptiveThrottleConfig defaultConfig) {
    return new AdaptiveThrottleRegistry(defaultConfig);
  }

  /**
   * Returns the throttle of that name, creating it with the default configuration if there is none.
   *
   * @param name the throttle's name
   * @return the throttle of that name
   */
  public AdaptiveThrottle adaptiveThrottle(String name) {
    return getOrCreate(name, defaultConfig());
  }

  /**
   * Returns the throttle of that name, creating it with {@code config} if there is none; an existing one
   * keeps its own configuration.
   *
   * @param name the throttle's name
   * @param config the configuration of a new throttle
   * @return the throttle of that name
   */
  public AdaptiveThrottle adaptiveThrottle(String name, AdaptiveThrottleConfig config) {
    return getOrCreate(name, config);
  }

  /**
   * Returns the throttle of that name, creating it with the named configuration if there is none.
   *
   * @param name the throttle's name
   * @param configName the name of a configuration added with {@link #addConfiguration}
   * @return the throttle of that name
   * @throws IllegalArgumentException if no configuration has that name
   */
  public AdaptiveThrottle adaptiveThrottle(String name, String configName) {
    return getOrCreate(name, configName);
  }

  /**
   * Subscribes to the events of the given types of every throttle, present and future; throttles then
   * build only those types.
   *
   * @param types the wanted event types
   * @param listener receives the events, on the threads that cause them
   * @return the subscription that removes the listener
   */
  public Subscription onEvent(Set<AdaptiveThrottleEvent.Type> types, Consumer<? super AdaptiveThrottleEvent> listener) {
    return onEvent(Listeners.maskOf(types), listener);
  }
}
