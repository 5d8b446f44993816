package dev.fusebox.observability;

import dev.fusebox.circuitbreaker.CircuitBreaker;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The health of a registry's circuit breakers at one moment, taken by {@link CircuitBreakerHealth#check()}:
 * an overall {@link Status}, and for every breaker its state, since when, until when, and its ramp.
 *
 * <p>The overall status is the worst of the breakers' statuses, {@link Status#UP} for an empty registry:
 * <ul>
 *   <li>{@link Status#UP}: closed and not ramping, disabled, or metrics-only;</li>
 *   <li>{@link Status#DEGRADED}: open, forced open, half-open, or closed and still ramping up after a
 *       recovery; the application works, without that dependency or with part of it;</li>
 *   <li>{@link Status#DOWN}: open or forced open, and marked critical when the health check was built.</li>
 * </ul>
 *
 * <pre>{@code
 * HealthReport report = health.check();
 * if (report.status() != HealthReport.Status.UP) {
 *   for (HealthReport.BreakerHealth b : report.inState(State.OPEN, State.FORCED_OPEN)) {
 *     log.warn(b.name() + " open since " + b.since() + ", next trial at " + b.nextTrialAt());
 *   }
 * }
 * }</pre>
 *
 * @param status the overall status
 * @param checkedAt when the check was made, by the health check's wall clock
 * @param breakers every breaker, sorted by name; an unmodifiable list
 */
public record HealthReport(Status status, Instant checkedAt, List<BreakerHealth> breakers) {

  /** How healthy a breaker, or a whole registry, is. Declared from best to worst. */
  public enum Status {
    /** Every call may go through. */
    UP,
    /** Some calls are rejected, or a dependency is being tried again after a failure. */
    DEGRADED,
    /** A dependency marked critical is cut off. */
    DOWN
  }

  /**
   * Checks the components and makes the list unmodifiable.
   *
   * @param status the overall status
   * @param checkedAt when the check was made, by the health check's wall clock
   * @param breakers every breaker, sorted by name; an unmodifiable list
   */
  public HealthReport {
    Objects.requireNonNull(status, "status must not be null");
    Objects.requireNonNull(checkedAt, "checkedAt must not be null");
    breakers = List.copyOf(breakers);
  }

  /**
   * Returns the breakers grouped by state; every state is a key, with an empty list if no breaker is in it.
   *
   * @return the breakers grouped by state; every state is a key, with an empty list if no breaker is in it
   */
  public Map<CircuitBreaker.State, List<BreakerHealth>> byState() {
    EnumMap<CircuitBreaker.State, List<BreakerHealth>> grouped = new EnumMap<>(CircuitBreaker.State.class);
    for (CircuitBreaker.State state : CircuitBreaker.State.values()) {
      grouped.put(state, inState(state));
    }
    return Collections.unmodifiableMap(grouped);
  }

  /**
   * Returns the breakers in any of these states, sorted by name.
   *
   * @param first a state to look for
   * @param more further states to look for
   * @return the breakers in any of these states, sorted by name
   */
  public List<BreakerHealth> inState(CircuitBreaker.State first, CircuitBreaker.State... more) {
    List<BreakerHealth> result = new ArrayList<>();
    for (BreakerHealth breaker : breakers) {
      if (breaker.state == first || contains(more, breaker.state)) {
        result.add(breaker);
      }
    }
    return List.copyOf(result);
  }

  /**
   * Returns the closed breakers still ramping up after a recovery, sorted by name.
   *
   * @return the closed breakers still ramping up after a recovery, sorted by name
   */
  public List<BreakerHealth> ramping() {
    return breakers.stream().filter(BreakerHealth::ramping).toList();
  }

  /**
   * Returns the breakers whose status is not {@link Status#UP}, sorted by name.
   *
   * @return the breakers whose status is not {@link Status#UP}, sorted by name
   */
  public List<BreakerHealth> unhealthy() {
    return breakers.stream().filter(b -> b.status != Status.UP).toList();
  }

  private static boolean contains(CircuitBreaker.State[] states, CircuitBreaker.State state) {
    for (CircuitBreaker.State s : states) {
      if (s == state) {
        return true;
      }
    }
    return false;
  }

  /**
   * One breaker's health.
   *
   * @param name the breaker's name
   * @param state its state when checked
   * @param status what that state means for health, {@code critical} taken into account
   * @param critical whether the health check counts this breaker as critical
   * @param since when the breaker entered its state: the check's time minus {@code timeInState}, for display
   * @param timeInState how long the breaker had been in its state ({@link CircuitBreaker.Metrics#timeInState()})
   * @param nextTrialAt while {@link CircuitBreaker.State#OPEN}, when the next trial call may run (the check's
   *     time plus {@link CircuitBreaker.Metrics#nextTrialIn()}, for display; the check's time itself once the
   *     wait is over and the breaker awaits a call); {@code null} in every other state, forced open included,
   *     which has no trial
   * @param rampPercentage the share of calls admitted, in percent: 10, 25 or 50 while ramping, else 100
   * @param failureRate the failure rate in percent, or -1 below the minimum number of calls
   * @param slowCallRate the slow-call rate in percent, or -1 below the minimum number of calls
   */
  public record BreakerHealth(
      String name,
      CircuitBreaker.State state,
      Status status,
      boolean critical,
      Instant since,
      Duration timeInState,
      Instant nextTrialAt,
      double rampPercentage,
      double failureRate,
      double slowCallRate) {

    /**
     * Checks the components; only {@code nextTrialAt} may be null.
     *
     * @param name the breaker's name
     * @param state its state when checked
     * @param status what that state means for health, {@code critical} taken into account
     * @param critical whether the health check counts this breaker as critical
     * @param since when the breaker entered its state: the check's time minus {@code timeInState}, for
     *     display
     * @param timeInState how long the breaker had been in its state ({@link
     *     CircuitBreaker.Metrics#timeInState()})
     * @param nextTrialAt while {@link CircuitBreaker.State#OPEN}, when the next trial call may run (the
     *     check's time plus {@link CircuitBreaker.Metrics#nextTrialIn()}, for display; the check's time
     *     itself once the wait is over and the breaker awaits a call); {@code null} in every other state,
     *     forced open included, which has no trial
     * @param rampPercentage the share of calls admitted, in percent: 10, 25 or 50 while ramping, else 100
     * @param failureRate the failure rate in percent, or -1 below the minimum number of calls
     * @param slowCallRate the slow-call rate in percent, or -1 below the minimum number of calls
     */
    public BreakerHealth {
      Objects.requireNonNull(name, "name must not be null");
      Objects.requireNonNull(state, "state must not be null");
      Objects.requireNonNull(status, "status must not be null");
      Objects.requireNonNull(since, "since must not be null");
      Objects.requireNonNull(timeInState, "timeInState must not be null");
    }

    /**
     * Returns whether the breaker is closed but admits only part of the calls, after a recovery.
     *
     * @return whether the breaker is closed but admits only part of the calls, after a recovery
     */
    public boolean ramping() {
      return state == CircuitBreaker.State.CLOSED && rampPercentage < 100;
    }
  }
}
