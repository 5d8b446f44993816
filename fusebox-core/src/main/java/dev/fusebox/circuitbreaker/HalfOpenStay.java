package dev.fusebox.circuitbreaker;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A stay in {@link CircuitBreaker.State#HALF_OPEN}: the trial permits and the trials' outcomes.
 *
 * <p>Design note. {@code issued} only grows by CAS while below {@code permitted}, and only shrinks when a
 * permit is given back unused, so at no moment are more than {@code permitted} trials in flight. Outcomes
 * are counted into {@code failed}/{@code slow} before {@code completed}; the one thread whose increment
 * brings {@code completed} to {@code permitted} decides, and by then it sees every trial's counts, since
 * each was added before that trial's own (earlier, totally ordered) increment of {@code completed}.
 *
 * <p>{@code anonymous} counts the trials admitted through the anonymous manual API that have not reported:
 * an anonymous report can only be taken for one of this stay's trials while that count is positive, so a
 * report left over from an earlier stay, arriving while no anonymous trial is out, neither counts as a
 * trial nor frees a slot.
 */
final class HalfOpenStay extends Stay {

  private static final VarHandle ISSUED;
  private static final VarHandle COMPLETED;
  private static final VarHandle FAILED;
  private static final VarHandle SLOW;
  private static final VarHandle SLOW_FAILED;
  private static final VarHandle ANONYMOUS;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      ISSUED = lookup.findVarHandle(HalfOpenStay.class, "issued", int.class);
      COMPLETED = lookup.findVarHandle(HalfOpenStay.class, "completed", int.class);
      FAILED = lookup.findVarHandle(HalfOpenStay.class, "failed", int.class);
      SLOW = lookup.findVarHandle(HalfOpenStay.class, "slow", int.class);
      SLOW_FAILED = lookup.findVarHandle(HalfOpenStay.class, "slowFailed", int.class);
      ANONYMOUS = lookup.findVarHandle(HalfOpenStay.class, "anonymous", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  final int permitted;
  /** Whether the stay has a deadline: {@link CircuitBreakerConfig#maxWaitDurationInHalfOpenState()} is set. */
  final boolean limited;
  /** When a stay that has not decided re-opens, if {@link #limited}; compared by the sign of a difference. */
  final long deadline;
  private final int level;
  final CallNotPermittedException rejection;
  private volatile int issued;
  private volatile int completed;
  private volatile int failed;
  private volatile int slow;
  private volatile int slowFailed;
  /** Trials admitted through the anonymous manual API that have not reported yet. */
  private volatile int anonymous;

  HalfOpenStay(CircuitBreakerImpl breaker, long now, int level, int preIssued) {
    super(breaker, CircuitBreaker.State.HALF_OPEN, now, false);
    this.permitted = breaker.config().permittedNumberOfCallsInHalfOpenState();
    long maxWait = breaker.maxHalfOpenNanos;
    this.limited = maxWait != 0;
    this.deadline = now + maxWait;
    this.level = level;
    this.issued = preIssued;
    this.rejection =
        new CallNotPermittedException(
            breaker.name(),
            CircuitBreaker.State.HALF_OPEN,
            "is HALF_OPEN and all its trial calls are taken",
            null,
            0);
  }

  /** Takes a trial permit if one is left. */
  boolean tryIssue() {
    int n = issued;
    while (n < permitted) {
      int witness = (int) ISSUED.compareAndExchange(this, n, n + 1);
      if (witness == n) {
        return true;
      }
      n = witness;
    }
    return false;
  }

  /** Gives back a permit whose call reported nothing. */
  void releaseTrial() {
    int n = issued;
    while (n > 0) {
      int witness = (int) ISSUED.compareAndExchange(this, n, n - 1);
      if (witness == n) {
        return;
      }
      n = witness;
    }
  }

  /**
   * Counts a trial's outcome.
   *
   * @return whether this was the last trial, so that the caller must decide
   */
  boolean record(int outcome) {
    if ((outcome & Window.FAILED) != 0) {
      FAILED.getAndAdd(this, 1);
    }
    if ((outcome & Window.SLOW) != 0) {
      SLOW.getAndAdd(this, 1);
    }
    if (outcome == Window.SLOW_FAILED) {
      SLOW_FAILED.getAndAdd(this, 1);
    }
    return (int) COMPLETED.getAndAdd(this, 1) + 1 == permitted;
  }

  int issued() {
    return issued;
  }

  /** Notes a trial admitted through the anonymous manual API, whose report will not say whose it is. */
  void admittedAnonymously() {
    ANONYMOUS.getAndAdd(this, 1);
  }

  /**
   * Takes one outstanding anonymous trial, for an anonymous report; false when none is outstanding, in which
   * case the report cannot be one of this stay's trials.
   */
  boolean takeAnonymous() {
    int n = anonymous;
    while (n > 0) {
      int witness = (int) ANONYMOUS.compareAndExchange(this, n, n - 1);
      if (witness == n) {
        return true;
      }
      n = witness;
    }
    return false;
  }

  @Override
  WindowCounts counts(long now) {
    return new WindowCounts(Math.min(completed, permitted), failed, slow, slowFailed);
  }

  @Override
  int minimumCalls() {
    return permitted;
  }

  @Override
  int level(long now) {
    return level;
  }
}
