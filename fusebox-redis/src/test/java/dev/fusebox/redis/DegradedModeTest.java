package dev.fusebox.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusebox.circuitbreaker.CircuitBreaker;
import dev.fusebox.circuitbreaker.CircuitBreakerConfig;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * The degraded mode: its events and metrics, reconnection without a restart, and what each
 * {@link DegradedPolicy} does with the breakers while Redis cannot be used.
 */
class DegradedModeTest {

  private static RedisSharedState.Builder builder(RedisServer server, String id) {
    return RedisSharedState.builder()
        .uri(server.uri())
        .instanceId(id)
        .syncInterval(Duration.ofMillis(100))
        .storeBackoffMax(Duration.ofMillis(400));
  }

  @Test
  void modeChangesAreEventsAndMetricsAndReconnectionNeedsNoRestart() {
    try (RedisServer server = RedisServer.start();
        RedisSharedState state = builder(server, "modes").build()) {
      List<RedisSharedStateEvent> events = new CopyOnWriteArrayList<>();
      state.onEvent(events::add);
      CircuitBreaker breaker = state.registry(CircuitBreakerConfig.ofDefaults()).circuitBreaker("dependency");
      Poll.until(Duration.ofSeconds(20), "flushed", () -> state.metrics().scripts() > 0);

      // Paused: flushes time out, the store's breaker opens, the state degrades; after the pause, it is back.
      server.pause(Duration.ofSeconds(2));
      Poll.until(Duration.ofSeconds(20), "degraded while paused", () -> state.mode() == RedisSharedState.Mode.DEGRADED);
      assertThat(Calls.succeed(breaker)).isTrue();
      Poll.until(Duration.ofSeconds(20), "shared after the pause", () -> state.mode() == RedisSharedState.Mode.SHARED);

      // Killed and restarted: the same, through a new connection.
      server.kill();
      Poll.until(Duration.ofSeconds(20), "degraded while dead", () -> state.mode() == RedisSharedState.Mode.DEGRADED);
      assertThat(state.storeBreaker().state()).isNotEqualTo(CircuitBreaker.State.CLOSED);
      server.restart();
      List<RedisSharedStateEvent.ModeChanged> modes = new CopyOnWriteArrayList<>();
      Poll.until(Duration.ofSeconds(20), "shared after the restart", () -> {
        modes.clear();
        events.stream()
            .filter(RedisSharedStateEvent.ModeChanged.class::isInstance)
            .forEach(e -> modes.add((RedisSharedStateEvent.ModeChanged) e));
        return modes.size() == 4;
      });
      long scripts = state.metrics().scripts();
      Poll.until(Duration.ofSeconds(20), "flushing again", () -> state.metrics().scripts() > scripts);

      assertThat(modes).extracting(RedisSharedStateEvent.ModeChanged::to)
          .containsExactly(RedisSharedState.Mode.DEGRADED, RedisSharedState.Mode.SHARED,
              RedisSharedState.Mode.DEGRADED, RedisSharedState.Mode.SHARED);
      assertThat(modes.get(0).reason()).startsWith("Redis cannot be used: ");
      assertThat(events).filteredOn(RedisSharedStateEvent.StateLost.class::isInstance)
          .as("the restarted Redis is empty").hasSize(1);
      RedisSharedState.Metrics metrics = state.metrics();
      assertThat(metrics.mode()).isEqualTo(RedisSharedState.Mode.SHARED);
      assertThat(metrics.modeChanges()).isEqualTo(4);
      assertThat(metrics.failedFlushes()).isPositive();
      assertThat(metrics.breakers()).isEqualTo(1);
    }
  }

  @Test
  void failClosedHoldsEveryBreakerOpenWhileDegradedAndLetsGoOnceRedisIsBack() {
    try (RedisServer server = RedisServer.start();
        RedisSharedState state = builder(server, "fail-closed").degradedPolicy(DegradedPolicy.FAIL_CLOSED).build()) {
      CircuitBreaker breaker = state.registry(CircuitBreakerConfig.ofDefaults()).circuitBreaker("dependency");
      assertThat(Calls.succeed(breaker)).isTrue();
      server.kill();
      Poll.until(Duration.ofSeconds(20), "degraded", () -> state.mode() == RedisSharedState.Mode.DEGRADED);
      assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
      // Held for as long as Redis is away: renewed every period, well past a single hold.
      long degradedAt = System.nanoTime();
      Duration hold = state.settings().failClosedHold();
      while (System.nanoTime() - degradedAt < hold.multipliedBy(3).toNanos()) {
        assertThat(Calls.succeed(breaker)).as("rejected while degraded").isFalse();
        LockSupport.parkNanos(10_000_000);
      }
      server.restart();
      Poll.until(Duration.ofSeconds(20), "shared again", () -> state.mode() == RedisSharedState.Mode.SHARED);
      Poll.until(Duration.ofSeconds(20), "calls run again", () -> Calls.succeed(breaker));
    }
  }

  @Test
  void failClosedKeepsHoldingWhileAReconnectionToABlackHoleIsPending() {
    try (RedisServer server = RedisServer.start();
        DelayProxy proxy = new DelayProxy(server.port, Duration.ZERO);
        RedisSharedState state =
            RedisSharedState.builder()
                .uri(proxy.uri())
                .instanceId("black-hole")
                .syncInterval(Duration.ofMillis(100))
                .connectTimeout(Duration.ofSeconds(2))
                .degradedPolicy(DegradedPolicy.FAIL_CLOSED)
                .build()) {
      CircuitBreaker breaker = state.registry(CircuitBreakerConfig.ofDefaults()).circuitBreaker("dependency");
      assertThat(Calls.succeed(breaker)).isTrue();
      // Redis still accepts connections but answers nothing for a minute: reconnecting hangs until its timeout.
      proxy.delay(Duration.ofMinutes(1));
      Poll.until(Duration.ofSeconds(20), "degraded", () -> state.mode() == RedisSharedState.Mode.DEGRADED);
      long degradedAt = System.nanoTime();
      while (System.nanoTime() - degradedAt < Duration.ofSeconds(4).toNanos()) {
        assertThat(Calls.succeed(breaker)).as("rejected while degraded").isFalse();
        assertThat(breaker.state()).as("held open, not left half-open").isEqualTo(CircuitBreaker.State.OPEN);
        LockSupport.parkNanos(10_000_000);
      }
    }
  }

  /**
   * The fleet is half-open and its only lease is held by a trial that hangs on instance C. A (LAST_KNOWN)
   * and B (LOCAL) know the fleet is half-open and hold no lease. Redis dies: B becomes a local breaker
   * and runs its own trial at once; A keeps the fleet's half-open rule until it expires.
   */
  @Test
  void lastKnownKeepsTheFleetsHalfOpenRuleUntilItExpiresWhereLocalLetsGo() {
    CircuitBreakerConfig config =
        CircuitBreakerConfig.builder()
            .countBasedWindow(10)
            .minimumNumberOfCalls(10)
            .waitDurationInOpenState(Duration.ofMillis(500))
            .permittedNumberOfCallsInHalfOpenState(1)
            .build();
    Duration lease = Duration.ofSeconds(3);
    CountDownLatch release = new CountDownLatch(1);
    AtomicBoolean hanging = new AtomicBoolean();
    try (RedisServer server = RedisServer.start();
        RedisSharedState a = builder(server, "a").leaseDuration(lease).degradedPolicy(DegradedPolicy.LAST_KNOWN).build();
        RedisSharedState b = builder(server, "b").leaseDuration(lease).build();
        RedisSharedState c = builder(server, "c").leaseDuration(lease).build()) {
      CircuitBreaker onA = a.registry(config).circuitBreaker("dependency");
      CircuitBreaker onB = b.registry(config).circuitBreaker("dependency");
      CircuitBreaker onC = c.registry(config).circuitBreaker("dependency");
      for (RedisSharedState s : List.of(a, b, c)) {
        Poll.until(Duration.ofSeconds(20), "known", () -> s.loop().find("dependency").knownState() >= 0);
      }
      Calls.fail(onA, 10);
      Poll.until(Duration.ofSeconds(20), "all open",
          () -> List.of(onA, onB, onC).stream().allMatch(x -> x.state() == CircuitBreaker.State.OPEN));
      Thread trial = new Thread(() -> {
        while (!hanging.get()) {
          try {
            onC.executeRunnable(() -> {
              hanging.set(true);
              try {
                release.await(1, TimeUnit.MINUTES);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
          } catch (RuntimeException rejected) {
            LockSupport.parkNanos(5_000_000);
          }
        }
      }, "hanging-trial");
      trial.setDaemon(true);
      trial.start();
      Poll.until(Duration.ofSeconds(20), "C's trial hangs", hanging::get);
      for (RedisSharedState s : List.of(a, b)) {
        Poll.until(Duration.ofSeconds(20), "knows the fleet is half-open",
            () -> s.loop().find("dependency").knownState() == FlushScript.HALF_OPEN);
      }
      assertThat(Calls.succeed(onA)).as("A has no lease").isFalse();
      assertThat(Calls.succeed(onB)).as("B has no lease").isFalse();

      server.kill();
      long killedAt = System.nanoTime();
      Poll.until(Duration.ofSeconds(20), "degraded",
          () -> a.mode() == RedisSharedState.Mode.DEGRADED && b.mode() == RedisSharedState.Mode.DEGRADED);
      assertThat(Calls.succeed(onB)).as("B runs as a local breaker").isTrue();
      assertThat(Calls.succeed(onA)).as("A still follows the half-open fleet").isFalse();
      Poll.until(Duration.ofSeconds(20), "A's knowledge expired", () -> Calls.succeed(onA));
      assertThat(Duration.ofNanos(System.nanoTime() - killedAt)).isLessThan(lease.plus(Duration.ofSeconds(5)));
    } finally {
      release.countDown();
    }
  }
}
