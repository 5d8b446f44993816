package dev.fusebox.circuitbreaker;

/**
 * One stay of a breaker in one state: an immutable identity plus that stay's own counters.
 *
 * <p>Design note. The breaker holds its current {@code Stay} in one volatile field and moves it
 * by CAS, so a transition is a single atomic step and every stay is a distinct object. A call keeps the
 * object that admitted it and reports its outcome to that object: a result arriving after a transition
 * lands in a stay that is no longer current, where it can change no decision (any transition it triggers
 * fails its CAS). This is the "permit carries its generation" rule without a generation number. The stay
 * is also the {@link CircuitBreaker.Permit} that {@link CircuitBreaker#tryAcquirePermit()} hands out, so the
 * manual API gets the same rule without allocating a permit per call.
 */
abstract sealed class Stay implements CircuitBreaker.Permit
    permits ClosedStay, OpenStay, HalfOpenStay, ManualStay {

  /** The breaker of this stay: where a permit's outcome is recorded. */
  final CircuitBreakerImpl breaker;
  /**
   * The configuration this stay was built under. A call is timed and classified by the configuration of the
   * stay that admitted it, and a stay decides by its own; a reconfiguration is a move to a stay built under
   * the new one.
   */
  final CompiledConfig s;
  final CircuitBreaker.State state;
  final long enteredAt;
  /** Whether every call is admitted without any work: closed without ramp, disabled, metrics only. */
  final boolean admitsAll;
  /**
   * The stay the breaker moved to from this one, set once by the thread whose CAS left this stay, cleared
   * once that move has been announced: the chain {@link BreakerEvents} delivers in CAS order.
   */
  volatile Stay next;
  /** What the move into this stay announces; written before the stay is linked, run once by the drainer. */
  Runnable announcement;
  /**
   * The stay of the same state that took this one's data over (its window, its trials), set once that move
   * succeeded: the end of a ramp, a metrics-only announcement, a reconfiguration. Outcomes of calls this stay
   * admitted follow the link, so such a move is no transition for the calls in flight; a stay left by a real
   * transition has none, and its late outcomes change nothing.
   */
  volatile Stay adopter;

  Stay(CircuitBreakerImpl breaker, CompiledConfig s, CircuitBreaker.State state, long enteredAt, boolean admitsAll) {
    this.breaker = breaker;
    this.s = s;
    this.state = state;
    this.enteredAt = enteredAt;
    this.admitsAll = admitsAll;
  }

  /** Returns the stay that now holds this one's data: this one, or the last of its adopters. */
  final Stay live() {
    Stay live = this;
    for (Stay next = adopter; next != null; next = next.adopter) {
      live = next;
    }
    return live;
  }

  /**
   * Returns the same stay, with the same data, built under {@code config}: what a reconfiguration moves to.
   * Called only on the current stay; the result is adopted through {@link CircuitBreakerImpl#adopt}.
   */
  abstract Stay reconfigured(CompiledConfig config, long now);

  /** Returns the window figures that {@link CircuitBreaker#metrics()} shows for this stay. */
  abstract WindowCounts counts(long now);

  /** Returns the minimum number of calls below which this stay's rates are reported as -1. */
  abstract int minimumCalls();

  /** Returns the backoff level: how many openings in a row preceded this stay without a full recovery. */
  abstract int level(long now);

  @Override
  public final void release() {
    breaker.callPath().release(this);
  }

  @Override
  public final void onSuccess(long durationNanos) {
    breaker.callPath().reportedSuccess(this, durationNanos);
  }

  @Override
  public final void onResult(long durationNanos, Object result) {
    breaker.callPath().reportedResult(this, durationNanos, result);
  }

  @Override
  public final void onError(long durationNanos, Throwable error) {
    java.util.Objects.requireNonNull(error, "error must not be null");
    breaker.callPath().reportedError(this, durationNanos, error);
  }
}
