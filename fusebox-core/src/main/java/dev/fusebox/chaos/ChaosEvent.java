package dev.fusebox.chaos;

import java.time.Duration;
import java.time.Instant;

/**
 * Something a {@link Chaos} policy injected. A call can publish a latency event and then a fault or result
 * event; a call left alone publishes nothing.
 *
 * <pre>{@code
 * chaos.onEvent(event -> log.info("chaos: {}", event.type()));
 * }</pre>
 *
 * <p>The {@link #timestamp()} is wall-clock time, for display only.
 */
public sealed interface ChaosEvent
    permits ChaosEvent.FaultInjected, ChaosEvent.ResultInjected, ChaosEvent.LatencyInjected {

  /** The kinds of events. */
  enum Type {
    /** A call failed with an injected fault and did not run. */
    FAULT_INJECTED,
    /** A call returned an injected result and did not run. */
    RESULT_INJECTED,
    /** A call was delayed before it ran (or before its fault or result). */
    LATENCY_INJECTED
  }

  /**
   * Returns the name of the chaos policy.
   *
   * @return the name of the chaos policy
   */
  String name();

  /**
   * Returns when the event happened, by the wall clock.
   *
   * @return when the event happened, by the wall clock
   */
  Instant timestamp();

  /**
   * Returns the kind of event.
   *
   * @return the kind of event
   */
  Type type();

  /** A call failed with {@code fault} instead of running. */
  record FaultInjected(String name, Instant timestamp, Throwable fault) implements ChaosEvent {
    @Override
    public Type type() {
      return Type.FAULT_INJECTED;
    }
  }

  /** A call returned {@code result} instead of running. */
  record ResultInjected(String name, Instant timestamp, Object result) implements ChaosEvent {
    @Override
    public Type type() {
      return Type.RESULT_INJECTED;
    }
  }

  /** A call was delayed by {@code latency}. */
  record LatencyInjected(String name, Instant timestamp, Duration latency) implements ChaosEvent {
    @Override
    public Type type() {
      return Type.LATENCY_INJECTED;
    }
  }
}
