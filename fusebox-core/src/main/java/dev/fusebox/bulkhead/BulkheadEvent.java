package dev.fusebox.bulkhead;

import java.time.Instant;

/**
 * Something that happened to a {@link Bulkhead}. Events are records; switch over them by type:
 *
 * <pre>{@code
 * bulkhead.onEvent(event -> {
 *   switch (event.type()) {
 *     case CALL_REJECTED -> rejected.increment();
 *     case CALL_FINISHED -> finished.increment();
 *     default -> { }
 *   }
 * });
 * }</pre>
 *
 * <p>Events are built only while somebody listens, and are delivered on the thread that caused them. The
 * {@link #timestamp()} is wall-clock time, for display only: every decision is taken on the configured
 * {@link dev.fusebox.Ticker}.
 */
public sealed interface BulkheadEvent
    permits BulkheadEvent.CallPermitted,
        BulkheadEvent.CallRejected,
        BulkheadEvent.CallFinished {

  /** The kinds of events, named as Resilience4j names them where it has them. */
  enum Type {
    /** A call was admitted. */
    CALL_PERMITTED,
    /** A call was rejected: the bulkhead was full, or the caller was interrupted while waiting. */
    CALL_REJECTED,
    /** An admitted call ended and gave its permit back. */
    CALL_FINISHED
  }

  /** Returns the name of the bulkhead. */
  String name();

  /** Returns when the event happened, by the wall clock. */
  Instant timestamp();

  /** Returns the kind of event. */
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
}
