package dev.fusebox.redis;

import dev.fusebox.circuitbreaker.CircuitBreaker;
import java.time.Instant;

/**
 * Something that happened to a {@link RedisSharedState}, as opposed to one of its breakers (whose events
 * stay on the breakers). Events are records; switch over them by type:
 *
 * <pre>{@code
 * shared.onEvent(event -> {
 *   switch (event.type()) {
 *     case MODE_CHANGED -> alert((RedisSharedStateEvent.ModeChanged) event);
 *     case CONFIGURATION_MISMATCH -> log.warn(event.toString());
 *     default -> { }
 *   }
 * });
 * }</pre>
 *
 * <p>Events are published on the sync thread; a listener that throws is logged and never disturbs it. The
 * {@link #timestamp()} is wall-clock time, for display only.
 */
public sealed interface RedisSharedStateEvent
    permits RedisSharedStateEvent.ModeChanged,
        RedisSharedStateEvent.ConfigurationMismatch,
        RedisSharedStateEvent.StateLost,
        RedisSharedStateEvent.DuplicateInstanceId,
        RedisSharedStateEvent.LocalChangeOverridden,
        RedisSharedStateEvent.FleetOverrideApplied,
        RedisSharedStateEvent.FleetOverrideReleased {

  /** The kinds of events. */
  enum Type {
    /** The instance switched between sharing state and running locally. */
    MODE_CHANGED,
    /** Another instance shares a breaker under the same name with a different configuration. */
    CONFIGURATION_MISMATCH,
    /** Redis no longer had a breaker's shared state: it restarted empty, or the keys were deleted. */
    STATE_LOST,
    /** Another process run uses this instance's id. */
    DUPLICATE_INSTANCE_ID,
    /** A state set on a breaker here was overridden by the fleet's. */
    LOCAL_CHANGE_OVERRIDDEN,
    /** A fleet override now holds one of this instance's breakers. */
    FLEET_OVERRIDE_APPLIED,
    /** A fleet override that held one of this instance's breakers was released or ended. */
    FLEET_OVERRIDE_RELEASED
  }

  /**
   * Returns the id of the instance that published the event.
   *
   * @return the instance id
   */
  String instanceId();

  /**
   * Returns when the event happened, by the wall clock.
   *
   * @return the wall-clock time
   */
  Instant timestamp();

  /**
   * Returns the kind of event.
   *
   * @return the kind of event
   */
  Type type();

  /**
   * The instance switched mode.
   *
   * @param from the mode left
   * @param to the mode entered
   * @param reason why, for people: the error that made Redis unusable, or that it answered again
   */
  record ModeChanged(
      String instanceId, Instant timestamp, RedisSharedState.Mode from, RedisSharedState.Mode to, String reason)
      implements RedisSharedStateEvent {
    @Override
    public Type type() {
      return Type.MODE_CHANGED;
    }
  }

  /**
   * Another instance shares the breaker {@code breakerName} with a different configuration. Each instance
   * then evaluates the fleet with its own thresholds, so decisions depend on which instance flushed last:
   * align the configurations. Published once per breaker and other configuration.
   *
   * @param fingerprint this instance's configuration fingerprint for the breaker
   * @param otherInstanceId the instance whose fingerprint Redis holds
   * @param otherFingerprint that fingerprint
   */
  record ConfigurationMismatch(
      String instanceId,
      Instant timestamp,
      String breakerName,
      String fingerprint,
      String otherInstanceId,
      String otherFingerprint)
      implements RedisSharedStateEvent {
    @Override
    public Type type() {
      return Type.CONFIGURATION_MISMATCH;
    }
  }

  /**
   * Redis answered for {@code breakerName} without the state it had before: it restarted empty, failed
   * over to a replica that had not caught up, or the keys were deleted. Counts from before are not
   * replayed; the fleet's state comes back from the instances' views (an opening keeps its remaining time,
   * a half-open stay its leases), so the loss never lowers the fleet's protection.
   */
  record StateLost(String instanceId, Instant timestamp, String breakerName) implements RedisSharedStateEvent {
    @Override
    public Type type() {
      return Type.STATE_LOST;
    }
  }

  /**
   * Another process run flushes under this instance's id: two processes (or two {@link RedisSharedState}s)
   * were given the same {@code instanceId}. Both still count, as counts merge per process run, but the
   * id no longer names one process in logs and dashboards: give each its own (or leave the default).
   * Published once per other run, within two sync periods of both running.
   *
   * @param otherRun the other process run's random id
   */
  record DuplicateInstanceId(String instanceId, Instant timestamp, String otherRun)
      implements RedisSharedStateEvent {
    @Override
    public Type type() {
      return Type.DUPLICATE_INSTANCE_ID;
    }
  }

  /**
   * A state set on breaker {@code breakerName} here, by hand or by its own window, was overridden by the
   * fleet's state: for instance {@code transitionToClosedState()} while the fleet is open, which the next
   * reply re-opens, or any move while a {@link FleetOverride} holds the breaker, which puts it back in
   * the override's state at once. The fleet's state wins on every instance; change it for the fleet, not on
   * one instance.
   *
   * @param localState the state the breaker was moved to here
   * @param fleetState the fleet's state that overrode it: {@code OPEN}, or the override's
   *     {@code FORCED_OPEN} or {@code DISABLED}
   */
  record LocalChangeOverridden(
      String instanceId,
      Instant timestamp,
      String breakerName,
      CircuitBreaker.State localState,
      CircuitBreaker.State fleetState)
      implements RedisSharedStateEvent {
    @Override
    public Type type() {
      return Type.LOCAL_CHANGE_OVERRIDDEN;
    }
  }

  /**
   * A fleet override, set through {@link FleetControl} on this or any other instance, now holds this
   * instance's breaker {@code override.breaker()}: the audit record of who set it, when and why.
   *
   * @param override the override applied
   */
  record FleetOverrideApplied(String instanceId, Instant timestamp, FleetOverride override)
      implements RedisSharedStateEvent {
    @Override
    public Type type() {
      return Type.FLEET_OVERRIDE_APPLIED;
    }
  }

  /**
   * A fleet override no longer holds this instance's breaker, which follows the fleet's automatic state
   * again.
   *
   * @param override the override that ended
   * @param releasedBy the instance the release came from, or empty when the override reached its end
   * @param reason the reason given with the release, or {@code "it expired"}
   */
  record FleetOverrideReleased(
      String instanceId, Instant timestamp, FleetOverride override, String releasedBy, String reason)
      implements RedisSharedStateEvent {
    @Override
    public Type type() {
      return Type.FLEET_OVERRIDE_RELEASED;
    }
  }
}
