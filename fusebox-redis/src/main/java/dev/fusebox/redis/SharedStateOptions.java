package dev.fusebox.redis;

import dev.fusebox.Ticker;
import java.time.Duration;

/** The validated options of a {@link RedisSharedState}, with the derived numbers the sync loop uses. */
record SharedStateOptions(
    String instanceId,
    String run,
    String keyPrefix,
    Duration syncInterval,
    Duration commandTimeout,
    Duration leaseDuration,
    Duration rampJitter,
    Duration fleetWindow,
    Duration keyTtl,
    Duration storeBackoffMax,
    DegradedPolicy degradedPolicy,
    boolean pubSub,
    Ticker ticker) {

  long syncNanos() {
    return syncInterval.toNanos();
  }

  /**
   * Counts older than this are dropped instead of merged: four sync periods, so a flush delayed by a
   * loaded machine still counts, and an outage's counts do not.
   */
  long staleMs() {
    return FleetConfig.ceilMillis(syncInterval.multipliedBy(4));
  }

  long staleNanos() {
    return syncInterval.multipliedBy(4).toNanos();
  }

  /** How long FAIL_CLOSED holds a breaker per renewal: two periods, so it ends soon after Redis is back. */
  Duration failClosedHold() {
    return syncInterval.multipliedBy(2).plus(commandTimeout);
  }

  /**
   * How long a fleet state restored from an instance's view grants no trial lease: two periods, so that
   * every instance has reported the leases it holds before more are handed out.
   */
  long settleMs() {
    return FleetConfig.ceilMillis(syncInterval.multipliedBy(2));
  }

  String channel() {
    return FlushScript.channel(keyPrefix);
  }
}
