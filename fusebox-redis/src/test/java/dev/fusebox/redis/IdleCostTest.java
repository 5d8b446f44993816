package dev.fusebox.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusebox.circuitbreaker.CircuitBreaker;
import dev.fusebox.circuitbreaker.CircuitBreakerConfig;
import dev.fusebox.testsupport.Poll;
import dev.fusebox.testsupport.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Cost follows activity: idle breakers cost no script per period, only each instance's heartbeat does;
 * a breaker that gets calls flushes again, and an idle one still learns of a fleet opening at once.
 * Scripts are counted by Redis itself ({@code INFO commandstats}).
 */
class IdleCostTest {

  private static final int INSTANCES = 2;
  private static final int BREAKERS = 50;

  @Test
  void idleBreakersCostOnlyTheHeartbeats() {
    CircuitBreakerConfig config =
        CircuitBreakerConfig.builder().countBasedWindow(10).minimumNumberOfCalls(5)
            .waitDurationInOpenState(Duration.ofMinutes(1)).build();
    try (RedisServer server = RedisServer.start();
        Fleet fleet = new Fleet(INSTANCES, server.uri(), "idle", config, b -> b.syncInterval(Duration.ofMillis(100)))) {
      List<List<CircuitBreaker>> byName = new ArrayList<>();
      for (int i = 0; i < BREAKERS; i++) {
        byName.add(fleet.breakers("b" + i));
      }
      for (int i = 0; i < BREAKERS; i++) {
        fleet.awaitKnown("b" + i);
      }
      fleet.awaitFlushes(2);

      long scripts = scripts(server);
      long roundTrips = roundTrips(fleet);
      fleet.awaitFlushes(10);
      long idleScripts = scripts(server) - scripts;
      long idleRoundTrips = roundTrips(fleet) - roundTrips;
      assertThat(idleRoundTrips).isGreaterThanOrEqualTo(INSTANCES * 10L);
      // One heartbeat per round trip; the slack covers the round trips under way while counting.
      assertThat(idleScripts).as("scripts over %d idle round trips", idleRoundTrips)
          .isBetween(idleRoundTrips - INSTANCES, idleRoundTrips + INSTANCES);

      // One breaker gets calls on one instance: it alone flushes again.
      Calls.succeed(byName.get(7).get(0), 3);
      scripts = scripts(server);
      roundTrips = roundTrips(fleet);
      fleet.awaitFlushes(3);
      assertThat(scripts(server) - scripts).isLessThanOrEqualTo(roundTrips(fleet) - roundTrips + INSTANCES + 1);

      // An idle breaker learns of a fleet opening from the message, at once.
      Calls.fail(byName.get(3).get(1), 10);
      Poll.until(Duration.ofSeconds(20), "the idle instance holds the opening",
          () -> byName.get(3).get(0).state() == CircuitBreaker.State.OPEN);
    }
  }

  private static long roundTrips(Fleet fleet) {
    return fleet.states.stream().mapToLong(s -> s.metrics().flushes()).sum();
  }

  /** The EVALSHA calls Redis has answered, from INFO commandstats. */
  static long scripts(RedisServer server) {
    String info = RedisServer.command(server.port(), "INFO", "commandstats");
    for (String line : info.split("\r\n")) {
      if (line.startsWith("cmdstat_evalsha:")) {
        int start = line.indexOf("calls=") + 6;
        return Long.parseLong(line.substring(start, line.indexOf(',', start)));
      }
    }
    return 0;
  }
}
