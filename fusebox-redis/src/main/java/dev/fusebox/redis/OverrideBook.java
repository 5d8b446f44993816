package dev.fusebox.redis;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What one instance knows of the fleet's overrides: the entries of the last heartbeat (tombstones
 * included), their epoch, and Redis's clock as seen from the instance's ticker, so that an override ends
 * on time between heartbeats and while Redis cannot be reached.
 *
 * <p>Design note. Written by the sync thread only; {@link #active} is read by registries' threads too
 * (a breaker created while an override is in force adopts it before anyone can call it), so the entries
 * and the clock are immutable values behind volatile fields. A heartbeat that shows an epoch below the
 * one known means Redis lost the hash (restarted, flushed, an older replica promoted): the instance keeps
 * what it knows and carries every entry back with the next heartbeat, where an entry only replaces one of
 * a lower epoch.
 */
final class OverrideBook {

  /** Redis's time at a moment of the ticker; times in between are read off the ticker. */
  private record Clock(long redisMs, long tickerNanos) {
    long redisAt(long nanos) {
      // Differences, not sums: the ticker may wrap around Long.MAX_VALUE.
      return redisMs + Math.floorDiv(nanos - tickerNanos, 1_000_000L);
    }
  }

  private volatile Map<String, FleetScript.Entry> entries = Map.of();
  private volatile Clock clock;
  /** Written by the sync thread; read by FleetControl's callers, as the least epoch a new entry gets. */
  private volatile long epoch;
  private boolean carryBack;

  /** Applies a heartbeat's reply at {@code tickerNanos}; returns whether any entry changed. */
  boolean heartbeat(FleetScript.Heartbeat h, long tickerNanos) {
    clock = new Clock(h.nowMs(), tickerNanos);
    if (h.epoch() < epoch && !entries.isEmpty()) {
      carryBack = true;
      return false;
    }
    carryBack = false;
    epoch = h.epoch();
    if (h.entries() == null || h.entries().equals(entries)) {
      return false;
    }
    entries = Map.copyOf(h.entries());
    return true;
  }

  /** Takes an entry this instance just wrote (FleetControl), ahead of the next heartbeat. */
  boolean adopt(FleetScript.Entry e, long redisNowMs, long tickerNanos) {
    FleetScript.Entry mine = entries.get(e.breaker());
    if (mine != null && mine.epoch() >= e.epoch()) {
      return false;
    }
    if (clock == null) {
      clock = new Clock(redisNowMs, tickerNanos);
    }
    Map<String, FleetScript.Entry> next = new HashMap<>(entries);
    next.put(e.breaker(), e);
    entries = Map.copyOf(next);
    epoch = Math.max(epoch, e.epoch());
    return true;
  }

  /** Returns the override in force on {@code breaker} at {@code tickerNanos}, or null. */
  FleetScript.Entry active(String breaker, long tickerNanos) {
    FleetScript.Entry e = entries.get(breaker);
    Clock c = clock;
    return e != null && c != null && e.activeAt(c.redisAt(tickerNanos)) ? e : null;
  }

  /** Returns the latest entry of {@code breaker}, in force, ended or released, or null. */
  FleetScript.Entry latest(String breaker) {
    return entries.get(breaker);
  }

  /** Returns Redis's time at {@code tickerNanos}, as last seen; -1 before any heartbeat. */
  long redisAt(long tickerNanos) {
    Clock c = clock;
    return c == null ? -1 : c.redisAt(tickerNanos);
  }

  boolean isEmpty() {
    return entries.isEmpty();
  }

  long epoch() {
    return epoch;
  }

  Map<String, FleetScript.Entry> entries() {
    return entries;
  }

  /** The heartbeat's arguments from the sixth on: the known epoch, the channel and, when due, the carried entries. */
  List<String> heartbeatTail(String channel) {
    List<String> tail = new ArrayList<>();
    tail.add(Long.toString(epoch));
    tail.add(channel);
    if (carryBack) {
      for (FleetScript.Entry e : entries.values()) {
        tail.add(FleetScript.field(e.breaker()));
        tail.add(e.encode());
      }
    }
    return Collections.unmodifiableList(tail);
  }
}
