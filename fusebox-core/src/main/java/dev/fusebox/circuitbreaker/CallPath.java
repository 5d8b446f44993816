package dev.fusebox.circuitbreaker;

import dev.fusebox.circuitbreaker.CircuitBreaker.State;
import dev.fusebox.circuitbreaker.spi.TrialGate;
import dev.fusebox.internal.Nanos;
import dev.fusebox.internal.Outcomes;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A breaker's call path: admitting a call, timing it, and recording its outcome in the stay that admitted
 * it.
 *
 * <p>Design note. Admission reads the breaker's state once; a stay that admits everything (closed without
 * ramp, disabled, metrics-only) is the permit itself, and everything else goes through {@link #admit},
 * which returns either the admitting stay or the stay's prebuilt rejection, so the boolean and
 * asynchronous APIs need no try/catch. The clock is read only as the features in use need: at the start
 * for slow-call detection, at the end for slow-call detection or a time window. Recording counts the call
 * in {@link CallCounters}, publishes it if someone wants the event, and hands it to the admitting stay;
 * only that stay's rules (a window, a trial count) can then decide a transition, through
 * {@link Transitions}.
 */
final class CallPath {

  private final CircuitBreakerImpl breaker;
  /**
   * Consulted before admitting a half-open trial. Set once by a coordinating registry before the breaker
   * is published (a {@link java.util.concurrent.ConcurrentHashMap} insert, which is a safe publication),
   * so a plain field suffices.
   */
  private TrialGate gate = TrialGate.UNLIMITED;

  CallPath(CircuitBreakerImpl breaker) {
    this.breaker = breaker;
  }

  TrialGate gate() {
    return gate;
  }

  void coordinate(TrialGate trialGate) {
    this.gate = Objects.requireNonNull(trialGate, "the coordinator's trial gate must not be null");
  }

  // ---------------------------------------------------------------------------------------------------
  // Admission

  /** Returns the stay that admits the call, or throws the rejection. */
  Stay acquireOrThrow() {
    Stay current = breaker.stay();
    if (current.admitsAll) {
      return current;
    }
    Object admission = admit(current);
    if (admission instanceof Stay permit) {
      return permit;
    }
    throw (CallNotPermittedException) admission;
  }

  /**
   * Decides a call in a stay that does not admit everything.
   *
   * @return the {@link Stay} that admitted the call, or the {@link CallNotPermittedException} that
   *     rejects it
   */
  Object admit(Stay current) {
    // The rejection of an open breaker still waiting is the one hot case here; it stays small enough for C2
    // to inline into the caller (the whole decision is over FreqInlineSize and would be a real call).
    if (current.state == CircuitBreaker.State.OPEN) {
      OpenStay open = (OpenStay) current;
      if (breaker.ticker.nanos() - open.nextTrialAt < 0) {
        return reject(open, open.rejection);
      }
    }
    return decide(current);
  }

  private Object decide(Stay current) {
    for (;;) {
      switch (current.state) {
        case OPEN -> {
          OpenStay open = (OpenStay) current;
          long now = breaker.ticker.nanos();
          if (now - open.nextTrialAt < 0) {
            return reject(open, open.rejection);
          }
          HalfOpenStay halfOpen = breaker.transitions.tryHalfOpen(open, now);
          if (halfOpen != null) {
            if (gate.tryAcquireTrial()) {
              return halfOpen;
            }
            halfOpen.releaseTrial();
            return reject(halfOpen, halfOpen.rejection);
          }
        }
        case HALF_OPEN -> {
          HalfOpenStay halfOpen = (HalfOpenStay) current;
          if (halfOpen.limited) {
            long now = breaker.ticker.nanos();
            if (now - halfOpen.deadline >= 0) {
              if (halfOpen.s.closeAfterMaxWait) {
                breaker.transitions.closeAfterMaxWait(halfOpen, now);
              } else {
                breaker.transitions.reopen(halfOpen, now, halfOpen.counts(now), false, false);
              }
              current = breaker.stay();
              continue;
            }
          }
          if (halfOpen.tryIssue()) {
            if (gate.tryAcquireTrial()) {
              return halfOpen;
            }
            halfOpen.releaseTrial();
          }
          return reject(halfOpen, halfOpen.rejection);
        }
        case CLOSED -> {
          ClosedStay closed = (ClosedStay) current;
          if (!closed.ramping()) {
            return closed;
          }
          int period = ClosedStay.rampPeriod(breaker.ticker.nanos() - closed.rampStart, closed.s.rampNanos);
          if (period > 1) {
            return closed.admitRampCall(period) ? closed : reject(closed, closed.rampRejection);
          }
          ClosedStay plain = closed.withoutRamp();
          if (breaker.adopt(closed, plain, null)) {
            return plain;
          }
        }
        case FORCED_OPEN -> {
          ManualStay forced = (ManualStay) current;
          return reject(forced, forced.rejection);
        }
        default -> {
          return current;
        }
      }
      current = breaker.stay();
    }
  }

  private CallNotPermittedException reject(Stay current, CallNotPermittedException rejection) {
    breaker.counters.rejected();
    // As in Resilience4j, a breaker forced open by hand counts its rejections but publishes no event for
    // each: the operator knows, and a listener would otherwise hear every call of an outage they caused.
    if (current.state != State.FORCED_OPEN) {
      breaker.events.notPermitted(current.state);
    }
    return rejection;
  }

  /** Notes that {@code permit} was handed out through the anonymous manual API. */
  void admittedAnonymously(Stay permit) {
    if (permit instanceof HalfOpenStay halfOpen) {
      halfOpen.admittedAnonymously();
    }
  }

  /**
   * The stay an anonymous report goes to: the current one, except a half-open stay without an outstanding
   * anonymous trial, which the report cannot belong to (null: it counts in the totals only). This is as far
   * as a report that does not say whose it is can be placed; see {@link CircuitBreaker#tryAcquirePermission()}.
   */
  private Stay anonymousTarget() {
    Stay current = breaker.stay();
    return current instanceof HalfOpenStay halfOpen && !halfOpen.takeAnonymous() ? null : current;
  }

  /** Gives back a permission of the anonymous manual API. */
  void releaseAnonymous() {
    Stay target = anonymousTarget();
    if (target != null) {
      release(target);
    }
  }

  /** Gives back a permit whose call reported nothing (an ignored exception, a cancellation). */
  void release(Stay permit) {
    if (permit instanceof HalfOpenStay halfOpen) {
      halfOpen.releaseTrial();
      gate.releaseTrial();
    }
  }

  // ---------------------------------------------------------------------------------------------------
  // Outcomes

  /** Reads the clock at a call's start if the configuration of the stay that admitted it times calls. */
  long startTime(Stay permit) {
    return permit.s.slowDetection ? breaker.ticker.nanos() : 0L;
  }

  private long endTime(CompiledConfig s) {
    return s.slowDetection || s.timeWindow ? breaker.ticker.nanos() : 0L;
  }

  /** The configuration an anonymous report is classified by: its stay's, or the current one's. */
  private CompiledConfig optionsOf(Stay target) {
    return target != null ? target.s : breaker.stay().s;
  }

  /** Records a call that returned {@code result}, timed from {@code start}. */
  void returned(Stay permit, long start, Object result) {
    if (permit.state != State.DISABLED) {
      long end = endTime(permit.s);
      completeWithResult(permit.s, permit, end, end - start, result);
    }
  }

  /** Records a call that threw {@code error}, timed from {@code start}. */
  void threw(Stay permit, long start, Throwable error) {
    if (permit.state != State.DISABLED) {
      long end = endTime(permit.s);
      completeWithError(permit.s, permit, end, end - start, error);
    }
  }

  /** Records a success reported through the anonymous manual API, to the stay it can belong to. */
  void succeeded(long duration) {
    Stay target = anonymousTarget();
    if (target == null || target.state != State.DISABLED) {
      CompiledConfig s = optionsOf(target);
      record(s, target, isSlow(s, duration) ? Window.SLOW : Window.SUCCESS, endTime(s), duration, null);
    }
  }

  /** Records a result reported through the anonymous manual API, to the stay it can belong to. */
  void returned(long duration, Object result) {
    Stay target = anonymousTarget();
    if (target == null || target.state != State.DISABLED) {
      CompiledConfig s = optionsOf(target);
      completeWithResult(s, target, endTime(s), duration, result);
    }
  }

  /** Records an exception reported through the anonymous manual API, to the stay it can belong to. */
  void threw(long duration, Throwable error) {
    Stay target = anonymousTarget();
    if (target == null || target.state != State.DISABLED) {
      CompiledConfig s = optionsOf(target);
      completeWithError(s, target, endTime(s), duration, error);
    }
  }

  /** Records a success reported through a {@link CircuitBreaker.Permit}, to the stay that issued it. */
  void reportedSuccess(Stay permit, long duration) {
    if (permit.state != State.DISABLED) {
      CompiledConfig s = permit.s;
      record(s, permit, isSlow(s, duration) ? Window.SLOW : Window.SUCCESS, endTime(s), duration, null);
    }
  }

  /** Records a result reported through a {@link CircuitBreaker.Permit}, to the stay that issued it. */
  void reportedResult(Stay permit, long duration, Object result) {
    if (permit.state != State.DISABLED) {
      completeWithResult(permit.s, permit, endTime(permit.s), duration, result);
    }
  }

  /** Records an exception reported through a {@link CircuitBreaker.Permit}, to the stay that issued it. */
  void reportedError(Stay permit, long duration, Throwable error) {
    if (permit.state != State.DISABLED) {
      completeWithError(permit.s, permit, endTime(permit.s), duration, error);
    }
  }

  private boolean isSlow(CompiledConfig s, long duration) {
    return s.slowDetection && duration > breaker.slowNanos(s);
  }

  /**
   * Records a call that returned {@code result}. A {@code recordResult} rule that throws counts the call as
   * a failure (it could not say the result was fine) and its exception reaches the caller in place of the
   * result.
   */
  private void completeWithResult(CompiledConfig s, Stay permit, long end, long duration, Object result) {
    int slow = isSlow(s, duration) ? Window.SLOW : 0;
    boolean failed;
    try {
      // A call without a result (a Runnable, a null, a CompletionStage<Void>) is a success: the rule never
      // sees null, as in Resilience4j, so a rule like r -> r.equals("failure") is safe.
      failed = result != null && s.recordResult != null && s.recordResult.test(result);
    } catch (Throwable ruleFailure) {
      record(s, permit, Window.FAILED | slow, end, duration, ruleFailure);
      throw Outcomes.rethrow(ruleFailure);
    }
    Throwable ruleFailure = record(s, permit, (failed ? Window.FAILED : Window.SUCCESS) | slow, end, duration, null, result);
    if (ruleFailure != null) {
      throw Outcomes.rethrow(ruleFailure);
    }
  }

  /**
   * Asks {@code tripWhen} about an outcome just recorded in {@code permit}'s stay, and opens that stay for as
   * long as it says; returns the rule's exception if it threw, for the caller. {@code asked} is the call's
   * result or its exception (the other is null), or null for a call without a result: not asked then.
   */
  private Throwable askTripWhen(CompiledConfig s, Stay permit, Object asked) {
    if (s.tripWhen == null
        || asked == null
        || permit == null
        || (permit.state != State.CLOSED && permit.state != State.HALF_OPEN)) {
      return null;
    }
    Object result = asked instanceof Throwable ? null : asked;
    Throwable error = asked instanceof Throwable t ? t : null;
    Optional<Duration> wait;
    try {
      wait = s.tripWhen.apply(result, error);
    } catch (Throwable ruleFailure) {
      return ruleFailure;
    }
    if (wait != null && wait.isPresent() && !wait.get().isNegative() && !wait.get().isZero()) {
      breaker.transitions.tripFor(permit, Nanos.saturated(wait.get()));
    }
    return null;
  }

  /**
   * Records a call that threw {@code error}. An exception rule that throws counts the call as a failure,
   * and the caller still gets its own exception, with the rule's attached as suppressed (once, and at most
   * {@link Outcomes#MAX_SUPPRESSED} in all, since the same instance may come back call after call).
   */
  private void completeWithError(CompiledConfig s, Stay permit, long end, long duration, Throwable error) {
    // Design note. This method applies the Classifier's rules itself, and so is over C2's FreqInlineSize
    // (325 bytes of bytecode), which C2 never inlines however hot: the failure path is compiled apart, and
    // executeSupplier and its siblings stay under InlineSmallCode, small enough for C2 to inline them into
    // the caller. A caught failure is then rethrown to the caller's own handler in the same compiled frame,
    // a jump, rather than unwound through the runtime: 82 ns became 24 ns (FailurePathBenchmark, issue 15).
    // CallPathShapeTest keeps the size over the limit.
    // A CompletionException or ExecutionException only relays its cause: the cause is what is classified and
    // published, as in Resilience4j, while the caller gets back what it threw.
    Throwable cause = Outcomes.unwrap(error);
    int kind;
    try {
      Classifier rules = s.classifier;
      if (Classifier.matches(rules.ignore, cause)
          || (rules.ignorePredicate != null && rules.ignorePredicate.test(cause))) {
        kind = Classifier.IGNORED;
      } else if (cause instanceof Error) {
        kind = Classifier.matches(rules.record, cause)
                || (rules.recordPredicate != null && rules.recordPredicate.test(cause))
            ? Classifier.FAILURE
            : Classifier.IGNORED;
      } else if (rules.recordsEverything
          || Classifier.matches(rules.record, cause)
          || (rules.recordPredicate != null && rules.recordPredicate.test(cause))) {
        kind = Classifier.FAILURE;
      } else {
        kind = Classifier.SUCCESS;
      }
    } catch (Throwable ruleFailure) {
      kind = Classifier.FAILURE;
      if (ruleFailure instanceof VirtualMachineError vme) {
        record(s, permit, Window.FAILED | (isSlow(s, duration) ? Window.SLOW : 0), end, duration, cause);
        throw vme;
      }
      Outcomes.addSuppressed(error, ruleFailure, Outcomes.MAX_SUPPRESSED);
    }
    if (kind == Classifier.IGNORED) {
      breaker.counters.ignored();
      release(permit);
      breaker.events.ignored(s.slowDetection && duration > 0 ? Duration.ofNanos(duration) : Duration.ZERO, cause);
      return;
    }
    int outcome = (kind == Classifier.FAILURE ? Window.FAILED : Window.SUCCESS) | (isSlow(s, duration) ? Window.SLOW : 0);
    Throwable ruleFailure = record(s, permit, outcome, end, duration, kind == Classifier.FAILURE ? cause : null, cause);
    if (ruleFailure instanceof VirtualMachineError vme) {
      throw vme;
    }
    if (ruleFailure != null) {
      Outcomes.addSuppressed(error, ruleFailure, Outcomes.MAX_SUPPRESSED);
    }
  }

  /**
   * Records an outcome in the permit's stay, publishes it, then takes the decision it made due. Counting
   * comes first and deciding runs in a {@code finally}: a listener that throws, even a
   * {@link StackOverflowError} that {@link dev.fusebox.internal.Listeners} lets through, can neither lose
   * the outcome nor strand a decision (a half-open stay waiting forever for its last trial), and listeners
   * still see an outcome before the transition it causes.
   */
  private void record(CompiledConfig s, Stay permit, int outcome, long end, long duration, Throwable error) {
    record(s, permit, outcome, end, duration, error, null);
  }

  /**
   * {@link #record(Stay, int, long, long, Throwable)}, and asks {@code tripWhen} about {@code asked} (the
   * call's result or exception) before the outcome's own decision, so that a trial whose answer says how
   * long to wait opens for that long rather than for the backoff's wait. Returns the rule's exception.
   */
  private Throwable record(
      CompiledConfig s, Stay permit, int outcome, long end, long duration, Throwable error, Object asked) {
    breaker.counters.recorded(outcome, s.slowDetection ? duration : 0);
    if (s.baseline && permit != null && permit.state == State.CLOSED) {
      LatencyBaseline latency = breaker.baseline;
      if (latency != null) {
        latency.add(s, duration, end);
      }
    }
    // A stay replaced by one of the same state that took its data over (a reconfiguration, the end of a ramp)
    // hands the outcome on: that move is no transition for the calls it admitted.
    Stay live = permit == null || permit.adopter == null ? permit : permit.live();
    int due = tally(live, outcome, end);
    Throwable ruleFailure;
    try {
      breaker.events.outcome(outcome, duration, s.slowDetection, error);
    } finally {
      ruleFailure = askTripWhen(s, live, asked);
      if (due != NOTHING_DUE) {
        decide(live, due);
      }
    }
    return ruleFailure;
  }

  private static final int NOTHING_DUE = 0;
  private static final int EVALUATE = 1;
  private static final int TRIP = 2;
  private static final int VERDICT = 3;
  private static final int ANNOUNCE = 4;

  /**
   * Counts the outcome in the stay that admitted the call, or nowhere but the totals when that stay is not
   * known (null); returns the decision it makes due.
   */
  private int tally(Stay permit, int outcome, long end) {
    if (permit == null) {
      return NOTHING_DUE;
    }
    switch (permit.state) {
      case CLOSED -> {
        ClosedStay closed = (ClosedStay) permit;
        boolean evaluate = closed.window.record(outcome, end) | closed.takeEvaluation();
        CompiledConfig s = closed.s;
        if ((outcome & Window.FAILED) != 0 && breaker.deployModeTrips(s)) {
          return TRIP;
        }
        if (s.consecutiveFailures > 0) {
          if ((outcome & Window.FAILED) == 0) {
            closed.window.endStreak();
          } else if (closed.window.extendStreak() >= s.consecutiveFailures) {
            return TRIP;
          }
        }
        return evaluate ? EVALUATE : NOTHING_DUE;
      }
      case HALF_OPEN -> {
        gate.trialFinished((outcome & Window.FAILED) != 0, (outcome & Window.SLOW) != 0);
        return ((HalfOpenStay) permit).record(outcome) ? VERDICT : NOTHING_DUE;
      }
      case METRICS_ONLY -> {
        return ((ManualStay) permit).window.record(outcome, end) ? ANNOUNCE : NOTHING_DUE;
      }
      default -> {
        // OPEN, FORCED_OPEN: a manual report while nothing was admitted; counted in the totals only.
        return NOTHING_DUE;
      }
    }
  }

  private void decide(Stay permit, int due) {
    switch (due) {
      case EVALUATE -> breaker.transitions.evaluate((ClosedStay) permit);
      case TRIP -> breaker.transitions.trip((ClosedStay) permit, false, false);
      case VERDICT -> breaker.transitions.decide((HalfOpenStay) permit);
      default -> breaker.transitions.announce((ManualStay) permit);
    }
  }
}
