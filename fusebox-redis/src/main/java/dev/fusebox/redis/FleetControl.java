package dev.fusebox.redis;

import dev.fusebox.circuitbreaker.CircuitBreaker;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Acts on a shared breaker for the whole fleet at once, and shows the fleet: the administration of a
 * {@link RedisSharedState}, from {@link RedisSharedState#fleet()}.
 *
 * <pre>{@code
 * FleetControl fleet = shared.fleet();
 * fleet.forceOpen("payments", Duration.ofMinutes(30), "INC-4711: the provider is down");
 * fleet.states("payments");            // {api-1=FORCED_OPEN, api-2=FORCED_OPEN, api-3=FORCED_OPEN}
 * fleet.release("payments", "INC-4711 resolved");
 * }</pre>
 *
 * <p>An override is kept in Redis with an epoch and announced on the state-change channel. Every instance
 * adopts it within one sync period (about one round trip with pub/sub), as does every instance that starts
 * later, before its breaker of that name takes a call; while it holds, the breaker reports
 * {@link CircuitBreaker.State#FORCED_OPEN} or {@link CircuitBreaker.State#DISABLED} from
 * {@code state()}. Instances keep it while Redis cannot be reached and carry it back into a Redis that lost
 * it (restarted empty, flushed, an older replica promoted), and an override with an end ends then by Redis's
 * clock, on every instance, even without Redis. Any instance may release it; the breakers then follow the
 * fleet's automatic state again (an opening in force holds them open). Each instance logs every override it
 * applies or lets go of with who set it, when and why, and publishes
 * {@link RedisSharedStateEvent.FleetOverrideApplied} and {@link RedisSharedStateEvent.FleetOverrideReleased}.
 * A breaker moved by hand on one instance while an override holds it goes back to the override's state at
 * once, with a warning naming the override and a {@link RedisSharedStateEvent.LocalChangeOverridden}.
 *
 * <p>Every method makes one round trip to Redis (two for {@link #states}), each bounded by the larger of the
 * command and connect timeouts, and throws
 * {@link IllegalStateException} when Redis cannot be used. Threadsafe.
 */
public final class FleetControl {

  private static final int LIVE_PERIODS = 4;

  private final SyncLoop loop;
  private final SharedStateOptions settings;
  private final String overridesKey;
  private final String membersKey;

  private final Duration timeout;

  FleetControl(SyncLoop loop, SharedStateOptions settings, Duration timeout) {
    this.loop = loop;
    this.settings = settings;
    this.timeout = timeout;
    this.overridesKey = FleetScript.overridesKey(settings.keyPrefix());
    this.membersKey = FlushScript.membersKey(settings.keyPrefix());
  }

  /**
   * Forces breaker {@code breaker} open on every instance until released.
   *
   * @param breaker the breaker's name
   * @param reason why, logged and shown on every instance
   * @return the override set
   */
  public FleetOverride forceOpen(String breaker, String reason) {
    return set(breaker, CircuitBreaker.State.FORCED_OPEN, null, reason);
  }

  /**
   * Forces breaker {@code breaker} open on every instance for {@code duration}, after which it follows the
   * fleet again by itself.
   *
   * @param breaker the breaker's name
   * @param duration how long, at most 365 days
   * @param reason why, logged and shown on every instance
   * @return the override set
   */
  public FleetOverride forceOpen(String breaker, Duration duration, String reason) {
    Objects.requireNonNull(duration, "duration must not be null");
    if (duration.isNegative() || duration.isZero() || duration.compareTo(Duration.ofDays(365)) > 0) {
      throw new IllegalArgumentException("duration must be positive and at most 365 days, was " + duration);
    }
    return set(breaker, CircuitBreaker.State.FORCED_OPEN, duration, reason);
  }

  /**
   * Disables breaker {@code breaker} on every instance until released: it lets every call through and records nothing.
   *
   * @param breaker the breaker's name
   * @param reason why, logged and shown on every instance
   * @return the override set
   */
  public FleetOverride disable(String breaker, String reason) {
    return set(breaker, CircuitBreaker.State.DISABLED, null, reason);
  }

  /**
   * Releases the override on breaker {@code breaker}: every instance's breaker follows the fleet's automatic
   * state again.
   *
   * @return whether an override was in force
   * @param breaker the breaker's name
   * @param reason why, logged on every instance
   */
  public boolean release(String breaker, String reason) {
    check(breaker, reason);
    List<?> reply = write("release", breaker, FleetScript.RELEASED, 0, reason);
    if (FlushScript.number(reply.get(1)) == 0) {
      return false;
    }
    adopt(reply, breaker);
    return FlushScript.number(reply.get(2)) == 1;
  }

  /**
   * Returns the overrides in force, by breaker name.
   *
   * @return the overrides, sorted by breaker name
   */
  public Map<String, FleetOverride> overrides() {
    List<?> reply = run(new String[] {overridesKey}, "read");
    long now = FlushScript.number(reply.get(0));
    Map<String, FleetOverride> out = new TreeMap<>();
    FleetScript.entries(reply, 1).forEach((name, e) -> {
      if (e.activeAt(now)) {
        out.put(name, e.toOverride());
      }
    });
    return Collections.unmodifiableMap(out);
  }

  /**
   * Returns the instances that sent a heartbeat within the key TTL, by instance id. One not heard of for
   * four sync periods is reported {@link RedisSharedState.Mode#DEGRADED}.
   *
   * @return the members, sorted by instance id
   */
  public List<FleetMember> members() {
    List<?> reply = run(new String[] {membersKey}, "members", Long.toString(settings.keyTtl().toMillis()));
    long now = FlushScript.number(reply.get(0));
    List<FleetMember> out = new ArrayList<>();
    for (Map.Entry<String, Member> m : members(reply, now).entrySet()) {
      out.add(m.getValue().toMember(m.getKey()));
    }
    out.sort(Comparator.comparing(FleetMember::instanceId));
    return List.copyOf(out);
  }

  /**
   * Returns each live instance's state of breaker {@code breaker}, by instance id, as of its last flush:
   * every instance that has the breaker and sent a heartbeat within four sync periods. A breaker flushes on
   * every state change, so the states are at most a round trip old.
   *
   * @param breaker the breaker's name
   * @return the states, sorted by instance id
   */
  public Map<String, CircuitBreaker.State> states(String breaker) {
    Objects.requireNonNull(breaker, "breaker must not be null");
    List<?> memberReply = run(new String[] {membersKey}, "members", Long.toString(settings.keyTtl().toMillis()));
    long now = FlushScript.number(memberReply.get(0));
    Map<String, Member> members = members(memberReply, now);
    List<?> records = run(new String[] {FlushScript.keys(settings.keyPrefix(), breaker)[2]}, "read");
    Map<String, CircuitBreaker.State> out = new TreeMap<>();
    for (int i = 1; i + 1 < records.size(); i += 2) {
      String who = FleetScript.string(records.get(i));
      String[] record = FleetScript.string(records.get(i + 1)).split(",");
      int slash = who.lastIndexOf('/');
      if (slash < 0 || record.length < 7) {
        continue;
      }
      Member m = members.get(who.substring(0, slash));
      // The record of the member's current process run only: an earlier run's lingers until it expires.
      if (m == null || !m.live || !who.substring(slash + 1).startsWith(m.run + ".")) {
        continue;
      }
      try {
        out.put(who.substring(0, slash), CircuitBreaker.State.valueOf(record[6]));
      } catch (IllegalArgumentException e) {
        // A state this version does not know: leave the instance out rather than guess.
      }
    }
    return Collections.unmodifiableMap(out);
  }

  /**
   * Reads the overrides into this instance's book, so that breakers created right after start-up adopt one
   * in force before their first call; best effort, the heartbeats bring them anyway.
   */
  void load() {
    List<?> reply = run(new String[] {overridesKey}, "read");
    long epoch = 0;
    for (int i = 1; i + 1 < reply.size(); i += 2) {
      if ("epoch".equals(FleetScript.string(reply.get(i)))) {
        epoch = FlushScript.number(reply.get(i + 1));
      }
    }
    loop.adopt(new FleetScript.Heartbeat("", FlushScript.number(reply.get(0)), epoch, FleetScript.entries(reply, 1)));
  }

  /**
   * Returns the fleet's state of breaker {@code breaker} and the outcomes in its fleet-wide window, as this
   * instance's last flush of it was answered: no round trip, and empty when the breaker is not shared here
   * or has not been answered yet. A closed fleet's window is summed on every flush that has something to
   * say; an idle breaker's is as old as its last flush ({@code asOf}).
   *
   * @param breaker the breaker's name
   * @return the fleet's view of it, or empty
   */
  public Optional<FleetWindow> window(String breaker) {
    Objects.requireNonNull(breaker, "breaker must not be null");
    SharedBreaker shared = loop.find(breaker);
    return shared == null ? Optional.empty() : Optional.ofNullable(shared.window());
  }

  @Override
  public String toString() {
    return "FleetControl[" + settings.instanceId() + ", prefix " + settings.keyPrefix() + "]";
  }

  private record Member(String run, long seenMs, RedisSharedState.Mode mode, boolean live) {
    FleetMember toMember(String id) {
      return new FleetMember(id, Instant.ofEpochMilli(seenMs), live ? mode : RedisSharedState.Mode.DEGRADED);
    }
  }

  private Map<String, Member> members(List<?> reply, long now) {
    long liveMs = FleetConfig.ceilMillis(settings.syncInterval().multipliedBy(LIVE_PERIODS));
    Map<String, Member> out = new HashMap<>();
    for (int i = 1; i + 1 < reply.size(); i += 2) {
      String[] parts = FleetScript.string(reply.get(i + 1)).split(",", 3);
      if (parts.length < 2) {
        continue;
      }
      try {
        long seen = Long.parseLong(parts[1]);
        RedisSharedState.Mode mode =
            parts.length == 3 && parts[2].equals("DEGRADED") ? RedisSharedState.Mode.DEGRADED : RedisSharedState.Mode.SHARED;
        out.put(FleetScript.string(reply.get(i)), new Member(parts[0], seen, mode, now - seen <= liveMs));
      } catch (NumberFormatException e) {
        // Not a member entry this version wrote.
      }
    }
    return out;
  }

  private FleetOverride set(String breaker, CircuitBreaker.State state, Duration duration, String reason) {
    check(breaker, reason);
    long durationMs = duration == null ? 0 : Math.max(1, duration.toMillis());
    List<?> reply = write("set", breaker, FleetScript.kind(state), durationMs, reason);
    return adopt(reply, breaker).toOverride();
  }

  private static void check(String breaker, String reason) {
    Objects.requireNonNull(breaker, "breaker must not be null");
    Objects.requireNonNull(reason, "reason must not be null");
    if (breaker.isEmpty()) {
      throw new IllegalArgumentException("breaker must not be empty");
    }
    if (reason.isBlank()) {
      throw new IllegalArgumentException(
          "reason must say why (it is logged and shown on every instance), was '" + reason + "'");
    }
  }

  private List<?> write(String op, String breaker, char kind, long durationMs, String reason) {
    return run(
        new String[] {overridesKey},
        op,
        FleetScript.field(breaker),
        String.valueOf(kind),
        Long.toString(durationMs),
        settings.instanceId(),
        reason,
        Long.toString(loop.overrides.epoch()),
        settings.channel(),
        Long.toString(settings.keyTtl().toMillis()));
  }

  /** This instance's breakers follow what it wrote before the call returns; the others, on the message. */
  private FleetScript.Entry adopt(List<?> reply, String breaker) {
    FleetScript.Entry e = FleetScript.Entry.decode(FleetScript.field(breaker), FleetScript.string(reply.get(3)));
    if (e == null) {
      throw new IllegalStateException("unexpected reply from the fleet script: " + reply);
    }
    loop.adopt(e, FlushScript.number(reply.get(0)));
    return e;
  }

  private List<?> run(String[] keys, String... args) {
    long bound = timeout.toMillis() + 1000;
    try {
      return loop.fleetCommand(keys, args).get(bound, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          "The fleet of '" + settings.instanceId() + "' cannot be reached through Redis: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          "The fleet of '" + settings.instanceId() + "' cannot be reached through Redis: no answer in " + bound + " ms", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while reaching the fleet through Redis", e);
    }
  }
}
