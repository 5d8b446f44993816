package dev.fusebox.internal;

import java.time.Instant;

/**
 * The wall-clock stamp an event carries so that people can read when it happened.
 *
 * <p>Every policy decides on its {@code Ticker}; the wall clock only ever labels events. Keeping the one read
 * of it here lets the build forbid {@code EventTime.now()} everywhere else in the core.
 *
 * <p>Not API: {@code dev.fusebox.internal} is not exported.
 */
public final class EventTime {

  private EventTime() {}

  /**
   * Returns the current instant for an event's timestamp.
   *
   * @return the current instant for an event's timestamp
   */
  public static Instant now() {
    return Instant.now();
  }
}
