package dev.fusebox.circuitbreaker;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Every decision that moves a breaker from one stay to another: tripping on the window's rates or a
 * failure streak, the half-open verdict, the open wait with its backoff and jitter, the manual moves, and
 * the restrictive moves a coordinator may make.
 *
 * <p>Design note. Each move is one CAS on the breaker's state, from the very stay that decided it, so of
 * two racing decisions exactly one takes effect and a decision taken on a stale stay changes nothing. The
 * one retry is {@link #trip}: a ramping closed stay can be replaced by its ramp-less copy (same window)
 * while a failure is being evaluated, and the trip then applies to the copy. Events are published after
 * the CAS, never inside a retry loop.
 */
final class Transitions {

  private final CircuitBreakerImpl breaker;
  private final CircuitBreakerConfig config;
  private final CompiledConfig s;

  Transitions(CircuitBreakerImpl breaker, CircuitBreakerConfig config) {
    this.breaker = breaker;
    this.config = config;
    this.s = config.compiled();
  }

  private long now() {
    return breaker.ticker.nanos();
  }

  // ---------------------------------------------------------------------------------------------------
  // Automatic decisions

  /** Opens the breaker if the closed window's rates reach a threshold; called when the window says so. */
  void evaluate(ClosedStay closed) {
    WindowCounts counts = closed.window.counts();
    long buffered = counts.buffered();
    if (buffered > 0 && buffered >= closed.window.minimumCalls) {
      boolean failureRate = Window.reaches(counts.failed(), buffered, s.failureThreshold);
      boolean slowRate = s.slowDetection && Window.reaches(counts.slow(), buffered, s.slowThreshold);
      if (failureRate || slowRate) {
        trip(closed, failureRate, slowRate);
      }
    }
  }

  /** Opens a closed breaker; retried against a ramp-less copy of the same stay, which may have replaced it. */
  void trip(ClosedStay closed, boolean failureRate, boolean slowRate) {
    long now = now();
    for (;;) {
      int level = closed.levelAtTrip(now, s.rampNanos) + 1;
      WindowCounts counts = closed.window.snapshot(now);
      OpenStay open = OpenStay.opening(breaker, now, openWait(level), level, counts, closed.window.minimumCalls);
      if (breaker.move(closed, open)) {
        breaker.events.transition(closed, open, counts, failureRate, slowRate);
        scheduleAutomaticTransition(open, now);
        return;
      }
      if (!(breaker.stay() instanceof ClosedStay current) || current.window != closed.window) {
        return;
      }
      closed = current;
    }
  }

  /** The half-open verdict, once every permitted trial has reported. */
  void decide(HalfOpenStay halfOpen) {
    long now = now();
    WindowCounts counts = halfOpen.counts(now);
    boolean failureRate = Window.reaches(counts.failed(), halfOpen.permitted, s.failureThreshold);
    boolean slowRate = s.slowDetection && Window.reaches(counts.slow(), halfOpen.permitted, s.slowThreshold);
    if (failureRate || slowRate) {
      reopen(halfOpen, now, counts, failureRate, slowRate);
    } else {
      ClosedStay closed = ClosedStay.recovered(breaker, now, halfOpen.level(now));
      if (breaker.move(halfOpen, closed)) {
        breaker.events.transition(halfOpen, closed, null, false, false);
      }
    }
  }

  /** Re-opens a half-open breaker whose trials failed or which waited too long for them. */
  void reopen(HalfOpenStay halfOpen, long now, WindowCounts counts, boolean failureRate, boolean slowRate) {
    int level = halfOpen.level(now) + 1;
    OpenStay open = OpenStay.opening(breaker, now, openWait(level), level, counts, halfOpen.permitted);
    if (breaker.move(halfOpen, open)) {
      breaker.events.transition(halfOpen, open, failureRate || slowRate ? counts : null, failureRate, slowRate);
      scheduleAutomaticTransition(open, now);
    }
  }

  /** Moves an open breaker whose wait is over to half-open; the caller's call is its first trial. */
  HalfOpenStay tryHalfOpen(OpenStay open, long now) {
    HalfOpenStay halfOpen = new HalfOpenStay(breaker, now, open.level(now), 1);
    if (breaker.move(open, halfOpen)) {
      breaker.events.transition(open, halfOpen, null, false, false);
      return halfOpen;
    }
    return null;
  }

  /** Announces each crossing of a threshold by a metrics-only breaker, which never opens. */
  void announce(ManualStay metricsOnly) {
    Window window = metricsOnly.window;
    WindowCounts counts = window.counts();
    long buffered = counts.buffered();
    boolean enough = buffered > 0 && buffered >= window.minimumCalls;
    boolean failureRate = enough && Window.reaches(counts.failed(), buffered, s.failureThreshold);
    boolean slowRate = enough && s.slowDetection && Window.reaches(counts.slow(), buffered, s.slowThreshold);
    boolean above = failureRate || slowRate;
    if (above != metricsOnly.aboveThreshold) {
      metricsOnly.aboveThreshold = above;
      if (above) {
        breaker.events.thresholdsReached(counts, window.minimumCalls, failureRate, slowRate);
      }
    }
  }

  /** The wait of the {@code level}-th opening in a row: backed off, capped, then spread by jitter. */
  long openWait(int level) {
    double multiplier = config.openStateBackoffMultiplier();
    long wait = s.waitNanos;
    if (level > 1 && multiplier > 1) {
      double backedOff = s.waitNanos * Math.pow(multiplier, level - 1);
      wait = backedOff >= s.maxWaitNanos ? s.maxWaitNanos : (long) backedOff;
    }
    double jitter = config.openStateJitter();
    if (jitter > 0) {
      double spread = 1 + jitter * (2 * ThreadLocalRandom.current().nextDouble() - 1);
      wait = Math.max(1, (long) (wait * spread));
    }
    return wait;
  }

  /** With the automatic transition on, moves this very opening to half-open once its wait is over. */
  private void scheduleAutomaticTransition(OpenStay open, long now) {
    if (!config.automaticTransitionFromOpenToHalfOpenEnabled() || open.nextTrialAt == Long.MAX_VALUE) {
      return;
    }
    config.scheduler().schedule(
        () -> {
          // Only if nothing moved the breaker since: a later opening schedules its own transition.
          if (breaker.stay() == open) {
            HalfOpenStay halfOpen = new HalfOpenStay(breaker, now(), open.level(0), 0);
            if (breaker.move(open, halfOpen)) {
              breaker.events.transition(open, halfOpen, null, false, false);
            }
          }
        },
        open.nextTrialAt - now);
  }

  // ---------------------------------------------------------------------------------------------------
  // Moves by hand

  /** Builds the stay to move to from the current one. */
  interface StayFactory {
    Stay next(Stay current, long now);
  }

  void moveTo(StayFactory factory) {
    for (;;) {
      Stay current = breaker.stay();
      long now = now();
      Stay next = factory.next(current, now);
      if (breaker.move(current, next)) {
        breaker.events.transition(current, next, null, false, false);
        if (next instanceof OpenStay open) {
          scheduleAutomaticTransition(open, now);
        }
        return;
      }
    }
  }

  void toClosed() {
    moveTo((current, now) -> ClosedStay.fresh(breaker, now));
  }

  void toOpen() {
    moveTo(
        (current, now) -> {
          int level = levelOf(current, now) + 1;
          return OpenStay.opening(breaker, now, openWait(level), level, current.counts(now), current.minimumCalls());
        });
  }

  void toOpenFor(long waitNanos) {
    moveTo(
        (current, now) ->
            OpenStay.opening(
                breaker, now, waitNanos, levelOf(current, now) + 1, current.counts(now), current.minimumCalls()));
  }

  void toHalfOpen() {
    moveTo((current, now) -> new HalfOpenStay(breaker, now, current.level(now), 0));
  }

  void toForcedOpen() {
    moveTo((current, now) -> ManualStay.forcedOpen(breaker, now, current));
  }

  void toDisabled() {
    moveTo((current, now) -> ManualStay.disabled(breaker, now, current));
  }

  void toMetricsOnly() {
    moveTo((current, now) -> ManualStay.metricsOnly(breaker, now, current));
  }

  void reset(CallCounters counters) {
    for (;;) {
      Stay previous = breaker.stay();
      ClosedStay fresh = ClosedStay.fresh(breaker, now());
      if (breaker.move(previous, fresh)) {
        counters.resetNotPermitted();
        if (previous.state != CircuitBreaker.State.CLOSED) {
          breaker.events.transition(previous, fresh, null, false, false);
        }
        break;
      }
    }
    breaker.events.reset();
  }

  private int levelOf(Stay current, long now) {
    return current instanceof ClosedStay closed ? closed.levelAtTrip(now, s.rampNanos) : current.level(now);
  }

  // ---------------------------------------------------------------------------------------------------
  // Restrictive moves of a coordinator (see dev.fusebox.circuitbreaker.spi)

  boolean holdOpen(long waitNanos) {
    for (;;) {
      Stay current = breaker.stay();
      long now = now();
      long until = OpenStay.saturatedAdd(now, waitNanos);
      Stay next;
      switch (current.state) {
        case CLOSED, HALF_OPEN -> {
          int level = levelOf(current, now) + 1;
          next = OpenStay.opening(breaker, now, waitNanos, level, current.counts(now), current.minimumCalls());
        }
        case OPEN -> {
          OpenStay open = (OpenStay) current;
          if (open.nextTrialAt - until >= 0) {
            return false;
          }
          next = open.heldUntil(breaker, until);
        }
        default -> {
          return false;
        }
      }
      if (breaker.move(current, next)) {
        if (current.state != CircuitBreaker.State.OPEN) {
          breaker.events.transition(current, next, null, false, false);
        }
        scheduleAutomaticTransition((OpenStay) next, now);
        return true;
      }
    }
  }

  boolean rampFrom(long elapsedNanos) {
    if (s.rampNanos == 0 || elapsedNanos >= s.rampNanos) {
      return false;
    }
    for (;;) {
      if (!(breaker.stay() instanceof ClosedStay closed)) {
        return false;
      }
      long start = now() - Math.max(0, elapsedNanos);
      if (closed.ramping() && closed.rampStart - start >= 0) {
        return false;
      }
      if (breaker.move(closed, closed.rampingFrom(breaker, start))) {
        return true;
      }
    }
  }
}
