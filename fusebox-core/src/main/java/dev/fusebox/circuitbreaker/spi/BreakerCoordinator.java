package dev.fusebox.circuitbreaker.spi;

/**
 * Coordinates the breakers of a registry with something outside the process, typically the other
 * instances of the same service sharing state through a store; see
 * {@link dev.fusebox.circuitbreaker.CircuitBreakerRegistry#coordinated}.
 *
 * <p>The contract keeps the call path local: the breaker decides every call by itself and consults the
 * coordinator only through the {@link TrialGate} it was given, and only for half-open trials. Everything
 * else the coordinator does (flushing counts, adopting a fleet-wide decision) happens on its own threads
 * through the {@link SharedBreakerControl}, whose operations can only make a breaker more restrictive.
 *
 * <pre>{@code
 * BreakerCoordinator coordinator = new BreakerCoordinator() {
 *   public TrialGate attach(SharedBreakerControl control) {
 *     syncLoop.track(control);
 *     return syncLoop.leasesOf(control.breaker().name());
 *   }
 *   public void detach(SharedBreakerControl control) {
 *     syncLoop.untrack(control);
 *   }
 * };
 * CircuitBreakerRegistry registry = CircuitBreakerRegistry.coordinated(config, coordinator);
 * }</pre>
 *
 * <p>Implementations must be threadsafe.
 */
public interface BreakerCoordinator {

  /**
   * Called once for every breaker the registry creates, before any caller can use it.
   *
   * @param control what the coordinator may do with that breaker
   * @return the gate the breaker consults before admitting a half-open trial
   */
  TrialGate attach(SharedBreakerControl control);

  /**
   * Called once when the registry removes a breaker; the coordinator must drop every reference to it.
   *
   * @param control the removed breaker's control, the one {@code attach} was given
   */
  void detach(SharedBreakerControl control);
}
