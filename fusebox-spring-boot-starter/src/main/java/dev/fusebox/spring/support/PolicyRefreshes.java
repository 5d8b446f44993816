package dev.fusebox.spring.support;

import dev.fusebox.PolicyRegistry;
import dev.fusebox.spring.FuseboxConfigurationException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The policies whose registries follow their properties at run time: each auto-configuration that builds a
 * registry from properties adds its {@link PolicyRefresh} here, when live reconfiguration is on.
 *
 * <p>The plumbing the starter's auto-configurations share, public only because they live in a package per
 * policy; applications have no use for it and it may change in any release.
 *
 * <pre>{@code
 * RetryRegistry registry = PolicyRefreshes.registry(refreshes, properties, RetryProperties.class, builder,
 *     RetryProperties.Instance::new, RetryRegistry::of, RetryRegistry::retry, Retry::config, Retry::reconfigure);
 * }</pre>
 */
public final class PolicyRefreshes {

  private final List<PolicyRefresh<?, ?, ?, ?>> policies = new CopyOnWriteArrayList<>();

  /** Creates an empty list; the refresh auto-configuration does. */
  public PolicyRefreshes() {}

  /**
   * Adds a policy.
   *
   * @param policy the policy's refresh
   */
  void add(PolicyRefresh<?, ?, ?, ?> policy) {
    policies.add(policy);
  }

  /**
   * Returns the policies added so far.
   *
   * @return a snapshot, in the order they were added
   */
  public List<PolicyRefresh<?, ?, ?, ?>> policies() {
    return List.copyOf(policies);
  }

  /**
   * Builds one policy's configurations from its properties, creates the registry from them (the default
   * configuration, then the named ones, then every instance) and, if {@code refreshes} is not null, makes
   * the registry follow its properties.
   *
   * @param refreshes where the registry's refresh goes; null when live reconfiguration is off
   * @param properties the properties bean Spring holds
   * @param type the properties' type, bound afresh on every refresh
   * @param builder builds one configuration from one resolved entry
   * @param empty an entry with nothing set
   * @param create creates the registry from the default configuration
   * @param addInstance creates an instance in the registry
   * @param config an instance's current configuration
   * @param reconfigure changes an instance's configuration, keeping its state
   * @param <C> the configuration type
   * @param <T> the properties' entry type
   * @param <P> the policy type
   * @param <R> the registry type
   * @return the registry, every configured instance in it
   * @throws FuseboxConfigurationException if any entry is invalid
   */
  public static <C, T extends PolicyProperties.Entry, P, R extends PolicyRegistry<P, C, ?>> R registry(
      PolicyRefreshes refreshes,
      PolicyProperties<T> properties,
      Class<? extends PolicyProperties<T>> type,
      ConfigBuilding.EntryBuilder<C, T> builder,
      Supplier<T> empty,
      Function<C, R> create,
      ConfigBuilding.Adder<R, C> addInstance,
      Function<P, C> config,
      BiConsumer<P, C> reconfigure) {
    ConfigBuilding.Built<C> built = ConfigBuilding.buildAll(properties, builder, empty);
    R registry = ConfigBuilding.registry(built, create, (r, name, c) -> r.addConfiguration(name, c), addInstance);
    if (refreshes != null) {
      refreshes.add(new PolicyRefresh<>(
          properties, type, builder, empty, registry, config, reconfigure, addInstance, built));
    }
    return registry;
  }
}
