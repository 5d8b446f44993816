package dev.fusebox.timelimiter;

import java.time.Instant;

/**
 * Something that happened to a call made through a {@link TimeLimiter}: each call publishes exactly one
 * event, and only while somebody listens.
 *
 * <pre>{@code
 * limiter.onEvent(event -> {
 *   if (event instanceof TimeLimiterEvent.Timeout t) {
 *     log.warn("{} timed out", t.name());
 *   }
 * });
 * }</pre>
 *
 * <p>The {@link #timestamp()} is wall-clock time, for display only.
 */
public sealed interface TimeLimiterEvent
    permits TimeLimiterEvent.Success,
        TimeLimiterEvent.Failure,
        TimeLimiterEvent.Timeout,
        TimeLimiterEvent.ConfigurationChanged {

  /** The kinds of events, named as Resilience4j names them. */
  enum Type {
    /** The call finished in time with a result. */
    SUCCESS,
    /** The call finished in time with an exception. */
    ERROR,
    /** The call did not finish in time. */
    TIMEOUT,
    /** The time limiter was {@linkplain TimeLimiter#reconfigure reconfigured}. */
    CONFIGURATION_CHANGED
  }

  /**
   * Returns the name of the time limiter.
   *
   * @return the name of the time limiter
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

  /** The call finished in time with a result. */
  record Success(String name, Instant timestamp) implements TimeLimiterEvent {
    @Override
    public Type type() {
      return Type.SUCCESS;
    }
  }

  /**
   * The call finished in time with an exception.
   *
   * @param error the call's exception, handed to the caller unchanged
   */
  record Failure(String name, Instant timestamp, Throwable error) implements TimeLimiterEvent {
    @Override
    public Type type() {
      return Type.ERROR;
    }
  }

  /**
   * The call did not finish in time; the caller got a {@link java.util.concurrent.TimeoutException}.
   *
   * @param cancelled whether the running call was cancelled (and a blocking one interrupted)
   */
  record Timeout(String name, Instant timestamp, boolean cancelled) implements TimeLimiterEvent {
    @Override
    public Type type() {
      return Type.TIMEOUT;
    }
  }

  /**
   * The time limiter was {@linkplain TimeLimiter#reconfigure reconfigured}; calls already running keep the
   * timeout they started with.
   *
   * @param previous the configuration before the change
   * @param current the configuration the next calls run by
   */
  record ConfigurationChanged(String name, Instant timestamp, TimeLimiterConfig previous, TimeLimiterConfig current)
      implements TimeLimiterEvent {
    @Override
    public Type type() {
      return Type.CONFIGURATION_CHANGED;
    }
  }
}
