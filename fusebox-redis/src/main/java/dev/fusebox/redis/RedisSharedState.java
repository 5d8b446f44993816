package dev.fusebox.redis;

import dev.fusebox.Subscription;
import dev.fusebox.Ticker;
import dev.fusebox.circuitbreaker.CircuitBreaker;
import dev.fusebox.circuitbreaker.CircuitBreakerConfig;
import dev.fusebox.circuitbreaker.CircuitBreakerRegistry;
import io.lettuce.core.RedisCredentialsProvider;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SslOptions;
import io.lettuce.core.StaticCredentialsProvider;
import io.lettuce.core.resource.ClientResources;
import java.nio.file.Files;
import java.nio.file.Path;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Shares circuit breakers among every instance of a service through Redis: one breaker per name for the
 * whole fleet, with no Redis on the call path.
 *
 * <p>Each instance keeps a plain local {@link CircuitBreaker} that decides every call by itself, at the
 * cost of a local one. A sync thread flushes each breaker's counts to Redis every
 * {@linkplain Builder#syncInterval(Duration) sync period} (one pipelined round trip for all breakers), where
 * a Lua script merges them into a fleet-wide window, evaluates it with the breaker's thresholds, moves the
 * fleet's state and returns it. The shared state can only make the local breaker more restrictive:
 * <ul>
 *   <li>the fleet opens (its window crossed a threshold): every instance's breaker is held open until the
 *       fleet's wait ends, within about one round trip (state changes are published) and at most one sync
 *       period (every flush returns the state);</li>
 *   <li>the fleet is half-open: trials run only against leases granted by the script, so the fleet runs at
 *       most {@link CircuitBreakerConfig#permittedNumberOfCallsInHalfOpenState()} trials in all; a lease
 *       not reported within the {@linkplain Builder#leaseDuration(Duration) lease duration} counts as a
 *       failed trial, so nothing sticks half-open;</li>
 *   <li>the fleet recovers: every instance follows the {@linkplain CircuitBreakerConfig#recoveryRamp()
 *       recovery ramp} from the fleet's closing, each offset by a random {@linkplain
 *       Builder#rampJitter(Duration) jitter}.</li>
 * </ul>
 * A breaker that opens by itself stays open (one sick instance does not open the fleet while the fleet's
 * failure rate is below the threshold), and nothing here ever closes a breaker. When Redis is down,
 * paused, slow or restarted empty, the instance is {@link Mode#DEGRADED} and applies its
 * {@link DegradedPolicy}; it goes back to {@link Mode#SHARED} by itself.
 *
 * <pre>{@code
 * try (RedisSharedState shared = RedisSharedState.builder()
 *     .uri("redis://redis.internal:6379")
 *     .build()) {
 *   CircuitBreakerRegistry registry = shared.registry(CircuitBreakerConfig.ofDefaults());
 *   CircuitBreaker inventory = registry.circuitBreaker("inventory");   // shared with every instance
 *   String stock = inventory.executeSupplier(() -> client.fetch(sku));
 * }
 * }</pre>
 *
 * <p>A breaker name is shared by at most one registry per {@code RedisSharedState}. This class is
 * threadsafe; {@link #close()} stops the sync thread and the connections, and leaves the breakers working
 * as local ones.
 */
public final class RedisSharedState implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger("dev.fusebox.redis");

  /** Whether an instance currently shares its breakers' state through Redis. */
  public enum Mode {
    /** Flushes reach Redis: breakers follow the fleet. */
    SHARED,
    /** Redis cannot be used: breakers follow the {@link DegradedPolicy}. */
    DEGRADED
  }

  /**
   * A snapshot of the sync loop's numbers, for monitoring and for measuring Redis load.
   *
   * @param mode the current mode
   * @param breakers the breakers shared
   * @param flushes round trips that succeeded; each runs the script once per breaker
   * @param failedFlushes round trips that failed or timed out
   * @param scripts flush scripts answered, over all breakers
   * @param messages state-change messages received
   * @param modeChanges switches between {@link Mode#SHARED} and {@link Mode#DEGRADED}
   * @param configurationMismatches configuration mismatches reported
   * @param lastRoundTrip how long the last successful round trip took
   */
  public record Metrics(
      Mode mode,
      int breakers,
      long flushes,
      long failedFlushes,
      long scripts,
      long messages,
      long modeChanges,
      long configurationMismatches,
      Duration lastRoundTrip) {}

  private final SharedStateOptions settings;
  private final RedisStore store;
  private final SyncLoop loop;
  private final FleetControl fleet;
  private final String description;

  private RedisSharedState(Builder b, RedisURI uri, SharedStateOptions settings) {
    this.settings = settings;
    this.description = describe(uri, b.cluster);
    SyncLoop[] holder = new SyncLoop[1];
    this.store =
        new RedisStore(
            uri,
            b.cluster,
            b.clientResources,
            b.commandTimeout(),
            b.connectTimeout,
            b.sslOptions(uri),
            settings.channel(),
            b.pubSub,
            message -> holder[0].onMessage(message));
    boolean connected;
    try {
      // The attempt has its own deadline; the margin only guards against a stuck client.
      long bound = b.connectTimeout.multipliedBy(3).toMillis() + 1000;
      store.connect().get(bound, TimeUnit.MILLISECONDS);
      connected = true;
    } catch (ExecutionException | TimeoutException e) {
      Throwable cause = e instanceof ExecutionException ? RedisStore.unwrap(e.getCause()) : e;
      if (b.startupPolicy == StartupPolicy.FAIL) {
        store.close();
        throw new IllegalStateException(
            "Redis at " + description + " cannot be used (uri " + safe(b.uri) + "): " + cause
                + "; set startupPolicy(START_DEGRADED) to start with local breakers instead", cause);
      }
      LOG.log(
          Level.WARNING,
          "Redis at {0} cannot be used ({1}); shared breakers of ''{2}'' start locally ({3} policy) and"
              + " connect when it answers",
          description, cause, settings.instanceId(), settings.degradedPolicy());
      store.drop();
      connected = false;
    } catch (InterruptedException e) {
      store.close();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while connecting to Redis at " + description, e);
    }
    this.loop = new SyncLoop(settings, store, connected);
    holder[0] = loop;
    loop.start();
    this.fleet = new FleetControl(loop, settings, max(settings.commandTimeout(), b.connectTimeout));
    if (connected) {
      try {
        fleet.load();
      } catch (IllegalStateException e) {
        LOG.log(Level.DEBUG, "Fleet overrides not read at start-up, the first heartbeat brings them: {0}", e.getMessage());
      }
    }
  }

  /**
   * Returns a builder; {@link Builder#uri(String)} is the one option without a default.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns a new registry whose breakers are shared with every instance that uses the same Redis, key
   * prefix and breaker name. Use it as any {@link CircuitBreakerRegistry}; its breakers' calls never touch
   * Redis.
   *
   * @param defaultConfig the configuration of breakers created without one; every instance sharing a
   *     breaker should use the same (differences are reported, see
   *     {@link RedisSharedStateEvent.ConfigurationMismatch})
   * @return the registry; its breakers are shared
   */
  public CircuitBreakerRegistry registry(CircuitBreakerConfig defaultConfig) {
    Objects.requireNonNull(defaultConfig, "defaultConfig must not be null");
    return CircuitBreakerRegistry.coordinated(defaultConfig, loop);
  }

  /**
   * Returns the administration of the whole fleet: overrides that force a breaker open or disable it on
   * every instance, the fleet's members, and each instance's state of a breaker.
   *
   * <pre>{@code
   * shared.fleet().forceOpen("payments", "INC-4711: the provider is down");
   * }</pre>
   *
   * @return the fleet's administration, one per shared state
   */
  public FleetControl fleet() {
    return fleet;
  }

  /**
   * Returns whether breakers currently follow the fleet or the degraded policy.
   *
   * @return {@link Mode#SHARED} or {@link Mode#DEGRADED}
   */
  public Mode mode() {
    return loop.mode();
  }

  /**
   * Returns this instance's id, as other instances and Redis see it.
   *
   * @return the instance id
   */
  public String instanceId() {
    return settings.instanceId();
  }

  /**
   * Returns the breaker that guards Redis itself: it opens after two failed round trips in a row (the
   * instance is then degraded) and lets one reconnection attempt through per backoff step. The step grows
   * (one sync interval, doubling up to {@linkplain Builder#storeBackoffMax(Duration) storeBackoffMax})
   * with every attempt that fails, including one that connects and then times out: only flushes count, a
   * connection alone proves nothing. It closes, and the instance is {@link Mode#SHARED} again, after two
   * good flush rounds in a row, so a Redis that answers every other round does not make the mode flap.
   *
   * @return the breaker in front of Redis
   */
  public CircuitBreaker storeBreaker() {
    return loop.storeBreaker();
  }

  /**
   * Returns a snapshot of the sync loop's numbers.
   *
   * @return the numbers as of now
   */
  public Metrics metrics() {
    return new Metrics(
        loop.mode(),
        loop.breakerCount(),
        loop.flushes.sum(),
        loop.failedFlushes.sum(),
        loop.scripts.sum(),
        loop.messages.sum(),
        loop.modeChanges.sum(),
        loop.mismatches.sum(),
        Duration.ofNanos(loop.lastRoundTripNanos));
  }

  /**
   * Subscribes to mode changes, configuration mismatches and lost state. Listeners run on the sync
   * thread: keep them short.
   *
   * @param listener receives every event
   * @return the subscription that removes the listener
   */
  public Subscription onEvent(Consumer<? super RedisSharedStateEvent> listener) {
    return loop.onEvent(listener);
  }

  SyncLoop loop() {
    return loop;
  }

  RedisStore store() {
    return store;
  }

  SharedStateOptions settings() {
    return settings;
  }

  /**
   * Flushes one last time (returning unused trial leases), stops the sync thread and closes the
   * connections. Breakers keep working, as local ones. Idempotent.
   */
  @Override
  public void close() {
    loop.close();
    store.close();
  }

  @Override
  public String toString() {
    return "RedisSharedState[" + settings.instanceId() + " @ " + description + ", " + loop.mode() + "]";
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  private static String describe(RedisURI uri, boolean cluster) {
    if (!uri.getSentinels().isEmpty()) {
      StringBuilder sentinels = new StringBuilder();
      for (RedisURI sentinel : uri.getSentinels()) {
        sentinels.append(sentinels.length() == 0 ? "" : ",").append(sentinel.getHost()).append(':')
            .append(sentinel.getPort());
      }
      return "master '" + uri.getSentinelMasterId() + "' of sentinels " + sentinels;
    }
    return uri.getHost() + ":" + uri.getPort() + (cluster ? " (Redis Cluster)" : "");
  }

  private static String safe(String uri) {
    int at = uri.lastIndexOf('@');
    int scheme = uri.indexOf("://");
    return at > 0 && scheme >= 0 && at > scheme ? uri.substring(0, scheme + 3) + "***" + uri.substring(at) : uri;
  }

  /**
   * Builds a {@link RedisSharedState}. Setters reject {@code null} at once, naming the option;
   * {@link #build()} checks every range and reports all violations in one {@link IllegalArgumentException}.
   *
   * <table>
   *   <caption>Options and their defaults</caption>
   *   <tr><th>Option</th><th>Default</th></tr>
   *   <tr><td>{@link #uri(String) uri}</td><td>required</td></tr>
   *   <tr><td>{@link #syncInterval(Duration) syncInterval}</td><td>500 ms</td></tr>
   *   <tr><td>{@link #commandTimeout(Duration) commandTimeout}</td><td>half the sync interval</td></tr>
   *   <tr><td>{@link #connectTimeout(Duration) connectTimeout}</td><td>2 s</td></tr>
   *   <tr><td>{@link #instanceId(String) instanceId}</td><td>host name, process id and a random suffix</td></tr>
   *   <tr><td>{@link #keyPrefix(String) keyPrefix}</td><td>{@code fusebox}</td></tr>
   *   <tr><td>{@link #degradedPolicy(DegradedPolicy) degradedPolicy}</td><td>{@link DegradedPolicy#LOCAL}</td></tr>
   *   <tr><td>{@link #startupPolicy(StartupPolicy) startupPolicy}</td><td>{@link StartupPolicy#FAIL}</td></tr>
   *   <tr><td>{@link #leaseDuration(Duration) leaseDuration}</td><td>10 s</td></tr>
   *   <tr><td>{@link #rampJitter(Duration) rampJitter}</td><td>1 s</td></tr>
   *   <tr><td>{@link #fleetWindow(Duration) fleetWindow}</td><td>10 s</td></tr>
   *   <tr><td>{@link #keyTtl(Duration) keyTtl}</td><td>1 h</td></tr>
   *   <tr><td>{@link #storeBackoffMax(Duration) storeBackoffMax}</td><td>10 s</td></tr>
   *   <tr><td>{@link #pubSub(boolean) pubSub}</td><td>on</td></tr>
   *   <tr><td>{@link #clientResources(ClientResources) clientResources}</td><td>its own, 2 I/O threads</td></tr>
   *   <tr><td>{@link #username(String) username}, {@link #password(CharSequence) password}</td><td>from the
   *       URI, if any</td></tr>
   *   <tr><td>{@link #credentialsProvider(RedisCredentialsProvider) credentialsProvider}</td><td>none</td></tr>
   *   <tr><td>{@link #trustStore(Path, char[]) trustStore}</td><td>the JVM's trusted certificates</td></tr>
   *   <tr><td>{@link #keyStore(Path, char[]) keyStore}</td><td>no client certificate</td></tr>
   * </table>
   *
   * <p>Not threadsafe; build once.
   */
  public static final class Builder {
    static final Duration MIN_SYNC_INTERVAL = Duration.ofMillis(10);
    static final Duration MAX_SYNC_INTERVAL = Duration.ofMinutes(1);
    static final int MAX_TEXT = 200;

    private String uri;
    private Duration syncInterval = Duration.ofMillis(500);
    private Duration commandTimeout;
    private Duration connectTimeout = Duration.ofSeconds(2);
    private String instanceId;
    private String keyPrefix = "fusebox";
    private DegradedPolicy degradedPolicy = DegradedPolicy.LOCAL;
    private StartupPolicy startupPolicy = StartupPolicy.FAIL;
    private Duration leaseDuration = Duration.ofSeconds(10);
    private Duration rampJitter = Duration.ofSeconds(1);
    private Duration fleetWindow = Duration.ofSeconds(10);
    private Duration keyTtl = Duration.ofHours(1);
    private Duration storeBackoffMax = Duration.ofSeconds(10);
    private boolean pubSub = true;
    private boolean cluster;
    private ClientResources clientResources;
    private String username;
    private CharSequence password;
    private RedisCredentialsProvider credentialsProvider;
    private Path trustStore;
    private char[] trustStorePassword;
    private Path keyStore;
    private char[] keyStorePassword;

    private Builder() {}

    /**
     * Sets the Redis to share state through, as a Lettuce URI: {@code redis://[password@]host:port[/db]}.
     *
     * @param uri where Redis is: {@code redis://}, {@code rediss://} or {@code redis-sentinel://}
     * @return this builder
     */
    public Builder uri(String uri) {
      this.uri = Objects.requireNonNull(uri, "uri must not be null");
      return this;
    }

    /**
     * Sets how often each instance flushes its counts and learns the fleet's state: the longest an instance
     * takes to adopt a fleet opening when a state-change message is lost. Each period costs one round
     * trip per instance. Between 10 ms and 1 min; default 500 ms.
     *
     * @param interval how often the breakers' counts go to Redis
     * @return this builder
     */
    public Builder syncInterval(Duration interval) {
      this.syncInterval = Objects.requireNonNull(interval, "syncInterval must not be null");
      return this;
    }

    /**
     * Sets how long one round trip to Redis may take before it counts as failed: a flush, and every step
     * of connecting (the handshake with its authentication, the script load, the subscription), so a
     * Redis too slow for flushes is not connected to only to time out at once. Must be shorter than the
     * sync interval, so a slow Redis never delays the next period. Default: half the sync interval.
     *
     * @param timeout the bound of every round trip once connected
     * @return this builder
     */
    public Builder commandTimeout(Duration timeout) {
      this.commandTimeout = Objects.requireNonNull(timeout, "commandTimeout must not be null");
      return this;
    }

    /**
     * Sets how long one whole connection attempt may take, at start-up and on every reconnection: opening
     * the connections (with TLS), the handshake, the script load and the subscription share this deadline,
     * and each of their round trips also has the {@linkplain #commandTimeout(Duration) command timeout}.
     * The first attempt, in a cold JVM, may take three times this, and {@link #build()} never waits longer.
     * Positive, at most 1 min; default 2 s.
     *
     * @param timeout the bound of a whole connection attempt
     * @return this builder
     */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = Objects.requireNonNull(timeout, "connectTimeout must not be null");
      return this;
    }

    /**
     * Sets this instance's id, as logs, events and dashboards name it. Best left to the default, host name,
     * process id and a random suffix, unique per process. Counts and leases are kept per process run, so
     * two processes given the same id still both count; they are reported as
     * {@link RedisSharedStateEvent.DuplicateInstanceId} and a warning within two sync periods.
     *
     * @param instanceId this instance's id, unique in the fleet
     * @return this builder
     */
    public Builder instanceId(String instanceId) {
      this.instanceId = Objects.requireNonNull(instanceId, "instanceId must not be null");
      return this;
    }

    /**
     * Sets the prefix of every key and of the state-change channel, so that several fleets or environments
     * can share one Redis. No braces, backslashes or white space; colons are fine (they are escaped in
     * keys, so prefix {@code a} with breaker {@code b:c} and prefix {@code a:b} with breaker {@code c} never
     * share a key). Default {@code fusebox}.
     *
     * @param prefix the prefix of every key and of the state-change channel
     * @return this builder
     */
    public Builder keyPrefix(String prefix) {
      this.keyPrefix = Objects.requireNonNull(prefix, "keyPrefix must not be null");
      return this;
    }

    /**
     * Sets what breakers do while Redis cannot be used; default {@link DegradedPolicy#LOCAL}.
     *
     * @param policy what breakers do without Redis
     * @return this builder
     */
    public Builder degradedPolicy(DegradedPolicy policy) {
      this.degradedPolicy = Objects.requireNonNull(policy, "degradedPolicy must not be null");
      return this;
    }

    /**
     * Sets what {@link #build()} does when Redis cannot be reached; default {@link StartupPolicy#FAIL}.
     *
     * @param policy what {@code build()} does when Redis cannot be reached
     * @return this builder
     */
    public Builder startupPolicy(StartupPolicy policy) {
      this.startupPolicy = Objects.requireNonNull(policy, "startupPolicy must not be null");
      return this;
    }

    /**
     * Sets how long a half-open trial lease lasts: a trial not reported by then counts as failed, so a
     * trial that never returns cannot keep the fleet half-open. Make it longer than your calls' own
     * timeout. At least two sync intervals; default 10 s.
     *
     * @param duration how long a half-open trial lease lasts
     * @return this builder
     */
    public Builder leaseDuration(Duration duration) {
      this.leaseDuration = Objects.requireNonNull(duration, "leaseDuration must not be null");
      return this;
    }

    /**
     * Sets the largest random delay added to each instance's start of the recovery ramp after the fleet
     * recovers, so that instances do not step up at the same moment. Zero switches it off; default 1 s.
     *
     * @param jitter the largest random offset of an instance's recovery ramp
     * @return this builder
     */
    public Builder rampJitter(Duration jitter) {
      this.rampJitter = Objects.requireNonNull(jitter, "rampJitter must not be null");
      return this;
    }

    /**
     * Sets the span of the fleet-wide window of breakers whose own window is count-based: the fleet
     * evaluates the last {@code windowSize} calls of all instances that ended within it. Time-based
     * breakers use their own span. At least two sync intervals; default 10 s.
     *
     * @param span how far back the fleet's window of a count-based breaker reaches
     * @return this builder
     */
    public Builder fleetWindow(Duration span) {
      this.fleetWindow = Objects.requireNonNull(span, "fleetWindow must not be null");
      return this;
    }

    /**
     * Sets how long a breaker's keys outlive the last instance that flushed it (an open fleet's keys live
     * as much longer as it stays open). At least ten sync intervals and one lease duration; default 1 h.
     *
     * @param ttl how long the keys outlive the last instance's last flush
     * @return this builder
     */
    public Builder keyTtl(Duration ttl) {
      this.keyTtl = Objects.requireNonNull(ttl, "keyTtl must not be null");
      return this;
    }

    /**
     * Sets the longest wait between two reconnection attempts while Redis cannot be used; the wait starts
     * at one sync interval and doubles. At least one sync interval; default 10 s.
     *
     * @param max the longest wait between two reconnection attempts
     * @return this builder
     */
    public Builder storeBackoffMax(Duration max) {
      this.storeBackoffMax = Objects.requireNonNull(max, "storeBackoffMax must not be null");
      return this;
    }

    /**
     * Sets whether state changes are published and subscribed to, so that instances adopt a fleet opening
     * within about one round trip instead of one sync period. Correctness never depends on it (messages
     * are lost on reconnection); default on.
     *
     * @param enabled whether state changes are announced and heard on the channel
     * @return this builder
     */
    public Builder pubSub(boolean enabled) {
      this.pubSub = enabled;
      return this;
    }

    /**
     * Sets whether {@link #uri(String)} names a node of a Redis Cluster rather than a standalone Redis (or
     * a proxy in front of one). Every key of one breaker shares a hash tag, so each breaker lives in one
     * slot and its flush script runs on the node that owns it; breakers spread over the nodes, and a flush
     * still costs one round trip, made to all nodes at once. Default off.
     *
     * @param enabled whether the URI names a node of a Redis Cluster
     * @return this builder
     */
    public Builder cluster(boolean enabled) {
      this.cluster = enabled;
      return this;
    }

    /**
     * Shares Lettuce's event loops with other clients (the caller keeps owning and shutting them down).
     * By default each state has its own, with two I/O threads.
     *
     * @param resources Lettuce's event loops and timers, to share with the application
     * @return this builder
     */
    public Builder clientResources(ClientResources resources) {
      this.clientResources = Objects.requireNonNull(resources, "clientResources must not be null");
      return this;
    }

    /**
     * Sets the ACL user to authenticate as (Redis 6 and later), with {@link #password(CharSequence)};
     * instead of a user in the URI ({@code redis://user:password@host:6379}), not as well. See
     * docs/redis.md for the minimal rights the user needs.
     *
     * @param username the ACL user
     * @return this builder
     */
    public Builder username(String username) {
      this.username = Objects.requireNonNull(username, "username must not be null");
      return this;
    }

    /**
     * Sets the password to authenticate with: the {@link #username(String) user}'s, or the default user's
     * ({@code requirepass}). Instead of a password in the URI, not as well; never printed.
     *
     * @param password the ACL user's password, or the {@code requirepass} one
     * @return this builder
     */
    public Builder password(CharSequence password) {
      this.password = Objects.requireNonNull(password, "password must not be null");
      return this;
    }

    /**
     * Sets where credentials come from, asked again on every connection, so that rotated passwords or
     * short-lived tokens are picked up at the next reconnection:
     * <pre>{@code
     * .credentialsProvider(RedisCredentialsProvider.from(
     *     () -> RedisCredentials.just("fusebox-shop", vault.read("redis/fusebox-shop"))))
     * }</pre>
     * Instead of a user or password in the URI or the builder.
     *
     * @param provider asked for the credentials on every connection
     * @return this builder
     */
    public Builder credentialsProvider(RedisCredentialsProvider provider) {
      this.credentialsProvider = Objects.requireNonNull(provider, "credentialsProvider must not be null");
      return this;
    }

    /**
     * Trusts the certificates in this key store file (PKCS12 or JKS) to identify Redis, instead of the
     * JVM's default trusted authorities; needs a {@code rediss://} URI. The server's certificate must
     * name the host of the URI.
     *
     * @param file the trust store (PKCS#12 or JKS) with the CA that signed the server's certificate
     * @param password the store's password, or {@code null}
     * @return this builder
     */
    public Builder trustStore(Path file, char[] password) {
      this.trustStore = Objects.requireNonNull(file, "trustStore must not be null");
      this.trustStorePassword =
          Objects.requireNonNull(password, "trustStore password must not be null").clone();
      return this;
    }

    /**
     * Presents the client certificate and private key in this key store file (PKCS12 or JKS) to a Redis
     * that requires one ({@code tls-auth-clients yes}); needs a {@code rediss://} URI.
     *
     * @param file the key store (PKCS#12 or JKS) with the client's certificate and key
     * @param password the store's password, or {@code null}
     * @return this builder
     */
    public Builder keyStore(Path file, char[] password) {
      this.keyStore = Objects.requireNonNull(file, "keyStore must not be null");
      this.keyStorePassword = Objects.requireNonNull(password, "keyStore password must not be null").clone();
      return this;
    }

    /** The TLS options of a {@code rediss://} URI, or null for a plain connection. */
    SslOptions sslOptions(RedisURI parsed) {
      if (!parsed.isSsl()) {
        return null;
      }
      SslOptions.Builder ssl = SslOptions.builder().jdkSslProvider().handshakeTimeout(connectTimeout);
      if (trustStore != null) {
        ssl.truststore(trustStore.toFile(), new String(trustStorePassword));
      }
      if (keyStore != null) {
        ssl.keystore(keyStore.toFile(), keyStorePassword);
      }
      return ssl.build();
    }

    /** Checks the credentials and TLS options against the URI, and puts the credentials on it. */
    private void secure(List<String> problems, RedisURI parsed) {
      boolean inUri = hasUserInfo(uri);
      boolean given = username != null || password != null;
      if (given && inUri) {
        problems.add("username/password must not be set when the uri has credentials too ('" + safe(uri)
            + "'): give them once");
      }
      if (username != null && password == null) {
        problems.add("username needs a password, was user '" + username + "' without one");
      }
      if (credentialsProvider != null && (given || inUri)) {
        problems.add("credentialsProvider must not be combined with a username or password (in the uri or"
            + " the builder)");
      }
      boolean tls = parsed != null && parsed.isSsl();
      checkStore(problems, "trustStore", trustStore, tls);
      checkStore(problems, "keyStore", keyStore, tls);
      if (parsed != null && credentialsProvider != null) {
        parsed.setCredentialsProvider(credentialsProvider);
      } else if (parsed != null && password != null) {
        parsed.setCredentialsProvider(new StaticCredentialsProvider(username, password.toString().toCharArray()));
      }
    }

    private static void checkStore(List<String> problems, String option, Path file, boolean tls) {
      if (file == null) {
        return;
      }
      if (!tls) {
        problems.add(option + " needs TLS: use a rediss:// (or rediss-sentinel://) uri, was a plain one with "
            + option + " " + file);
      }
      if (!Files.isReadable(file) || Files.isDirectory(file)) {
        problems.add(option + " must be a readable key store file, was " + file);
      }
    }

    private static boolean hasUserInfo(String uri) {
      int scheme = uri.indexOf("://");
      int at = uri.lastIndexOf('@');
      int end = uri.indexOf('/', scheme + 3);
      return scheme >= 0 && at > scheme && (end < 0 || at < end);
    }

    Duration commandTimeout() {
      return commandTimeout != null ? commandTimeout : syncInterval.dividedBy(2);
    }

    /**
     * Validates every option, connects to Redis (bounded by the connect timeout) and starts the sync
     * thread.
     *
     * @throws IllegalArgumentException naming every option whose value is out of range
     * @throws IllegalStateException if Redis cannot be reached and the start-up policy is
     *     {@link StartupPolicy#FAIL}
     * @return the shared state, connected (or degraded, under {@link StartupPolicy#START_DEGRADED})
     */
    public RedisSharedState build() {
      List<String> problems = new ArrayList<>();
      RedisURI parsed = null;
      if (uri == null) {
        problems.add("uri must be set, for instance redis://localhost:6379");
      } else {
        try {
          parsed = RedisURI.create(uri);
          if (!parsed.getSentinels().isEmpty()) {
            if (parsed.getSentinelMasterId() == null || parsed.getSentinelMasterId().isBlank()) {
              problems.add("uri must name the master after '#', as redis-sentinel://host:26379#mymaster, was '"
                  + safe(uri) + "'");
            }
          } else if (parsed.getHost() == null || parsed.getHost().isBlank()) {
            problems.add("uri must name a host, was '" + safe(uri) + "'");
          }
        } catch (RuntimeException e) {
          problems.add("uri must be a Redis URI such as redis://host:6379, was '" + safe(uri) + "' (" + e.getMessage() + ")");
        }
      }
      if (uri != null) {
        secure(problems, parsed);
      }
      if (cluster && parsed != null && !parsed.getSentinels().isEmpty()) {
        problems.add("cluster must be off with a redis-sentinel:// uri (Sentinel watches standalone masters)");
      }
      check(problems, within(syncInterval, MIN_SYNC_INTERVAL, MAX_SYNC_INTERVAL), "syncInterval",
          "must be between " + MIN_SYNC_INTERVAL + " and " + MAX_SYNC_INTERVAL, syncInterval);
      Duration timeout = commandTimeout();
      check(problems, positive(timeout) && timeout.compareTo(syncInterval) < 0, "commandTimeout",
          "must be positive and shorter than syncInterval " + syncInterval, timeout);
      check(problems, within(connectTimeout, Duration.ofMillis(1), Duration.ofMinutes(1)), "connectTimeout",
          "must be positive and at most PT1M", connectTimeout);
      String id = instanceId != null ? instanceId : defaultInstanceId();
      check(problems, !id.isBlank() && id.length() <= MAX_TEXT && id.chars().noneMatch(Character::isISOControl),
          "instanceId", "must be 1 to " + MAX_TEXT + " characters, not blank, without control characters",
          "'" + id + "'");
      check(problems, !keyPrefix.isEmpty() && keyPrefix.length() <= MAX_TEXT
              && keyPrefix.chars().noneMatch(c -> c == '{' || c == '}' || c == '\\' || Character.isWhitespace(c)
                  || Character.isISOControl(c)),
          "keyPrefix", "must be 1 to " + MAX_TEXT + " characters without braces, backslashes or white space",
          "'" + keyPrefix + "'");
      Duration twoPeriods = syncInterval.multipliedBy(2);
      check(problems, leaseDuration.compareTo(twoPeriods) >= 0 && leaseDuration.compareTo(Duration.ofDays(1)) <= 0,
          "leaseDuration", "must be between two sync intervals (" + twoPeriods + ") and PT24H", leaseDuration);
      check(problems, !rampJitter.isNegative() && rampJitter.compareTo(Duration.ofHours(1)) <= 0, "rampJitter",
          "must be between 0 and PT1H", rampJitter);
      check(problems, fleetWindow.compareTo(twoPeriods) >= 0 && fleetWindow.compareTo(Duration.ofDays(1)) <= 0,
          "fleetWindow", "must be between two sync intervals (" + twoPeriods + ") and PT24H", fleetWindow);
      Duration minTtl = max(syncInterval.multipliedBy(10), leaseDuration);
      check(problems, keyTtl.compareTo(minTtl) >= 0 && keyTtl.compareTo(Duration.ofDays(365)) <= 0, "keyTtl",
          "must be at least ten sync intervals and one lease duration (" + minTtl + "), at most a year", keyTtl);
      check(problems, storeBackoffMax.compareTo(syncInterval) >= 0 && storeBackoffMax.compareTo(Duration.ofHours(1)) <= 0,
          "storeBackoffMax", "must be between syncInterval " + syncInterval + " and PT1H", storeBackoffMax);
      if (!problems.isEmpty()) {
        throw new IllegalArgumentException(
            problems.size() == 1
                ? "Invalid RedisSharedState: " + problems.get(0)
                : "Invalid RedisSharedState (" + problems.size() + " problems): " + String.join("; ", problems));
      }
      byte[] run = new byte[8];
      ThreadLocalRandom.current().nextBytes(run);
      SharedStateOptions settings =
          new SharedStateOptions(id, HexFormat.of().formatHex(run), keyPrefix, syncInterval, timeout, leaseDuration,
              rampJitter, fleetWindow, keyTtl, storeBackoffMax, degradedPolicy, pubSub, Ticker.system());
      return new RedisSharedState(this, parsed, settings);
    }

    private static void check(List<String> problems, boolean ok, String option, String rule, Object value) {
      if (!ok) {
        problems.add(option + " " + rule + ", was " + value);
      }
    }

    private static boolean positive(Duration d) {
      return !d.isNegative() && !d.isZero();
    }

    private static boolean within(Duration d, Duration min, Duration max) {
      return d.compareTo(min) >= 0 && d.compareTo(max) <= 0;
    }

    private static Duration max(Duration a, Duration b) {
      return a.compareTo(b) >= 0 ? a : b;
    }

    private static String defaultInstanceId() {
      String host = System.getenv("HOSTNAME");
      if (host == null || host.isBlank()) {
        host = System.getenv("COMPUTERNAME");
      }
      if (host == null || host.isBlank()) {
        host = "instance";
      }
      return host + "-" + ProcessHandle.current().pid() + "-"
          + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x10000, 0x100000));
    }
  }
}
