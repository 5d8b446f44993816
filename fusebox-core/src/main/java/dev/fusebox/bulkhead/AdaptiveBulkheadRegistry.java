package dev.fusebox.bulkhead;

import dev.fusebox.PolicyKind;
import dev.fusebox.PolicyRegistry;

/**
 * Creates and keeps adaptive bulkheads by name, so that every part of an application calling the same
 * dependency shares one bulkhead, and so one learnt limit.
 *
 * <p>{@link #bulkhead(String)} returns the bulkhead of that name, creating it on first use; under any race
 * exactly one instance is created and every caller gets it. A bulkhead keeps the configuration it was
 * created with: asking again with another configuration returns the existing one. Named configurations let
 * families of bulkheads share settings.
 *
 * <pre>{@code
 * AdaptiveBulkheadRegistry registry = AdaptiveBulkheadRegistry.of(AdaptiveBulkheadConfig.ofDefaults());
 * registry.addConfiguration("batch", AdaptiveBulkheadConfig.builder().maxLimit(20).build());
 *
 * AdaptiveBulkhead search = registry.bulkhead("search");
 * AdaptiveBulkhead exports = registry.bulkhead("exports", "batch");
 * registry.onEvent(event -> audit.record(event));
 * }</pre>
 *
 * <p>Removing a bulkhead forgets it entirely: the registry keeps no reference and no listener on it. While
 * nobody subscribes to {@link #onEvent}, the registry adds no listener to its bulkheads, so they build no
 * events. This class is threadsafe.
 */
public final class AdaptiveBulkheadRegistry extends PolicyRegistry<AdaptiveBulkhead, AdaptiveBulkheadConfig, BulkheadEvent> {

  private static final String RTT =
      "Latency the limit is judged by: no_load (the baseline) and latest (the last window); NaN until measured";
  private static final String CALLS =
      "Calls through the adaptive bulkhead: permitted, rejected, and dropped (which lowered the limit)";

  private static final PolicyKind<AdaptiveBulkhead> KIND =
      PolicyKind.<AdaptiveBulkhead>builder("adaptivebulkhead", "adaptive bulkheads", AdaptiveBulkhead::name)
          .gauge("fusebox.bulkhead.adaptive.limit", null, "The concurrency limit learnt from latency",
              b -> b.metrics().limit())
          .gauge("fusebox.bulkhead.adaptive.concurrent.calls", "calls", "Admitted calls in flight now",
              b -> b.metrics().concurrentCalls())
          .gauge("fusebox.bulkhead.adaptive.available.concurrent.calls", "calls",
              "Calls that could start now: the limit minus those in flight",
              b -> b.metrics().availableConcurrentCalls())
          .gauge("fusebox.bulkhead.adaptive.probing", null,
              "Whether a probe is lowering the limit to re-measure the no-load latency (1) or not (0)",
              b -> b.metrics().probing() ? 1 : 0)
          .timeGauge("fusebox.bulkhead.adaptive.rtt", "no_load", RTT, b -> b.metrics().noLoadRtt())
          .timeGauge("fusebox.bulkhead.adaptive.rtt", "latest", RTT, b -> b.metrics().latestRtt())
          .counter("fusebox.bulkhead.adaptive.calls", "permitted", CALLS, b -> b.metrics().totalPermittedCalls())
          .counter("fusebox.bulkhead.adaptive.calls", "rejected", CALLS, b -> b.metrics().totalRejectedCalls())
          .counter("fusebox.bulkhead.adaptive.calls", "dropped", CALLS, b -> b.metrics().totalDroppedCalls())
          .build();

  private AdaptiveBulkheadRegistry(AdaptiveBulkheadConfig defaultConfig) {
    super(KIND, defaultConfig, AdaptiveBulkhead::of, AdaptiveBulkhead::onEvent);
  }

  /**
   * Creates a registry whose default configuration is {@link AdaptiveBulkheadConfig#ofDefaults()}.
   *
   * @return a new, empty registry
   */
  public static AdaptiveBulkheadRegistry ofDefaults() {
    return of(AdaptiveBulkheadConfig.ofDefaults());
  }

  /**
   * Creates a registry with the given default configuration.
   *
   * @param defaultConfig the configuration of adaptive bulkheads created without one
   * @return a new, empty registry
   */
  public static AdaptiveBulkheadRegistry of(AdaptiveBulkheadConfig defaultConfig) {
    return new AdaptiveBulkheadRegistry(defaultConfig);
  }

  /**
   * Returns the adaptive bulkhead of that name, creating it with the default configuration if there is none.
   *
   * @param name the adaptive bulkhead's name
   * @return the adaptive bulkhead of that name
   */
  public AdaptiveBulkhead bulkhead(String name) {
    return getOrCreate(name, defaultConfig());
  }

  /**
   * Returns the adaptive bulkhead of that name, creating it with {@code config} if there is none; an existing one
   * keeps its own configuration.
   *
   * @param name the adaptive bulkhead's name
   * @param config the configuration of a new adaptive bulkhead
   * @return the adaptive bulkhead of that name
   */
  public AdaptiveBulkhead bulkhead(String name, AdaptiveBulkheadConfig config) {
    return getOrCreate(name, config);
  }

  /**
   * Returns the adaptive bulkhead of that name, creating it with the named configuration if there is none.
   *
   * @param name the adaptive bulkhead's name
   * @param configName the name of a configuration added with {@link #addConfiguration}
   * @return the adaptive bulkhead of that name
   * @throws IllegalArgumentException if no configuration has that name
   */
  public AdaptiveBulkhead bulkhead(String name, String configName) {
    return getOrCreate(name, configName);
  }
}
