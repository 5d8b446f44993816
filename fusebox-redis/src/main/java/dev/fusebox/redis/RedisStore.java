package dev.fusebox.redis;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.SslOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.async.RedisScriptingAsyncCommands;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.protocol.RedisCommand;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The connections to Redis: one for the flush scripts, pipelined by hand, and one subscribed to the
 * state-change channel.
 *
 * <p>Design note. Lettuce's own reconnection is off: a connection that breaks is dropped, and the sync
 * loop opens a new one when the store breaker lets it try, so reconnection follows one backoff, commands
 * are never buffered while disconnected (they fail at once), and nothing queued in a dead connection is
 * replayed later. Every round trip, the handshake's included, has the command timeout, and a whole
 * connection attempt is bounded by the connect timeout: nothing here can wait longer. Commands are only ever dispatched from the sync thread (tests
 * check {@link #dispatchThreads}); completions arrive on Lettuce's threads and are handed back to the sync
 * thread by the caller.
 *
 * <p>On a Redis Cluster the URI names a seed node; Lettuce learns the topology from it, routes each flush
 * script to the node owning its breaker's hash slot, and still sends a whole flush as one write per node.
 * The script is loaded on every node, and state changes published on any node reach the subscription on
 * another, as Redis Cluster broadcasts PUBLISH. Each reconnection reloads the topology first, and MOVED
 * and ASK replies make Lettuce refresh it by itself, so a changed topology is followed without a restart:
 * at worst, flushes fail until the store breaker lets a reconnection through.
 */
final class RedisStore implements AutoCloseable {

  private final RedisURI uri;
  private final ClientResources resources;
  private final boolean ownResources;
  /** Exactly one of the two is set. */
  private final RedisClient client;
  private final RedisClusterClient clusterClient;
  private final String channel;
  private final boolean pubSub;
  private final Consumer<String> onMessage;
  private final Duration connectTimeout;
  private final Duration commandTimeout;
  /** Whether a connection attempt has succeeded, after which the handshake has the command timeout. */
  private volatile boolean warm;
  private volatile Link link;
  private volatile StatefulRedisPubSubConnection<String, String> subscription;
  private volatile String sha;
  /** Names of the threads that dispatched flushes, for the tests that pin the call path. */
  final Set<String> dispatchThreads = ConcurrentHashMap.newKeySet();

  RedisStore(
      RedisURI uri,
      boolean cluster,
      ClientResources sharedResources,
      Duration commandTimeout,
      Duration connectTimeout,
      SslOptions ssl,
      String channel,
      boolean pubSub,
      Consumer<String> onMessage) {
    this.uri = uri;
    this.connectTimeout = connectTimeout;
    this.commandTimeout = commandTimeout;
    // The first connection of a cold JVM loads and initialises the client's classes while the handshake's
    // timer runs, so until one attempt has succeeded the handshake gets the connect timeout.
    uri.setTimeout(connectTimeout);
    this.ownResources = sharedResources == null;
    this.resources =
        ownResources
            ? DefaultClientResources.builder().ioThreadPoolSize(2).computationThreadPoolSize(2).build()
            : sharedResources;
    TimeoutOptions timeouts =
        TimeoutOptions.builder().timeoutSource(new Timeouts(commandTimeout, connectTimeout)).build();
    SocketOptions socket = SocketOptions.builder().connectTimeout(connectTimeout).build();
    if (cluster) {
      this.client = null;
      this.clusterClient = RedisClusterClient.create(resources, uri);
      ClusterClientOptions.Builder options = ClusterClientOptions.builder();
      if (ssl != null) {
        options.sslOptions(ssl);
      }
      clusterClient.setOptions(
          options
              .autoReconnect(false)
              .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
              .timeoutOptions(timeouts)
              .socketOptions(socket)
              .topologyRefreshOptions(
                  ClusterTopologyRefreshOptions.builder().enableAllAdaptiveRefreshTriggers().build())
              .build());
    } else {
      this.clusterClient = null;
      this.client = RedisClient.create(resources, uri);
      ClientOptions.Builder options = ClientOptions.builder();
      if (ssl != null) {
        options.sslOptions(ssl);
      }
      client.setOptions(
          options
              .autoReconnect(false)
              .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
              .timeoutOptions(timeouts)
              .socketOptions(socket)
              .build());
    }
    this.channel = channel;
    this.pubSub = pubSub;
    this.onMessage = onMessage;
  }

  /**
   * One budget for every round trip once warm: the handshake's (HELLO with AUTH, SELECT; bounded by the
   * URI's timeout), the script load, the subscription and the flushes all get the command timeout. A Redis
   * too slow for a flush is then too slow to connect to, instead of connecting and timing out right after
   * (which made a Redis 300 ms away flap). Before the first success, setting up gets the connect timeout.
   */
  private final class Timeouts extends TimeoutOptions.TimeoutSource {
    private final long commandNanos;
    private final long coldNanos;

    Timeouts(Duration commandTimeout, Duration connectTimeout) {
      this.commandNanos = commandTimeout.toNanos();
      this.coldNanos = connectTimeout.toNanos();
    }

    @Override
    public long getTimeout(RedisCommand<?, ?, ?> command) {
      // The fleet's administration (EVAL, rare, sent whole and compiled by Redis) gets the connect timeout:
      // an operator's action should not fail for a budget sized for the sync loop's flushes.
      if (command.getType() == CommandType.EVAL) {
        return Math.max(commandNanos, coldNanos);
      }
      return warm || command.getType() == CommandType.EVALSHA ? commandNanos : coldNanos;
    }

    @Override
    public TimeUnit getTimeUnit() {
      return TimeUnit.NANOSECONDS;
    }
  }

  /**
   * The flush connection and its scripting commands, which Lettuce types differently for a standalone
   * Redis and a cluster; one object, so that no reader sees one without the other.
   */
  private record Link(
      StatefulConnection<String, String> connection, RedisScriptingAsyncCommands<String, String> commands) {

    /** Loads the flush script; on a cluster Lettuce sends SCRIPT LOAD to every node, as any may own a slot. */
    CompletableFuture<String> loadScript() {
      RedisFuture<String> loaded = commands.scriptLoad(FlushScript.SOURCE);
      connection.flushCommands();
      return loaded.toCompletableFuture();
    }
  }

  boolean connected() {
    Link l = link;
    return l != null && l.connection().isOpen() && sha != null && (!pubSub || subscribed());
  }

  private boolean subscribed() {
    StatefulRedisPubSubConnection<String, String> s = subscription;
    return s != null && s.isOpen();
  }

  /**
   * Opens the connections, loads the script and subscribes; completes exceptionally if any step fails, and
   * within the connect timeout in all (three times it before the first success): the whole attempt has
   * that one deadline, each round trip in it the command timeout.
   */
  CompletableFuture<Void> connect() {
    drop();
    if (warm) {
      uri.setTimeout(commandTimeout);
    }
    CompletableFuture<Void> ready;
    if (clusterClient == null) {
      ready =
          client
              .connectAsync(StringCodec.UTF8, uri)
              .toCompletableFuture()
              .thenCompose(conn -> ready(conn, conn.async()));
    } else {
      // Loads the topology the first time, and reloads it on every reconnection: one follows a failure,
      // after which the topology known may be stale (a failover, a node replaced or resharded).
      ready =
          clusterClient
              .refreshPartitionsAsync()
              .toCompletableFuture()
              .thenCompose(v -> clusterClient.connectAsync(StringCodec.UTF8))
              .thenCompose(conn -> ready(conn, conn.async()));
    }
    if (pubSub) {
      ready = ready.thenCompose(v -> subscribe());
    }
    // A cold start (class loading, the first TLS context) gets three times the deadline, as build() waits.
    long deadline = warm ? connectTimeout.toMillis() : connectTimeout.multipliedBy(3).toMillis();
    return ready.orTimeout(deadline, TimeUnit.MILLISECONDS).thenRun(() -> warm = true);
  }

  private CompletableFuture<Void> ready(
      StatefulConnection<String, String> conn, RedisScriptingAsyncCommands<String, String> commands) {
    conn.setAutoFlushCommands(false);
    Link l = new Link(conn, commands);
    link = l;
    return l.loadScript().thenAccept(s -> sha = s);
  }

  private CompletableFuture<Void> subscribe() {
    CompletableFuture<? extends StatefulRedisPubSubConnection<String, String>> connecting =
        clusterClient == null
            ? client.connectPubSubAsync(StringCodec.UTF8, uri).toCompletableFuture()
            : clusterClient.connectPubSubAsync(StringCodec.UTF8);
    return connecting.thenCompose(
            sub -> {
              subscription = sub;
              sub.addListener(
                  new RedisPubSubAdapter<>() {
                    @Override
                    public void message(String ch, String message) {
                      onMessage.accept(message);
                    }
                  });
              return sub.async().subscribe(channel).toCompletableFuture();
            });
  }

  /** Loads the script again, after Redis answered NOSCRIPT (it restarted, or its cache was flushed). */
  CompletableFuture<Void> reloadScript() {
    Link l = link;
    if (l == null) {
      return CompletableFuture.failedFuture(new IllegalStateException("not connected"));
    }
    return l.loadScript().thenAccept(s -> sha = s);
  }

  /**
   * Runs the flush script once per breaker, all in one pipelined write.
   *
   * @return the raw reply of each script, or the {@link Throwable} it failed with, in order
   */
  CompletableFuture<List<Object>> flush(List<String[]> keys, List<String[]> args) {
    dispatchThreads.add(Thread.currentThread().getName());
    Link l = link;
    if (l == null) {
      return CompletableFuture.failedFuture(new IllegalStateException("not connected"));
    }
    List<CompletableFuture<Object>> replies = new ArrayList<>(keys.size());
    for (int i = 0; i < keys.size(); i++) {
      RedisFuture<Object> reply = l.commands().evalsha(sha, ScriptOutputType.MULTI, keys.get(i), args.get(i));
      replies.add(reply.toCompletableFuture().handle((value, error) -> error != null ? unwrap(error) : value));
    }
    l.connection().flushCommands();
    return CompletableFuture.allOf(replies.toArray(CompletableFuture[]::new))
        .thenApply(
            v -> {
              List<Object> out = new ArrayList<>(replies.size());
              replies.forEach(r -> out.add(r.join()));
              return out;
            });
  }

  /** Runs the fleet administration script once, sent whole (it runs rarely); from the sync thread, as every command. */
  CompletableFuture<Object> fleet(String[] keys, String... args) {
    dispatchThreads.add(Thread.currentThread().getName());
    Link l = link;
    if (l == null) {
      return CompletableFuture.failedFuture(new IllegalStateException("not connected"));
    }
    RedisFuture<Object> reply = l.commands().eval(FleetScript.SOURCE, ScriptOutputType.MULTI, keys, args);
    l.connection().flushCommands();
    return reply.toCompletableFuture();
  }

  static Throwable unwrap(Throwable t) {
    while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  /** Closes the connections, without waiting; the next {@link #connect()} opens new ones. */
  void drop() {
    Link l = link;
    link = null;
    sha = null;
    if (l != null && l.connection().isOpen()) {
      l.connection().closeAsync();
    }
    StatefulRedisPubSubConnection<String, String> s = subscription;
    subscription = null;
    if (s != null && s.isOpen()) {
      s.closeAsync();
    }
  }

  @Override
  public void close() {
    drop();
    AbstractRedisClient owner = clusterClient != null ? clusterClient : client;
    owner.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    if (ownResources) {
      resources.shutdown(0, 2, TimeUnit.SECONDS);
    }
  }
}
