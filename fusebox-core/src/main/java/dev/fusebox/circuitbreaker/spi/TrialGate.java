package dev.fusebox.circuitbreaker.spi;

/**
 * Consulted by a coordinated breaker on the calling thread, after it has taken one of its own half-open
 * permits and before it admits the trial: a fleet of instances can so keep its total number of trials
 * within the configured number, not instances times that number.
 *
 * <p>Every trial that {@link #tryAcquireTrial()} admitted ends with exactly one call of {@link #releaseTrial()}
 * or {@link #trialFinished}, also when it ends after the breaker left that half-open stay (the stay re-opened
 * at its maximum wait, an operator moved the breaker): its lease was taken and must come back. Which
 * episode of the fleet a late trial belongs to only the gate can tell; the breaker never calls either method
 * for a trial it did not admit through the gate (an anonymous {@code releasePermission()} of a call admitted
 * while closed, for instance).
 *
 * <p>Every method runs on a calling thread: it must be non-blocking and O(1) (an atomic counter of leases
 * the coordinator obtained ahead of time, say), and must not throw.
 *
 * <pre>{@code
 * final class Leases implements TrialGate {
 *   final AtomicInteger granted = new AtomicInteger();   // refilled by the sync thread
 *   public boolean tryAcquireTrial() { return granted.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0; }
 *   public void releaseTrial() { granted.incrementAndGet(); }
 *   public void trialFinished(boolean failed, boolean slow) { report(failed, slow); }
 * }
 * }</pre>
 */
public interface TrialGate {

  /** The gate of an uncoordinated breaker: every trial the breaker itself allows may run. */
  TrialGate UNLIMITED =
      new TrialGate() {
        @Override
        public boolean tryAcquireTrial() {
          return true;
        }

        @Override
        public void releaseTrial() {}

        @Override
        public void trialFinished(boolean failed, boolean slow) {}

        @Override
        public String toString() {
          return "TrialGate.UNLIMITED";
        }
      };

  /**
   * Returns whether one more trial may run; when true, the trial counts against the shared limit.
   *
   * @return whether one more trial may run; when true, the trial counts against the shared limit
   */
  boolean tryAcquireTrial();

  /** Gives back a trial that ran without an outcome (an ignored exception, a cancellation). */
  void releaseTrial();

  /**
   * Reports the outcome of a trial admitted through this gate.
   *
   * @param failed whether the trial call failed
   * @param slow whether the trial call was slower than the slow-call threshold
   */
  void trialFinished(boolean failed, boolean slow);

  /**
   * Returns whether this instance runs the breaker's {@linkplain dev.fusebox.circuitbreaker.HealthProbe
   * health probe} while it is open. A fleet lets one instance probe for all, so that a hundred instances do
   * not ping a recovering dependency a hundred times per interval. Asked on the probe's scheduler before
   * every probe of an opening; a probe passed over is not counted. By default, and for an uncoordinated
   * breaker, true.
   *
   * @return whether to run the next probe here
   */
  default boolean probes() {
    return true;
  }

  /**
   * Says that a health probe run on this instance succeeded while the breaker was open; the breaker has
   * moved to half-open. A fleet ends its opening for every instance, whose trials then go through this gate
   * as usual. Called on the probe's thread; must not block or throw.
   */
  default void probeSucceeded() {}
}
