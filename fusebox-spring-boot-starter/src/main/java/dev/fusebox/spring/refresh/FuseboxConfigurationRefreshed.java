package dev.fusebox.spring.refresh;

import java.util.List;
import org.springframework.context.ApplicationEvent;

/**
 * What one change of the application's {@code fusebox.*} properties did at run time, published after every
 * Spring Cloud {@code EnvironmentChangeEvent} that touched a {@code fusebox.} key (sent by
 * {@code /actuator/refresh}, Spring Cloud Config or a Kubernetes config reload).
 *
 * <p>A change is applied whole or not at all: when any value is invalid, {@link #refused()} lists every
 * problem with its property path and the other lists are empty; nothing changed. Otherwise
 * {@link #changed()} names the instances reconfigured in place (keeping their state), {@link #added()} the
 * configurations and instances created, and {@link #removed()} the instances no longer in the properties,
 * which keep running with their last configuration.
 *
 * <pre>{@code
 * @EventListener
 * void onRefresh(FuseboxConfigurationRefreshed refreshed) {
 *   if (refreshed.isRefused()) {
 *     alert("Fusebox refused a configuration change: " + refreshed.refused());
 *   }
 * }
 * }</pre>
 */
public final class FuseboxConfigurationRefreshed extends ApplicationEvent {

  private static final long serialVersionUID = 1L;

  /** The paths of the instances reconfigured in place. */
  private final List<String> changed;
  /** The paths of the configurations and instances created. */
  private final List<String> added;
  /** The paths of the instances no longer in the properties, still running. */
  private final List<String> removed;
  /** The problems that refused the whole change. */
  private final List<String> refused;

  /**
   * Describes one refresh.
   *
   * @param source the publisher
   * @param changed the paths of the reconfigured instances, such as {@code fusebox.retry.instances.backend}
   * @param added the paths of the new configurations and instances
   * @param removed the paths of the instances gone from the properties, still running
   * @param refused the problems that refused the whole change, each naming its property path
   */
  public FuseboxConfigurationRefreshed(
      Object source, List<String> changed, List<String> added, List<String> removed, List<String> refused) {
    super(source);
    this.changed = List.copyOf(changed);
    this.added = List.copyOf(added);
    this.removed = List.copyOf(removed);
    this.refused = List.copyOf(refused);
  }

  /**
   * Returns the instances reconfigured in place.
   *
   * @return their paths, such as {@code fusebox.circuitbreaker.instances.backend}
   */
  public List<String> changed() {
    return changed;
  }

  /**
   * Returns the configurations and instances created.
   *
   * @return their paths, such as {@code fusebox.bulkhead.instances.reports}
   */
  public List<String> added() {
    return added;
  }

  /**
   * Returns the instances no longer in the properties; they keep running with their last configuration.
   *
   * @return their paths
   */
  public List<String> removed() {
    return removed;
  }

  /**
   * Returns why the change was refused, if it was.
   *
   * @return the problems, each naming its property path; empty when the change was applied
   */
  public List<String> refused() {
    return refused;
  }

  /**
   * Returns whether the change was refused, leaving everything as it was.
   *
   * @return true if {@link #refused()} is not empty
   */
  public boolean isRefused() {
    return !refused.isEmpty();
  }

  @Override
  public String toString() {
    return "FuseboxConfigurationRefreshed{changed=" + changed + ", added=" + added + ", removed=" + removed
        + ", refused=" + refused + "}";
  }
}
