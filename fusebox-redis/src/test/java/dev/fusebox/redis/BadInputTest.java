package dev.fusebox.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fusebox.circuitbreaker.CircuitBreaker;
import dev.fusebox.circuitbreaker.CircuitBreakerConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Test 9: bad input. A missing or unreachable Redis at start-up is a clear error or a logged degraded mode,
 * as configured, and never a hang; every out-of-range option is rejected by name, all at once.
 */
class BadInputTest {

  private static final String NOWHERE = "redis://127.0.0.1:1";

  static List<Arguments> invalidOptions() {
    return List.of(
        Arguments.of("syncInterval", (Consumer<RedisSharedState.Builder>) b -> b.syncInterval(Duration.ofMillis(5))),
        Arguments.of("syncInterval", (Consumer<RedisSharedState.Builder>) b -> b.syncInterval(Duration.ofMinutes(2))),
        Arguments.of("commandTimeout", (Consumer<RedisSharedState.Builder>) b -> b.commandTimeout(Duration.ofMillis(500))),
        Arguments.of("commandTimeout", (Consumer<RedisSharedState.Builder>) b -> b.commandTimeout(Duration.ZERO)),
        Arguments.of("connectTimeout", (Consumer<RedisSharedState.Builder>) b -> b.connectTimeout(Duration.ofMillis(-1))),
        Arguments.of("leaseDuration", (Consumer<RedisSharedState.Builder>) b -> b.leaseDuration(Duration.ofMillis(999))),
        Arguments.of("keyPrefix", (Consumer<RedisSharedState.Builder>) b -> b.keyPrefix("")),
        Arguments.of("keyPrefix", (Consumer<RedisSharedState.Builder>) b -> b.keyPrefix("my{app}")),
        Arguments.of("keyPrefix", (Consumer<RedisSharedState.Builder>) b -> b.keyPrefix("my app")),
        Arguments.of("instanceId", (Consumer<RedisSharedState.Builder>) b -> b.instanceId(" ")),
        Arguments.of("rampJitter", (Consumer<RedisSharedState.Builder>) b -> b.rampJitter(Duration.ofMillis(-1))),
        Arguments.of("fleetWindow", (Consumer<RedisSharedState.Builder>) b -> b.fleetWindow(Duration.ofMillis(999))),
        Arguments.of("keyTtl", (Consumer<RedisSharedState.Builder>) b -> b.keyTtl(Duration.ofSeconds(4))),
        Arguments.of("storeBackoffMax", (Consumer<RedisSharedState.Builder>) b -> b.storeBackoffMax(Duration.ofMillis(100))),
        Arguments.of("uri", (Consumer<RedisSharedState.Builder>) b -> b.uri("http://127.0.0.1:6379")),
        Arguments.of("uri", (Consumer<RedisSharedState.Builder>) b -> b.uri("not a uri")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidOptions")
  void anOutOfRangeOptionIsRejectedByName(String option, Consumer<RedisSharedState.Builder> invalid) {
    RedisSharedState.Builder builder = RedisSharedState.builder().uri(NOWHERE);
    invalid.accept(builder);
    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Invalid RedisSharedState")
        .hasMessageContaining(option + " must")
        .hasMessageContaining(", was ");
  }

  @Test
  void everyViolationIsReportedAtOnce() {
    assertThatThrownBy(
            () -> RedisSharedState.builder()
                .syncInterval(Duration.ofMillis(1))
                .keyPrefix("a b")
                .leaseDuration(Duration.ZERO)
                .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Invalid RedisSharedState (4 problems): uri must be set")
        .hasMessageContaining("syncInterval must be between PT0.01S and PT1M, was PT0.001S")
        .hasMessageContaining("keyPrefix must be")
        .hasMessageContaining("leaseDuration must be");
  }

  @Test
  void nullOptionsAreRejectedAtOnceByName() {
    RedisSharedState.Builder b = RedisSharedState.builder();
    assertThatThrownBy(() -> b.uri(null)).isInstanceOf(NullPointerException.class).hasMessage("uri must not be null");
    assertThatThrownBy(() -> b.syncInterval(null)).hasMessage("syncInterval must not be null");
    assertThatThrownBy(() -> b.commandTimeout(null)).hasMessage("commandTimeout must not be null");
    assertThatThrownBy(() -> b.connectTimeout(null)).hasMessage("connectTimeout must not be null");
    assertThatThrownBy(() -> b.instanceId(null)).hasMessage("instanceId must not be null");
    assertThatThrownBy(() -> b.keyPrefix(null)).hasMessage("keyPrefix must not be null");
    assertThatThrownBy(() -> b.degradedPolicy(null)).hasMessage("degradedPolicy must not be null");
    assertThatThrownBy(() -> b.startupPolicy(null)).hasMessage("startupPolicy must not be null");
    assertThatThrownBy(() -> b.leaseDuration(null)).hasMessage("leaseDuration must not be null");
    assertThatThrownBy(() -> b.rampJitter(null)).hasMessage("rampJitter must not be null");
    assertThatThrownBy(() -> b.fleetWindow(null)).hasMessage("fleetWindow must not be null");
    assertThatThrownBy(() -> b.keyTtl(null)).hasMessage("keyTtl must not be null");
    assertThatThrownBy(() -> b.storeBackoffMax(null)).hasMessage("storeBackoffMax must not be null");
    assertThatThrownBy(() -> b.clientResources(null)).hasMessage("clientResources must not be null");
  }

  @Test
  void anUnreachableRedisAtStartUpIsAClearErrorWithinTheConnectTimeout() {
    long start = System.nanoTime();
    assertThatThrownBy(
            () -> RedisSharedState.builder().uri(NOWHERE).connectTimeout(Duration.ofMillis(500)).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("Redis at 127.0.0.1:1 cannot be used")
        .hasMessageContaining("START_DEGRADED");
    // Bounded by this connect timeout (the attempt's bound is three of them plus a second), not by Lettuce's
    // own 10 s default: generous, since a loaded machine spends seconds loading the client's classes.
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(8));
  }

  @Test
  void aRedisThatAcceptsButNeverAnswersIsAnErrorNotAHang() throws IOException {
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
      List<Socket> accepted = new CopyOnWriteArrayList<>();
      Thread acceptor = new Thread(() -> {
        try {
          for (;;) {
            accepted.add(silent.accept());
          }
        } catch (IOException e) {
          // closed
        }
      });
      acceptor.setDaemon(true);
      acceptor.start();
      long start = System.nanoTime();
      assertThatThrownBy(
              () -> RedisSharedState.builder()
                  .uri("redis://127.0.0.1:" + silent.getLocalPort())
                  .connectTimeout(Duration.ofMillis(500))
                  .build())
          .isInstanceOf(IllegalStateException.class)
          .hasMessageStartingWith("Redis at 127.0.0.1:" + silent.getLocalPort() + " cannot be used");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
      for (Socket s : accepted) {
        s.close();
      }
    }
  }

  @Test
  void startDegradedLogsWorksLocallyAndConnectsWhenRedisAppears() {
    Logged log = new Logged();
    List<LogRecord> logged = log.records;
    int port = RedisServer.freePort();
    try (RedisSharedState state =
        RedisSharedState.builder()
            .uri("redis://127.0.0.1:" + port)
            .instanceId("early-bird")
            .syncInterval(Duration.ofMillis(100))
            .connectTimeout(Duration.ofMillis(500))
            .storeBackoffMax(Duration.ofMillis(400))
            .startupPolicy(StartupPolicy.START_DEGRADED)
            .build()) {
      assertThat(state.mode()).isEqualTo(RedisSharedState.Mode.DEGRADED);
      assertThat(logged).anySatisfy(r -> {
        assertThat(r.getLevel()).isEqualTo(Level.WARNING);
        assertThat(r.getParameters()).contains("127.0.0.1:" + port, "early-bird");
      });
      CircuitBreaker breaker = state.registry(CircuitBreakerConfig.ofDefaults()).circuitBreaker("works");
      assertThat(Calls.succeed(breaker)).isTrue();
      List<RedisSharedStateEvent> events = new CopyOnWriteArrayList<>();
      state.onEvent(events::add);
      try (RedisServer late = RedisServer.startOn(port)) {
        assertThat(late.port).isEqualTo(port);
        Poll.until(Duration.ofSeconds(20), "the state shares through the late Redis",
            () -> !events.isEmpty() && state.metrics().scripts() > 0);
        assertThat(state.mode()).isEqualTo(RedisSharedState.Mode.SHARED);
        assertThat(events).singleElement().isInstanceOfSatisfying(RedisSharedStateEvent.ModeChanged.class, e -> {
          assertThat(e.from()).isEqualTo(RedisSharedState.Mode.DEGRADED);
          assertThat(e.to()).isEqualTo(RedisSharedState.Mode.SHARED);
        });
      }
    } finally {
      log.close();
    }
  }
}
