package dev.fusebox.circuitbreaker;

import dev.fusebox.circuitbreaker.spi.SharedBreakerControl;
import dev.fusebox.internal.Nanos;
import java.time.Duration;
import java.util.Objects;

/** The core's side of {@link SharedBreakerControl}: forwards to the breaker's restrictive operations. */
final class SharedControl implements SharedBreakerControl {

  private final CircuitBreakerImpl breaker;

  SharedControl(CircuitBreakerImpl breaker) {
    this.breaker = breaker;
  }

  @Override
  public CircuitBreaker breaker() {
    return breaker;
  }

  @Override
  public boolean holdOpen(Duration wait) {
    Objects.requireNonNull(wait, "wait must not be null");
    if (wait.isNegative() || wait.isZero()) {
      return false;
    }
    return breaker.holdOpen(Nanos.saturated(wait));
  }

  @Override
  public boolean rampFrom(Duration elapsed) {
    Objects.requireNonNull(elapsed, "elapsed must not be null");
    return breaker.rampFrom(Nanos.saturated(elapsed));
  }

  @Override
  public boolean halfOpen() {
    return breaker.halfOpenForFleet();
  }

  @Override
  public String toString() {
    return "SharedBreakerControl[" + breaker.name() + "]";
  }
}
