package dev.fusebox.redis;

import java.time.Instant;
import java.util.Objects;

/**
 * One instance of the fleet as Redis last heard of it, from the heartbeat every instance sends once per sync
 * period; see {@link FleetControl#members()}.
 *
 * <pre>{@code
 * for (FleetMember m : shared.fleet().members()) {
 *   System.out.printf("%s %s, seen %s%n", m.instanceId(), m.mode(), m.lastSeen());
 * }
 * }</pre>
 *
 * @param instanceId the instance's id
 * @param lastSeen when its last heartbeat reached Redis, by Redis's clock
 * @param mode the mode it reported then; {@link RedisSharedState.Mode#DEGRADED} as well when no heartbeat
 *     came for four sync periods (it cannot reach Redis, or it is gone: {@code lastSeen} tells how long ago)
 */
public record FleetMember(String instanceId, Instant lastSeen, RedisSharedState.Mode mode) {

  /**
   * Checks the components.
   *
   * @param instanceId the instance's id
   * @param lastSeen when its last heartbeat reached Redis
   * @param mode the mode it reported
   */
  public FleetMember {
    Objects.requireNonNull(instanceId, "instanceId must not be null");
    Objects.requireNonNull(lastSeen, "lastSeen must not be null");
    Objects.requireNonNull(mode, "mode must not be null");
  }
}
