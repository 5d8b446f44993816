/**
 * Fusebox core: the circuit breaker, the other policies and their pipeline. No dependencies beyond the JDK.
 *
 * <p>Every exported package is public API; {@code dev.fusebox.internal} is exported only to the modules
 * that share its helpers (the one virtual-thread check), never to applications.
 */
module dev.fusebox.core {
  exports dev.fusebox;
  exports dev.fusebox.circuitbreaker;
  exports dev.fusebox.bulkhead;
  exports dev.fusebox.chaos;
  exports dev.fusebox.circuitbreaker.spi;
  exports dev.fusebox.fallback;
  exports dev.fusebox.observability;
  exports dev.fusebox.pipeline;
  exports dev.fusebox.ratelimiter;
  exports dev.fusebox.retry;
  exports dev.fusebox.testing;
  exports dev.fusebox.throttle;
  exports dev.fusebox.timelimiter;
  exports dev.fusebox.internal to
      dev.fusebox.dashboard;
}
