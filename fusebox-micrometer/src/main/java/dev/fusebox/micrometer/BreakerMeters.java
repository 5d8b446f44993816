package dev.fusebox.micrometer;

import dev.fusebox.Subscription;
import dev.fusebox.circuitbreaker.CircuitBreaker;
import dev.fusebox.circuitbreaker.CircuitBreaker.State;
import dev.fusebox.circuitbreaker.CircuitBreakerEvent;
import dev.fusebox.circuitbreaker.StateTransition;
import dev.fusebox.observability.Outages;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What a breaker has beyond its kind's measures, in one meter registry: the transition counters and the
 * call duration; {@link PolicyMeters} registers the rest.
 *
 * <p>Design note. The transition counter is fed by a transition listener: transitions are rare and happen
 * off the per-call path. The four transitions of the automatic cycle (closed to open, open to half-open,
 * half-open to closed or open) are registered at zero up front, so that a rate over the first opening sees
 * it; the others appear on first use. A lock orders those lazy registrations against {@link #close()}, so
 * that no counter is registered after the breaker's meters were removed; it is taken only on a transition
 * and on removal. The call duration is a function timer read at scrape time; the optional histogram timer
 * is fed by an event listener, on every call.
 *
 * <p>This class is threadsafe.
 */
final class BreakerMeters implements RegistryBinding.Meters {

  private static final State[] STATES = State.values();

  private final MeterRegistry registry;
  private final Tags tags;
  private final List<Meter> meters = new ArrayList<>(1);
  private final Counter[] transitions = new Counter[STATES.length * STATES.length];
  private final ReentrantLock lock = new ReentrantLock();
  private final List<Subscription> subscriptions = new ArrayList<>(4);
  private boolean closed;

  /**
   * @param tags the breaker's tags: the common tags, the breaker's own and its name
   */
  BreakerMeters(CircuitBreaker breaker, MeterRegistry registry, Tags tags, boolean percentileHistogram) {
    this.registry = registry;
    this.tags = tags;
    if (percentileHistogram) {
      Timer timer = Timer.builder(FuseboxMetrics.CALL_DURATION)
          .description("Duration of the calls the circuit breaker recorded")
          .tags(tags)
          .publishPercentileHistogram()
          .register(registry);
      meters.add(timer);
      subscriptions.add(breaker.onEvent(event -> {
        if (event instanceof CircuitBreakerEvent.Success success) {
          timer.record(success.elapsed());
        } else if (event instanceof CircuitBreakerEvent.Failure failure) {
          timer.record(failure.elapsed());
        }
      }));
    } else {
      meters.add(FunctionTimer.builder(FuseboxMetrics.CALL_DURATION, breaker,
              b -> {
                CircuitBreaker.Metrics m = b.metrics();
                return m.totalSuccessfulCalls() + m.totalFailedCalls();
              },
              b -> b.metrics().totalCallDuration().toNanos(),
              TimeUnit.NANOSECONDS)
          .description("Duration of the calls the circuit breaker recorded")
          .tags(tags)
          .register(registry));
    }
    // What the on-call reads: calls spared and time to recovery, from the breaker's transitions only.
    Outages outages = Outages.attach(breaker);
    String name = breaker.name();
    meters.add(FunctionCounter.builder(FuseboxMetrics.SPARED_CALLS, outages,
            o -> o.summary(name).map(Outages.Summary::sparedCalls).orElse(0L))
        .description("Calls rejected during the circuit breaker's openings: load its failing dependency was spared")
        .tags(tags)
        .register(registry));
    Timer recovery = Timer.builder(FuseboxMetrics.RECOVERY)
        .description("Time from each opening of the circuit breaker to its closing after the trials passed")
        .tags(tags)
        .register(registry);
    meters.add(recovery);
    subscriptions.add(outages.onRecovery(r -> recovery.record(r.timeToRecovery())));
    subscriptions.add(outages::close);
    transition(State.CLOSED, State.OPEN);
    transition(State.OPEN, State.HALF_OPEN);
    transition(State.HALF_OPEN, State.CLOSED);
    transition(State.HALF_OPEN, State.OPEN);
    subscriptions.add(breaker.onStateTransition(this::onTransition));
  }

  private void onTransition(StateTransition transition) {
    lock.lock();
    try {
      if (!closed) {
        transition(transition.from(), transition.to()).increment();
      }
    } finally {
      lock.unlock();
    }
  }

  /** Returns the counter of that transition, registering it on first use; call under the lock or at construction. */
  private Counter transition(State from, State to) {
    int index = from.ordinal() * STATES.length + to.ordinal();
    Counter counter = transitions[index];
    if (counter == null) {
      counter = Counter.builder(FuseboxMetrics.TRANSITIONS)
          .description("State transitions of the circuit breaker")
          .tags(tags)
          .tag("from", tagValue(from))
          .tag("to", tagValue(to))
          .register(registry);
      transitions[index] = counter;
    }
    return counter;
  }

  /** Stops listening and removes every meter of the breaker. */
  @Override
  public void close() {
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      subscriptions.forEach(Subscription::close);
      meters.forEach(registry::remove);
      for (Counter counter : transitions) {
        if (counter != null) {
          registry.remove(counter);
        }
      }
    } finally {
      lock.unlock();
    }
  }

  static String tagValue(State state) {
    return state.name().toLowerCase(Locale.ROOT);
  }
}
