package dev.fusebox.circuitbreaker;

/**
 * One stay of a breaker in one state: an immutable identity plus that stay's own counters.
 *
 * <p>Design note. The breaker holds its current {@code Stay} in one volatile field and moves it
 * by CAS, so a transition is a single atomic step and every stay is a distinct object. A call keeps the
 * object that admitted it and reports its outcome to that object: a result arriving after a transition
 * lands in a stay that is no longer current, where it can change no decision (any transition it triggers
 * fails its CAS). This is the "permit carries its generation" rule without a generation number.
 */
abstract sealed class Stay permits ClosedStay, OpenStay, HalfOpenStay, ManualStay {

  final CircuitBreaker.State state;
  final long enteredAt;
  /** Whether every call is admitted without any work: closed without ramp, disabled, metrics only. */
  final boolean admitsAll;

  Stay(CircuitBreaker.State state, long enteredAt, boolean admitsAll) {
    this.state = state;
    this.enteredAt = enteredAt;
    this.admitsAll = admitsAll;
  }

  /** Returns the window figures that {@link CircuitBreaker#metrics()} shows for this stay. */
  abstract WindowCounts counts(long now);

  /** Returns the minimum number of calls below which this stay's rates are reported as -1. */
  abstract int minimumCalls();

  /** Returns the backoff level: how many openings in a row preceded this stay without a full recovery. */
  abstract int level(long now);
}
