package dev.fusebox.spring.redis;

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

  /** Prefix of every key, so several applications can share one Redis (default spring.application.name). */
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

  /**
   * Returns the option: the Redis to share breakers through: redis://[password@]host:port[/db]. Setting it turns sharing on.
   *
   * @return the Redis to share breakers through: redis://[password@]host:port[/db]; null when unset
   */
  public String getUri() {
    return uri;
  }

  /**
   * Sets the option: the Redis to share breakers through: redis://[password@]host:port[/db]. Setting it turns sharing on.
   *
   * @param uri the Redis to share breakers through: redis://[password@]host:port[/db]; null to leave it unset
   */
  public void setUri(String uri) {
    this.uri = uri;
  }

  /**
   * Returns the option: this instance's id, as the fleet sees it (default: host name and process id).
   *
   * @return this instance's id, as the fleet sees it (default: host name and process id); null when unset
   */
  public String getInstanceId() {
    return instanceId;
  }

  /**
   * Sets the option: this instance's id, as the fleet sees it (default: host name and process id).
   *
   * @param instanceId this instance's id, as the fleet sees it (default: host name and process id); null to
   *     leave it unset
   */
  public void setInstanceId(String instanceId) {
    this.instanceId = instanceId;
  }

  /**
   * Returns the option: prefix of every key, so several applications can share one Redis (default
   * spring.application.name).
   *
   * @return prefix of every key, so several applications can share one Redis (default
   *     spring.application.name); null when unset
   */
  public String getKeyPrefix() {
    return keyPrefix;
  }

  /**
   * Sets the option: prefix of every key, so several applications can share one Redis (default
   * spring.application.name).
   *
   * @param keyPrefix prefix of every key, so several applications can share one Redis (default
   *     spring.application.name); null to leave it unset
   */
  public void setKeyPrefix(String keyPrefix) {
    this.keyPrefix = keyPrefix;
  }

  /**
   * Returns the option: how often counts are flushed and the fleet's state learnt (10ms to 1m; default 500ms).
   *
   * @return how often counts are flushed and the fleet's state learnt (10ms to 1m; default 500ms); null when
   *     unset
   */
  public Duration getSyncInterval() {
    return syncInterval;
  }

  /**
   * Sets the option: how often counts are flushed and the fleet's state learnt (10ms to 1m; default 500ms).
   *
   * @param syncInterval how often counts are flushed and the fleet's state learnt (10ms to 1m; default 500ms);
   *     null to leave it unset
   */
  public void setSyncInterval(Duration syncInterval) {
    this.syncInterval = syncInterval;
  }

  /**
   * Returns the option: longest wait for Redis to answer; below sync-interval.
   *
   * @return longest wait for Redis to answer; below sync-interval; null when unset
   */
  public Duration getCommandTimeout() {
    return commandTimeout;
  }

  /**
   * Sets the option: longest wait for Redis to answer; below sync-interval.
   *
   * @param commandTimeout longest wait for Redis to answer; below sync-interval; null to leave it unset
   */
  public void setCommandTimeout(Duration commandTimeout) {
    this.commandTimeout = commandTimeout;
  }

  /**
   * Returns the option: longest wait to connect (default 2s).
   *
   * @return longest wait to connect (default 2s); null when unset
   */
  public Duration getConnectTimeout() {
    return connectTimeout;
  }

  /**
   * Sets the option: longest wait to connect (default 2s).
   *
   * @param connectTimeout longest wait to connect (default 2s); null to leave it unset
   */
  public void setConnectTimeout(Duration connectTimeout) {
    this.connectTimeout = connectTimeout;
  }

  /**
   * Returns the option: what breakers do while Redis cannot be used: LOCAL (default), LAST_KNOWN or FAIL_CLOSED.
   *
   * @return what breakers do while Redis cannot be used: LOCAL (default), LAST_KNOWN or FAIL_CLOSED; null when
   *     unset
   */
  public DegradedPolicy getDegradedPolicy() {
    return degradedPolicy;
  }

  /**
   * Sets the option: what breakers do while Redis cannot be used: LOCAL (default), LAST_KNOWN or FAIL_CLOSED.
   *
   * @param degradedPolicy what breakers do while Redis cannot be used: LOCAL (default), LAST_KNOWN or
   *     FAIL_CLOSED; null to leave it unset
   */
  public void setDegradedPolicy(DegradedPolicy degradedPolicy) {
    this.degradedPolicy = degradedPolicy;
  }

  /**
   * Returns the option: fAIL (default): the application does not start without Redis; START_DEGRADED: it starts with local breakers.
   *
   * @return FAIL (default): the application does not start without Redis; START_DEGRADED: it starts with local
   *     breakers; null when unset
   */
  public StartupPolicy getStartupPolicy() {
    return startupPolicy;
  }

  /**
   * Sets the option: fAIL (default): the application does not start without Redis; START_DEGRADED: it starts with local breakers.
   *
   * @param startupPolicy FAIL (default): the application does not start without Redis; START_DEGRADED: it
   *     starts with local breakers; null to leave it unset
   */
  public void setStartupPolicy(StartupPolicy startupPolicy) {
    this.startupPolicy = startupPolicy;
  }

  /**
   * Returns the option: how long a half-open trial lease lasts before it counts as failed (default 10s).
   *
   * @return how long a half-open trial lease lasts before it counts as failed (default 10s); null when unset
   */
  public Duration getLeaseDuration() {
    return leaseDuration;
  }

  /**
   * Sets the option: how long a half-open trial lease lasts before it counts as failed (default 10s).
   *
   * @param leaseDuration how long a half-open trial lease lasts before it counts as failed (default 10s); null
   *     to leave it unset
   */
  public void setLeaseDuration(Duration leaseDuration) {
    this.leaseDuration = leaseDuration;
  }

  /**
   * Returns the option: random offset of each instance's recovery ramp (default 1s).
   *
   * @return random offset of each instance's recovery ramp (default 1s); null when unset
   */
  public Duration getRampJitter() {
    return rampJitter;
  }

  /**
   * Sets the option: random offset of each instance's recovery ramp (default 1s).
   *
   * @param rampJitter random offset of each instance's recovery ramp (default 1s); null to leave it unset
   */
  public void setRampJitter(Duration rampJitter) {
    this.rampJitter = rampJitter;
  }

  /**
   * Returns the option: span of the fleet-wide window (default 10s).
   *
   * @return span of the fleet-wide window (default 10s); null when unset
   */
  public Duration getFleetWindow() {
    return fleetWindow;
  }

  /**
   * Sets the option: span of the fleet-wide window (default 10s).
   *
   * @param fleetWindow span of the fleet-wide window (default 10s); null to leave it unset
   */
  public void setFleetWindow(Duration fleetWindow) {
    this.fleetWindow = fleetWindow;
  }

  /**
   * Returns the option: expiry of the keys of breakers no instance uses (default 1h).
   *
   * @return expiry of the keys of breakers no instance uses (default 1h); null when unset
   */
  public Duration getKeyTtl() {
    return keyTtl;
  }

  /**
   * Sets the option: expiry of the keys of breakers no instance uses (default 1h).
   *
   * @param keyTtl expiry of the keys of breakers no instance uses (default 1h); null to leave it unset
   */
  public void setKeyTtl(Duration keyTtl) {
    this.keyTtl = keyTtl;
  }

  /**
   * Returns the option: longest pause between reconnection attempts (default 10s).
   *
   * @return longest pause between reconnection attempts (default 10s); null when unset
   */
  public Duration getStoreBackoffMax() {
    return storeBackoffMax;
  }

  /**
   * Sets the option: longest pause between reconnection attempts (default 10s).
   *
   * @param storeBackoffMax longest pause between reconnection attempts (default 10s); null to leave it unset
   */
  public void setStoreBackoffMax(Duration storeBackoffMax) {
    this.storeBackoffMax = storeBackoffMax;
  }

  /**
   * Returns the option: whether state changes are also pushed to every instance at once (default true).
   *
   * @return whether state changes are also pushed to every instance at once (default true); null when unset
   */
  public Boolean getPubSub() {
    return pubSub;
  }

  /**
   * Sets the option: whether state changes are also pushed to every instance at once (default true).
   *
   * @param pubSub whether state changes are also pushed to every instance at once (default true); null to leave
   *     it unset
   */
  public void setPubSub(Boolean pubSub) {
    this.pubSub = pubSub;
  }

  /**
   * Returns the option: whether uri names a node of a Redis Cluster rather than a standalone Redis (default false).
   *
   * @return whether uri names a node of a Redis Cluster rather than a standalone Redis (default false); null
   *     when unset
   */
  public Boolean getCluster() {
    return cluster;
  }

  /**
   * Sets the option: whether uri names a node of a Redis Cluster rather than a standalone Redis (default false).
   *
   * @param cluster whether uri names a node of a Redis Cluster rather than a standalone Redis (default false);
   *     null to leave it unset
   */
  public void setCluster(Boolean cluster) {
    this.cluster = cluster;
  }
}
