package dev.fusebox.spring.support;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import dev.fusebox.PolicyRegistry;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;

/**
 * How one policy's registry follows a change of its properties at run time: re-binds them into a fresh
 * properties object, builds every configuration with the same builder as start-up (customizers included),
 * and, when asked, reconfigures the live instances whose configuration changed and adds new ones.
 *
 * <p>The plumbing the starter's auto-configurations share, public only because they live in a package per
 * policy; applications have no use for it and it may change in any release.
 *
 * <p>Made by {@link PolicyRefreshes#registry}; the auto-configurations do not build it themselves.
 *
 * @param <C> the configuration type
 * @param <T> the properties' entry type
 * @param <P> the policy type
 * @param <R> the registry type
 */
public final class PolicyRefresh<C, T extends PolicyProperties.Entry, P, R extends PolicyRegistry<P, C, ?>> {

  private final PolicyProperties<T> held;
  private final Class<? extends PolicyProperties<T>> fresh;
  private final ConfigBuilding.EntryBuilder<C, T> builder;
  private final Supplier<T> empty;
  private final R registry;
  private final Function<P, C> config;
  private final BiConsumer<P, C> reconfigure;
  private final ConfigBuilding.Adder<R, C> addInstance;
  /** What was last applied: the start-up build at first, so that a refresh compares against it. */
  private ConfigBuilding.Built<C> applied;
  private Map<String, T> appliedConfigs;
  private Map<String, T> appliedInstances;

  /**
   * Follows one policy's properties.
   *
   * @param held the properties bean Spring holds, kept in step with what is applied
   * @param fresh the properties' type, bound afresh on every refresh
   * @param builder builds one configuration from one resolved entry, as at start-up
   * @param empty an entry with nothing set
   * @param registry the live registry
   * @param config an instance's current configuration
   * @param reconfigure changes an instance's configuration, keeping its state
   * @param addInstance creates an instance
   * @param initial the configurations the registry was created with
   */
  PolicyRefresh(
      PolicyProperties<T> held,
      Class<? extends PolicyProperties<T>> fresh,
      ConfigBuilding.EntryBuilder<C, T> builder,
      Supplier<T> empty,
      R registry,
      Function<P, C> config,
      BiConsumer<P, C> reconfigure,
      ConfigBuilding.Adder<R, C> addInstance,
      ConfigBuilding.Built<C> initial) {
    this.held = Objects.requireNonNull(held);
    this.fresh = fresh;
    this.builder = builder;
    this.empty = empty;
    this.registry = registry;
    this.config = config;
    this.reconfigure = reconfigure;
    this.addInstance = addInstance;
    this.applied = initial;
    this.appliedConfigs = new LinkedHashMap<>(held.getConfigs());
    this.appliedInstances = new LinkedHashMap<>(held.getInstances());
  }

  /**
   * Returns the property prefix of the policy, such as {@code fusebox.circuitbreaker}.
   *
   * @return the prefix
   */
  public String prefix() {
    return held.prefix();
  }

  /**
   * Binds the policy's properties afresh from {@code binder} and builds every configuration, touching nothing.
   *
   * @param binder the binder of the changed environment
   * @return the plan: its problems, or what {@link #apply} would do
   */
  @SuppressWarnings("unchecked")
  public Plan plan(Binder binder) {
    PolicyProperties<T> bound = binder.<PolicyProperties<T>>bindOrCreate(held.prefix(), (Bindable<PolicyProperties<T>>) (Bindable<?>) Bindable.of(fresh));
    return new Plan(bound, ConfigBuilding.buildAll(bound, builder, empty));
  }

  /**
   * Applies a plan without problems: reconfigures the instances whose configuration changed, adds the new
   * named configurations and instances, and leaves the removed instances running.
   *
   * @param plan a plan of this policy without problems
   * @param changed receives {@code <prefix>.instances.<name>} of each reconfigured instance
   * @param added receives the path of each added configuration or instance
   * @param removed receives the path of each instance no longer in the properties, still running
   */
  public synchronized void apply(Plan plan, List<String> changed, List<String> added, List<String> removed) {
    ConfigBuilding.Built<C> next = plan.built;
    String prefix = held.prefix();
    // Instances the properties do not name run on the default or a named configuration; they follow it
    // when it changes, recognised by being the very configuration object last applied.
    Map<C, C> followers = new HashMap<>();
    if (differs(applied.defaultConfig(), next.defaultConfig())) {
      followers.put(applied.defaultConfig(), next.defaultConfig());
    }
    next.configs().forEach((name, c) -> {
      C old = applied.configs().get(name);
      if (old == null) {
        added.add(prefix + ".configs." + name);
      } else if (differs(old, c)) {
        followers.put(old, c);
      }
      registry.addConfiguration(name, c);
    });
    for (Map.Entry<String, C> e : next.instances().entrySet()) {
      String name = e.getKey();
      Optional<P> live = registry.find(name);
      if (live.isEmpty()) {
        addInstance.add(registry, name, e.getValue());
        added.add(prefix + ".instances." + name);
      } else if (differs(config.apply(live.get()), e.getValue())) {
        reconfigure.accept(live.get(), e.getValue());
        changed.add(prefix + ".instances." + name);
      }
    }
    for (String name : applied.instances().keySet()) {
      if (!next.instances().containsKey(name)) {
        removed.add(prefix + ".instances." + name);
      }
    }
    if (!followers.isEmpty()) {
      for (P instance : registry.all()) {
        C current = config.apply(instance);
        C replacement = followers.get(current);
        String name = registry.kind().nameOf(instance);
        if (replacement != null && name != null && !next.instances().containsKey(name)
            && !applied.instances().containsKey(name)) {
          reconfigure.accept(instance, replacement);
          changed.add(prefix + ".instances." + name);
        }
      }
    }
    applied = next;
    // The bean Spring holds shows what runs: the fresh binding, not a merge with the old one.
    appliedConfigs = new LinkedHashMap<>(plan.bound.getConfigs());
    appliedInstances = new LinkedHashMap<>(plan.bound.getInstances());
    restore();
  }

  /**
   * Puts into the properties bean Spring holds the entries last applied. Spring Cloud's own rebinding of
   * {@code @ConfigurationProperties} beans listens to the same event in no set order, so after a refused
   * change the bean may still show the refused values; the registries are what runs.
   */
  public synchronized void restore() {
    held.getConfigs().clear();
    held.getConfigs().putAll(appliedConfigs);
    held.getInstances().clear();
    held.getInstances().putAll(appliedInstances);
  }

  // Configurations have no equals; their toString shows every option (predicates as set or none).
  private boolean differs(C a, C b) {
    return !Objects.equals(String.valueOf(a), String.valueOf(b));
  }

  /** The result of binding and building one policy's changed properties, before anything changes. */
  public final class Plan {
    private final PolicyProperties<T> bound;
    private final ConfigBuilding.Built<C> built;

    private Plan(PolicyProperties<T> bound, ConfigBuilding.Built<C> built) {
      this.bound = bound;
      this.built = built;
    }

    /**
     * Returns the problems that refuse the change, each naming its property path.
     *
     * @return the problems; empty when the change can be applied
     */
    public List<String> problems() {
      return built.problems();
    }

    /**
     * Returns the policy this plan belongs to.
     *
     * @return the refresh that made it
     */
    public PolicyRefresh<C, T, P, R> policy() {
      return PolicyRefresh.this;
    }
  }
}
