package dev.fusebox.circuitbreaker;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A stay in {@link CircuitBreaker.State#CLOSED}: the window, the streak of consecutive failures, and, right
 * after a recovery, the ramp that admits a growing share of calls.
 *
 * <p>While ramping, admission is decided by one shared counter: in a stage that admits one call in
 * {@code period}, call {@code n} is admitted when {@code n % period == 0}. The share is therefore exact over
 * any run of calls, with no randomness. Once the ramp's span has passed, the breaker swaps this stay for a
 * plain one {@link #withoutRamp sharing the same window}, so the fast path is free of the ramp again.
 */
final class ClosedStay extends Stay {

  private static final VarHandle RAMP_CALLS;
  private static final VarHandle EVALUATE_NEXT;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      RAMP_CALLS = lookup.findVarHandle(ClosedStay.class, "rampCalls", long.class);
      EVALUATE_NEXT = lookup.findVarHandle(ClosedStay.class, "evaluateNext", boolean.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  final Window window;
  /** Openings in a row before this stay; forgiven once the ramp has run its course. */
  private final int level;
  /** Whether this stay ramps; {@link #rampStart} means nothing otherwise (any long is a valid reading). */
  private final boolean ramping;
  final long rampStart;
  final CallNotPermittedException rampRejection;
  private volatile long rampCalls;
  /**
   * Whether the next recorded outcome must evaluate the window, whatever it is: set in a stay that took a
   * window over under new thresholds, which a success could already reach. Only read on the way through.
   */
  private volatile boolean evaluateNext;

  private ClosedStay(
      CircuitBreakerImpl breaker,
      CompiledConfig s,
      Window window,
      long enteredAt,
      int level,
      boolean ramping,
      long rampStart,
      CallNotPermittedException rampRejection,
      boolean evaluateNext) {
    super(breaker, s, CircuitBreaker.State.CLOSED, enteredAt, !ramping);
    this.window = window;
    this.level = level;
    this.ramping = ramping;
    this.rampStart = rampStart;
    this.rampRejection = rampRejection;
    this.evaluateNext = evaluateNext;
  }

  /** A closed stay with a fresh window and no ramp: the backoff starts again from its base. */
  static ClosedStay fresh(CircuitBreakerImpl breaker, CompiledConfig s, long now) {
    return new ClosedStay(breaker, s, Window.create(s.config, now), now, 0, false, 0, null, false);
  }

  /** A closed stay after a recovery: ramps up if configured, and keeps the backoff level until it has. */
  static ClosedStay recovered(CircuitBreakerImpl breaker, CompiledConfig s, long now, int level) {
    if (s.rampNanos == 0) {
      return fresh(breaker, s, now);
    }
    return new ClosedStay(
        breaker, s, Window.create(s.config, now), now, level, true, now, rampRejection(breaker), false);
  }

  /**
   * The same stay ramping as if it had recovered at {@code rampStart}: same window (and so the same failure
   * streak) and level. A coordinator uses it to make instances step up together after their fleet recovered.
   */
  ClosedStay rampingFrom(CircuitBreakerImpl breaker, long rampStart) {
    return new ClosedStay(
        breaker,
        s,
        window,
        enteredAt,
        level,
        true,
        rampStart,
        rampRejection != null ? rampRejection : rampRejection(breaker),
        evaluateNext);
  }

  private static CallNotPermittedException rampRejection(CircuitBreakerImpl breaker) {
    return new CallNotPermittedException(
        breaker.name(),
        CircuitBreaker.State.CLOSED,
        "is recovering and admits only part of the calls",
        null,
        0);
  }

  /**
   * The same stay once the ramp is over: same window (and so the same failure streak), full admission,
   * backoff forgiven. Calls the ramping stay admitted keep reporting to it, into the same window and streak,
   * so the end of a ramp is not a transition for them.
   */
  ClosedStay withoutRamp() {
    return new ClosedStay(breaker, s, window, enteredAt, 0, false, 0, null, evaluateNext);
  }

  /**
   * The same stay under new options: the window kept as far as the new one holds it, same entry, level and
   * ramp; the new thresholds apply from the next recorded outcome on.
   */
  @Override
  ClosedStay reconfigured(CompiledConfig config, long now) {
    return new ClosedStay(
        breaker, config, window.reshaped(config.config, now), enteredAt, level, ramping, rampStart, rampRejection, true);
  }

  /** Whether the outcome being recorded must evaluate the window; true for one outcome after a change. */
  boolean takeEvaluation() {
    return evaluateNext && EVALUATE_NEXT.compareAndSet(this, true, false);
  }

  boolean ramping() {
    return ramping;
  }

  /** Returns the ramp's admission period at {@code now}: 10, 4 or 2, or 1 once the ramp is over. */
  static int rampPeriod(long elapsed, long rampNanos) {
    if (elapsed >= rampNanos) {
      return 1;
    }
    long third = rampNanos / 3;
    return elapsed < third ? 10 : elapsed < rampNanos - third ? 4 : 2;
  }

  /** Takes the next ramp ticket; returns whether that call is within the share of the given period. */
  boolean admitRampCall(int period) {
    long n = (long) RAMP_CALLS.getAndAdd(this, 1L);
    return n % period == 0;
  }

  @Override
  WindowCounts counts(long now) {
    return window.snapshot(now);
  }

  @Override
  int minimumCalls() {
    return window.minimumCalls;
  }

  /**
   * The level of this stay at {@code now}: forgiven once the ramp has run its course, even before a call
   * swapped in the ramp-less copy, so that every move out of this stay (a trip, a manual opening, forcing
   * open, a manual half-open) starts the backoff from the same level.
   */
  @Override
  int level(long now) {
    return ramping && now - rampStart < s.rampNanos ? level : 0;
  }
}
