package dev.fusebox.http;

import java.util.concurrent.CancellationException;

/**
 * The two outcomes a breaker's call API has no word for, carried through {@link
 * dev.fusebox.circuitbreaker.CircuitBreaker#executeCompletionStage} in a shape it handles as wanted.
 */
final class BreakerOutcomes {

  private BreakerOutcomes() {}

  /**
   * An outcome the classifier ignores (a response or an exception), or a rejection by an inner breaker. A
   * breaker gives the permit back and records nothing for a cancelled call, which is exactly what these
   * need, so they travel as a cancellation and are unpacked for the caller.
   */
  static final class Skip extends CancellationException {
    private static final long serialVersionUID = 1L;

    /** The response or the exception the caller gets. */
    final transient Object payload;

    Skip(Object payload) {
      this.payload = payload;
    }

    @Override
    public Throwable fillInStackTrace() {
      return this;
    }
  }

  /** An exception the classifier counts as a success: a breaker records a result as a success. */
  record Thrown(Throwable error) {}
}
