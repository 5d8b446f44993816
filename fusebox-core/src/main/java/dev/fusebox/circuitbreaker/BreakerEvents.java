package dev.fusebox.circuitbreaker;

import dev.fusebox.internal.EventTime;
import dev.fusebox.Subscription;
import dev.fusebox.internal.Listeners;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Builds and publishes a breaker's events.
 *
 * <p>Design note. An event is built only when some listener wants its type ({@link Listeners#wants}), so a
 * breaker nobody listens to, or whose listeners follow only transitions, allocates nothing per call.
 * Per-call events are delivered on the calling thread, concurrently if calls are concurrent. The listener
 * sets themselves are created on the first subscription: most breakers of a large registry never get a
 * listener, and an empty set would still cost their memory.
 *
 * <p>Ordered delivery. Every move of the breaker is one CAS from a stay to the next, so the successful CASes
 * form a chain of stays, each entered from the one before. What a move announces (a transition, the
 * threshold events that explain it, a reset) is attached to the stay it enters, and the mover then links
 * that stay behind the one it left ({@link #entered}); every move links, announcing or not, so the chain
 * has no gap. One thread at a time, whichever wins {@link #DRAINING}, walks the chain from the last stay
 * delivered and runs each announcement in chain order, that is in CAS order, whatever order the movers
 * reach this code in: a mover whose predecessor is not linked yet leaves its announcement for the thread
 * that links it. A drainer steps down and looks once more, so nothing is stranded, and a listener that
 * moves the breaker only links: its announcement runs after the current one, never nested in it. The link
 * a drainer has passed is cleared, so delivered stays are not kept alive by the chain; nothing here locks.
 */
final class BreakerEvents {

  private static final int SUCCESS = CircuitBreakerEvent.Type.SUCCESS.ordinal();
  private static final int ERROR = CircuitBreakerEvent.Type.ERROR.ordinal();
  private static final int IGNORED = CircuitBreakerEvent.Type.IGNORED_ERROR.ordinal();
  private static final int NOT_PERMITTED = CircuitBreakerEvent.Type.NOT_PERMITTED.ordinal();
  private static final int TRANSITION = CircuitBreakerEvent.Type.STATE_TRANSITION.ordinal();
  private static final int RESET = CircuitBreakerEvent.Type.RESET.ordinal();
  private static final int FAILURE_RATE = CircuitBreakerEvent.Type.FAILURE_RATE_EXCEEDED.ordinal();
  private static final int SLOW_RATE = CircuitBreakerEvent.Type.SLOW_CALL_RATE_EXCEEDED.ordinal();
  private static final int PROBE = CircuitBreakerEvent.Type.PROBE.ordinal();
  private static final int CONFIGURATION = CircuitBreakerEvent.Type.CONFIGURATION_CHANGED.ordinal();
  private static final int DEPLOY_MODE = CircuitBreakerEvent.Type.DEPLOY_MODE_CHANGED.ordinal();
  private static final VarHandle DRAINING;
  private static final VarHandle EVENTS;
  private static final VarHandle TRANSITIONS;
  /** The announcement of a move nobody listened to: it keeps the chain whole. */
  private static final Runnable NOTHING = () -> {};
  private static final Listeners<CircuitBreakerEvent> NO_EVENTS = new Listeners<>("circuit breaker", "none");
  private static final Listeners<StateTransition> NO_TRANSITIONS = new Listeners<>("circuit breaker", "none");

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      DRAINING = lookup.findVarHandle(BreakerEvents.class, "draining", boolean.class);
      EVENTS = lookup.findVarHandle(BreakerEvents.class, "events", Listeners.class);
      TRANSITIONS = lookup.findVarHandle(BreakerEvents.class, "transitions", Listeners.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final String name;
  /** {@link #NO_EVENTS} until the first subscription; never null, so readers need no check. */
  private volatile Listeners<CircuitBreakerEvent> events = NO_EVENTS;
  private volatile Listeners<StateTransition> transitions = NO_TRANSITIONS;
  /** The last stay whose announcement ran; written only by the thread that holds {@link #DRAINING}. */
  private volatile Stay delivered;
  @SuppressWarnings("unused") // accessed through DRAINING
  private volatile boolean draining;

  BreakerEvents(String name) {
    this.name = name;
  }

  /** Starts the chain at the breaker's first stay, before the breaker is published. */
  void start(Stay first) {
    delivered = first;
  }

  @SuppressWarnings("unchecked")
  private Listeners<CircuitBreakerEvent> events() {
    Listeners<CircuitBreakerEvent> current = events;
    if (current == NO_EVENTS) {
      Listeners<CircuitBreakerEvent> created = new Listeners<>("circuit breaker", name, e -> e.type().ordinal());
      Listeners<CircuitBreakerEvent> witness =
          (Listeners<CircuitBreakerEvent>) EVENTS.compareAndExchange(this, NO_EVENTS, created);
      current = witness == NO_EVENTS ? created : witness;
    }
    return current;
  }

  @SuppressWarnings("unchecked")
  private Listeners<StateTransition> transitions() {
    Listeners<StateTransition> current = transitions;
    if (current == NO_TRANSITIONS) {
      Listeners<StateTransition> created = new Listeners<>("circuit breaker", name);
      Listeners<StateTransition> witness =
          (Listeners<StateTransition>) TRANSITIONS.compareAndExchange(this, NO_TRANSITIONS, created);
      current = witness == NO_TRANSITIONS ? created : witness;
    }
    return current;
  }

  Subscription onEvent(long types, Consumer<? super CircuitBreakerEvent> listener) {
    return events().subscribe(types, listener);
  }

  Subscription onEvent(Set<CircuitBreakerEvent.Type> types, Consumer<? super CircuitBreakerEvent> listener) {
    return events().subscribe(Listeners.maskOf(types), listener);
  }

  Subscription onStateTransition(Consumer<? super StateTransition> listener) {
    return transitions().subscribe(listener);
  }

  boolean wants(CircuitBreakerEvent.Type type) {
    return events.wants(type.ordinal());
  }

  void notPermitted(CircuitBreaker.State state) {
    if (events.wants(NOT_PERMITTED)) {
      events.publish(new CircuitBreakerEvent.NotPermitted(name, EventTime.now(), state));
    }
  }

  void probe(CircuitBreaker.State state, boolean succeeded, long elapsedNanos, Throwable error) {
    if (events.wants(PROBE)) {
      events.publish(new CircuitBreakerEvent.Probe(
          name, EventTime.now(), state, succeeded, Duration.ofNanos(elapsedNanos), error));
    }
  }

  void deployMode(boolean active, Duration duration) {
    if (events.wants(DEPLOY_MODE)) {
      events.publish(new CircuitBreakerEvent.DeployModeChanged(name, EventTime.now(), active, duration));
    }
  }

  void ignored(Duration elapsed, Throwable error) {
    if (events.wants(IGNORED)) {
      events.publish(new CircuitBreakerEvent.IgnoredError(name, EventTime.now(), elapsed, error));
    }
  }

  /** Publishes a recorded outcome; {@code elapsed} is computed only if someone wants the event. */
  void outcome(int outcome, long duration, boolean timed, Throwable error) {
    boolean failed = (outcome & Window.FAILED) != 0;
    if (!events.wants(failed ? ERROR : SUCCESS)) {
      return;
    }
    boolean slow = (outcome & Window.SLOW) != 0;
    Duration elapsed = timed && duration > 0 ? Duration.ofNanos(duration) : Duration.ZERO;
    events.publish(
        failed
            ? new CircuitBreakerEvent.Failure(name, EventTime.now(), elapsed, slow, error)
            : new CircuitBreakerEvent.Success(name, EventTime.now(), elapsed, slow));
  }

  /**
   * Returns the announcement of a transition, preceded by the threshold events that caused it when
   * {@code counts} is set; null when nobody would receive it. Built before the move's CAS, run after it.
   */
  Runnable transition(Stay from, CircuitBreaker.State to, WindowCounts counts, boolean failureRate, boolean slowRate) {
    boolean explain = counts != null && (events.wants(FAILURE_RATE) || events.wants(SLOW_RATE));
    if (transitions.isEmpty() && !events.wants(TRANSITION) && !explain) {
      return null;
    }
    CircuitBreaker.State fromState = from.state;
    int min = from.minimumCalls();
    return () -> {
      if (counts != null) {
        publishRates(counts, min, failureRate, slowRate);
      }
      StateTransition transition = new StateTransition(name, EventTime.now(), fromState, to);
      transitions.publish(transition);
      events.publish(transition);
    };
  }

  /** Returns the announcement that a metrics-only breaker's rates reached their thresholds, or null. */
  Runnable thresholdsReached(WindowCounts counts, int min, boolean failureRate, boolean slowRate) {
    if (!events.wants(FAILURE_RATE) && !events.wants(SLOW_RATE)) {
      return null;
    }
    return () -> publishRates(counts, min, failureRate, slowRate);
  }

  /** Returns the announcement of a reconfiguration, or null when nobody listens for it. */
  Runnable configurationChanged(CircuitBreakerConfig previous, CircuitBreakerConfig next) {
    if (!events.wants(CONFIGURATION)) {
      return null;
    }
    return () ->
        events.publish(new CircuitBreakerEvent.ConfigurationChanged(name, EventTime.now(), previous, next));
  }

  /** Returns the announcement of a reset from {@code from}: its transition if the state changes, then the reset. */
  Runnable reset(Stay from) {
    Runnable transition =
        from.state == CircuitBreaker.State.CLOSED ? null : transition(from, CircuitBreaker.State.CLOSED, null, false, false);
    if (transition == null && !events.wants(RESET)) {
      return null;
    }
    return () -> {
      if (transition != null) {
        transition.run();
      }
      if (events.wants(RESET)) {
        events.publish(new CircuitBreakerEvent.Reset(name, EventTime.now()));
      }
    };
  }

  /**
   * Links the stay a successful CAS entered behind the one it left, with what the move announces (or
   * nothing), and delivers what is due. Called once for every successful move, by the thread that made it.
   */
  void entered(Stay from, Stay to, Runnable announcement) {
    to.announcement = announcement != null ? announcement : NOTHING;
    from.next = to;
    drain();
  }

  private void drain() {
    for (;;) {
      if (!DRAINING.compareAndSet(this, false, true)) {
        return; // the draining thread will reach what was linked, or look again once it steps down
      }
      Stay cursor = delivered;
      try {
        Stay next;
        while ((next = cursor.next) != null) {
          Runnable announcement = next.announcement;
          next.announcement = null;
          cursor.next = null;
          cursor = next;
          delivered = cursor;
          announcement.run();
        }
      } finally {
        draining = false;
      }
      if (delivered.next == null) {
        return;
      }
    }
  }

  private void publishRates(WindowCounts counts, int min, boolean failureRate, boolean slowRate) {
    if (failureRate) {
      events.publish(
          new CircuitBreakerEvent.FailureRateExceeded(name, EventTime.now(), counts.rate(counts.failed(), min)));
    }
    if (slowRate) {
      events.publish(
          new CircuitBreakerEvent.SlowCallRateExceeded(name, EventTime.now(), counts.rate(counts.slow(), min)));
    }
  }
}
