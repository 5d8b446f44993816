package dev.fusebox.observability;

import dev.fusebox.circuitbreaker.CircuitBreakerEvent;
import dev.fusebox.internal.Validation;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * The immutable configuration of an {@link EventHistory}, built by a validating {@link Builder}.
 *
 * <table>
 *   <caption>Options and their defaults</caption>
 *   <tr><th>Option</th><th>Default</th></tr>
 *   <tr><td>{@link Builder#capacity(int) capacity}</td><td>100 events per breaker</td></tr>
 *   <tr><td>{@link Builder#eventTypes(Set) eventTypes}</td><td>every type except
 *       {@link CircuitBreakerEvent.Type#SUCCESS SUCCESS}</td></tr>
 * </table>
 *
 * <p>Successful calls are left out by default because a healthy breaker sees thousands of them a second:
 * they would push the failures, rejections and transitions an operator looks for out of a short history
 * within milliseconds. Add them back with {@link Builder#allEventTypes()} when the history is for
 * debugging one breaker.
 *
 * <pre>{@code
 * EventHistoryConfig config = EventHistoryConfig.builder()
 *     .capacity(50)
 *     .eventTypes(Type.STATE_TRANSITION, Type.FAILURE_RATE_EXCEEDED, Type.SLOW_CALL_RATE_EXCEEDED)
 *     .build();
 * }</pre>
 *
 * <p>Instances are immutable and threadsafe.
 */
public final class EventHistoryConfig {

  static final int DEFAULT_CAPACITY = 100;
  /** The largest capacity: a million events per breaker is already far beyond what anyone reads. */
  static final int MAX_CAPACITY = 1 << 20;

  private static final EventHistoryConfig DEFAULTS = builder().build();

  private final int capacity;
  private final Set<CircuitBreakerEvent.Type> eventTypes;

  private EventHistoryConfig(Builder b) {
    this.capacity = b.capacity;
    // build() has checked that the set is not empty, which EnumSet.copyOf needs.
    this.eventTypes = Collections.unmodifiableSet(EnumSet.copyOf(b.eventTypes));
  }

  /**
   * Returns a builder with every option at its default.
   *
   * @return a builder with every option at its default
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns the configuration with every option at its default.
   *
   * @return the configuration with every option at its default
   */
  public static EventHistoryConfig ofDefaults() {
    return DEFAULTS;
  }

  /**
   * Returns a builder holding this configuration's options.
   *
   * @return a builder holding this configuration's options
   */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /**
   * See {@link Builder#capacity(int)}.
   *
   * @return how many events are kept per breaker; older ones are overwritten
   */
  public int capacity() {
    return capacity;
  }

  /**
   * See {@link Builder#eventTypes(Set)}; an unmodifiable set.
   *
   * @return the kinds of events kept; unmodifiable
   */
  public Set<CircuitBreakerEvent.Type> eventTypes() {
    return eventTypes;
  }

  @Override
  public String toString() {
    return "EventHistoryConfig[capacity=" + capacity + ", eventTypes=" + eventTypes + "]";
  }

  /** Builds an {@link EventHistoryConfig}; not threadsafe. */
  public static final class Builder {

    private int capacity = DEFAULT_CAPACITY;
    private Set<CircuitBreakerEvent.Type> eventTypes =
        EnumSet.complementOf(EnumSet.of(CircuitBreakerEvent.Type.SUCCESS));

    private Builder() {}

    private Builder(EventHistoryConfig config) {
      this.capacity = config.capacity;
      this.eventTypes = EnumSet.copyOf(config.eventTypes);
    }

    /**
     * Sets how many events are kept per breaker; older ones are overwritten. Memory is at most
     * {@code capacity} events per breaker that had an event. Default 100; from 1 to 1,048,576.
     *
     * @param events how many events are kept per breaker; older ones are overwritten
     * @return this builder
     */
    public Builder capacity(int events) {
      this.capacity = events;
      return this;
    }

    /**
     * Sets the kinds of events kept; the others are not recorded. Must not be empty.
     *
     * @param types the kinds of events kept; the others are not recorded
     * @return this builder
     */
    public Builder eventTypes(Set<CircuitBreakerEvent.Type> types) {
      Objects.requireNonNull(types, "eventTypes must not be null");
      EnumSet<CircuitBreakerEvent.Type> copy = EnumSet.noneOf(CircuitBreakerEvent.Type.class);
      for (CircuitBreakerEvent.Type type : types) {
        copy.add(Objects.requireNonNull(type, "eventTypes must not contain null"));
      }
      this.eventTypes = copy;
      return this;
    }

    /**
     * Sets the kinds of events kept; the others are not recorded.
     *
     * @param first a kind of event to keep
     * @param more further kinds to keep
     * @return this builder
     */
    public Builder eventTypes(CircuitBreakerEvent.Type first, CircuitBreakerEvent.Type... more) {
      Objects.requireNonNull(first, "eventTypes must not contain null");
      Objects.requireNonNull(more, "eventTypes must not be null");
      EnumSet<CircuitBreakerEvent.Type> types = EnumSet.of(first);
      for (CircuitBreakerEvent.Type type : more) {
        types.add(Objects.requireNonNull(type, "eventTypes must not contain null"));
      }
      return eventTypes(types);
    }

    /**
     * Keeps every kind of event, successful calls included.
     *
     * @return this builder
     */
    public Builder allEventTypes() {
      this.eventTypes = EnumSet.allOf(CircuitBreakerEvent.Type.class);
      return this;
    }

    /**
     * Validates every option and builds the configuration.
     *
     * @return the configuration
     * @throws IllegalArgumentException naming every option whose value is out of range
     */
    public EventHistoryConfig build() {
      new Validation("EventHistoryConfig")
          .check(
              capacity >= 1 && capacity <= MAX_CAPACITY,
              "capacity",
              "must be in [1, " + MAX_CAPACITY + "]",
              capacity)
          .check(!eventTypes.isEmpty(), "eventTypes", "must not be empty", eventTypes)
          .throwIfInvalid();
      return new EventHistoryConfig(this);
    }
  }
}
