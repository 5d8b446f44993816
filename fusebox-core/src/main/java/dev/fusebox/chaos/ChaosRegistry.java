package dev.fusebox.chaos;

import dev.fusebox.PolicyKind;
import dev.fusebox.PolicyRegistry;

/**
 * Creates and keeps chaos policies by name, so that a chaos control panel (the demo's, an admin endpoint)
 * can find the policy of each dependency and change its settings while the application runs.
 *
 * <p>{@link #chaos(String)} returns the policy of that name, creating it on first use; under any race
 * exactly one instance is created.
 *
 * <pre>{@code
 * ChaosRegistry registry = ChaosRegistry.ofDefaults();   // policies inject nothing until told
 * Chaos inventory = registry.chaos("inventory");
 * // later, from an admin endpoint:
 * registry.find("inventory").ifPresent(c -> c.update(s -> s.withFaultRate(0.3)));
 * registry.all().forEach(Chaos::disable);
 * }</pre>
 *
 * <p>While nobody subscribes to {@link #onEvent}, the registry adds no listener to its policies. This class
 * is threadsafe.
 */
public final class ChaosRegistry extends PolicyRegistry<Chaos, ChaosConfig, ChaosEvent> {

  private static final String INJECTIONS = "What the chaos policy injected: fault, result or latency";

  private static final PolicyKind<Chaos> KIND =
      PolicyKind.<Chaos>builder("chaos", "chaos policies", Chaos::name)
          .counter("fusebox.chaos.calls", null, "Calls through the chaos policy", c -> c.metrics().numberOfCalls())
          .counter("fusebox.chaos.injections", "fault", INJECTIONS, c -> c.metrics().numberOfInjectedFaults())
          .counter("fusebox.chaos.injections", "result", INJECTIONS, c -> c.metrics().numberOfInjectedResults())
          .counter("fusebox.chaos.injections", "latency", INJECTIONS, c -> c.metrics().numberOfInjectedLatencies())
          .gauge("fusebox.chaos.enabled", null, "Whether the chaos policy may inject anything (1) or not (0)",
              c -> c.settings().enabled() ? 1 : 0)
          .build();

  private ChaosRegistry(ChaosConfig defaultConfig) {
    super(KIND, defaultConfig, Chaos::of, Chaos::onEvent);
  }

  /**
   * Creates a registry whose default configuration is {@link ChaosConfig#ofDefaults()}.
   *
   * @return a new, empty registry
   */
  public static ChaosRegistry ofDefaults() {
    return of(ChaosConfig.ofDefaults());
  }

  /**
   * Creates a registry with the given default configuration.
   *
   * @param defaultConfig the configuration of chaos policies created without one
   * @return a new, empty registry
   */
  public static ChaosRegistry of(ChaosConfig defaultConfig) {
    return new ChaosRegistry(defaultConfig);
  }

  /**
   * Returns the chaos policy of that name, creating it with the default configuration if there is none.
   *
   * @param name the chaos policy's name
   * @return the chaos policy of that name
   */
  public Chaos chaos(String name) {
    return getOrCreate(name, defaultConfig());
  }

  /**
   * Returns the chaos policy of that name, creating it with {@code config} if there is none; an existing one
   * keeps its own configuration.
   *
   * @param name the chaos policy's name
   * @param config the configuration of a new chaos policy
   * @return the chaos policy of that name
   */
  public Chaos chaos(String name, ChaosConfig config) {
    return getOrCreate(name, config);
  }

  /**
   * Returns the chaos policy of that name, creating it with the named configuration if there is none.
   *
   * @param name the chaos policy's name
   * @param configName the name of a configuration added with {@link #addConfiguration}
   * @return the chaos policy of that name
   * @throws IllegalArgumentException if no configuration has that name
   */
  public Chaos chaos(String name, String configName) {
    return getOrCreate(name, configName);
  }
}
