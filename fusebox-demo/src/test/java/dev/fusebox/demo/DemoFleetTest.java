package dev.fusebox.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusebox.circuitbreaker.CircuitBreaker;
import dev.fusebox.redis.RedisSharedState;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code --redis}: two demo instances in one JVM, distinct instance ids, one breaker shared through Redis.
 * An outage of the first instance's upstream opens the second instance's breaker, though the second never
 * saw a failure: its own upstream stays healthy (the test keeps the instances' upstreams apart) and it
 * sends few calls, so the fleet's window is the first instance's calls, and the fleet opens for both.
 *
 * <p>Uses the machine's redis-server on 127.0.0.1:6379 when one answers there, else starts one on a free
 * port (and stops it by its pid), as fusebox-redis's tests do; the keys go under a prefix of the test's own,
 * deleted afterwards.
 */
class DemoFleetTest {

  private static final Duration DEADLINE = Duration.ofSeconds(30);

  private Process ownRedis;
  private String uri;
  private String prefix;
  private DemoApp first;
  private DemoApp second;

  @AfterEach
  void stop() throws InterruptedException {
    for (DemoApp app : new DemoApp[] {first, second}) {
      if (app != null) {
        app.close();
      }
    }
    if (uri != null) {
      RedisClient client = RedisClient.create(uri);
      try (StatefulRedisConnection<String, String> connection = client.connect()) {
        List<String> keys = connection.sync().keys("{" + prefix + ":*");
        if (!keys.isEmpty()) {
          connection.sync().del(keys.toArray(String[]::new));
        }
      } finally {
        client.shutdown();
      }
    }
    if (ownRedis != null) {
      ownRedis.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void anOutageSeenByOneInstanceOpensTheOtherInstancesBreaker() throws Exception {
    uri = redis();
    prefix = "fbdemo-" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1);
    first = new DemoApp(options(1, 20), List.of(), false, null);
    second = new DemoApp(options(2, 2), List.of(), false, null);
    assertThat(first.shared.instanceId()).isEqualTo("demo-1");
    assertThat(second.shared.instanceId()).isEqualTo("demo-2");
    first.apply("healthy");
    second.apply("healthy");
    first.start();
    second.start();
    CircuitBreaker breakerOfFirst = first.policies.breakers.circuitBreaker(Policies.NAME);
    CircuitBreaker breakerOfSecond = second.policies.breakers.circuitBreaker(Policies.NAME);
    waitUntil("both instances to share their breakers", () -> first.shared.mode() == RedisSharedState.Mode.SHARED
        && second.shared.mode() == RedisSharedState.Mode.SHARED && first.shared.metrics().flushes() > 2
        && second.shared.metrics().flushes() > 2);
    assertThat(breakerOfSecond.state()).isEqualTo(CircuitBreaker.State.CLOSED);

    first.apply("outage");

    waitUntil("the first instance's breaker to open", () -> breakerOfFirst.state() == CircuitBreaker.State.OPEN);
    waitUntil("the second instance's breaker to open", () -> breakerOfSecond.state() == CircuitBreaker.State.OPEN);
    // The second instance's own upstream is fine: its breaker is open because the fleet's is.
    assertThat(DemoApp.upstreamState(second.policies.upstreamChaos().settings())).isEqualTo("HEALTHY");
    assertThat(second.policies.upstreamChaos().metrics().numberOfInjectedFaults()).isZero();
    assertThat(breakerOfSecond.metrics().totalFailedCalls()).isZero();
    assertThat(second.fleetCard().facts()).extracting(f -> f.label() + "=" + f.value())
        .contains("Instance=demo-2", "Fleet breaker state here=OPEN");
    assertThat(second.fleetCard().state()).isEqualTo("SHARED");
  }

  private Options options(int instance, int rate) {
    Options options = Options.parse("--redis", uri, "--instance", String.valueOf(instance), "--rate", String.valueOf(rate),
        "--timeout", "1s", "--no-story");
    options.shareUpstream = false;
    options.keyPrefix = prefix;
    options.port = 0;
    options.hangFor = Duration.ofSeconds(2);
    options.breakerWait = Duration.ofSeconds(30);
    options.syncInterval = Duration.ofMillis(100);
    options.console = false;
    return options;
  }

  /** The machine's Redis, or one of the test's own on a free port. */
  private String redis() throws IOException {
    if (ping(6379)) {
      return "redis://127.0.0.1:6379";
    }
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    String binary = new File("/usr/bin/redis-server").canExecute() ? "/usr/bin/redis-server" : "redis-server";
    ownRedis = new ProcessBuilder(binary, "--port", String.valueOf(port), "--bind", "127.0.0.1", "--save", "",
        "--appendonly", "no").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    int p = port;
    waitUntil("redis-server on port " + port, () -> ping(p));
    return "redis://127.0.0.1:" + port;
  }

  private static boolean ping(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
      socket.setSoTimeout(1000);
      socket.getOutputStream().write("PING\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      byte[] reply = new byte[5];
      return socket.getInputStream().readNBytes(reply, 0, 5) == 5 && new String(reply, java.nio.charset.StandardCharsets.US_ASCII).equals("+PONG");
    } catch (IOException e) {
      return false;
    }
  }

  private static void waitUntil(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + DEADLINE + ": " + what);
      }
      LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
    }
  }
}
