package dev.fusebox.circuitbreaker;

import java.time.Duration;
import java.time.Instant;

/**
 * Something that happened to a circuit breaker. Events are records; switch over them by type:
 *
 * <pre>{@code
 * breaker.onEvent(event -> {
 *   switch (event.type()) {
 *     case STATE_TRANSITION -> alert((StateTransition) event);
 *     case NOT_PERMITTED -> rejected.increment();
 *     default -> { }
 *   }
 * });
 * }</pre>
 *
 * <p>The {@link #timestamp()} is wall-clock time, for display only: every decision of a breaker is taken on
 * its {@link dev.fusebox.Ticker}.
 */
public sealed interface CircuitBreakerEvent
    permits CircuitBreakerEvent.Success,
        CircuitBreakerEvent.Failure,
        CircuitBreakerEvent.IgnoredError,
        CircuitBreakerEvent.NotPermitted,
        CircuitBreakerEvent.Reset,
        CircuitBreakerEvent.FailureRateExceeded,
        CircuitBreakerEvent.SlowCallRateExceeded,
        CircuitBreakerEvent.Probe,
        CircuitBreakerEvent.ConfigurationChanged,
        CircuitBreakerEvent.DeployModeChanged,
        StateTransition {

  /** The kinds of events, named as Resilience4j names them. */
  enum Type {
    /** A call succeeded. */
    SUCCESS,
    /** A call failed: an exception or a result recorded as failure. */
    ERROR,
    /** A call threw an exception that the configuration ignores. */
    IGNORED_ERROR,
    /** A call was rejected. */
    NOT_PERMITTED,
    /** The breaker changed state. */
    STATE_TRANSITION,
    /** The breaker was reset. */
    RESET,
    /** The failure rate reached its threshold. */
    FAILURE_RATE_EXCEEDED,
    /** The slow-call rate reached its threshold. */
    SLOW_CALL_RATE_EXCEEDED,
    /** A health probe finished. */
    PROBE,
    /** The breaker was {@linkplain CircuitBreaker#reconfigure reconfigured}. */
    CONFIGURATION_CHANGED,
    /** The breaker entered or left {@linkplain CircuitBreaker#startDeployMode deploy mode}. */
    DEPLOY_MODE_CHANGED
  }

  /**
   * Returns the name of the breaker.
   *
   * @return the name of the breaker
   */
  String breakerName();

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
   * A call succeeded.
   *
   * @param elapsed how long the call took; zero when the breaker does not time calls
   * @param slow whether it exceeded the slow-call threshold
   */
  record Success(String breakerName, Instant timestamp, Duration elapsed, boolean slow)
      implements CircuitBreakerEvent {
    @Override
    public Type type() {
      return Type.SUCCESS;
    }
  }

  /**
   * A call failed.
   *
   * @param elapsed how long the call took; zero when the breaker does not time calls
   * @param slow whether it exceeded the slow-call threshold
   * @param error the exception, or {@code null} when a result was recorded as a failure
   */
  record Failure(String breakerName, Instant timestamp, Duration elapsed, boolean slow, Throwable error)
      implements CircuitBreakerEvent {
    @Override
    public Type type() {
      return Type.ERROR;
    }
  }

  /**
   * A call threw an exception that the configuration ignores; it was not recorded.
   *
   * @param error the ignored exception
   */
  record IgnoredError(String breakerName, Instant timestamp, Duration elapsed, Throwable error)
      implements CircuitBreakerEvent {
    @Override
    public Type type() {
      return Type.IGNORED_ERROR;
    }
  }

  /**
   * A call was rejected.
   *
   * @param state the state that rejected it
   */
  record NotPermitted(String breakerName, Instant timestamp, CircuitBreaker.State state)
      implements CircuitBreakerEvent {
    @Override
    public Type type() {
      return Type.NOT_PERMITTED;
    }
  }

  /** The breaker was reset to closed with empty metrics. */
  record Reset(String breakerName, Instant timestamp) implements CircuitBreakerEvent {
    @Override
    public Type type() {
      return Type.RESET;
    }
  }

  /**
   * The failure rate reached its threshold; published just before the transition it causes.
   *
   * @param failureRate the rate, in percent
   */
  record FailureRateExceeded(String breakerName, Instant timestamp, double failureRate)
      implements CircuitBreakerEvent {
    @Override
    public Type type() {
      return Type.FAILURE_RATE_EXCEEDED;
    }
  }

  /**
   * The slow-call rate reached its threshold; published just before the transition it causes.
   *
   * @param slowCallRate the rate, in percent
   */
  record SlowCallRateExceeded(String breakerName, Instant timestamp, double slowCallRate)
      implements CircuitBreakerEvent {
    @Override
    public Type type() {
      return Type.SLOW_CALL_RATE_EXCEEDED;
    }
  }

  /**
   * A {@linkplain HealthProbe health probe} finished.
   *
   * @param state the state the probe ran in: OPEN, or CLOSED when probes may open the breaker
   * @param succeeded whether the check succeeded
   * @param elapsed how long it took, by the breaker's ticker
   * @param error what the check threw, a {@code TimeoutException} when it ran out of time, or {@code null}
   */
  record Probe(
      String breakerName, Instant timestamp, CircuitBreaker.State state, boolean succeeded, Duration elapsed,
      Throwable error)
      implements CircuitBreakerEvent {
    @Override
    public Type type() {
      return Type.PROBE;
    }
  }

  /**
   * The breaker was {@linkplain CircuitBreaker#reconfigure reconfigured}; it kept its state.
   *
   * <pre>{@code
   * breaker.onEvent(Set.of(CircuitBreakerEvent.Type.CONFIGURATION_CHANGED), event -> {
   *   var change = (CircuitBreakerEvent.ConfigurationChanged) event;
   *   audit(change.previous().failureRateThreshold(), change.current().failureRateThreshold());
   * });
   * }</pre>
   *
   * @param previous the configuration before the change
   * @param current the configuration after it, which {@link CircuitBreaker#config()} now returns
   */
  record ConfigurationChanged(
      String breakerName, Instant timestamp, CircuitBreakerConfig previous, CircuitBreakerConfig current)
      implements CircuitBreakerEvent {
    @Override
    public Type type() {
      return Type.CONFIGURATION_CHANGED;
    }
  }

  /**
   * The breaker entered or left {@linkplain CircuitBreaker#startDeployMode(Duration) deploy mode}: on
   * {@code startDeployMode}, on {@code endDeployMode}, and when its duration ran out (told by the first
   * failure or query that finds it over).
   *
   * <pre>{@code
   * breaker.onEvent(Set.of(CircuitBreakerEvent.Type.DEPLOY_MODE_CHANGED), event ->
   *     log.info("{} deploy mode {}", event.breakerName(),
   *         ((CircuitBreakerEvent.DeployModeChanged) event).active() ? "on" : "off"));
   * }</pre>
   *
   * @param active whether deploy mode is now on
   * @param duration how long it was started for; {@link Duration#ZERO} when it ends
   */
  record DeployModeChanged(String breakerName, Instant timestamp, boolean active, Duration duration)
      implements CircuitBreakerEvent {
    @Override
    public Type type() {
      return Type.DEPLOY_MODE_CHANGED;
    }
  }
}
