package dev.fusebox.circuitbreaker;

import dev.fusebox.circuitbreaker.CircuitBreaker.State;
import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * A deliberately naive, single-threaded breaker that follows rules 1 to 6 literally: the window is a queue
 * of outcomes, every record re-evaluates the rates, and the open wait is computed from the formula. The
 * property tests run the real breaker and this model side by side.
 */
final class ReferenceModel {

  record CompiledConfig(
      boolean timeBased,
      int windowSize,
      int windowSeconds,
      int minimumCalls,
      double failureRateThreshold,
      double slowCallRateThreshold,
      long slowCallNanos,
      int consecutiveFailures,
      long waitNanos,
      double backoffMultiplier,
      long backoffMaxNanos,
      int permittedTrials) {}

  private record Outcome(long epoch, boolean failed, boolean slow) {}

  private static final long SECOND = 1_000_000_000L;

  private CompiledConfig s;
  private final ArrayDeque<Outcome> window = new ArrayDeque<>();
  State state = State.CLOSED;
  /** Which stay the breaker is in: every change of state, and every manual move, starts a new one. */
  private long stay;
  private int streak;
  private int level;
  private long nextTrialAt;
  private int trialsIssued;
  private int trialsDone;
  private int trialsFailed;
  private int trialsSlow;
  /** The number of trials of the current half-open stay: a reconfiguration changes it for the next one. */
  private int stayPermitted;

  ReferenceModel(CompiledConfig settings) {
    this.s = settings;
  }

  boolean admit(long now) {
    switch (state) {
      case CLOSED:
        return true;
      case OPEN:
        if (now - nextTrialAt >= 0) {
          state = State.HALF_OPEN;
          stay++;
          stayPermitted = s.permittedTrials();
          trialsIssued = 1;
          trialsDone = 0;
          trialsFailed = 0;
          trialsSlow = 0;
          return true;
        }
        return false;
      case FORCED_OPEN:
        return false;
      default:
        if (trialsIssued < stayPermitted) {
          trialsIssued++;
          return true;
        }
        return false;
    }
  }

  void ignored() {
    if (state == State.HALF_OPEN) {
      trialsIssued--;
    }
  }

  void record(boolean failed, long durationNanos, long now) {
    boolean slow = durationNanos > s.slowCallNanos();
    if (state == State.CLOSED) {
      long epoch = Math.floorDiv(now, SECOND);
      window.addLast(new Outcome(epoch, failed, slow));
      if (s.timeBased()) {
        window.removeIf(o -> o.epoch() <= epoch - s.windowSeconds());
      } else if (window.size() > s.windowSize()) {
        window.removeFirst();
      }
      if (s.consecutiveFailures() > 0) {
        streak = failed ? streak + 1 : 0;
        if (streak >= s.consecutiveFailures()) {
          open(now, 1);
          return;
        }
      }
      int buffered = window.size();
      if (buffered >= s.minimumCalls()) {
        int failures = 0;
        int slowCalls = 0;
        for (Iterator<Outcome> it = window.iterator(); it.hasNext(); ) {
          Outcome o = it.next();
          failures += o.failed() ? 1 : 0;
          slowCalls += o.slow() ? 1 : 0;
        }
        if (reaches(failures, buffered, s.failureRateThreshold())
            || reaches(slowCalls, buffered, s.slowCallRateThreshold())) {
          open(now, 1);
        }
      }
    } else if (state == State.HALF_OPEN) {
      trialsDone++;
      trialsFailed += failed ? 1 : 0;
      trialsSlow += slow ? 1 : 0;
      if (trialsDone == stayPermitted) {
        if (reaches(trialsFailed, trialsDone, s.failureRateThreshold())
            || reaches(trialsSlow, trialsDone, s.slowCallRateThreshold())) {
          open(now, level + 1);
        } else {
          close();
        }
      }
    }
  }

  private void close() {
    state = State.CLOSED;
    stay++;
    window.clear();
    streak = 0;
    level = 0;
  }

  private void open(long now, int newLevel) {
    state = State.OPEN;
    stay++;
    level = newLevel;
    // min(wait * multiplier^(level-1), max), as rule 6 states it.
    double backedOff = s.waitNanos() * Math.pow(s.backoffMultiplier(), level - 1);
    long wait = backedOff >= s.backoffMaxNanos() ? s.backoffMaxNanos() : (long) backedOff;
    nextTrialAt = now + wait;
  }


  /** Resilience4j compares rates in float percent; so must a model of a breaker that matches it. */
  private static boolean reaches(int part, int total, double thresholdPercent) {
    return part * 100.0f / total >= (float) thresholdPercent;
  }

  int bufferedCalls() {
    return window.size();
  }

  int failedCalls() {
    return (int) window.stream().filter(Outcome::failed).count();
  }

  int slowCalls() {
    return (int) window.stream().filter(Outcome::slow).count();
  }

  // ---------------------------------------------------------------------------------------------------
  // Permits that outlive a transition, and manual moves

  /** Admits a call like {@link #admit}, and returns the stay it belongs to, or -1 if rejected. */
  long admitPermit(long now) {
    return admit(now) ? stay : -1;
  }

  /** An outcome reported through a permit: it counts only if its stay is still the current one. */
  void recordFor(long permitStay, boolean failed, long durationNanos, long now) {
    if (permitStay == stay) {
      record(failed, durationNanos, now);
    }
  }

  /** A permit given back, or an ignored outcome: it frees a trial slot only of its own, current stay. */
  void releaseFor(long permitStay) {
    if (permitStay == stay) {
      ignored();
    }
  }

  void toClosed() {
    close();
  }

  void toOpen(long now) {
    open(now, level + 1);
  }

  void toHalfOpen() {
    state = State.HALF_OPEN;
    stay++;
    stayPermitted = s.permittedTrials();
    trialsIssued = 0;
    trialsDone = 0;
    trialsFailed = 0;
    trialsSlow = 0;
  }

  /**
   * Issue 18's rules, literally: the state and its stay stay; a closed window keeps what the new one holds
   * (the newest outcomes, or those inside the new span); every later decision uses the new options.
   */
  void reconfigure(CompiledConfig next, long now) {
    if (state == State.CLOSED) {
      if (s.timeBased()) {
        long epoch = Math.floorDiv(now, SECOND);
        int kept = Math.min(s.windowSeconds(), next.windowSeconds());
        window.removeIf(o -> o.epoch() <= epoch - kept);
      } else {
        while (window.size() > next.windowSize()) {
          window.removeFirst();
        }
      }
    }
    s = next;
  }

  void toForcedOpen() {
    state = State.FORCED_OPEN;
    stay++;
  }
}
