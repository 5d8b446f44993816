package dev.fusebox.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The Lua script that flushes one breaker of one instance ({@code flush.lua}, beside this class), its keys
 * and arguments, and its reply.
 *
 * <p>Keys of one breaker share the hash tag {@code {prefix:name}} (see {@link #hashTag} for how a prefix
 * with colons is written), so they live in one slot and the script runs on Redis Cluster too:
 * <ul>
 *   <li>{@code {prefix:name}:s} hash: the fleet state (state, epoch, open-until, backoff level, when the
 *       state began, the half-open trial tally, whether the last closing was a recovery, the configuration
 *       fingerprint and who set it);</li>
 *   <li>{@code {prefix:name}:w} hash: the window, three counters (calls, failures, slow calls) per time
 *       bucket;</li>
 *   <li>{@code {prefix:name}:i} hash: per instance, its run, last sequence number and the cumulative counts
 *       already merged;</li>
 *   <li>{@code {prefix:name}:l} hash: per instance, the trial leases of the current half-open epoch;</li>
 *   <li>{@code {prefix:name}:z} sorted set: when each instance last flushed.</li>
 * </ul>
 * Every key expires {@code keyTtl} after the last flush of any instance (plus the remaining open time).
 */
final class FlushScript {

  static final int CLOSED = 0;
  static final int OPEN = 1;
  static final int HALF_OPEN = 2;

  static final String SOURCE = load();

  private FlushScript() {}

  private static String load() {
    return resource("flush.lua");
  }

  /** Reads a script beside this class; fusebox-redis's jar always has it. */
  static String resource(String name) {
    try (InputStream in = FlushScript.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException(name + " is missing from fusebox-redis");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads a number of a script's reply, which Lettuce hands over as a Long or, in nested lists, as text. */
  static long number(Object o) {
    if (o instanceof Number n) {
      return n.longValue();
    }
    return Long.parseLong(String.valueOf(o));
  }

  /**
   * The hash tag shared by every key of one breaker: {@code {prefix:name}}, with each {@code :} of the
   * prefix written {@code \:}. The first unescaped {@code :} so always ends the prefix, and no two pairs of
   * prefix and name share a tag (prefix {@code a} with breaker {@code b:c}, prefix {@code a:b} with breaker
   * {@code c}); a prefix without colons, the common case, is written as it is, so an ACL key pattern
   * {@code {prefix:*} covers exactly one prefix's keys. Prefixes have no backslash (the builder rejects it),
   * which keeps the escape unambiguous.
   */
  static String hashTag(String prefix, String breakerName) {
    return "{" + escapedPrefix(prefix) + ":" + breakerName + "}";
  }

  /** The prefix as it begins every key: its colons escaped, see {@link #hashTag}. */
  static String escapedPrefix(String prefix) {
    return prefix.indexOf(':') < 0 ? prefix : prefix.replace(":", "\\:");
  }

  static String[] keys(String prefix, String breakerName) {
    String tag = hashTag(prefix, breakerName);
    return new String[] {tag + ":s", tag + ":w", tag + ":i", tag + ":l", tag + ":z"};
  }

  /**
   * The pub/sub channel on which every state change of breakers under this prefix is announced; distinct
   * per prefix as it is, since only the fixed suffix follows the prefix.
   */
  static String channel(String prefix) {
    return prefix + ":changes";
  }

  /**
   * The key of the instances' heartbeats under this prefix: a hash from instance id to the process run last
   * seen under it, when, and the mode it reported.
   */
  static String membersKey(String prefix) {
    return hashTag(prefix, "") + ":m";
  }

  /** No view: the instance has applied no reply for this breaker yet. */
  static final int NO_VIEW = -1;

  /**
   * What one instance tells the script about one breaker.
   *
   * <p>The view ({@code viewState} to {@code viewLevel}) is the fleet state of the last reply this instance
   * applied, never one a message announced: a Redis that has an older state, or none, restores it from
   * there, so a message cannot write into Redis. {@code ackedSeq} is the sequence number of the last flush
   * whose reply the instance received: a record older than that is one Redis lost.
   */
  record Request(
      String instanceId,
      String run,
      long seq,
      long calls,
      long failures,
      long slowCalls,
      boolean recent,
      long knownEpoch,
      long leasesReceived,
      long trialsDone,
      long trialsFailed,
      long trialsSlow,
      long leasesReturned,
      int leasesWanted,
      double random,
      int viewState,
      long viewEpoch,
      long viewRemainingMs,
      int viewLevel,
      long ackedSeq) {}

  /** The arguments of one flush, in the order the script reads them. */
  static String[] args(
      Request r,
      FleetConfig c,
      long leaseMs,
      long staleMs,
      long ttlMs,
      long settleMs,
      String channel,
      String name,
      String localState,
      long probedEpoch) {
    return new String[] {
      r.instanceId(),
      r.run(),
      Long.toString(r.seq()),
      Long.toString(r.calls()),
      Long.toString(r.failures()),
      Long.toString(r.slowCalls()),
      r.recent() ? "1" : "0",
      Long.toString(r.knownEpoch()),
      Long.toString(r.leasesReceived()),
      Long.toString(r.trialsDone()),
      Long.toString(r.trialsFailed()),
      Long.toString(r.trialsSlow()),
      Long.toString(r.leasesReturned()),
      Integer.toString(r.leasesWanted()),
      Double.toString(r.random()),
      Long.toString(c.spanMs),
      Long.toString(c.bucketMs),
      Integer.toString(c.windowSize),
      Integer.toString(c.minimumCalls),
      Double.toString(c.failureRateThreshold),
      Double.toString(c.slowCallRateThreshold),
      Long.toString(c.waitMs),
      Double.toString(c.backoffMultiplier),
      Long.toString(c.backoffMaxMs),
      Double.toString(c.jitter),
      Integer.toString(c.permittedTrials),
      Long.toString(c.halfOpenMaxMs),
      Long.toString(c.rampMs),
      Long.toString(leaseMs),
      Long.toString(staleMs),
      Long.toString(ttlMs),
      c.fingerprint,
      channel,
      name,
      Integer.toString(r.viewState()),
      Long.toString(r.viewEpoch()),
      Long.toString(r.viewRemainingMs()),
      Integer.toString(r.viewLevel()),
      Long.toString(settleMs),
      Long.toString(r.ackedSeq()),
      localState,
      Long.toString(probedEpoch)
    };
  }

  /**
   * The fleet state the script returned.
   *
   * @param state {@link #CLOSED}, {@link #OPEN} or {@link #HALF_OPEN}
   * @param epoch numbers the fleet's states; changes with every transition
   * @param remainingMs while open, how long until the fleet's next trial, by Redis time
   * @param sinceMs how long the fleet has been in this state, by Redis time
   * @param recovered whether the fleet closed after half-open trials (and so ramps up)
   * @param granted trial leases granted to this instance by this flush
   * @param level the backoff level
   * @param lost whether Redis had no state for the breaker, no record of this instance's earlier flushes, or
   *     one older than the last flush this instance was answered for: a new breaker, or a Redis that lost
   *     its data (restarted empty or from an older RDB, keys deleted or expired, an older replica promoted)
   * @param duplicate whether this flush's sequence number had been merged already
   * @param otherInstance the instance whose configuration fingerprint differs from ours, or empty
   * @param otherFingerprint its fingerprint, or empty
   * @param restored whether this flush restored the fleet state from this instance's view, because Redis
   *     had none or an older one
   * @param windowCalls the calls in the fleet's window after this flush, 0 while the fleet is not closed,
   *     -1 when this flush did not sum it
   * @param windowFailures the failures among them
   * @param windowSlowCalls the slow calls among them
   */
  record Reply(
      int state,
      long epoch,
      long remainingMs,
      long sinceMs,
      boolean recovered,
      int granted,
      int level,
      boolean lost,
      boolean duplicate,
      String otherInstance,
      String otherFingerprint,
      boolean restored,
      long windowCalls,
      long windowFailures,
      long windowSlowCalls) {

    static Reply parse(Object raw) {
      if (!(raw instanceof List<?> list) || list.size() < 11) {
        throw new IllegalStateException("unexpected reply from the flush script: " + raw);
      }
      String theirs = list.get(9) == null ? "" : list.get(9).toString();
      int space = theirs.lastIndexOf(' ');
      return new Reply(
          (int) number(list.get(0)),
          number(list.get(1)),
          number(list.get(2)),
          number(list.get(3)),
          number(list.get(4)) == 1,
          (int) number(list.get(5)),
          (int) number(list.get(6)),
          number(list.get(7)) == 1,
          number(list.get(8)) == 1,
          space < 0 ? "" : theirs.substring(0, space),
          space < 0 ? "" : theirs.substring(space + 1),
          number(list.get(10)) == 1,
          list.size() >= 14 ? number(list.get(11)) : -1,
          list.size() >= 14 ? number(list.get(12)) : -1,
          list.size() >= 14 ? number(list.get(13)) : -1);
    }
  }
}
