/**
 * Fusebox for Project Reactor: an operator per policy, applied with {@code transformDeferred}, for
 * {@code Mono} and {@code Flux} alike. See {@link dev.fusebox.reactor.CircuitBreakerOperator}.
 */
module dev.fusebox.reactor {
  requires transitive dev.fusebox.core;
  requires transitive reactor.core;
  requires transitive org.reactivestreams;

  exports dev.fusebox.reactor;
}
