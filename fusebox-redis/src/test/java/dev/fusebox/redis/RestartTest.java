package dev.fusebox.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusebox.circuitbreaker.CircuitBreaker;
import dev.fusebox.circuitbreaker.CircuitBreakerConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * Test 7: Redis restarted empty in the middle of a run. No instance lets a call through before the fleet's
 * opening ends (an empty Redis closes nothing), and no false trip comes from stale counts: counts from
 * before the restart and from the outage are dropped, not replayed into the new, empty window.
 */
class RestartTest {

  private static final int INSTANCES = 4;
  private static final Duration WAIT = Duration.ofSeconds(6);

  @Test
  void anEmptyRedisClosesNothingEarlyAndReplaysNoStaleCounts() {
    CircuitBreakerConfig held =
        CircuitBreakerConfig.builder().countBasedWindow(10).minimumNumberOfCalls(10).waitDurationInOpenState(WAIT).build();
    CircuitBreakerConfig counted =
        CircuitBreakerConfig.builder()
            .countBasedWindow(100)
            .minimumNumberOfCalls(20)
            .waitDurationInOpenState(Duration.ofMinutes(1))
            .build();
    AtomicBoolean stop = new AtomicBoolean();
    List<Thread> probes = new ArrayList<>();
    try (RedisServer server = RedisServer.start();
        Fleet fleet =
            new Fleet(INSTANCES, server.uri(), "restart", held, b -> b.storeBackoffMax(Duration.ofSeconds(1)))) {
      List<List<RedisSharedStateEvent>> events = new ArrayList<>();
      for (RedisSharedState state : fleet.states) {
        List<RedisSharedStateEvent> list = new CopyOnWriteArrayList<>();
        state.onEvent(list::add);
        events.add(list);
      }
      List<CircuitBreaker> heldBreakers = fleet.breakers("held");
      List<CircuitBreaker> counts = new ArrayList<>();
      fleet.registries.forEach(r -> counts.add(r.circuitBreaker("counts", counted)));
      fleet.awaitKnown("held");
      fleet.awaitKnown("counts");

      // 16 failures in the fleet's window: four short of the minimum.
      counts.forEach(b -> Calls.fail(b, 4));
      fleet.awaitFlushes(2);
      try (RedisToUse.Target view = new RedisToUse.Target(server.uri())) {
        assertThat(windowOf(view, "counts")).containsExactly(16, 16, 0);
      }

      // The fleet opens "held" for WAIT; probes on every instance try a call every few milliseconds.
      long start = System.nanoTime();
      Calls.fail(heldBreakers.get(0), 10);
      Poll.until(Duration.ofSeconds(20), "every instance holds the opening",
          () -> heldBreakers.stream().allMatch(b -> b.state() == CircuitBreaker.State.OPEN));
      AtomicLongArray firstAdmitted = new AtomicLongArray(INSTANCES);
      for (int i = 0; i < INSTANCES; i++) {
        int index = i;
        CircuitBreaker breaker = heldBreakers.get(i);
        Thread probe = new Thread(() -> {
          while (!stop.get() && firstAdmitted.get(index) == 0) {
            if (Calls.succeed(breaker)) {
              firstAdmitted.set(index, System.nanoTime());
            }
            LockSupport.parkNanos(5_000_000);
          }
        }, "probe-" + i);
        probe.setDaemon(true);
        probes.add(probe);
        probe.start();
      }

      server.kill();
      fleet.awaitMode(RedisSharedState.Mode.DEGRADED);
      // Counted during the outage: together with the 16 from before they would open the fleet if replayed.
      counts.forEach(b -> Calls.fail(b, 4));
      counts.forEach(b -> assertThat(b.state()).isEqualTo(CircuitBreaker.State.CLOSED));
      server.restart();
      fleet.awaitMode(RedisSharedState.Mode.SHARED);
      fleet.awaitFlushes(3);

      try (RedisToUse.Target view = new RedisToUse.Target(server.uri())) {
        assertThat(view.commands().hget(FlushScript.keys("restart", "counts")[0], "st")).isEqualTo("0");
        assertThat(windowOf(view, "counts")).as("nothing replayed").containsExactly(0, 0, 0);
        counts.forEach(b -> Calls.succeed(b, 1));
        fleet.awaitFlushes(2);
        assertThat(windowOf(view, "counts")).as("only new counts").containsExactly(4, 0, 0);
        assertThat(view.commands().hget(FlushScript.keys("restart", "counts")[0], "st")).isEqualTo("0");
      }
      counts.forEach(b -> assertThat(b.state()).isEqualTo(CircuitBreaker.State.CLOSED));
      for (List<RedisSharedStateEvent> list : events) {
        assertThat(list).filteredOn(e -> e instanceof RedisSharedStateEvent.StateLost)
            .extracting(e -> ((RedisSharedStateEvent.StateLost) e).breakerName())
            .contains("held", "counts");
        assertThat(list).filteredOn(e -> e instanceof RedisSharedStateEvent.ModeChanged).hasSize(2);
      }

      Poll.until(Duration.ofSeconds(30), "every probe got a call through", () -> {
        for (int i = 0; i < INSTANCES; i++) {
          if (firstAdmitted.get(i) == 0) {
            return false;
          }
        }
        return true;
      });
      for (int i = 0; i < INSTANCES; i++) {
        assertThat(Duration.ofNanos(firstAdmitted.get(i) - start))
            .as("instance %d let a call through only after the fleet's opening ended", i)
            .isGreaterThanOrEqualTo(WAIT);
      }
    } finally {
      stop.set(true);
    }
  }

  private static long[] windowOf(RedisToUse.Target view, String breaker) {
    long[] sums = new long[3];
    view.commands().hgetall(FlushScript.keys("restart", breaker)[1]).forEach((field, value) -> {
      char kind = field.charAt(field.length() - 1);
      sums[kind == 'c' ? 0 : kind == 'f' ? 1 : 2] += Long.parseLong(value);
    });
    return sums;
  }
}
