package dev.fusebox.redis;

import dev.fusebox.circuitbreaker.CircuitBreaker;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A state an operator set on one breaker for the whole fleet through {@link FleetControl}: every instance's
 * breaker of that name reports {@link #state()} until the override is released or, if it has one, until
 * {@link #until()}.
 *
 * <pre>{@code
 * FleetOverride o = shared.fleet().forceOpen("payments", Duration.ofMinutes(30), "INC-4711: provider down");
 * log.info("{} forced open by {} since {}, until {}", o.breaker(), o.by(), o.since(), o.until().orElseThrow());
 * }</pre>
 *
 * @param breaker the breaker's name
 * @param state {@link CircuitBreaker.State#FORCED_OPEN} or {@link CircuitBreaker.State#DISABLED}
 * @param reason why, as the operator wrote it
 * @param by the id of the instance the override was set from
 * @param since when it was set, by Redis's clock
 * @param until when it ends by itself, by Redis's clock; empty when it lasts until released
 */
public record FleetOverride(
    String breaker, CircuitBreaker.State state, String reason, String by, Instant since, Optional<Instant> until) {

  /**
   * Checks the components; the state must be one an override can set.
   *
   * @param breaker the breaker's name
   * @param state FORCED_OPEN or DISABLED
   * @param reason why
   * @param by the instance it was set from
   * @param since when it was set
   * @param until when it ends, or empty
   */
  public FleetOverride {
    Objects.requireNonNull(breaker, "breaker must not be null");
    Objects.requireNonNull(state, "state must not be null");
    Objects.requireNonNull(reason, "reason must not be null");
    Objects.requireNonNull(by, "by must not be null");
    Objects.requireNonNull(since, "since must not be null");
    Objects.requireNonNull(until, "until must not be null");
    if (state != CircuitBreaker.State.FORCED_OPEN && state != CircuitBreaker.State.DISABLED) {
      throw new IllegalArgumentException("state must be FORCED_OPEN or DISABLED, not " + state);
    }
  }
}
