package dev.fusebox.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusebox.circuitbreaker.CircuitBreaker;
import dev.fusebox.circuitbreaker.CircuitBreakerConfig;
import io.lettuce.core.RedisClient;
import io.lettuce.core.sentinel.api.StatefulRedisSentinelConnection;
import java.io.File;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Redis Sentinel: a master, a replica and three sentinels ({@code redis-server --sentinel}), all on free
 * ports; two instances share breakers through a {@code redis-sentinel://} URI, the master is killed, the
 * sentinels promote the replica, and the fleet goes on sharing breakers through the new master. Counted,
 * not timed: the fleet's states, flushes and modes.
 */
class SentinelTest {

  private static final String MASTER = "mymaster";
  private static final CircuitBreakerConfig CONFIG =
      CircuitBreakerConfig.builder()
          .countBasedWindow(10)
          .minimumNumberOfCalls(10)
          .waitDurationInOpenState(Duration.ofMinutes(5))
          .build();

  @TempDir Path dir;

  @Test
  void theFleetKeepsSharingBreakersAfterAFailover() throws IOException {
    List<Process> sentinels = new ArrayList<>();
    try (RedisServer master = RedisServer.start();
        // Its own directory: a replica writes the master's snapshot to disk when it syncs.
        RedisServer replica = RedisServer.startWith("--dir", dir.toString())) {
      assertThat(RedisServer.command(replica.port, "REPLICAOF", "127.0.0.1", Integer.toString(master.port)))
          .isEqualTo("+OK");
      Poll.until(Duration.ofSeconds(20), "the replica is in sync",
          () -> RedisServer.command(replica.port, "INFO", "replication").contains("master_link_status:up"));
      List<Integer> ports = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        int port = RedisServer.freePort();
        ports.add(port);
        sentinels.add(startSentinel(port, master.port));
      }
      for (int port : ports) {
        Poll.until(Duration.ofSeconds(30), "sentinel " + port + " knows the replica and the other sentinels",
            () -> RedisServer.command(port, "SENTINEL", "replicas", MASTER).startsWith("*1")
                && RedisServer.command(port, "SENTINEL", "sentinels", MASTER).startsWith("*2"));
      }
      String uri = "redis-sentinel://" + ports.stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(","))
          + "#" + MASTER;

      String sentinelUri = uri;
      // --- docs/redis.md: Sentinel example ---
      RedisSharedState shared = RedisSharedState.builder()
          .uri(sentinelUri)                 // "redis-sentinel://sentinel-1:26379,sentinel-2:26379,...#mymaster"
          .keyPrefix("shop")
          .build();
      // --- end of example ---
      try (RedisSharedState a = shared;
          RedisSharedState b = state(uri, "b")) {
        assertThat(a.toString()).contains("sentinels");
        CircuitBreaker ordersA = a.registry(CONFIG).circuitBreaker("orders");
        CircuitBreaker ordersB = b.registry(CONFIG).circuitBreaker("orders");
        Poll.until(Duration.ofSeconds(20), "both flushed", () -> a.loop().find("orders").knownState() >= 0
            && b.loop().find("orders").knownState() >= 0);
        Calls.fail(ordersA, 10);
        Poll.until(Duration.ofSeconds(20), "the fleet opened", () -> ordersB.state() == CircuitBreaker.State.OPEN);
        Poll.until(Duration.ofSeconds(20), "the opening reached the replica",
            () -> "1".equals(RedisServer.command(replica.port, "HGET", FlushScript.keys("shop", "orders")[0], "st")));

        master.kill();
        Poll.until(Duration.ofSeconds(60), "the sentinels promoted the replica",
            () -> masterPort(ports.get(0)) == replica.port);
        long flushesA = a.metrics().flushes();
        long flushesB = b.metrics().flushes();
        Poll.until(Duration.ofSeconds(60), "both instances flush to the new master",
            () -> a.metrics().flushes() > flushesA + 2 && b.metrics().flushes() > flushesB + 2
                && a.mode() == RedisSharedState.Mode.SHARED && b.mode() == RedisSharedState.Mode.SHARED);

        // The opening survived on the promoted replica, and new openings reach the whole fleet.
        assertThat(RedisServer.command(replica.port, "HGET", FlushScript.keys("shop", "orders")[0], "st"))
            .isEqualTo("1");
        CircuitBreaker paymentsA = a.registry(CONFIG).circuitBreaker("payments");
        CircuitBreaker paymentsB = b.registry(CONFIG).circuitBreaker("payments");
        Poll.until(Duration.ofSeconds(20), "both flushed payments", () -> a.loop().find("payments").knownState() >= 0
            && b.loop().find("payments").knownState() >= 0);
        Calls.fail(paymentsA, 10);
        Poll.until(Duration.ofSeconds(20), "the fleet opened after the failover",
            () -> paymentsB.state() == CircuitBreaker.State.OPEN);
        assertThat(ordersB.state()).isEqualTo(CircuitBreaker.State.OPEN);
      }
    } finally {
      for (Process sentinel : sentinels) {
        sentinel.destroyForcibly();
        try {
          sentinel.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }

  private static RedisSharedState state(String uri, String id) {
    return RedisSharedState.builder()
        .uri(uri)
        .keyPrefix("shop")
        .instanceId(id)
        .syncInterval(Duration.ofMillis(100))
        .storeBackoffMax(Duration.ofMillis(500))
        .build();
  }

  private static int masterPort(int sentinelPort) {
    RedisClient client = RedisClient.create("redis://127.0.0.1:" + sentinelPort);
    try (StatefulRedisSentinelConnection<String, String> sentinel = client.connectSentinel()) {
      SocketAddress address = sentinel.sync().getMasterAddrByName(MASTER);
      String text = String.valueOf(address);
      return Integer.parseInt(text.substring(text.lastIndexOf(':') + 1));
    } catch (RuntimeException e) {
      return -1;
    } finally {
      client.shutdown();
    }
  }

  private Process startSentinel(int port, int masterPort) throws IOException {
    Path conf = dir.resolve("sentinel-" + port + ".conf");
    Files.writeString(conf, String.join("\n",
        "port " + port,
        "bind 127.0.0.1",
        "protected-mode no",
        "dir " + dir,
        "sentinel monitor " + MASTER + " 127.0.0.1 " + masterPort + " 2",
        "sentinel down-after-milliseconds " + MASTER + " 1000",
        "sentinel failover-timeout " + MASTER + " 10000",
        "sentinel parallel-syncs " + MASTER + " 1",
        ""), StandardCharsets.UTF_8);
    File log = dir.resolve("sentinel-" + port + ".log").toFile();
    Process process = new ProcessBuilder(binary(), conf.toString(), "--sentinel")
        .redirectErrorStream(true).redirectOutput(log).start();
    Poll.until(Duration.ofSeconds(20), "sentinel on port " + port + " answers", () -> RedisServer.ping(port));
    return process;
  }

  private static String binary() {
    for (String candidate : List.of("/usr/bin/redis-server", "/usr/local/bin/redis-server")) {
      if (new File(candidate).canExecute()) {
        return candidate;
      }
    }
    return "redis-server";
  }
}
