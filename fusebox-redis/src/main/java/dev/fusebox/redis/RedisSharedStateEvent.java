package dev.fusebox.redis;

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
        RedisSharedStateEvent.StateLost {

  /** The kinds of events. */
  enum Type {
    /** The instance switched between sharing state and running locally. */
    MODE_CHANGED,
    /** Another instance shares a breaker under the same name with a different configuration. */
    CONFIGURATION_MISMATCH,
    /** Redis no longer had a breaker's shared state: it restarted empty, or the keys were deleted. */
    STATE_LOST
  }

  /** Returns the id of the instance that published the event. */
  String instanceId();

  /** Returns when the event happened, by the wall clock. */
  Instant timestamp();

  /** Returns the kind of event. */
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
   * over to a replica that had not caught up, or the keys were deleted. The fleet starts again from
   * closed with an empty window; counts from before are not replayed, and no breaker that is open here is
   * closed by it.
   */
  record StateLost(String instanceId, Instant timestamp, String breakerName) implements RedisSharedStateEvent {
    @Override
    public Type type() {
      return Type.STATE_LOST;
    }
  }
}
