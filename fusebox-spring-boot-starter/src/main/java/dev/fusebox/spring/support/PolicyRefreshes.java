package dev.fusebox.spring.support;

import dev.fusebox.spring.FuseboxConfigurationException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * The policies whose registries follow their properties at run time: each auto-configuration that builds a
 * registry from properties adds its {@link PolicyRefresh} here, when live reconfiguration is on.
 *
 * <p>The plumbing the starter's auto-configurations share, public only because they live in a package per
 * policy; applications have no use for it and it may change in any release.
 *
 * <pre>{@code
 * RetryRegistry registry = refreshes.registry(built, RetryRegistry::of, r -> new PolicyRefresh<>(...));
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
  public void add(PolicyRefresh<?, ?, ?, ?> policy) {
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
   * Builds a registry as {@link ConfigBuilding#registry(ConfigBuilding.Built, Function, ConfigBuilding.Adder,
   * ConfigBuilding.Adder)} does and, if {@code refreshes} is not null, adds the registry's refresh to it.
   *
   * @param refreshes where the refresh goes; null when live reconfiguration is off
   * @param built the configurations built from the properties
   * @param create creates the registry from the default configuration
   * @param addConfiguration adds a named configuration to the registry
   * @param addInstance creates an instance in the registry
   * @param refresh makes the refresh of the created registry
   * @param <C> the configuration type
   * @param <R> the registry type
   * @return the registry
   * @throws FuseboxConfigurationException if any entry is invalid
   */
  public static <C, R> R registry(
      PolicyRefreshes refreshes,
      ConfigBuilding.Built<C> built,
      Function<C, R> create,
      ConfigBuilding.Adder<R, C> addConfiguration,
      ConfigBuilding.Adder<R, C> addInstance,
      Function<R, PolicyRefresh<C, ?, ?, R>> refresh) {
    R registry = ConfigBuilding.registry(built, create, addConfiguration, addInstance);
    if (refreshes != null) {
      refreshes.add(refresh.apply(registry));
    }
    return registry;
  }
}
