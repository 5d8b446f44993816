package dev.fusebox.fallback;

import java.time.Duration;
import java.time.Instant;

/**
 * Something a {@link Fallback} did instead of handing back the call's own answer. A call that succeeds, or
 * whose failure the fallback does not handle, publishes nothing.
 *
 * <pre>{@code
 * prices.onEvent(event -> {
 *   if (event instanceof FallbackEvent.StaleValueServed stale) {
 *     staleServed.increment();
 *     log.debug("served price of {} aged {}", stale.key(), stale.age());
 *   }
 * });
 * }</pre>
 *
 * <p>The {@link #timestamp()} is wall-clock time, for display only.
 */
public sealed interface FallbackEvent
    permits FallbackEvent.FallbackUsed,
        FallbackEvent.StaleValueServed,
        FallbackEvent.CacheMiss,
        FallbackEvent.FallbackFailed {

  /** The kinds of events. */
  enum Type {
    /** The configured alternative answered instead of the call. */
    FALLBACK_USED,
    /** The last-known-good cache answered with an earlier value of the call. */
    CACHE_HIT_STALE,
    /** The last-known-good cache had no value young enough for the key. */
    CACHE_MISS,
    /** The alternative threw; its exception reached the caller, the call's failure attached. */
    FALLBACK_FAILED
  }

  /**
   * Returns the name of the fallback.
   *
   * @return the name of the fallback
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

  /**
   * The configured alternative answered instead of the call.
   *
   * @param cause the call's exception, or a {@link RejectedResultException}
   */
  record FallbackUsed(String name, Instant timestamp, Throwable cause) implements FallbackEvent {
    @Override
    public Type type() {
      return Type.FALLBACK_USED;
    }
  }

  /**
   * The last-known-good cache answered with an earlier value of the call.
   *
   * @param key the call's cache key
   * @param age how old the served value is
   * @param cause the call's exception, or a {@link RejectedResultException}
   */
  record StaleValueServed(String name, Instant timestamp, Object key, Duration age, Throwable cause)
      implements FallbackEvent {
    @Override
    public Type type() {
      return Type.CACHE_HIT_STALE;
    }
  }

  /**
   * The last-known-good cache had no value for the key, or none younger than its maximum age.
   *
   * @param key the call's cache key
   * @param cause the call's exception, or a {@link RejectedResultException}
   */
  record CacheMiss(String name, Instant timestamp, Object key, Throwable cause) implements FallbackEvent {
    @Override
    public Type type() {
      return Type.CACHE_MISS;
    }
  }

  /**
   * The alternative threw.
   *
   * @param cause the call's exception, or a {@link RejectedResultException}
   * @param failure the alternative's exception, handed to the caller
   */
  record FallbackFailed(String name, Instant timestamp, Throwable cause, Throwable failure)
      implements FallbackEvent {
    @Override
    public Type type() {
      return Type.FALLBACK_FAILED;
    }
  }
}
