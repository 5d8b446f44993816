package dev.fusebox.bulkhead;

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

  private AdaptiveBulkheadRegistry(AdaptiveBulkheadConfig defaultConfig) {
    super("adaptive bulkheads", defaultConfig, AdaptiveBulkhead::of, AdaptiveBulkhead::onEvent);
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
