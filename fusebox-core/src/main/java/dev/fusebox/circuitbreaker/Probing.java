package dev.fusebox.circuitbreaker;

import dev.fusebox.Scheduler;
import dev.fusebox.Ticker;
import java.util.concurrent.Future;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs one breaker's {@link HealthProbe}: a loop of probes per stay that wants them (an opening, or a
 * closed stay when probes may open it), scheduled on the breaker's scheduler and ended by the next move.
 *
 * <p>Design note. Nothing here is on the call path: a move only schedules the first probe of the stay it
 * enters. Each loop is tied to the stay that started it and stops as soon as the breaker is elsewhere, so a
 * probe's verdict can only ever move the stay it was run for (the moves are compare-and-set from that
 * stay). One probe is in flight at a time, whatever the loops: a loop that finds one running waits another
 * interval.
 */
final class Probing {

  private final CircuitBreakerImpl breaker;
  private final HealthProbe probe;
  private final Scheduler scheduler;
  private final Ticker ticker;
  private final long intervalNanos;
  private final long timeoutNanos;
  private final AtomicBoolean inFlight = new AtomicBoolean();
  private final AtomicInteger failuresInRow = new AtomicInteger();
  private final AtomicLong succeeded = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  /** The stay whose loop runs; a loop of any other stay ends at its next turn. */
  private volatile Stay watched;

  private Probing(CircuitBreakerImpl breaker, HealthProbe probe, CircuitBreakerConfig config) {
    this.breaker = breaker;
    this.probe = probe;
    this.scheduler = config.scheduler();
    this.ticker = config.ticker();
    this.intervalNanos = probe.interval().toNanos();
    this.timeoutNanos = probe.timeout().toNanos();
  }

  /** Returns the probing of a breaker whose configuration has a probe, or {@code null}. */
  static Probing of(CircuitBreakerImpl breaker, CircuitBreakerConfig config) {
    return config.healthProbe().map(p -> new Probing(breaker, p, config)).orElse(null);
  }

  long succeeded() {
    return succeeded.get();
  }

  long failed() {
    return failed.get();
  }

  /** Starts the loop of a stay that wants probes; called after every move. */
  void entered(Stay stay) {
    Stay before = watched;
    if (stay instanceof ClosedStay closed && before instanceof ClosedStay previous
        && previous.window == closed.window) {
      return; // the ramp-less copy of the same closed stay: its loop goes on
    }
    failuresInRow.set(0);
    if (stay instanceof OpenStay || (stay instanceof ClosedStay && probe.failuresToOpen() > 0)) {
      watched = stay;
      next(stay);
    } else {
      watched = null;
    }
  }

  private void next(Stay stay) {
    scheduler.schedule(() -> run(stay), intervalNanos);
  }

  /** Whether the breaker is still in the stay a loop was started for. */
  private boolean current(Stay stay) {
    if (watched != stay) {
      return false;
    }
    Stay now = breaker.stay();
    return now == stay
        || (stay instanceof ClosedStay closed && now instanceof ClosedStay copy && copy.window == closed.window);
  }

  private void run(Stay stay) {
    if (!current(stay)) {
      return;
    }
    if (stay instanceof OpenStay && !breaker.callPath().gate().probes()) {
      next(stay); // another instance of the fleet probes for this one; ask again at the next turn
      return;
    }
    if (!inFlight.compareAndSet(false, true)) {
      next(stay); // an earlier stay's probe has not returned yet
      return;
    }
    long started = ticker.nanos();
    AtomicBoolean judged = new AtomicBoolean();
    Future<?> timer = scheduler.schedule(() -> {
      if (judged.compareAndSet(false, true)) {
        judge(stay, false, ticker.nanos() - started,
            new TimeoutException("the health probe took longer than " + probe.timeout()));
      }
    }, timeoutNanos);
    probe.start().whenComplete((result, error) -> {
      timer.cancel(false);
      if (judged.compareAndSet(false, true)) {
        judge(stay, error == null, ticker.nanos() - started, error);
      }
      inFlight.set(false);
      if (current(stay)) {
        next(stay);
      }
    });
  }

  private void judge(Stay stay, boolean ok, long elapsedNanos, Throwable error) {
    (ok ? succeeded : failed).incrementAndGet();
    try {
      breaker.events.probe(stay.state, ok, elapsedNanos, error);
    } finally {
      if (current(stay)) {
        if (stay instanceof OpenStay open) {
          if (ok && breaker.transitions.halfOpenAfterProbe(open)) {
            breaker.callPath().gate().probeSucceeded();
          }
        } else if (stay instanceof ClosedStay) {
          if (ok) {
            failuresInRow.set(0);
          } else if (failuresInRow.incrementAndGet() >= probe.failuresToOpen()) {
            failuresInRow.set(0);
            breaker.transitions.trip((ClosedStay) stay, false, false);
          }
        }
      }
    }
  }
}
