package dev.fusebox.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusebox.circuitbreaker.CircuitBreaker;
import dev.fusebox.circuitbreaker.CircuitBreakerRegistry;
import dev.fusebox.redis.RedisSharedState;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * With {@code fusebox.redis.uri}, two instances of an application share their breakers through a real
 * Redis: the machine's on 127.0.0.1:6379 when one answers there, else a redis-server started for the test.
 */
class RedisSharingTest {

  private static Process ownServer;
  private static String uri;

  private final String prefix = "fbspring-" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1);

  private ApplicationContextRunner instance() {
    return new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(FuseboxRedisAutoConfiguration.class, FuseboxAutoConfiguration.class))
        .withPropertyValues(
            "fusebox.redis.uri=" + uri,
            "fusebox.redis.key-prefix=" + prefix,
            "fusebox.redis.sync-interval=50ms",
            "fusebox.redis.key-ttl=1m",
            "fusebox.circuitbreaker.instances.shared.count-based-window=4",
            "fusebox.circuitbreaker.instances.shared.wait-duration-in-open-state=1h");
  }

  @BeforeAll
  static void redis() throws Exception {
    if (answers(6379)) {
      uri = "redis://127.0.0.1:6379";
      return;
    }
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    ownServer = new ProcessBuilder("redis-server", "--port", String.valueOf(port), "--bind", "127.0.0.1",
            "--save", "", "--appendonly", "no")
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    int p = port;
    poll(Duration.ofSeconds(10), () -> answers(p));
    uri = "redis://127.0.0.1:" + port;
  }

  @AfterAll
  static void stopOwnServer() {
    if (ownServer != null) {
      ownServer.destroy();
    }
  }

  @Test
  void anOpeningInOneInstanceOpensTheSameBreakerInTheOther() {
    instance().run(first -> instance().run(second -> {
      assertThat(first).hasSingleBean(RedisSharedState.class);
      CircuitBreaker a = first.getBean(CircuitBreakerRegistry.class).find("shared").orElseThrow();
      CircuitBreaker b = second.getBean(CircuitBreakerRegistry.class).find("shared").orElseThrow();
      RedisSharedState sharedA = first.getBean(RedisSharedState.class);
      poll(Duration.ofSeconds(10), () -> sharedA.metrics().flushes() > 0);
      for (int i = 0; i < 4; i++) {
        a.onError(0, new IOException("down"));
      }
      assertThat(a.state()).isEqualTo(CircuitBreaker.State.OPEN);
      poll(Duration.ofSeconds(10), () -> b.state() == CircuitBreaker.State.OPEN);
      assertThat(b.tryAcquirePermission()).isFalse();
    }));
  }

  @Test
  void staysLocalWithoutTheUriOrWithoutFuseboxRedis() {
    instance().withPropertyValues("fusebox.redis.uri=")
        .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(RedisSharedState.class));
    instance().withClassLoader(new FilteredClassLoader(RedisSharedState.class))
        .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(CircuitBreakerRegistryFactory.class));
  }

  @Test
  void namesTheRedisPropertyOfAnInvalidValue() {
    instance().withPropertyValues("fusebox.redis.sync-interval=1ms")
        .run(context -> assertThat(context.getStartupFailure()).rootCause()
            .hasMessageContaining("fusebox.redis.sync-interval must be"));
  }

  @Test
  void clusterModeReachesTheClient() {
    // The test's Redis is a standalone one: a cluster client refuses it, naming the address as a cluster's.
    instance().withPropertyValues("fusebox.redis.cluster=true", "fusebox.redis.connect-timeout=1s")
        .run(context -> assertThat(context.getStartupFailure())
            .hasStackTraceContaining("(Redis Cluster) cannot be used")
            .rootCause()
            .hasMessageContaining("cluster support disabled"));
  }

  @Test
  void theApplicationsNameIsTheDefaultKeyPrefixSoTwoApplicationsDoNotShareBreakers() {
    String orders = prefix + "-orders";
    String billing = prefix + "-billing";
    named(orders).run(first -> named(billing).run(second -> {
      CircuitBreaker a = first.getBean(CircuitBreakerRegistry.class).find("shared").orElseThrow();
      CircuitBreaker b = second.getBean(CircuitBreakerRegistry.class).find("shared").orElseThrow();
      RedisSharedState sharedA = first.getBean(RedisSharedState.class);
      RedisSharedState sharedB = second.getBean(RedisSharedState.class);
      poll(Duration.ofSeconds(10), () -> sharedA.metrics().flushes() > 0 && sharedB.metrics().flushes() > 0);
      for (int i = 0; i < 4; i++) {
        a.onError(0, new IOException("down"));
      }
      poll(Duration.ofSeconds(10), () -> "1".equals(inline("HGET {" + orders + ":shared}:s st")));
      long flushes = sharedB.metrics().flushes();
      poll(Duration.ofSeconds(10), () -> sharedB.metrics().flushes() > flushes + 2);
      assertThat(b.state()).isEqualTo(CircuitBreaker.State.CLOSED);
      assertThat(inline("HGET {" + billing + ":shared}:s st")).isEqualTo("0");
    }));
  }

  private ApplicationContextRunner named(String application) {
    return new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(FuseboxRedisAutoConfiguration.class, FuseboxAutoConfiguration.class))
        .withPropertyValues(
            "spring.application.name=" + application,
            "fusebox.redis.uri=" + uri,
            "fusebox.redis.sync-interval=50ms",
            "fusebox.redis.key-ttl=1m",
            "fusebox.circuitbreaker.instances.shared.count-based-window=4",
            "fusebox.circuitbreaker.instances.shared.wait-duration-in-open-state=1h");
  }

  /** Sends one inline command to the test's Redis and returns the reply's value line. */
  private static String inline(String command) {
    int port = Integer.parseInt(uri.substring(uri.lastIndexOf(':') + 1));
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
      socket.setSoTimeout(1000);
      OutputStream out = socket.getOutputStream();
      out.write((command + "\r\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
      InputStream in = socket.getInputStream();
      StringBuilder lines = new StringBuilder();
      int c;
      while ((c = in.read()) != -1 && c != '\n') {
        lines.append((char) c);
      }
      String first = lines.toString().trim();
      if (!first.startsWith("$") || first.equals("$-1")) {
        return first;
      }
      byte[] value = in.readNBytes(Integer.parseInt(first.substring(1)));
      return new String(value, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static boolean answers(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
      socket.setSoTimeout(1000);
      OutputStream out = socket.getOutputStream();
      out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      byte[] reply = in.readNBytes(7);
      return new String(reply, StandardCharsets.US_ASCII).startsWith("+PONG");
    } catch (IOException e) {
      return false;
    }
  }

  private static void poll(Duration limit, BooleanSupplier condition) {
    long end = System.nanoTime() + limit.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("not within " + limit);
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
