package dev.fusebox.ratelimiter;

import java.time.Duration;
import java.time.Instant;

/**
 * Something that happened to a {@link RateLimiter}. Events are records; switch over them by type:
 *
 * <pre>{@code
 * limiter.onEvent(event -> {
 *   switch (event.type()) {
 *     case FAILED_ACQUIRE -> throttled.increment();
 *     case SUCCESSFUL_ACQUIRE -> waited.record(((RateLimiterEvent.SuccessfulAcquire) event).waited());
 *     default -> { }
 *   }
 * });
 * }</pre>
 *
 * <p>Events are built only while somebody listens and are delivered on the thread that caused them. The
 * {@link #timestamp()} is wall-clock time, for display only: every decision is taken on the configured
 * {@link dev.fusebox.Ticker}.
 */
public sealed interface RateLimiterEvent
    permits RateLimiterEvent.SuccessfulAcquire,
        RateLimiterEvent.FailedAcquire,
        RateLimiterEvent.Drained,
        RateLimiterEvent.LimitChanged,
        RateLimiterEvent.ConfigurationChanged {

  /** The kinds of events, named as Resilience4j names them where it has them. */
  enum Type {
    /** Permits were granted. */
    SUCCESSFUL_ACQUIRE,
    /** A request was refused, or gave up waiting because it was interrupted. */
    FAILED_ACQUIRE,
    /** The available permits were drained. */
    DRAINED,
    /** {@code limitForPeriod} was changed at run time. */
    LIMIT_CHANGED,
    /** The limiter was {@linkplain RateLimiter#reconfigure reconfigured}. */
    CONFIGURATION_CHANGED
  }

  /**
   * Returns the name of the limiter.
   *
   * @return the name of the limiter
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
   * Permits were granted.
   *
   * @param permits how many
   * @param waited how long the caller waited for them (zero when they were available at once)
   */
  record SuccessfulAcquire(String name, Instant timestamp, int permits, Duration waited) implements RateLimiterEvent {
    @Override
    public Type type() {
      return Type.SUCCESSFUL_ACQUIRE;
    }
  }

  /**
   * A request for permits was refused: they would not have been due within its timeout, or its caller was
   * interrupted while waiting.
   *
   * @param permits how many were asked for
   */
  record FailedAcquire(String name, Instant timestamp, int permits) implements RateLimiterEvent {
    @Override
    public Type type() {
      return Type.FAILED_ACQUIRE;
    }
  }

  /**
   * The permits available at that moment were taken away by {@link RateLimiter#drainPermissions()}.
   *
   * @param permits how many were drained
   */
  record Drained(String name, Instant timestamp, long permits) implements RateLimiterEvent {
    @Override
    public Type type() {
      return Type.DRAINED;
    }
  }

  /**
   * {@link RateLimiter#changeLimitForPeriod(int)} changed the limit.
   *
   * @param oldLimit the limit before
   * @param newLimit the limit now in force
   */
  record LimitChanged(String name, Instant timestamp, int oldLimit, int newLimit) implements RateLimiterEvent {
    @Override
    public Type type() {
      return Type.LIMIT_CHANGED;
    }
  }

  /**
   * The limiter was {@linkplain RateLimiter#reconfigure reconfigured}.
   *
   * @param previous the configuration before the change
   * @param current the configuration now in force
   */
  record ConfigurationChanged(String name, Instant timestamp, RateLimiterConfig previous, RateLimiterConfig current)
      implements RateLimiterEvent {
    @Override
    public Type type() {
      return Type.CONFIGURATION_CHANGED;
    }
  }
}
