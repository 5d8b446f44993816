package dev.fusebox.throttle;

import java.time.Instant;

/**
 * Something that happened to an {@link AdaptiveThrottle}: one event per request, by how it ended. Events
 * are records; switch over them by type:
 *
 * <pre>{@code
 * throttle.onEvent(EnumSet.of(AdaptiveThrottleEvent.Type.REJECTED), event -> {
 *   double p = ((AdaptiveThrottleEvent.Rejected) event).rejectionProbability();
 *   log.debug("shed a call to search at p = {}", p);
 * });
 * }</pre>
 *
 * <p>Events are built only while somebody listens to their type, and are delivered on the thread that
 * caused them. The {@link #timestamp()} is wall-clock time, for display only: the window runs on the
 * configured {@link dev.fusebox.Ticker}.
 */
public sealed interface AdaptiveThrottleEvent
    permits AdaptiveThrottleEvent.Accepted,
        AdaptiveThrottleEvent.NotAccepted,
        AdaptiveThrottleEvent.Ignored,
        AdaptiveThrottleEvent.Rejected {

  /** The kinds of events. */
  enum Type {
    /** The dependency accepted a request: it counts as a request and an accept. */
    ACCEPTED,
    /** The dependency did not accept a request: it counts as a request only. */
    NOT_ACCEPTED,
    /** A call's outcome was ignored: it counts for nothing. */
    IGNORED,
    /** The throttle rejected a request locally: it counts as a request only. */
    REJECTED
  }

  /**
   * Returns the name of the throttle.
   *
   * @return the name of the throttle
   */
  String name();

  /**
   * Returns when the event happened, by the wall clock.
   *
   * @return when the event happened, by the wall clock
   */
  Instant timestamp();

  /**
   * Returns the kind of event.
   *
   * @return the kind of event
   */
  Type type();

  /** The dependency accepted a request. */
  record Accepted(String name, Instant timestamp) implements AdaptiveThrottleEvent {
    @Override
    public Type type() {
      return Type.ACCEPTED;
    }
  }

  /**
   * The dependency did not accept a request, as the configuration's record rules say.
   *
   * @param error the exception, or {@code null} when a result was recorded as a failure
   */
  record NotAccepted(String name, Instant timestamp, Throwable error) implements AdaptiveThrottleEvent {
    @Override
    public Type type() {
      return Type.NOT_ACCEPTED;
    }
  }

  /**
   * A call threw an exception that counts for nothing: one the configuration ignores, a cancellation, or
   * the rejection of a policy inside the throttle.
   *
   * @param error the exception
   */
  record Ignored(String name, Instant timestamp, Throwable error) implements AdaptiveThrottleEvent {
    @Override
    public Type type() {
      return Type.IGNORED;
    }
  }

  /**
   * The throttle rejected a request locally.
   *
   * @param rejectionProbability the probability it was rejected with
   */
  record Rejected(String name, Instant timestamp, double rejectionProbability) implements AdaptiveThrottleEvent {
    @Override
    public Type type() {
      return Type.REJECTED;
    }
  }
}
