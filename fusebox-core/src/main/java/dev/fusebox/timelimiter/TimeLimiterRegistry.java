package dev.fusebox.timelimiter;

import dev.fusebox.PolicyKind;
import dev.fusebox.PolicyRegistry;

/**
 * Creates and keeps time limiters by name, so that every part of an application calling the same
 * dependency shares one time limiter and its metrics.
 *
 * <p>{@link #timeLimiter(String)} returns the time limiter of that name, creating it on first use; under
 * any race exactly one instance is created. A time limiter keeps the configuration it was created with.
 *
 * <pre>{@code
 * TimeLimiterRegistry registry = TimeLimiterRegistry.of(TimeLimiterConfig.ofDefaults());
 * registry.addConfiguration("search", TimeLimiterConfig.builder()
 *     .timeoutDuration(Duration.ofMillis(300))
 *     .build());
 * TimeLimiter search = registry.timeLimiter("search-eu", "search");
 * registry.onEvent(event -> audit.record(event));
 * }</pre>
 *
 * <p>Removing a time limiter forgets it entirely. While nobody subscribes to {@link #onEvent}, the registry
 * adds no listener to its time limiters, so they build no events. This class is threadsafe.
 */
public final class TimeLimiterRegistry extends PolicyRegistry<TimeLimiter, TimeLimiterConfig, TimeLimiterEvent> {

  private static final String CALLS = "Calls through the time limiter: successful or failed in time, or timeout";

  private static final PolicyKind<TimeLimiter> KIND =
      PolicyKind.<TimeLimiter>builder("timelimiter", "time limiters", TimeLimiter::name)
          .counter("fusebox.timelimiter.calls", "successful", CALLS, l -> l.metrics().numberOfSuccessfulCalls())
          .counter("fusebox.timelimiter.calls", "failed", CALLS, l -> l.metrics().numberOfFailedCalls())
          .counter("fusebox.timelimiter.calls", "timeout", CALLS, l -> l.metrics().numberOfTimedOutCalls())
          .build();

  private TimeLimiterRegistry(TimeLimiterConfig defaultConfig) {
    super(KIND, defaultConfig, TimeLimiter::of, TimeLimiter::onEvent);
  }

  /**
   * Creates a registry whose default configuration is {@link TimeLimiterConfig#ofDefaults()}.
   *
   * @return a new, empty registry
   */
  public static TimeLimiterRegistry ofDefaults() {
    return of(TimeLimiterConfig.ofDefaults());
  }

  /**
   * Creates a registry with the given default configuration.
   *
   * @param defaultConfig the configuration of time limiters created without one
   * @return a new, empty registry
   */
  public static TimeLimiterRegistry of(TimeLimiterConfig defaultConfig) {
    return new TimeLimiterRegistry(defaultConfig);
  }

  /**
   * Returns the time limiter of that name, creating it with the default configuration if there is none.
   *
   * @param name the time limiter's name
   * @return the time limiter of that name
   */
  public TimeLimiter timeLimiter(String name) {
    return getOrCreate(name, defaultConfig());
  }

  /**
   * Returns the time limiter of that name, creating it with {@code config} if there is none; an existing one
   * keeps its own configuration.
   *
   * @param name the time limiter's name
   * @param config the configuration of a new time limiter
   * @return the time limiter of that name
   */
  public TimeLimiter timeLimiter(String name, TimeLimiterConfig config) {
    return getOrCreate(name, config);
  }

  /**
   * Returns the time limiter of that name, creating it with the named configuration if there is none.
   *
   * @param name the time limiter's name
   * @param configName the name of a configuration added with {@link #addConfiguration}
   * @return the time limiter of that name
   * @throws IllegalArgumentException if no configuration has that name
   */
  public TimeLimiter timeLimiter(String name, String configName) {
    return getOrCreate(name, configName);
  }
}
