package dev.fusebox.bulkhead;

import java.time.Instant;

/**
 * Something that happened to a {@link Bulkhead} or an {@link AdaptiveBulkhead}. Events are records; switch
 * over them by type:
 *
 * <pre>{@code
 * bulkhead.onEvent(event -> {
 *   switch (event.type()) {
 *     case CALL_REJECTED -> rejected.increment();
 *     case LIMIT_CHANGED -> log.info("limit now {}", ((BulkheadEvent.LimitChanged) event).newLimit());
 *     default -> { }
 *   }
 * });
 * }</pre>
 *
 * <p>Events are built only while somebody listens, and are delivered on the thread that caused them; limit
 * changes of one adaptive bulkhead reach a listener one at a time, in the order they happened. The
 * {@link #timestamp()} is wall-clock time, for display only: every decision is taken on the configured
 * {@link dev.fusebox.Ticker}.
 */
public sealed interface BulkheadEvent
    permits BulkheadEvent.CallPermitted,
        BulkheadEvent.CallRejected,
        BulkheadEvent.CallFinished,
        BulkheadEvent.LimitChanged,
        BulkheadEvent.ConfigurationChanged,
        BulkheadEvent.AdaptiveConfigurationChanged {

  /** The kinds of events, named as Resilience4j names them where it has them. */
  enum Type {
    /** A call was admitted. */
    CALL_PERMITTED,
    /** A call was rejected: the bulkhead was full, or the caller was interrupted while waiting. */
    CALL_REJECTED,
    /** An admitted call ended and gave its permit back. */
    CALL_FINISHED,
    /** An adaptive bulkhead changed its concurrency limit. */
    LIMIT_CHANGED,
    /** The bulkhead was reconfigured: {@link Bulkhead#reconfigure} or {@link AdaptiveBulkhead#reconfigure}. */
    CONFIGURATION_CHANGED
  }

  /**
   * Returns the name of the bulkhead.
   *
   * @return the name of the bulkhead
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

  /** A call was admitted. */
  record CallPermitted(String name, Instant timestamp) implements BulkheadEvent {
    @Override
    public Type type() {
      return Type.CALL_PERMITTED;
    }
  }

  /** A call was rejected without running. */
  record CallRejected(String name, Instant timestamp) implements BulkheadEvent {
    @Override
    public Type type() {
      return Type.CALL_REJECTED;
    }
  }

  /** An admitted call ended, however it ended, and gave its permit back. */
  record CallFinished(String name, Instant timestamp) implements BulkheadEvent {
    @Override
    public Type type() {
      return Type.CALL_FINISHED;
    }
  }

  /**
   * An adaptive bulkhead changed its concurrency limit.
   *
   * @param oldLimit the limit before
   * @param newLimit the limit now in force
   * @param reason why it changed
   */
  record LimitChanged(String name, Instant timestamp, int oldLimit, int newLimit, LimitChangeReason reason)
      implements BulkheadEvent {
    @Override
    public Type type() {
      return Type.LIMIT_CHANGED;
    }
  }

  /**
   * A {@link Bulkhead} was {@linkplain Bulkhead#reconfigure reconfigured}; its holders kept their permits.
   *
   * @param previous the configuration before the change
   * @param current the configuration now in force
   */
  record ConfigurationChanged(String name, Instant timestamp, BulkheadConfig previous, BulkheadConfig current)
      implements BulkheadEvent {
    @Override
    public Type type() {
      return Type.CONFIGURATION_CHANGED;
    }
  }

  /**
   * An {@link AdaptiveBulkhead} was {@linkplain AdaptiveBulkhead#reconfigure reconfigured}; its holders kept
   * their permits.
   *
   * @param previous the configuration before the change
   * @param current the configuration now in force
   */
  record AdaptiveConfigurationChanged(
      String name, Instant timestamp, AdaptiveBulkheadConfig previous, AdaptiveBulkheadConfig current)
      implements BulkheadEvent {
    @Override
    public Type type() {
      return Type.CONFIGURATION_CHANGED;
    }
  }

  /** Why an {@link AdaptiveBulkhead} changed its limit. */
  enum LimitChangeReason {
    /** Latency stayed close to the no-load latency while the limit was in use: more concurrency fits. */
    LOW_QUEUEING,
    /** Latency grew well above the no-load latency: calls are queueing at the dependency. */
    HIGH_QUEUEING,
    /** A call was dropped (timed out, by default): back off multiplicatively. */
    DROPPED,
    /** A probe started: the limit is lowered for a while so that the no-load latency can be re-measured. */
    PROBE_STARTED,
    /** A probe ended: the no-load latency was re-measured and the limit is restored. */
    PROBE_ENDED,
    /** The bulkhead was reconfigured and its limit lay outside the new bounds. */
    RECONFIGURED
  }
}
