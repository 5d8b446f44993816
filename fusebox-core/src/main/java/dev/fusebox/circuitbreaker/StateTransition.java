package dev.fusebox.circuitbreaker;

import java.time.Instant;

/**
 * A circuit breaker moved from one state to another.
 *
 * <pre>{@code
 * breaker.onStateTransition(t -> {
 *   if (t.to() == CircuitBreaker.State.OPEN) {
 *     pager.alert(t.breakerName() + " opened, was " + t.from());
 *   }
 * });
 * }</pre>
 *
 * @param breakerName the breaker's name
 * @param timestamp when it happened, by the wall clock (for display)
 * @param from the state left
 * @param to the state entered; equal to {@code from} when a state was re-entered by hand
 */
public record StateTransition(
    String breakerName, Instant timestamp, CircuitBreaker.State from, CircuitBreaker.State to)
    implements CircuitBreakerEvent {

  @Override
  public Type type() {
    return Type.STATE_TRANSITION;
  }

  @Override
  public String toString() {
    return "StateTransition[" + breakerName + ": " + from + " -> " + to + " at " + timestamp + "]";
  }
}
