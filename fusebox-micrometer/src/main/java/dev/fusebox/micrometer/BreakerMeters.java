package dev.fusebox.micrometer;

import dev.fusebox.Subscription;
import dev.fusebox.circuitbreaker.CircuitBreaker;
import dev.fusebox.circuitbreaker.CircuitBreaker.State;
import dev.fusebox.circuitbreaker.CircuitBreakerEvent;
import dev.fusebox.circuitbreaker.StateTransition;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.ToDoubleFunction;

/**
 * The meters of one breaker in one meter registry.
 *
 * <p>Design note. Every meter but two reads the breaker when the registry is scraped: the gauges and
 * function counters call {@link CircuitBreaker#metrics()}, whose cumulative totals never decrease, which is
 * what a counter needs. Micrometer holds the breaker weakly in these meters, so they keep nothing alive.
 * The transition counter is fed by a transition listener: transitions are rare and happen off the per-call
 * path. The four transitions of the automatic cycle (closed to open, open to half-open, half-open to closed
 * or open) are registered at zero up front, so that a rate over the first opening sees it; the others
 * appear on first use. A lock orders those lazy registrations against {@link #close()}, so that no counter
 * is registered after the breaker's meters were removed; it is taken only on a transition and on removal.
 * The optional histogram timer is fed by an event listener, on every call. Every meter carries the
 * breaker's {@link CircuitBreaker#tags() tags} (its registry's and its own) over the common tags.
 *
 * <p>This class is threadsafe.
 */
final class BreakerMeters implements RegistryBinding.Meters {

  private static final State[] STATES = State.values();

  final CircuitBreaker breaker;
  private final MeterRegistry registry;
  private final Tags tags;
  private final List<Meter> meters = new ArrayList<>();
  private final Counter[] transitions = new Counter[STATES.length * STATES.length];
  private final ReentrantLock lock = new ReentrantLock();
  private final List<Subscription> subscriptions = new ArrayList<>(2);
  private boolean closed;

  BreakerMeters(CircuitBreaker breaker, MeterRegistry registry, Tags commonTags, boolean percentileHistogram) {
    this.breaker = breaker;
    this.registry = registry;
    // The breaker's tags (its registry's and its own) over the common tags; the binding's keys win over both.
    Tags breakerTags = commonTags;
    for (Map.Entry<String, String> tag : breaker.tags().entrySet()) {
      breakerTags = breakerTags.and(tag.getKey(), tag.getValue());
    }
    this.tags = breakerTags.and("name", breaker.name());
    for (State state : STATES) {
      meters.add(Gauge.builder(FuseboxMetrics.STATE, breaker, b -> b.state() == state ? 1 : 0)
          .description("Whether the circuit breaker is in this state (1) or not (0)")
          .tags(tags)
          .tag("state", tagValue(state))
          .register(registry));
    }
    // Micrometer shows one description per meter name, so every kind of a name shares its description.
    String calls = "Calls through the circuit breaker by outcome: successful, failed, ignored, not_permitted";
    counter(FuseboxMetrics.CALLS, "successful", calls, m -> m.totalSuccessfulCalls());
    counter(FuseboxMetrics.CALLS, "failed", calls, m -> m.totalFailedCalls());
    counter(FuseboxMetrics.CALLS, "ignored", calls, m -> m.totalIgnoredCalls());
    counter(FuseboxMetrics.CALLS, "not_permitted", calls, m -> m.totalNotPermittedCalls());
    String slow = "Calls slower than the slow-call threshold by outcome: successful, failed";
    counter(FuseboxMetrics.SLOW_CALLS, "successful", slow, m -> m.totalSlowSuccessfulCalls());
    counter(FuseboxMetrics.SLOW_CALLS, "failed", slow, m -> m.totalSlowFailedCalls());
    gauge(FuseboxMetrics.FAILURE_RATE, "percent", "Failure rate of the window; -1 below the minimum calls",
        m -> m.failureRate());
    gauge(FuseboxMetrics.SLOW_CALL_RATE, "percent", "Slow-call rate of the window; -1 below the minimum calls",
        m -> m.slowCallRate());
    gauge(FuseboxMetrics.BUFFERED_CALLS, "calls", "Outcomes in the window", m -> m.numberOfBufferedCalls());
    gauge(FuseboxMetrics.RAMP, "percent", "Share of calls admitted; below 100 while ramping up after recovery",
        m -> m.rampPercentage());
    meters.add(TimeGauge.builder(FuseboxMetrics.NEXT_TRIAL, breaker, TimeUnit.NANOSECONDS,
            b -> b.metrics().nextTrialIn().map(Duration::toNanos).orElse(0L))
        .description("Time until the open circuit breaker admits a trial call; 0 when not open")
        .tags(tags)
        .register(registry));
    meters.add(TimeGauge.builder(FuseboxMetrics.TIME_IN_STATE, breaker, TimeUnit.NANOSECONDS,
            b -> b.metrics().timeInState().toNanos())
        .description("Time since the circuit breaker entered its current state")
        .tags(tags)
        .register(registry));
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
    transition(State.CLOSED, State.OPEN);
    transition(State.OPEN, State.HALF_OPEN);
    transition(State.HALF_OPEN, State.CLOSED);
    transition(State.HALF_OPEN, State.OPEN);
    subscriptions.add(breaker.onStateTransition(this::onTransition));
  }

  private void counter(
      String name, String kind, String description, ToDoubleFunction<CircuitBreaker.Metrics> total) {
    meters.add(FunctionCounter.builder(name, breaker, b -> total.applyAsDouble(b.metrics()))
        .description(description)
        .baseUnit("calls")
        .tags(tags)
        .tag("kind", kind)
        .register(registry));
  }

  private void gauge(String name, String unit, String description, ToDoubleFunction<CircuitBreaker.Metrics> value) {
    meters.add(Gauge.builder(name, breaker, b -> value.applyAsDouble(b.metrics()))
        .description(description)
        .baseUnit(unit)
        .tags(tags)
        .register(registry));
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
