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
 * trial nor frees a slot. All of these live in {@link Trials}, which a reconfigured copy of the stay shares.
 */
final class HalfOpenStay extends Stay {

  /**
   * The trials of one half-open stay: its permits and their outcomes. A reconfigured copy of the stay shares
   * them, so that the trials in flight count for it and no more than {@link #permitted} are ever out.
   */
  static final class Trials {

    private static final VarHandle ISSUED;
    private static final VarHandle COMPLETED;
    private static final VarHandle FAILED;
    private static final VarHandle SLOW;
    private static final VarHandle SLOW_FAILED;
    private static final VarHandle ANONYMOUS;

    static {
      try {
        MethodHandles.Lookup lookup = MethodHandles.lookup();
        ISSUED = lookup.findVarHandle(Trials.class, "issued", int.class);
        COMPLETED = lookup.findVarHandle(Trials.class, "completed", int.class);
        FAILED = lookup.findVarHandle(Trials.class, "failed", int.class);
        SLOW = lookup.findVarHandle(Trials.class, "slow", int.class);
        SLOW_FAILED = lookup.findVarHandle(Trials.class, "slowFailed", int.class);
        ANONYMOUS = lookup.findVarHandle(Trials.class, "anonymous", int.class);
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }

    final int permitted;
    private volatile int issued;
    private volatile int completed;
    private volatile int failed;
    private volatile int slow;
    private volatile int slowFailed;
    /** Trials admitted through the anonymous manual API that have not reported yet. */
    private volatile int anonymous;

    Trials(int permitted, int preIssued) {
      this.permitted = permitted;
      this.issued = preIssued;
    }
  }

  final int permitted;
  /** Whether the stay has a deadline: {@link CircuitBreakerConfig#maxWaitDurationInHalfOpenState()} is set. */
  final boolean limited;
  /** When a stay that has not decided re-opens, if {@link #limited}; compared by the sign of a difference. */
  final long deadline;
  private final int level;
  final CallNotPermittedException rejection;
  final Trials trials;

  HalfOpenStay(CircuitBreakerImpl breaker, CompiledConfig s, long now, int level, int preIssued) {
    this(
        breaker,
        s,
        now,
        s.maxHalfOpenNanos != 0,
        now + s.maxHalfOpenNanos,
        level,
        new Trials(s.config.permittedNumberOfCallsInHalfOpenState(), preIssued));
  }

  private HalfOpenStay(
      CircuitBreakerImpl breaker, CompiledConfig s, long now, boolean limited, long deadline, int level, Trials trials) {
    super(breaker, s, CircuitBreaker.State.HALF_OPEN, now, false);
    this.permitted = trials.permitted;
    this.limited = limited;
    this.deadline = deadline;
    this.level = level;
    this.trials = trials;
    this.rejection =
        new CallNotPermittedException(
            breaker.name(),
            CircuitBreaker.State.HALF_OPEN,
            "is HALF_OPEN and all its trial calls are taken",
            null,
            0);
  }

  /**
   * The same stay under new options: the same trials (and so the same number of them), deadline and level;
   * its verdict is taken with the new thresholds.
   */
  @Override
  HalfOpenStay reconfigured(CompiledConfig config, long now) {
    return new HalfOpenStay(breaker, config, enteredAt, limited, deadline, level, trials);
  }

  /** Takes a trial permit if one is left. */
  boolean tryIssue() {
    int n = trials.issued;
    while (n < permitted) {
      int witness = (int) Trials.ISSUED.compareAndExchange(trials, n, n + 1);
      if (witness == n) {
        return true;
      }
      n = witness;
    }
    return false;
  }

  /** Gives back a permit whose call reported nothing. */
  void releaseTrial() {
    int n = trials.issued;
    while (n > 0) {
      int witness = (int) Trials.ISSUED.compareAndExchange(trials, n, n - 1);
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
      Trials.FAILED.getAndAdd(trials, 1);
    }
    if ((outcome & Window.SLOW) != 0) {
      Trials.SLOW.getAndAdd(trials, 1);
    }
    if (outcome == Window.SLOW_FAILED) {
      Trials.SLOW_FAILED.getAndAdd(trials, 1);
    }
    return (int) Trials.COMPLETED.getAndAdd(trials, 1) + 1 == permitted;
  }

  int issued() {
    return trials.issued;
  }

  /** Notes a trial admitted through the anonymous manual API, whose report will not say whose it is. */
  void admittedAnonymously() {
    Trials.ANONYMOUS.getAndAdd(trials, 1);
  }

  /**
   * Takes one outstanding anonymous trial, for an anonymous report; false when none is outstanding, in which
   * case the report cannot be one of this stay's trials.
   */
  boolean takeAnonymous() {
    int n = trials.anonymous;
    while (n > 0) {
      int witness = (int) Trials.ANONYMOUS.compareAndExchange(trials, n, n - 1);
      if (witness == n) {
        return true;
      }
      n = witness;
    }
    return false;
  }

  @Override
  WindowCounts counts(long now) {
    return new WindowCounts(Math.min(trials.completed, permitted), trials.failed, trials.slow, trials.slowFailed);
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
