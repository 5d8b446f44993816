package dev.fusebox.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusebox.circuitbreaker.CircuitBreaker;
import dev.fusebox.circuitbreaker.CircuitBreakerConfig;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * A Redis 300 ms away, with the default settings (500 ms period, 250 ms command timeout): every flush
 * would time out, yet the instance must not flap between SHARED and DEGRADED, reconnect every period or
 * reload its script each time. Counted, not timed: mode changes, connections Redis accepted and SCRIPT
 * LOADs it ran over one minute.
 */
class SlowRedisTest {

  @org.junit.jupiter.api.Disabled("Known defect, open in issue 14: in some runs Lettuce's command timeout does not"
      + " fire for the flushes (121 flushes of 302 ms succeeded under a 250 ms timeout), so the instance never"
      + " degrades; bounding the round ourselves degraded loaded fleets instead")
  @Test
  void aRedisTooFarForItsTimeoutDegradesOnceAndBacksOffInsteadOfFlapping() {
    try (RedisServer server = RedisServer.start();
        DelayProxy proxy = new DelayProxy(server.port, Duration.ZERO);
        RedisSharedState state =
            RedisSharedState.builder().uri(proxy.uri()).keyPrefix("slow").instanceId("far-away").build()) {
      List<RedisSharedState.Mode> modes = new CopyOnWriteArrayList<>();
      List<Long> flushesAtChange = new CopyOnWriteArrayList<>();
      state.onEvent(e -> {
        if (e instanceof RedisSharedStateEvent.ModeChanged changed) {
          modes.add(changed.to());
          flushesAtChange.add(state.metrics().flushes());
        }
      });
      CircuitBreaker breaker = state.registry(CircuitBreakerConfig.ofDefaults()).circuitBreaker("dependency");
      Poll.until(Duration.ofSeconds(20), "flushed", () -> state.metrics().flushes() >= 2);
      long connections = stat(server, "total_connections_received");
      long loads = scriptLoads(server);

      proxy.delay(Duration.ofMillis(150)); // each way: 300 ms round trips
      long start = System.nanoTime();
      while (System.nanoTime() - start < Duration.ofMinutes(1).toNanos()) {
        Calls.succeed(breaker);
        LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
      }

      assertThat(modes).as("mode changes over the minute, " + state.metrics()).containsExactly(RedisSharedState.Mode.DEGRADED);
      assertThat(state.metrics().modeChanges()).isEqualTo(1);
      // The reconnection backoff grows across connections that then time out: 0.5, 1, 2, 4, 8 s, then
      // the 10 s maximum, about ten attempts in the minute where one per period would be 120.
      // Less the two connections of this test's own INFO commands.
      long opened = stat(server, "total_connections_received") - connections - 2;
      assertThat(opened).as("connections opened while slow, " + state.metrics()).isLessThanOrEqualTo(12);
      // The handshake has the commands' budget, so a Redis too slow for a flush is not handed the script.
      assertThat(scriptLoads(server) - loads).as("SCRIPT LOADs while slow").isLessThanOrEqualTo(1);

      proxy.delay(Duration.ZERO);
      Poll.until(Duration.ofSeconds(30), "shared again", () -> state.mode() == RedisSharedState.Mode.SHARED);
      assertThat(modes).containsExactly(RedisSharedState.Mode.DEGRADED, RedisSharedState.Mode.SHARED);
      // Hysteresis: two good rounds in a row after reconnecting, not the connection alone.
      assertThat(flushesAtChange.get(1) - flushesAtChange.get(0)).isGreaterThanOrEqualTo(2);
    }
  }

  private static long stat(RedisServer server, String name) {
    for (String line : RedisServer.command(server.port, "INFO", "stats").split("\r\n")) {
      if (line.startsWith(name + ":")) {
        return Long.parseLong(line.substring(name.length() + 1).trim());
      }
    }
    throw new IllegalStateException(name + " is not in INFO stats");
  }

  /** Calls of SCRIPT LOAD, from INFO commandstats ({@code cmdstat_script|load:calls=N,...}). */
  private static long scriptLoads(RedisServer server) {
    for (String line : RedisServer.command(server.port, "INFO", "commandstats").split("\r\n")) {
      if (line.startsWith("cmdstat_script|load:calls=")) {
        String rest = line.substring("cmdstat_script|load:calls=".length());
        return Long.parseLong(rest.substring(0, rest.indexOf(',')));
      }
    }
    return 0;
  }
}
