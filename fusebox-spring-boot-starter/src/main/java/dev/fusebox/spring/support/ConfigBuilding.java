package dev.fusebox.spring.support;

import dev.fusebox.spring.FuseboxConfigurationException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Builds a core configuration from resolved properties and turns the core's validation message into
 * messages that name property paths.
 *
 * <p>The core reports every violation of one {@code build()} in one {@link IllegalArgumentException}:
 * {@code "Invalid CircuitBreakerConfig: failureRateThreshold must be in (0, 100], was 120.0"}, or
 * {@code "Invalid RetryConfig (2 problems): a ...; b ..."}. Each violation starts with the option's name,
 * sometimes followed by the name of one of its arguments ({@code "openStateBackoff max ..."}). That name
 * is replaced by the property path of the entry that set the value, so the message reads
 * {@code "fusebox.circuitbreaker.instances.backend.failure-rate-threshold must be in (0, 100], was 120.0"}.
 *
 * <p>The plumbing the starter's auto-configurations share, public only because they live in a package per
 * policy; applications have no use for it and it may change in any release.
 *
 * <pre>{@code
 * CircuitBreakerRegistry registry = ConfigBuilding.registry(properties, builder, CircuitBreakerProperties.Instance::new,
 *     CircuitBreakerRegistry::of, CircuitBreakerRegistry::addConfiguration, CircuitBreakerRegistry::circuitBreaker);
 * }</pre>
 */
public final class ConfigBuilding {

  private ConfigBuilding() {}

  /**
   * Runs {@code build}; on an {@link IllegalArgumentException} adds one problem per violation to
   * {@code problems} and returns {@code null}.
   *
   * @param resolved the entry whose values the builder holds, for the paths of its options
   * @param aliases core option names that are set through a field of another name (the window options
   *     through {@code slidingWindowSize}, say), to the field's name
   * @param build runs the core's {@code build()}
   * @param problems where the violations go, each with its property path
   * @param <C> the configuration type
   * @return the configuration, or null if it is invalid
   */
  public static <C> C build(
      PolicyProperties.Resolved<?> resolved, Map<String, String> aliases, Supplier<C> build, List<String> problems) {
    try {
      return build.get();
    } catch (IllegalArgumentException e) {
      for (String violation : violations(e.getMessage())) {
        problems.add(withPath(resolved, aliases, violation));
      }
      return null;
    }
  }

  /**
   * Hands a property's value to a builder option when the property is set; unset keeps the core's default.
   *
   * @param value the property's value, null when unset
   * @param option the builder's option
   * @param <T> the value's type
   */
  public static <T> void set(T value, Consumer<? super T> option) {
    if (value != null) {
      option.accept(value);
    }
  }

  /**
   * Throws a {@link FuseboxConfigurationException} listing the problems, if there are any.
   *
   * @param problems the problems found, each naming its property path
   * @throws FuseboxConfigurationException if there is at least one
   */
  public static void throwIfAny(List<String> problems) {
    if (!problems.isEmpty()) {
      // An option set in a named configuration is reported once, not once per instance inheriting it.
      throw new FuseboxConfigurationException(List.copyOf(new LinkedHashSet<>(problems)));
    }
  }

  /**
   * The exception types of a list property, as the core's varargs options take them.
   *
   * @param types the types, as bound
   * @return the same types in an array
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static Class<? extends Throwable>[] types(List<Class<? extends Throwable>> types) {
    return types.toArray(new Class[0]);
  }

  /**
   * Builds every named configuration and instance of one policy's properties, collecting every problem
   * (thrown together as a {@link FuseboxConfigurationException}), then creates the registry with the default
   * configuration ({@code configs.default}, or the core's defaults), adds the named configurations and
   * creates every instance, so that they show in the actuator and the metrics before their first call.
   *
   * @param properties the policy's properties
   * @param builder builds one configuration from one resolved entry
   * @param empty an entry with nothing set, for the default configuration when none is written
   * @param create creates the registry from the default configuration
   * @param addConfiguration adds a named configuration to the registry
   * @param addInstance creates an instance in the registry
   * @param <C> the configuration type
   * @param <T> the properties' entry type
   * @param <R> the registry type
   * @return the registry, every configured instance in it
   * @throws FuseboxConfigurationException if any entry is invalid
   */
  public static <C, T extends PolicyProperties.Entry, R> R registry(
      PolicyProperties<T> properties,
      EntryBuilder<C, T> builder,
      Supplier<T> empty,
      Function<C, R> create,
      Adder<R, C> addConfiguration,
      Adder<R, C> addInstance) {
    return registry(buildAll(properties, builder, empty), create, addConfiguration, addInstance);
  }

  /**
   * Creates a registry from configurations already built by {@link #buildAll}: the default configuration,
   * then the named configurations added, then every instance created.
   *
   * @param built the configurations
   * @param create creates the registry from the default configuration
   * @param addConfiguration adds a named configuration to the registry
   * @param addInstance creates an instance in the registry
   * @param <C> the configuration type
   * @param <R> the registry type
   * @return the registry, every configured instance in it
   * @throws FuseboxConfigurationException if any entry is invalid
   */
  static <C, R> R registry(
      Built<C> built, Function<C, R> create, Adder<R, C> addConfiguration, Adder<R, C> addInstance) {
    throwIfAny(built.problems());
    C defaultConfig = built.defaultConfig();
    Map<String, C> configs = built.configs();
    Map<String, C> instances = built.instances();
    R registry = create.apply(defaultConfig);
    configs.forEach((name, config) -> addConfiguration.add(registry, name, config));
    instances.forEach((name, config) -> addInstance.add(registry, name, config));
    return registry;
  }

  /**
   * Builds every named configuration and instance of one policy's properties without touching any
   * registry: what start-up and a live refresh share, so that both translate properties the same way.
   *
   * @param properties the policy's properties
   * @param builder builds one configuration from one resolved entry
   * @param empty an entry with nothing set, for the default configuration when none is written
   * @param <C> the configuration type
   * @param <T> the properties' entry type
   * @return the built configurations and the problems found, each naming its property path
   */
  static <C, T extends PolicyProperties.Entry> Built<C> buildAll(
      PolicyProperties<T> properties, EntryBuilder<C, T> builder, Supplier<T> empty) {
    List<String> problems = new ArrayList<>();
    Map<String, C> configs = new LinkedHashMap<>();
    properties.getConfigs().keySet().forEach(name ->
        configs.put(name, builder.build(name, properties.resolveConfig(name, problems), problems)));
    Map<String, C> instances = new LinkedHashMap<>();
    properties.getInstances().keySet().forEach(name ->
        instances.put(name, builder.build(name, properties.resolveInstance(name, problems), problems)));
    C defaultConfig = configs.remove(PolicyProperties.DEFAULT);
    if (defaultConfig == null) {
      String path = properties.prefix() + ".configs." + PolicyProperties.DEFAULT;
      defaultConfig = builder.build(
          PolicyProperties.DEFAULT, new PolicyProperties.Resolved<>(path, empty.get(), Map.of()), problems);
    }
    return new Built<>(defaultConfig, configs, instances, List.copyOf(new LinkedHashSet<>(problems)));
  }

  /**
   * Every configuration of one policy's properties, built, or the problems that kept some from building.
   *
   * @param defaultConfig the default configuration
   * @param configs the named configurations but the default, by name
   * @param instances the instances' configurations, by instance name
   * @param problems the problems, each naming its property path; empty when every entry is valid
   * @param <C> the configuration type
   */
  record Built<C>(C defaultConfig, Map<String, C> configs, Map<String, C> instances, List<String> problems) {}

  /**
   * Builds one policy configuration from one resolved entry of its properties.
   *
   * @param <C> the configuration type
   * @param <T> the properties' entry type
   */
  @FunctionalInterface
  public interface EntryBuilder<C, T> {

    /**
     * Builds the configuration, adding its problems rather than throwing them.
     *
     * @param name the entry's name under {@code configs} or {@code instances}, or {@code default}
     * @param resolved the entry with its inheritance applied
     * @param problems where its problems go
     * @return the configuration, or null if it is invalid
     */
    C build(String name, PolicyProperties.Resolved<T> resolved, List<String> problems);
  }

  /**
   * Adds a named configuration or instance to a registry: its own method, whatever it returns.
   *
   * @param <R> the registry type
   * @param <C> the configuration type
   */
  @FunctionalInterface
  public interface Adder<R, C> {

    /**
     * Adds the configuration under its name.
     *
     * @param registry the registry
     * @param name the configuration's or instance's name
     * @param config its configuration
     */
    void add(R registry, String name, C config);
  }

  /** Splits a core validation message into its violations. */
  static List<String> violations(String message) {
    if (message == null) {
      return List.of("invalid");
    }
    String body = message;
    if (body.startsWith("Invalid ")) {
      int colon = body.indexOf(": ");
      if (colon > 0) {
        body = body.substring(colon + 2);
      }
    }
    List<String> result = new ArrayList<>();
    for (String part : body.split("; ")) {
      if (!part.isBlank()) {
        result.add(part.strip());
      }
    }
    return result;
  }

  private static String withPath(PolicyProperties.Resolved<?> resolved, Map<String, String> aliases, String violation) {
    int space = violation.indexOf(' ');
    if (space <= 0) {
      return resolved.path() + ": " + violation;
    }
    String option = violation.substring(0, space);
    String rest = violation.substring(space + 1);
    String field = aliases.getOrDefault(option, option);
    if (!field.chars().allMatch(Character::isLetterOrDigit)) {
      return resolved.path() + ": " + violation;
    }
    String path = resolved.pathOf(field);
    // "openStateBackoff max must be ...": the second word names a nested property when it is one word
    // followed by the rule.
    int next = rest.indexOf(' ');
    if (next > 0) {
      String argument = rest.substring(0, next);
      if (NESTED.contains(field + "." + argument)) {
        path = path + "." + PolicyProperties.kebab(argument);
        rest = rest.substring(next + 1);
      } else if (FLATTENED.containsKey(field + "." + argument)) {
        path = resolved.pathOf(FLATTENED.get(field + "." + argument));
        rest = rest.substring(next + 1);
      }
    }
    return path + " " + rest;
  }

  /**
   * Arguments of a core option taking two values that the properties hold in a field of their own, beside
   * the option's: {@code slowCallDurationPercentile(percentile, multiplier)} is
   * {@code slow-call-duration-percentile} and {@code slow-call-duration-multiplier}.
   */
  private static final Map<String, String> FLATTENED =
      Map.of("slowCallDurationPercentile.multiplier", "slowCallDurationMultiplier");

  /** The options whose violations name an argument: an option of the core taking two values. */
  private static final List<String> NESTED =
      List.of(
          "openStateBackoff.multiplier",
          "openStateBackoff.max",
          "exponentialBackoff.multiplier",
          "exponentialBackoff.maxWaitDuration");
}
