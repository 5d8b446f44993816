package dev.fusebox.spring.refresh;

import dev.fusebox.spring.support.PolicyRefresh;
import dev.fusebox.spring.support.PolicyRefreshes;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.cloud.context.environment.EnvironmentChangeEvent;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ApplicationListener;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;

/** Applies a change of the {@code fusebox.*} properties to the live registries, all of it or none. */
final class FuseboxRefresher implements ApplicationListener<EnvironmentChangeEvent>, Ordered {

  private static final Logger log = LoggerFactory.getLogger(FuseboxRefresher.class);

  private final ConfigurableEnvironment environment;
  private final PolicyRefreshes policies;
  private final ApplicationEventPublisher publisher;

  FuseboxRefresher(
      ConfigurableEnvironment environment, PolicyRefreshes policies, ApplicationEventPublisher publisher) {
    this.environment = environment;
    this.policies = policies;
    this.publisher = publisher;
  }

  @Override
  public void onApplicationEvent(EnvironmentChangeEvent event) {
    if (event.getKeys().stream().noneMatch(key -> key.startsWith("fusebox."))) {
      return;
    }
    refresh();
  }

  // Spring Cloud's ConfigurationPropertiesRebinder, unordered too, merges the change into the properties
  // beans; when it runs first, this listener then puts into them what was applied.
  @Override
  public int getOrder() {
    return Ordered.LOWEST_PRECEDENCE;
  }

  synchronized FuseboxConfigurationRefreshed refresh() {
    Binder binder = Binder.get(environment);
    List<PolicyRefresh<?, ?, ?, ?>.Plan> plans = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (PolicyRefresh<?, ?, ?, ?> policy : policies.policies()) {
      PolicyRefresh<?, ?, ?, ?>.Plan plan;
      try {
        plan = policy.plan(binder);
      } catch (RuntimeException e) {
        // A value of the wrong type fails the binding itself; the binder names the property.
        problems.add(policy.prefix() + ": " + e.getMessage()
            + (e.getCause() != null ? " (" + e.getCause().getMessage() + ")" : ""));
        continue;
      }
      problems.addAll(plan.problems());
      plans.add(plan);
    }
    List<String> changed = new ArrayList<>();
    List<String> added = new ArrayList<>();
    List<String> removed = new ArrayList<>();
    List<String> refused = List.copyOf(new LinkedHashSet<>(problems));
    if (!refused.isEmpty()) {
      log.warn("Refused the change of the fusebox properties, nothing changed: {}", String.join("; ", refused));
      policies.policies().forEach(PolicyRefresh::restore);
    } else {
      for (PolicyRefresh<?, ?, ?, ?>.Plan plan : plans) {
        apply(plan, changed, added, removed);
      }
      if (!changed.isEmpty() || !added.isEmpty()) {
        log.info("Applied the change of the fusebox properties: reconfigured {}, added {}", changed, added);
      }
      if (!removed.isEmpty()) {
        log.info("No longer in the fusebox properties, left running with their last configuration: {}", removed);
      }
    }
    FuseboxConfigurationRefreshed refreshed = new FuseboxConfigurationRefreshed(this, changed, added, removed, refused);
    publisher.publishEvent(refreshed);
    return refreshed;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static void apply(PolicyRefresh.Plan plan, List<String> changed, List<String> added, List<String> removed) {
    plan.policy().apply(plan, changed, added, removed);
  }
}
