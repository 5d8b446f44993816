package dev.fusebox.circuitbreaker;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One stretch of {@linkplain CircuitBreaker#startDeployMode deploy mode}: when it ends, by the breaker's
 * ticker, and the failures a closed breaker has seen in it since its last opening.
 *
 * <p>It is read only when a closed breaker records a failure, so a breaker outside deploy mode pays one
 * volatile read of a null on its failure path and nothing on its success path.
 */
final class DeployMode {

  private static final VarHandle FAILURES;

  static {
    try {
      FAILURES = MethodHandles.lookup().findVarHandle(DeployMode.class, "failures", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** When deploy mode ends, compared by the sign of a difference so that it holds across the ticker's wrap. */
  final long until;
  private volatile int failures;

  DeployMode(long until) {
    this.until = until;
  }

  boolean over(long now) {
    return now - until >= 0;
  }

  /** Counts a failure; returns how many there were since deploy mode began or the breaker last opened. */
  int failed() {
    return (int) FAILURES.getAndAdd(this, 1) + 1;
  }

  /** Starts the count again: the breaker opened, and closing again deserves the same sensitivity. */
  void opened() {
    if (failures != 0) {
      failures = 0;
    }
  }
}
