package dev.fusebox.redis;

import dev.fusebox.circuitbreaker.CircuitBreaker;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The fleet's overrides as Redis keeps them, and the administration script ({@code fleet.lua}, beside this
 * class) that {@link FleetControl} runs.
 *
 * <p>Design note. Overrides live in one hash per key prefix, {@code {prefix:}:o}, in the slot of the
 * members hash, so that the heartbeat reads both in one script on Redis Cluster too. One field per breaker,
 * {@code b:<name>}, holds its latest entry; a release writes a tombstone rather than deleting the field, and
 * every entry carries an epoch from the hash's {@code epoch} counter. That order is what lets instances
 * carry the overrides back into a Redis that lost them without ever bringing back one released meanwhile:
 * an entry only replaces one of a lower epoch. Times are Redis's, so instances' clocks never decide when an
 * override ends; each instance maps Redis time onto its ticker at every heartbeat.
 */
final class FleetScript {

  static final String SOURCE = FlushScript.resource("fleet.lua");
  static final char FORCED_OPEN = 'F';
  static final char DISABLED = 'D';
  static final char RELEASED = 'R';
  private static final String FIELD = "b:";

  private FleetScript() {}

  /** The hash of the fleet's overrides under this prefix. */
  static String overridesKey(String prefix) {
    return FlushScript.hashTag(prefix, "") + ":o";
  }

  static String field(String breaker) {
    return FIELD + breaker;
  }

  static char kind(CircuitBreaker.State state) {
    return switch (state) {
      case FORCED_OPEN -> FORCED_OPEN;
      case DISABLED -> DISABLED;
      default -> throw new IllegalArgumentException("a fleet override is FORCED_OPEN or DISABLED, not " + state);
    };
  }

  /**
   * One breaker's entry: an override, or the tombstone of a released one.
   *
   * @param untilMs when it ends by Redis time, 0 for never
   */
  record Entry(String breaker, long epoch, char kind, long sinceMs, long untilMs, String by, String reason) {

    boolean released() {
      return kind == RELEASED;
    }

    /** Whether it is in force at {@code redisMs}, a time by Redis's clock. */
    boolean activeAt(long redisMs) {
      return kind != RELEASED && (untilMs == 0 || redisMs < untilMs);
    }

    CircuitBreaker.State state() {
      return kind == DISABLED ? CircuitBreaker.State.DISABLED : CircuitBreaker.State.FORCED_OPEN;
    }

    FleetOverride toOverride() {
      return new FleetOverride(
          breaker, state(), reason, by, Instant.ofEpochMilli(sinceMs),
          untilMs == 0 ? Optional.empty() : Optional.of(Instant.ofEpochMilli(untilMs)));
    }

    String encode() {
      return epoch + "," + kind + "," + sinceMs + "," + untilMs + "," + by.length() + "," + by + reason;
    }

    /** Decodes a field and its value; returns null for anything that is not a well-formed entry. */
    static Entry decode(String field, String value) {
      if (field == null || value == null || !field.startsWith(FIELD)) {
        return null;
      }
      try {
        int[] commas = new int[5];
        int from = 0;
        for (int i = 0; i < 5; i++) {
          commas[i] = value.indexOf(',', from);
          if (commas[i] < 0) {
            return null;
          }
          from = commas[i] + 1;
        }
        String kind = value.substring(commas[0] + 1, commas[1]);
        int byLength = Integer.parseInt(value.substring(commas[3] + 1, commas[4]));
        int byEnd = commas[4] + 1 + byLength;
        if (kind.length() != 1 || "FDR".indexOf(kind.charAt(0)) < 0 || byLength < 0 || byEnd > value.length()) {
          return null;
        }
        return new Entry(
            field.substring(FIELD.length()),
            Long.parseLong(value.substring(0, commas[0])),
            kind.charAt(0),
            Long.parseLong(value.substring(commas[1] + 1, commas[2])),
            Long.parseLong(value.substring(commas[2] + 1, commas[3])),
            value.substring(commas[4] + 1, byEnd),
            value.substring(byEnd));
      } catch (NumberFormatException e) {
        return null;
      }
    }
  }

  /** Decodes the field/value pairs of the overrides hash from {@code from} on; other fields are skipped. */
  static Map<String, Entry> entries(List<?> reply, int from) {
    Map<String, Entry> out = new HashMap<>();
    for (int i = from; i + 1 < reply.size(); i += 2) {
      Entry e = Entry.decode(string(reply.get(i)), string(reply.get(i + 1)));
      if (e != null) {
        out.put(e.breaker(), e);
      }
    }
    return out;
  }

  static String string(Object o) {
    return o == null ? null : o.toString();
  }


  /**
   * What a heartbeat answered.
   *
   * @param twin another process run seen under this instance's id, or empty
   * @param nowMs Redis's time when it ran
   * @param epoch the overrides' epoch in Redis
   * @param entries every entry, or null when Redis held the epoch this instance knows (nothing new)
   * @param members the live members in SHARED mode, sorted; null when the reply did not say
   */
  record Heartbeat(String twin, long nowMs, long epoch, Map<String, Entry> entries, List<String> members) {

    Heartbeat(String twin, long nowMs, long epoch, Map<String, Entry> entries) {
      this(twin, nowMs, epoch, entries, null);
    }

    static Heartbeat parse(Object raw) {
      if (!(raw instanceof List<?> list) || list.size() < 4) {
        throw new IllegalStateException("unexpected reply from the heartbeat: " + raw);
      }
      String twin = list.get(0) == null ? "" : list.get(0).toString();
      String live = FleetScript.string(list.get(3));
      List<String> members = live.isEmpty() ? List.of() : List.of(live.split("\n"));
      return new Heartbeat(twin, FlushScript.number(list.get(1)), FlushScript.number(list.get(2)),
          list.size() > 4 ? FleetScript.entries(list, 4) : null, members);
    }
  }
}
