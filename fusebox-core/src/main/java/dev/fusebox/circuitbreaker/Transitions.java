package dev.fusebox.circuitbreaker;

import dev.fusebox.internal.Nanos;
import dev.fusebox.internal.Reconfigurations;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Every decision that moves a breaker from one stay to another: tripping on the window's rates or a
 * failure streak, the half-open verdict, the open wait with its backoff and jitter, the manual moves, and
 * the restrictive moves a coordinator may make.
 *
 * <p>Design note. Each move is one CAS on the breaker's state, from the very stay that decided it, so of
 * two racing decisions exactly one takes effect and a decision taken on a stale stay changes nothing. The
 * one retry is {@link #trip}: a ramping closed stay can be replaced by its ramp-less copy (same window)
 * while a failure is being evaluated, and the trip then applies to the copy. What a move announces is built
 * before its CAS (nothing is published inside a retry loop) and delivered after it, in the order of the
 * CASes, by {@link BreakerEvents}.
 */
final class Transitions {

  private static final System.Logger LOGGER = System.getLogger("dev.fusebox");

  private final CircuitBreakerImpl breaker;

  Transitions(CircuitBreakerImpl breaker) {
    this.breaker = breaker;
  }

  private long now() {
    return breaker.ticker.nanos();
  }

  // ---------------------------------------------------------------------------------------------------
  // Automatic decisions

  /** Opens the breaker if the closed window's rates reach a threshold; called when the window says so. */
  void evaluate(ClosedStay closed) {
    int reached = closed.window.reached(closed.s);
    if (reached != 0) {
      trip(closed, (reached & Window.FAILURE_RATE) != 0, (reached & Window.SLOW_RATE) != 0);
    }
  }

  /**
   * Opens a closed breaker; retried against a copy of the same stay that may have replaced it (a ramp-less
   * copy, a reconfigured one), which then opens by its own options.
   */
  void trip(ClosedStay closed, boolean failureRate, boolean slowRate) {
    long now = now();
    for (;;) {
      int level = closed.level(now) + 1;
      WindowCounts counts = closed.window.snapshot(now);
      OpenStay open =
          OpenStay.opening(breaker, closed.s, now, openWait(closed.s, level), level, counts, closed.window.minimumCalls);
      if (breaker.move(closed, open, breaker.events.transition(closed, open.state, counts, failureRate, slowRate))) {
        scheduleAutomaticTransition(open, now);
        return;
      }
      if (!(breaker.stay() instanceof ClosedStay current)
          || (current.window != closed.window && !adopted(closed, current))) {
        return;
      }
      closed = current;
    }
  }

  /** Whether {@code current} holds the data of {@code from}: it is one of {@code from}'s adopters. */
  static boolean adopted(Stay from, Stay current) {
    for (Stay next = from.adopter; next != null; next = next.adopter) {
      if (next == current) {
        return true;
      }
    }
    return false;
  }

  /**
   * The half-open verdict, once every permitted trial has reported; taken again by a reconfigured copy of
   * the stay (same trials) that replaced it meanwhile, with that copy's thresholds.
   */
  void decide(HalfOpenStay halfOpen) {
    long now = now();
    for (;;) {
      CompiledConfig s = halfOpen.s;
      WindowCounts counts = halfOpen.counts(now);
      boolean failureRate = Window.reaches(counts.failed(), halfOpen.permitted, s.failureThreshold);
      boolean slowRate = s.slowDetection && Window.reaches(counts.slow(), halfOpen.permitted, s.slowThreshold);
      boolean moved;
      if (failureRate || slowRate) {
        moved = reopen(halfOpen, now, counts, failureRate, slowRate);
      } else {
        ClosedStay closed = ClosedStay.recovered(breaker, s, now, halfOpen.level(now));
        moved = breaker.move(halfOpen, closed, breaker.events.transition(halfOpen, closed.state, null, false, false));
      }
      if (moved || !(breaker.stay() instanceof HalfOpenStay current) || current.trials != halfOpen.trials) {
        return;
      }
      halfOpen = current;
    }
  }

  /** Re-opens a half-open breaker whose trials failed or which waited too long for them. */
  boolean reopen(HalfOpenStay halfOpen, long now, WindowCounts counts, boolean failureRate, boolean slowRate) {
    int level = halfOpen.level(now) + 1;
    OpenStay open =
        OpenStay.opening(breaker, halfOpen.s, now, openWait(halfOpen.s, level), level, counts, halfOpen.permitted);
    Runnable announcement =
        breaker.events.transition(halfOpen, open.state, failureRate || slowRate ? counts : null, failureRate, slowRate);
    if (breaker.move(halfOpen, open, announcement)) {
      scheduleAutomaticTransition(open, now);
      return true;
    }
    return false;
  }

  /**
   * Opens the breaker for exactly {@code waitNanos} from the stay that admitted a call whose outcome asked
   * for it ({@code tripWhen}); retried against a ramp-less copy of the same closed stay, as {@link #trip}.
   */
  void tripFor(Stay permit, long waitNanos) {
    long now = now();
    Stay from = permit;
    for (;;) {
      OpenStay open =
          OpenStay.opening(
              breaker, from.s, now, waitNanos, from.level(now) + 1, from.counts(now), from.minimumCalls());
      if (breaker.move(from, open, breaker.events.transition(from, open.state, null, false, false))) {
        scheduleAutomaticTransition(open, now);
        return;
      }
      Stay current = breaker.stay();
      boolean sameClosed =
          from instanceof ClosedStay closed && current instanceof ClosedStay now2 && now2.window == closed.window;
      if (!sameClosed && !adopted(from, current)) {
        return;
      }
      from = current;
    }
  }

  /**
   * Closes a half-open breaker whose maximum wait ran out before its trials decided, when so configured
   * ({@code transitionToStateAfterWaitDuration(CLOSED)}): a recovery like any other.
   */
  void closeAfterMaxWait(HalfOpenStay halfOpen, long now) {
    ClosedStay closed = ClosedStay.recovered(breaker, halfOpen.s, now, halfOpen.level(now));
    breaker.move(halfOpen, closed, breaker.events.transition(halfOpen, closed.state, null, false, false));
  }

  /**
   * Moves this very opening to half-open before its wait is over, because a health probe succeeded: no
   * trial is taken yet, real calls are the trials.
   */
  boolean halfOpenAfterProbe(OpenStay open) {
    long now = now();
    HalfOpenStay halfOpen = new HalfOpenStay(breaker, open.s, now, open.level(now), 0);
    return breaker.move(open, halfOpen, breaker.events.transition(open, halfOpen.state, null, false, false));
  }

  /** Moves an open breaker whose wait is over to half-open; the caller's call is its first trial. */
  HalfOpenStay tryHalfOpen(OpenStay open, long now) {
    HalfOpenStay halfOpen = new HalfOpenStay(breaker, open.s, now, open.level(now), 1);
    if (breaker.move(open, halfOpen, breaker.events.transition(open, halfOpen.state, null, false, false))) {
      return halfOpen;
    }
    return null;
  }

  /**
   * Announces that a metrics-only breaker's failure or slow-call rate exceeded its threshold: each once per
   * stay, as Resilience4j does, though the breaker never opens.
   */
  void announce(ManualStay metricsOnly) {
    if (metricsOnly.announced == (Window.FAILURE_RATE | Window.SLOW_RATE)) {
      return;
    }
    Window window = metricsOnly.window;
    CompiledConfig s = metricsOnly.s;
    int fresh = window.reached(s) & ~metricsOnly.announced;
    if (fresh != 0) {
      // A move, so that the announcement takes its place among the transitions; of racing announcements of
      // the same stay only one moves, and a stay that is no longer current announces nothing.
      Runnable announcement =
          breaker.events.thresholdsReached(
              window.counts(),
              window.minimumCalls,
              (fresh & Window.FAILURE_RATE) != 0,
              (fresh & Window.SLOW_RATE) != 0);
      breaker.adopt(metricsOnly, metricsOnly.announcing(fresh), announcement);
    }
  }

  /**
   * The wait of the {@code level}-th opening in a row: the configured function's, or the base wait backed
   * off, capped, then spread by jitter.
   */
  long openWait(CompiledConfig s, int level) {
    if (s.waitFunction != null) {
      return waitOf(s, level);
    }
    CircuitBreakerConfig config = s.config;
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

  /** The wait {@code openStateWaitFunction} gives the {@code level}-th opening; the base wait if it fails. */
  private long waitOf(CompiledConfig s, int level) {
    Duration wait;
    try {
      wait = s.waitFunction.apply(level);
    } catch (VirtualMachineError e) {
      throw e;
    } catch (Throwable e) {
      LOGGER.log(
          System.Logger.Level.WARNING,
          "The openStateWaitFunction of circuit breaker '" + breaker.name() + "' threw for opening " + level
              + "; waiting waitDurationInOpenState instead",
          e);
      return s.waitNanos;
    }
    if (wait == null || wait.isNegative() || wait.isZero()) {
      LOGGER.log(
          System.Logger.Level.WARNING,
          "The openStateWaitFunction of circuit breaker '" + breaker.name() + "' gave " + wait + " for opening "
              + level + "; waiting waitDurationInOpenState instead");
      return s.waitNanos;
    }
    return Nanos.saturated(wait);
  }

  /**
   * With the automatic transition on, moves this very opening to half-open once its wait is over by the
   * breaker's own ticker. The scheduler keeps another clock, which may run ahead of the ticker (a coarse
   * ticker lags the system clock, a test's scheduler may keep its own time), so a task that fires early
   * asks again for what is left of the wait instead of moving.
   */
  void scheduleAutomaticTransition(OpenStay open, long now) {
    CircuitBreakerConfig config = open.s.config;
    if (config.automaticTransitionFromOpenToHalfOpenEnabled()) {
      open.scheduled(config.scheduler().schedule(() -> automaticTransition(open), open.nextTrialAt - now));
    }
  }

  private void automaticTransition(OpenStay open) {
    // Only if nothing moved the breaker since: a later opening schedules its own transition.
    if (breaker.stay() != open) {
      return;
    }
    long now = now();
    if (now - open.nextTrialAt < 0) {
      scheduleAutomaticTransition(open, now);
      return;
    }
    HalfOpenStay halfOpen = new HalfOpenStay(breaker, open.s, now, open.level(now), 0);
    breaker.move(open, halfOpen, breaker.events.transition(open, halfOpen.state, null, false, false));
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
      if (breaker.move(current, next, breaker.events.transition(current, next.state, null, false, false))) {
        if (next instanceof OpenStay open) {
          scheduleAutomaticTransition(open, now);
        }
        return;
      }
    }
  }

  void toClosed() {
    moveTo((current, now) -> ClosedStay.fresh(breaker, current.s, now));
  }

  void toOpen() {
    moveTo(
        (current, now) -> {
          int level = current.level(now) + 1;
          return OpenStay.opening(
              breaker, current.s, now, openWait(current.s, level), level, current.counts(now), current.minimumCalls());
        });
  }

  void toOpenFor(long waitNanos) {
    moveTo(
        (current, now) ->
            OpenStay.opening(
                breaker,
                current.s,
                now,
                waitNanos,
                current.level(now) + 1,
                current.counts(now),
                current.minimumCalls()));
  }

  void toHalfOpen() {
    moveTo((current, now) -> new HalfOpenStay(breaker, current.s, now, current.level(now), 0));
  }

  void toForcedOpen() {
    moveTo((current, now) -> ManualStay.forcedOpen(breaker, current.s, now, current));
  }

  void toDisabled() {
    moveTo((current, now) -> ManualStay.disabled(breaker, current.s, now, current));
  }

  void toMetricsOnly() {
    moveTo((current, now) -> ManualStay.metricsOnly(breaker, current.s, now, current));
  }

  void reset(CallCounters counters) {
    for (;;) {
      Stay previous = breaker.stay();
      ClosedStay fresh = ClosedStay.fresh(breaker, previous.s, now());
      if (breaker.move(previous, fresh, breaker.events.reset(previous))) {
        counters.resetNotPermitted();
        return;
      }
    }
  }

  // ---------------------------------------------------------------------------------------------------
  // Reconfiguration

  /**
   * Moves the breaker to a stay of the same state built under {@code next} that takes the current one's data
   * over: the window as far as the new one holds it, an opening's deadline and level, a half-open stay's
   * trials, an operator's manual state. Calls the old stay admitted report into the new one.
   */
  void reconfigure(CompiledConfig next) {
    for (;;) {
      Stay current = breaker.stay();
      long now = now();
      Stay adopted = current.reconfigured(next, now);
      CircuitBreakerConfig previous = current.s.config;
      if (breaker.adopt(current, adopted, breaker.events.configurationChanged(previous, next.config))) {
        if (adopted instanceof OpenStay open) {
          scheduleAutomaticTransition(open, now);
        }
        Reconfigurations.log("Circuit breaker", breaker.name(), next.config);
        return;
      }
    }
  }

  // ---------------------------------------------------------------------------------------------------
  // Restrictive moves of a coordinator (see dev.fusebox.circuitbreaker.spi)

  boolean holdOpen(long waitNanos) {
    for (;;) {
      Stay current = breaker.stay();
      long now = now();
      long until = now + waitNanos;
      Stay next;
      switch (current.state) {
        case CLOSED, HALF_OPEN -> {
          int level = current.level(now) + 1;
          next =
              OpenStay.opening(
                  breaker, current.s, now, waitNanos, level, current.counts(now), current.minimumCalls());
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
      Runnable announcement =
          current.state == CircuitBreaker.State.OPEN ? null : breaker.events.transition(current, next.state, null, false, false);
      if (breaker.move(current, next, announcement)) {
        scheduleAutomaticTransition((OpenStay) next, now);
        return true;
      }
    }
  }

  boolean rampFrom(long elapsedNanos) {
    for (;;) {
      if (!(breaker.stay() instanceof ClosedStay closed)) {
        return false;
      }
      if (closed.s.rampNanos == 0 || elapsedNanos >= closed.s.rampNanos) {
        return false;
      }
      long start = now() - Math.max(0, elapsedNanos);
      if (closed.ramping() && closed.rampStart - start >= 0) {
        return false;
      }
      if (breaker.adopt(closed, closed.rampingFrom(breaker, start), null)) {
        return true;
      }
    }
  }
}
