package dev.fusebox.fallback;

import dev.fusebox.PolicyKind;
import dev.fusebox.PolicyRegistry;

/**
 * Creates and keeps fallbacks by name, so that every part of an application calling the same dependency
 * shares one fallback, its last-known-good cache and its metrics.
 *
 * <p>A fallback is typed by the values it answers with, a registry holds fallbacks of any type: the caller
 * names the type when asking, as with any heterogeneous container, and must ask for one name with one type
 * only. Under any race exactly one instance per name is created; it keeps the configuration it was created
 * with.
 *
 * <pre>{@code
 * FallbackRegistry registry = FallbackRegistry.ofDefaults();   // last-known-good caches by default
 * Fallback<Price> prices = registry.fallback("prices");
 * Fallback<Profile> profiles = registry.fallback("profiles", FallbackConfig.<Profile>builder()
 *     .fallbackValue(Profile.ANONYMOUS)
 *     .build());
 * }</pre>
 *
 * <p>While nobody subscribes to {@link #onEvent}, the registry adds no listener to its fallbacks. This class
 * is threadsafe.
 */
public final class FallbackRegistry extends PolicyRegistry<Fallback<?>, FallbackConfig<?>, FallbackEvent> {

  private static final String CALLS =
      "Calls through the fallback: successful, answered by the fallback, failed fallback, or unhandled";

  private static final PolicyKind<Fallback<?>> KIND =
      PolicyKind.<Fallback<?>>builder("fallback", "fallbacks", Fallback::name)
          .counter("fusebox.fallback.calls", "successful", CALLS, f -> f.metrics().numberOfSuccessfulCalls())
          .counter("fusebox.fallback.calls", "fallback", CALLS, f -> f.metrics().numberOfFallbackCalls())
          .counter("fusebox.fallback.calls", "failed_fallback", CALLS, f -> f.metrics().numberOfFailedFallbacks())
          .counter("fusebox.fallback.calls", "unhandled", CALLS, f -> f.metrics().numberOfUnhandledCalls())
          .counter("fusebox.fallback.stale.values", null, "Last-known-good values served",
              f -> f.metrics().numberOfStaleValuesServed())
          .counter("fusebox.fallback.cache.misses", null, "Fallbacks that found no last-known-good value",
              f -> f.metrics().numberOfCacheMisses())
          .gauge("fusebox.fallback.cache.size", "values", "Values kept in the last-known-good cache",
              f -> f.metrics().lastKnownGoodSize())
          .gauge("fusebox.fallback.success.rate", "percent",
              "Share of the calls needing the fallback that it answered, in percent; -1 before the first",
              f -> f.metrics().fallbackSuccessRate())
          .build();

  private FallbackRegistry(FallbackConfig<?> defaultConfig) {
    super(KIND, defaultConfig, FallbackRegistry::create, Fallback::onEvent);
  }

  private static Fallback<?> create(String name, FallbackConfig<?> config) {
    return new FallbackImpl<>(name, config);
  }

  /**
   * Creates a registry whose default configuration is {@link FallbackConfig#ofDefaults()}.
   *
   * @return a new, empty registry
   */
  public static FallbackRegistry ofDefaults() {
    return of(FallbackConfig.ofDefaults());
  }

  /**
   * Creates a registry with the given default configuration.
   *
   * @param defaultConfig the configuration of fallbacks created without one
   * @return a new, empty registry
   */
  public static FallbackRegistry of(FallbackConfig<?> defaultConfig) {
    return new FallbackRegistry(defaultConfig);
  }

  /**
   * Returns the fallback of that name, creating it with the default configuration if there is none.
   *
   * @param name the fallback's name
   * @param <T> the type of the values the fallback answers with
   * @return the fallback of that name
   */
  @SuppressWarnings("unchecked")
  public <T> Fallback<T> fallback(String name) {
    return (Fallback<T>) getOrCreate(name, defaultConfig());
  }

  /**
   * Returns the fallback of that name, creating it with {@code config} if there is none.
   *
   * @param name the fallback's name
   * @param config the configuration of a new fallback
   * @param <T> the type of the values the fallback answers with
   * @return the fallback of that name
   */
  @SuppressWarnings("unchecked")
  public <T> Fallback<T> fallback(String name, FallbackConfig<T> config) {
    return (Fallback<T>) getOrCreate(name, config);
  }

  /**
   * Returns the fallback of that name, creating it with the named configuration if there is none.
   *
   * @param name the fallback's name
   * @param configName the name of a configuration added with {@link #addConfiguration}
   * @param <T> the type of the values the fallback answers with
   * @return the fallback of that name
   * @throws IllegalArgumentException if no configuration has that name
   */
  @SuppressWarnings("unchecked")
  public <T> Fallback<T> fallback(String name, String configName) {
    return (Fallback<T>) getOrCreate(name, configName);
  }
}
