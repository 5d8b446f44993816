package dev.fusebox.circuitbreaker;

import dev.fusebox.Subscription;
import dev.fusebox.internal.Listeners;
import dev.fusebox.internal.OrderedDelivery;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Builds and publishes a breaker's events.
 *
 * <p>Design note. An event is built only when some listener wants its type ({@link Listeners#wants}), so a
 * breaker nobody listens to, or whose listeners follow only transitions, allocates nothing per call.
 * Per-call events are delivered on the calling thread, concurrently if calls are concurrent. Transitions,
 * and the threshold events that explain them, go through one {@link OrderedDelivery}, created on first
 * use: listeners see them one at a time, in the order the CASes happened, even when a listener itself
 * moves the breaker. The listener sets themselves are created on the first subscription: most breakers of
 * a large registry never get a listener, and an empty set would still cost their memory.
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
  private static final VarHandle DELIVERY;
  private static final VarHandle EVENTS;
  private static final VarHandle TRANSITIONS;
  private static final Listeners<CircuitBreakerEvent> NO_EVENTS = new Listeners<>("circuit breaker", "none");
  private static final Listeners<StateTransition> NO_TRANSITIONS = new Listeners<>("circuit breaker", "none");

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      DELIVERY = lookup.findVarHandle(BreakerEvents.class, "delivery", OrderedDelivery.class);
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
  private volatile OrderedDelivery delivery;

  BreakerEvents(String name) {
    this.name = name;
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
      events.publish(new CircuitBreakerEvent.NotPermitted(name, Instant.now(), state));
    }
  }

  void ignored(Duration elapsed, Throwable error) {
    if (events.wants(IGNORED)) {
      events.publish(new CircuitBreakerEvent.IgnoredError(name, Instant.now(), elapsed, error));
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
            ? new CircuitBreakerEvent.Failure(name, Instant.now(), elapsed, slow, error)
            : new CircuitBreakerEvent.Success(name, Instant.now(), elapsed, slow));
  }

  /** Publishes a transition, preceded by the threshold events that caused it when {@code counts} is set. */
  void transition(
      Stay from, Stay to, WindowCounts counts, boolean failureRate, boolean slowRate) {
    boolean explain = counts != null && (events.wants(FAILURE_RATE) || events.wants(SLOW_RATE));
    if (transitions.isEmpty() && !events.wants(TRANSITION) && !explain) {
      return;
    }
    StateTransition transition = new StateTransition(name, Instant.now(), from.state, to.state);
    int min = from.minimumCalls();
    deliver(
        () -> {
          if (counts != null) {
            publishRates(counts, min, failureRate, slowRate);
          }
          transitions.publish(transition);
          events.publish(transition);
        });
  }

  /** Announces that a metrics-only breaker's rates reached their thresholds. */
  void thresholdsReached(WindowCounts counts, int min, boolean failureRate, boolean slowRate) {
    if (events.wants(FAILURE_RATE) || events.wants(SLOW_RATE)) {
      deliver(() -> publishRates(counts, min, failureRate, slowRate));
    }
  }

  void reset() {
    if (events.wants(RESET)) {
      CircuitBreakerEvent.Reset reset = new CircuitBreakerEvent.Reset(name, Instant.now());
      deliver(() -> events.publish(reset));
    }
  }

  private void publishRates(WindowCounts counts, int min, boolean failureRate, boolean slowRate) {
    if (failureRate) {
      events.publish(
          new CircuitBreakerEvent.FailureRateExceeded(name, Instant.now(), counts.rate(counts.failed(), min)));
    }
    if (slowRate) {
      events.publish(
          new CircuitBreakerEvent.SlowCallRateExceeded(name, Instant.now(), counts.rate(counts.slow(), min)));
    }
  }

  private void deliver(Runnable task) {
    OrderedDelivery d = delivery;
    if (d == null) {
      OrderedDelivery created = new OrderedDelivery();
      d = (OrderedDelivery) DELIVERY.compareAndExchange(this, null, created);
      if (d == null) {
        d = created;
      }
    }
    d.submit(task);
  }
}
