package dev.fusebox.ratelimiter;

import dev.fusebox.PolicyKind;
import dev.fusebox.PolicyRegistry;

/**
 * Creates and keeps rate limiters by name, so that every part of an application calling the same
 * dependency shares one limiter, and so one budget of permits.
 *
 * <p>{@link #rateLimiter(String)} returns the limiter of that name, creating it on first use; under any
 * race exactly one instance is created and every caller gets it. A limiter keeps the configuration it was
 * created with: asking again with another configuration returns the existing one. Named configurations let
 * families of limiters share settings.
 *
 * <pre>{@code
 * RateLimiterRegistry registry = RateLimiterRegistry.of(RateLimiterConfig.ofDefaults());
 * registry.addConfiguration("partners", RateLimiterConfig.builder().limitForPeriod(10).build());
 *
 * RateLimiter search = registry.rateLimiter("search");
 * RateLimiter quotes = registry.rateLimiter("quote-api", "partners");
 * registry.onEvent(event -> audit.record(event));
 * }</pre>
 *
 * <p>Removing a limiter forgets it entirely: the registry keeps no reference and no listener on it. While
 * nobody subscribes to {@link #onEvent}, the registry adds no listener to its limiters, so they build no
 * events. This class is threadsafe.
 */
public final class RateLimiterRegistry extends PolicyRegistry<RateLimiter, RateLimiterConfig, RateLimiterEvent> {

  private static final String CALLS = "Requests for permits: successful (granted) or failed (refused)";

  private static final PolicyKind<RateLimiter> KIND =
      PolicyKind.<RateLimiter>builder("ratelimiter", "rate limiters", RateLimiter::name)
          .gauge("fusebox.ratelimiter.available.permissions", "permissions",
              "Permits available now; negative while permits are reserved ahead",
              l -> l.metrics().availablePermissions())
          .gauge("fusebox.ratelimiter.waiting.threads", "threads",
              "Threads sleeping until their reserved permits are due", l -> l.metrics().numberOfWaitingThreads())
          .gauge("fusebox.ratelimiter.limit.for.period", "permissions",
              "Permits per period in force, run-time changes included", l -> l.metrics().limitForPeriod())
          .counter("fusebox.ratelimiter.calls", "successful", CALLS, l -> l.metrics().totalSuccessfulAcquisitions())
          .counter("fusebox.ratelimiter.calls", "failed", CALLS, l -> l.metrics().totalFailedAcquisitions())
          .counter("fusebox.ratelimiter.permits", null, "Permits granted", l -> l.metrics().totalPermittedPermits())
          .build();

  private RateLimiterRegistry(RateLimiterConfig defaultConfig) {
    super(KIND, defaultConfig, RateLimiter::of, RateLimiter::onEvent);
  }

  /**
   * Creates a registry whose default configuration is {@link RateLimiterConfig#ofDefaults()}.
   *
   * @return a new, empty registry
   */
  public static RateLimiterRegistry ofDefaults() {
    return of(RateLimiterConfig.ofDefaults());
  }

  /**
   * Creates a registry with the given default configuration.
   *
   * @param defaultConfig the configuration of rate limiters created without one
   * @return a new, empty registry
   */
  public static RateLimiterRegistry of(RateLimiterConfig defaultConfig) {
    return new RateLimiterRegistry(defaultConfig);
  }

  /**
   * Returns the rate limiter of that name, creating it with the default configuration if there is none.
   *
   * @param name the rate limiter's name
   * @return the rate limiter of that name
   */
  public RateLimiter rateLimiter(String name) {
    return getOrCreate(name, defaultConfig());
  }

  /**
   * Returns the rate limiter of that name, creating it with {@code config} if there is none; an existing one
   * keeps its own configuration.
   *
   * @param name the rate limiter's name
   * @param config the configuration of a new rate limiter
   * @return the rate limiter of that name
   */
  public RateLimiter rateLimiter(String name, RateLimiterConfig config) {
    return getOrCreate(name, config);
  }

  /**
   * Returns the rate limiter of that name, creating it with the named configuration if there is none.
   *
   * @param name the rate limiter's name
   * @param configName the name of a configuration added with {@link #addConfiguration}
   * @return the rate limiter of that name
   * @throws IllegalArgumentException if no configuration has that name
   */
  public RateLimiter rateLimiter(String name, String configName) {
    return getOrCreate(name, configName);
  }
}
