package dev.fusebox.circuitbreaker.spi;

import dev.fusebox.circuitbreaker.CircuitBreaker;
import java.time.Duration;

/**
 * What a {@link BreakerCoordinator} may do to one breaker: read it, and make it more restrictive. It can
 * hold the breaker open for a while and make a closed breaker ramp up; it can never close or un-force
 * anything, it shortens an opening only into trials ({@link #halfOpen()}, after a fleet's health probe
 * succeeded), and it leaves alone the states an operator set by hand (forced open, disabled, metrics
 * only).
 *
 * <pre>{@code
 * // The fleet opened this breaker; its next trial is due in 42 s by the store's clock.
 * control.holdOpen(Duration.ofSeconds(42));
 * // The fleet closed 3 s ago: step up with everyone else.
 * control.rampFrom(Duration.ofSeconds(3));
 * }</pre>
 *
 * <p>Instances are created by the core and are threadsafe.
 */
public interface SharedBreakerControl {

  /**
   * Returns the breaker this control acts on.
   *
   * @return the breaker this control acts on
   */
  CircuitBreaker breaker();

  /**
   * Makes the breaker reject calls for at least {@code wait}: a closed or half-open breaker opens with
   * that wait, an open breaker whose next trial is due sooner waits longer. Does nothing to an open
   * breaker that already waits as long, nor to a breaker in a state set by hand.
   *
   * @param wait how long to stay open, from now
   * @return whether the breaker changed
   */
  boolean holdOpen(Duration wait);

  /**
   * Makes a closed breaker follow its recovery ramp as if it had recovered {@code elapsed} ago, unless it
   * already ramps from a later moment. Does nothing when the configuration has no ramp, when
   * {@code elapsed} is past the ramp, or when the breaker is not closed.
   *
   * @param elapsed how far into the recovery ramp the fleet already is
   * @return whether the breaker changed
   */
  boolean rampFrom(Duration elapsed);

  /**
   * Moves a breaker that opened by itself to half-open now, because the fleet ended the opening early: a
   * health probe on another instance found the dependency back ({@link TrialGate#probeSucceeded()}). The
   * only move here that lets calls through sooner, and it lets through only trials, which the breaker's
   * {@link TrialGate} bounds fleet-wide. Does nothing to a breaker in any other state, nor to one an
   * operator forced open.
   *
   * @return whether the breaker changed
   */
  boolean halfOpen();
}
