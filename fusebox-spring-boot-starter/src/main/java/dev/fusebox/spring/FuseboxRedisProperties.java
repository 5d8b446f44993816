package dev.fusebox.spring;

import dev.fusebox.redis.DegradedPolicy;
import dev.fusebox.redis.StartupPolicy;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Sharing circuit breakers among every instance of the application through Redis, under
 * {@code fusebox.redis}: on when {@code uri} is set and fusebox-redis is on the class path. Unset options
 * keep fusebox-redis's defaults.
 *
 * <pre>{@code
 * fusebox:
 *   redis:
 *     uri: redis://redis.internal:6379
 *     degraded-policy: LAST_KNOWN
 * }</pre>
 */
@ConfigurationProperties(prefix = "fusebox.redis", ignoreUnknownFields = false)
public class FuseboxRedisProperties {

  /** The Redis to share breakers through: redis://[password@]host:port[/db]. Setting it turns sharing on. */
  private String uri;

  /** This instance's id, as the fleet sees it (default: host name and process id). */
  private String instanceId;

  /** Prefix of every key, so several applications can share one Redis (default fusebox). */
  private String keyPrefix;

  /** How often counts are flushed and the fleet's state learnt (10ms to 1m; default 500ms). */
  private Duration syncInterval;

  /** Longest wait for Redis to answer; below sync-interval. */
  private Duration commandTimeout;

  /** Longest wait to connect (default 2s). */
  private Duration connectTimeout;

  /** What breakers do while Redis cannot be used: LOCAL (default), LAST_KNOWN or FAIL_CLOSED. */
  private DegradedPolicy degradedPolicy;

  /** FAIL (default): the application does not start without Redis; START_DEGRADED: it starts with local breakers. */
  private StartupPolicy startupPolicy;

  /** How long a half-open trial lease lasts before it counts as failed (default 10s). */
  private Duration leaseDuration;

  /** Random offset of each instance's recovery ramp (default 1s). */
  private Duration rampJitter;

  /** Span of the fleet-wide window (default 10s). */
  private Duration fleetWindow;

  /** Expiry of the keys of breakers no instance uses (default 1h). */
  private Duration keyTtl;

  /** Longest pause between reconnection attempts (default 10s). */
  private Duration storeBackoffMax;

  /** Whether state changes are also pushed to every instance at once (default true). */
  private Boolean pubSub;

  /** Whether uri names a node of a Redis Cluster rather than a standalone Redis (default false). */
  private Boolean cluster;

  /** Creates empty properties, for the binder. */
  public FuseboxRedisProperties() {}

  /** Returns the option: the Redis to share breakers through: redis://[password@]host:port[/db]. Setting it turns sharing on. */
  public String getUri() {
    return uri;
  }

  /** Sets the option: the Redis to share breakers through: redis://[password@]host:port[/db]. Setting it turns sharing on. */
  public void setUri(String uri) {
    this.uri = uri;
  }

  /** Returns the option: this instance's id, as the fleet sees it (default: host name and process id). */
  public String getInstanceId() {
    return instanceId;
  }

  /** Sets the option: this instance's id, as the fleet sees it (default: host name and process id). */
  public void setInstanceId(String instanceId) {
    this.instanceId = instanceId;
  }

  /** Returns the option: prefix of every key, so several applications can share one Redis (default fusebox). */
  public String getKeyPrefix() {
    return keyPrefix;
  }

  /** Sets the option: prefix of every key, so several applications can share one Redis (default fusebox). */
  public void setKeyPrefix(String keyPrefix) {
    this.keyPrefix = keyPrefix;
  }

  /** Returns the option: how often counts are flushed and the fleet's state learnt (10ms to 1m; default 500ms). */
  public Duration getSyncInterval() {
    return syncInterval;
  }

  /** Sets the option: how often counts are flushed and the fleet's state learnt (10ms to 1m; default 500ms). */
  public void setSyncInterval(Duration syncInterval) {
    this.syncInterval = syncInterval;
  }

  /** Returns the option: longest wait for Redis to answer; below sync-interval. */
  public Duration getCommandTimeout() {
    return commandTimeout;
  }

  /** Sets the option: longest wait for Redis to answer; below sync-interval. */
  public void setCommandTimeout(Duration commandTimeout) {
    this.commandTimeout = commandTimeout;
  }

  /** Returns the option: longest wait to connect (default 2s). */
  public Duration getConnectTimeout() {
    return connectTimeout;
  }

  /** Sets the option: longest wait to connect (default 2s). */
  public void setConnectTimeout(Duration connectTimeout) {
    this.connectTimeout = connectTimeout;
  }

  /** Returns the option: what breakers do while Redis cannot be used: LOCAL (default), LAST_KNOWN or FAIL_CLOSED. */
  public DegradedPolicy getDegradedPolicy() {
    return degradedPolicy;
  }

  /** Sets the option: what breakers do while Redis cannot be used: LOCAL (default), LAST_KNOWN or FAIL_CLOSED. */
  public void setDegradedPolicy(DegradedPolicy degradedPolicy) {
    this.degradedPolicy = degradedPolicy;
  }

  /** Returns the option: fAIL (default): the application does not start without Redis; START_DEGRADED: it starts with local breakers. */
  public StartupPolicy getStartupPolicy() {
    return startupPolicy;
  }

  /** Sets the option: fAIL (default): the application does not start without Redis; START_DEGRADED: it starts with local breakers. */
  public void setStartupPolicy(StartupPolicy startupPolicy) {
    this.startupPolicy = startupPolicy;
  }

  /** Returns the option: how long a half-open trial lease lasts before it counts as failed (default 10s). */
  public Duration getLeaseDuration() {
    return leaseDuration;
  }

  /** Sets the option: how long a half-open trial lease lasts before it counts as failed (default 10s). */
  public void setLeaseDuration(Duration leaseDuration) {
    this.leaseDuration = leaseDuration;
  }

  /** Returns the option: random offset of each instance's recovery ramp (default 1s). */
  public Duration getRampJitter() {
    return rampJitter;
  }

  /** Sets the option: random offset of each instance's recovery ramp (default 1s). */
  public void setRampJitter(Duration rampJitter) {
    this.rampJitter = rampJitter;
  }

  /** Returns the option: span of the fleet-wide window (default 10s). */
  public Duration getFleetWindow() {
    return fleetWindow;
  }

  /** Sets the option: span of the fleet-wide window (default 10s). */
  public void setFleetWindow(Duration fleetWindow) {
    this.fleetWindow = fleetWindow;
  }

  /** Returns the option: expiry of the keys of breakers no instance uses (default 1h). */
  public Duration getKeyTtl() {
    return keyTtl;
  }

  /** Sets the option: expiry of the keys of breakers no instance uses (default 1h). */
  public void setKeyTtl(Duration keyTtl) {
    this.keyTtl = keyTtl;
  }

  /** Returns the option: longest pause between reconnection attempts (default 10s). */
  public Duration getStoreBackoffMax() {
    return storeBackoffMax;
  }

  /** Sets the option: longest pause between reconnection attempts (default 10s). */
  public void setStoreBackoffMax(Duration storeBackoffMax) {
    this.storeBackoffMax = storeBackoffMax;
  }

  /** Returns the option: whether state changes are also pushed to every instance at once (default true). */
  public Boolean getPubSub() {
    return pubSub;
  }

  /** Sets the option: whether state changes are also pushed to every instance at once (default true). */
  public void setPubSub(Boolean pubSub) {
    this.pubSub = pubSub;
  }

  /** Returns the option: whether uri names a node of a Redis Cluster rather than a standalone Redis (default false). */
  public Boolean getCluster() {
    return cluster;
  }

  /** Sets the option: whether uri names a node of a Redis Cluster rather than a standalone Redis (default false). */
  public void setCluster(Boolean cluster) {
    this.cluster = cluster;
  }
}
