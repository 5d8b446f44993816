package dev.fusebox.circuitbreaker;

import dev.fusebox.circuitbreaker.CircuitBreaker.State;
import dev.fusebox.circuitbreaker.spi.TrialGate;
import java.time.Duration;
import java.util.Objects;

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
  private final CompiledConfig s;
  /**
   * Consulted before admitting a half-open trial. Set once by a coordinating registry before the breaker
   * is published (a {@link java.util.concurrent.ConcurrentHashMap} insert, which is a safe publication),
   * so a plain field suffices.
   */
  private TrialGate gate = TrialGate.UNLIMITED;

  CallPath(CircuitBreakerImpl breaker, CompiledConfig compiled) {
    this.breaker = breaker;
    this.s = compiled;
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
      if (s.ticker.nanos() - open.nextTrialAt < 0) {
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
          long now = s.ticker.nanos();
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
          if (halfOpen.deadline != Long.MAX_VALUE) {
            long now = s.ticker.nanos();
            if (now - halfOpen.deadline >= 0) {
              breaker.transitions.reopen(halfOpen, now, halfOpen.counts(now), false, false);
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
          int period = ClosedStay.rampPeriod(s.ticker.nanos() - closed.rampStart, s.rampNanos);
          if (period > 1) {
            return closed.admitRampCall(period) ? closed : reject(closed, closed.rampRejection);
          }
          ClosedStay plain = closed.withoutRamp();
          if (breaker.move(closed, plain)) {
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
    breaker.events.notPermitted(current.state);
    return rejection;
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

  long startTime() {
    return s.slowDetection ? s.ticker.nanos() : 0L;
  }

  long endTime() {
    return s.slowDetection || s.timeWindow ? s.ticker.nanos() : 0L;
  }

  /** Records a call that returned {@code result}, timed from {@code start}. */
  void returned(Stay permit, long start, Object result) {
    if (permit.state != State.DISABLED) {
      long end = endTime();
      completeWithResult(permit, end, end - start, result);
    }
  }

  /** Records a call that threw {@code error}, timed from {@code start}. */
  void threw(Stay permit, long start, Throwable error) {
    if (permit.state != State.DISABLED) {
      long end = endTime();
      completeWithError(permit, end, end - start, error);
    }
  }

  /** Records a success reported through the manual API, to the current stay. */
  void succeeded(long duration) {
    Stay current = breaker.stay();
    if (current.state != State.DISABLED) {
      record(current, isSlow(duration) ? Window.SLOW : Window.SUCCESS, endTime(), duration, null);
    }
  }

  /** Records a result reported through the manual API, to the current stay. */
  void returned(long duration, Object result) {
    Stay current = breaker.stay();
    if (current.state != State.DISABLED) {
      completeWithResult(current, endTime(), duration, result);
    }
  }

  /** Records an exception reported through the manual API, to the current stay. */
  void threw(long duration, Throwable error) {
    Stay current = breaker.stay();
    if (current.state != State.DISABLED) {
      completeWithError(current, endTime(), duration, error);
    }
  }

  /** Records a success reported through a {@link CircuitBreaker.Permit}, to the stay that issued it. */
  void reportedSuccess(Stay permit, long duration) {
    if (permit.state != State.DISABLED) {
      record(permit, isSlow(duration) ? Window.SLOW : Window.SUCCESS, endTime(), duration, null);
    }
  }

  /** Records a result reported through a {@link CircuitBreaker.Permit}, to the stay that issued it. */
  void reportedResult(Stay permit, long duration, Object result) {
    if (permit.state != State.DISABLED) {
      completeWithResult(permit, endTime(), duration, result);
    }
  }

  /** Records an exception reported through a {@link CircuitBreaker.Permit}, to the stay that issued it. */
  void reportedError(Stay permit, long duration, Throwable error) {
    if (permit.state != State.DISABLED) {
      completeWithError(permit, endTime(), duration, error);
    }
  }

  private boolean isSlow(long duration) {
    return s.slowDetection && duration > s.slowNanos;
  }

  private void completeWithResult(Stay permit, long end, long duration, Object result) {
    boolean failed;
    try {
      failed = s.recordResult != null && s.recordResult.test(result);
    } catch (RuntimeException | Error e) {
      release(permit);
      throw e;
    }
    int outcome = (failed ? Window.FAILED : Window.SUCCESS) | (isSlow(duration) ? Window.SLOW : 0);
    record(permit, outcome, end, duration, null);
  }

  private void completeWithError(Stay permit, long end, long duration, Throwable error) {
    int kind;
    try {
      kind = s.classifier.classify(error);
    } catch (RuntimeException | Error e) {
      release(permit);
      throw e;
    }
    if (kind == Classifier.IGNORED) {
      breaker.counters.ignored();
      release(permit);
      breaker.events.ignored(s.slowDetection && duration > 0 ? Duration.ofNanos(duration) : Duration.ZERO, error);
      return;
    }
    int outcome = (kind == Classifier.FAILURE ? Window.FAILED : Window.SUCCESS) | (isSlow(duration) ? Window.SLOW : 0);
    record(permit, outcome, end, duration, kind == Classifier.FAILURE ? error : null);
  }

  private void record(Stay permit, int outcome, long end, long duration, Throwable error) {
    breaker.counters.recorded(outcome, s.slowDetection ? duration : 0);
    breaker.events.outcome(outcome, duration, s.slowDetection, error);
    switch (permit.state) {
      case CLOSED -> recordClosed((ClosedStay) permit, outcome, end);
      case HALF_OPEN -> {
        HalfOpenStay halfOpen = (HalfOpenStay) permit;
        gate.trialFinished((outcome & Window.FAILED) != 0, (outcome & Window.SLOW) != 0);
        if (halfOpen.record(outcome)) {
          breaker.transitions.decide(halfOpen);
        }
      }
      case METRICS_ONLY -> {
        ManualStay metricsOnly = (ManualStay) permit;
        if (metricsOnly.window.record(outcome, end)) {
          breaker.transitions.announce(metricsOnly);
        }
      }
      default -> {
        // OPEN, FORCED_OPEN: a manual report while nothing was admitted; counted in the totals only.
      }
    }
  }

  private void recordClosed(ClosedStay closed, int outcome, long end) {
    boolean evaluate = closed.window.record(outcome, end);
    if (s.consecutiveFailures > 0) {
      if ((outcome & Window.FAILED) == 0) {
        closed.endStreak();
      } else if (closed.failureStreak() >= s.consecutiveFailures) {
        breaker.transitions.trip(closed, false, false);
        return;
      }
    }
    if (evaluate) {
      breaker.transitions.evaluate(closed);
    }
  }
}
