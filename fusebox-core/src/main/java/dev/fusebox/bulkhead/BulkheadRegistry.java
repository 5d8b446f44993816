package dev.fusebox.bulkhead;

import dev.fusebox.PolicyKind;
import dev.fusebox.PolicyRegistry;

/**
 * Creates and keeps bulkheads by name, so that every part of an application calling the same dependency
 * shares one bulkhead, and so one limit.
 *
 * <p>{@link #bulkhead(String)} returns the bulkhead of that name, creating it on first use; under any race
 * exactly one instance is created and every caller gets it. A bulkhead keeps the configuration it was
 * created with: asking again with another configuration returns the existing one. Named configurations let
 * families of bulkheads share settings.
 *
 * <pre>{@code
 * BulkheadRegistry registry = BulkheadRegistry.of(BulkheadConfig.ofDefaults());
 * registry.addConfiguration("reports", BulkheadConfig.builder().maxConcurrentCalls(4).build());
 *
 * Bulkhead inventory = registry.bulkhead("inventory");
 * Bulkhead pdf = registry.bulkhead("pdf-renderer", "reports");
 * registry.onEvent(event -> audit.record(event));
 * }</pre>
 *
 * <p>Removing a bulkhead forgets it entirely: the registry keeps no reference and no listener on it. While
 * nobody subscribes to {@link #onEvent}, the registry adds no listener to its bulkheads, so they build no
 * events. This class is threadsafe.
 */
public final class BulkheadRegistry extends PolicyRegistry<Bulkhead, BulkheadConfig, BulkheadEvent> {

  private static final String CALLS =
      "Calls through the bulkhead: permitted, rejected, and finished (permit given back)";

  private static final PolicyKind<Bulkhead> KIND =
      PolicyKind.<Bulkhead>builder("bulkhead", "bulkheads", Bulkhead::name)
          .gauge("fusebox.bulkhead.available.concurrent.calls", "calls",
              "Calls that could start now without waiting", b -> b.metrics().availableConcurrentCalls())
          .gauge("fusebox.bulkhead.max.allowed.concurrent.calls", "calls",
              "The bulkhead's limit of concurrent calls", b -> b.metrics().maxAllowedConcurrentCalls())
          .gauge("fusebox.bulkhead.concurrent.calls", "calls", "Admitted calls running now",
              b -> b.metrics().concurrentCalls())
          .gauge("fusebox.bulkhead.waiting.calls", "calls", "Callers waiting for a permit now",
              b -> b.metrics().waitingCalls())
          .counter("fusebox.bulkhead.calls", "permitted", CALLS, b -> b.metrics().totalPermittedCalls())
          .counter("fusebox.bulkhead.calls", "rejected", CALLS, b -> b.metrics().totalRejectedCalls())
          .counter("fusebox.bulkhead.calls", "finished", CALLS, b -> b.metrics().totalFinishedCalls())
          .build();

  private BulkheadRegistry(BulkheadConfig defaultConfig) {
    super(KIND, defaultConfig, Bulkhead::of, Bulkhead::onEvent);
  }

  /**
   * Creates a registry whose default configuration is {@link BulkheadConfig#ofDefaults()}.
   *
   * @return a new, empty registry
   */
  public static BulkheadRegistry ofDefaults() {
    return of(BulkheadConfig.ofDefaults());
  }

  /**
   * Creates a registry with the given default configuration.
   *
   * @param defaultConfig the configuration of bulkheads created without one
   * @return a new, empty registry
   */
  public static BulkheadRegistry of(BulkheadConfig defaultConfig) {
    return new BulkheadRegistry(defaultConfig);
  }

  /**
   * Returns the bulkhead of that name, creating it with the default configuration if there is none.
   *
   * @param name the bulkhead's name
   * @return the bulkhead of that name
   */
  public Bulkhead bulkhead(String name) {
    return getOrCreate(name, defaultConfig());
  }

  /**
   * Returns the bulkhead of that name, creating it with {@code config} if there is none; an existing one
   * keeps its own configuration.
   *
   * @param name the bulkhead's name
   * @param config the configuration of a new bulkhead
   * @return the bulkhead of that name
   */
  public Bulkhead bulkhead(String name, BulkheadConfig config) {
    return getOrCreate(name, config);
  }

  /**
   * Returns the bulkhead of that name, creating it with the named configuration if there is none.
   *
   * @param name the bulkhead's name
   * @param configName the name of a configuration added with {@link #addConfiguration}
   * @return the bulkhead of that name
   * @throws IllegalArgumentException if no configuration has that name
   */
  public Bulkhead bulkhead(String name, String configName) {
    return getOrCreate(name, configName);
  }
}
