package dev.fusebox.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusebox.circuitbreaker.CircuitBreaker;
import dev.fusebox.circuitbreaker.CircuitBreakerConfig;
import dev.fusebox.circuitbreaker.StateTransition;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Tests 5 and 6: the fleet decides on the fleet's calls. Eight low-traffic instances, each below the
 * minimum number of calls, open together when the fleet's failure rate crosses the threshold; one sick
 * instance among eight opens only its own breaker while the fleet's rate stays below it. Instances that
 * share a breaker with different configurations are reported.
 */
@ExtendWith(RedisToUse.class)
class FleetWindowTest {

  private static final int INSTANCES = 8;

  @Test
  void lowTrafficInstancesEachBelowTheMinimumOpenTogether(RedisToUse.Target redis) {
    CircuitBreakerConfig config =
        CircuitBreakerConfig.builder()
            .countBasedWindow(100)
            .minimumNumberOfCalls(20)
            .failureRateThreshold(50)
            .waitDurationInOpenState(Duration.ofMinutes(1))
            .build();
    try (Fleet fleet = new Fleet(INSTANCES, redis.uri(), redis.prefix(), config, b -> {})) {
      List<CircuitBreaker> breakers = fleet.breakers("payments");
      AtomicLongArray openedAt = new AtomicLongArray(INSTANCES);
      for (int i = 0; i < INSTANCES; i++) {
        int index = i;
        breakers.get(i).onStateTransition(t -> openedAt.compareAndSet(index, 0, System.nanoTime()));
      }
      fleet.awaitKnown("payments");
      // 4 calls each, 3 failing: 75% everywhere, but 4 calls are far below the minimum of 20.
      for (CircuitBreaker breaker : breakers) {
        Calls.fail(breaker, 3);
        Calls.succeed(breaker, 1);
        assertThat(breaker.metrics().failureRate()).as("below the local minimum").isEqualTo(-1.0);
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
      }
      Poll.until(Duration.ofSeconds(20), "every instance opened",
          () -> breakers.stream().allMatch(b -> b.state() == CircuitBreaker.State.OPEN));
      assertThat(redis.fleetState("payments")).isEqualTo(FlushScript.OPEN);
      long first = Long.MAX_VALUE;
      long last = Long.MIN_VALUE;
      for (int i = 0; i < INSTANCES; i++) {
        first = Math.min(first, openedAt.get(i));
        last = Math.max(last, openedAt.get(i));
      }
      System.out.printf("8 low-traffic instances opened within %.1f ms of each other%n", (last - first) / 1e6);
      // Within one sync period (200 ms), plus what a loaded machine may add.
      assertThat(Duration.ofNanos(last - first)).isLessThan(Duration.ofMillis(200).plus(Duration.ofSeconds(1)));
    }
  }

  @Test
  void oneSickInstanceDoesNotOpenTheFleetWhileTheFleetRateIsBelowTheThreshold(RedisToUse.Target redis) {
    CircuitBreakerConfig config =
        CircuitBreakerConfig.builder()
            .countBasedWindow(200)
            .minimumNumberOfCalls(10)
            .failureRateThreshold(50)
            .waitDurationInOpenState(Duration.ofMinutes(1))
            .build();
    try (Fleet fleet = new Fleet(INSTANCES, redis.uri(), redis.prefix(), config, b -> {})) {
      List<CircuitBreaker> breakers = fleet.breakers("search");
      List<StateTransition> healthyTransitions = new CopyOnWriteArrayList<>();
      for (int i = 1; i < INSTANCES; i++) {
        breakers.get(i).onStateTransition(healthyTransitions::add);
      }
      fleet.awaitKnown("search");
      for (int i = 1; i < INSTANCES; i++) {
        Calls.succeed(breakers.get(i), 20);
      }
      fleet.awaitFlushes(2);
      CircuitBreaker sick = breakers.get(0);
      Calls.fail(sick, 10);
      assertThat(sick.state()).as("the sick instance opens its own breaker").isEqualTo(CircuitBreaker.State.OPEN);
      fleet.awaitFlushes(3);
      assertThat(redis.window("search")).as("the fleet saw every call").containsExactly(150, 10, 0);
      assertThat(redis.fleetState("search")).isEqualTo(FlushScript.CLOSED);
      for (int i = 1; i < INSTANCES; i++) {
        assertThat(breakers.get(i).state()).as("instance %d", i).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(Calls.succeed(breakers.get(i))).isTrue();
      }
      assertThat(healthyTransitions).isEmpty();
      assertThat(sick.state()).isEqualTo(CircuitBreaker.State.OPEN);
    }
  }

  @Test
  void anInstanceWithADifferentConfigurationIsReported(RedisToUse.Target redis) {
    CircuitBreakerConfig ours = CircuitBreakerConfig.builder().failureRateThreshold(50).build();
    CircuitBreakerConfig theirs = CircuitBreakerConfig.builder().failureRateThreshold(20).build();
    try (Fleet fleet = new Fleet(2, redis.uri(), redis.prefix(), ours, b -> {})) {
      List<RedisSharedStateEvent> events = new CopyOnWriteArrayList<>();
      fleet.states.get(1).onEvent(events::add);
      fleet.breaker(0, "inventory");
      // Its breaker's own flush answered, not only a heartbeat: instance 0's configuration is the fleet's.
      Poll.until(Duration.ofSeconds(20), "instance 0 flushed the breaker", () -> fleet.states.get(0).loop()
          .find("inventory").knownState() >= 0);
      fleet.registries.get(1).circuitBreaker("inventory", theirs);
      Poll.until(Duration.ofSeconds(20), "the mismatch is reported", () -> !events.isEmpty());
      assertThat(events).singleElement().isInstanceOfSatisfying(
          RedisSharedStateEvent.ConfigurationMismatch.class,
          m -> {
            assertThat(m.breakerName()).isEqualTo("inventory");
            assertThat(m.instanceId()).isEqualTo("instance-1");
            assertThat(m.otherInstanceId()).isEqualTo("instance-0");
            assertThat(m.otherFingerprint()).isNotEqualTo(m.fingerprint());
          });
      fleet.awaitFlushes(2);
      assertThat(events).as("reported once").hasSize(1);
      assertThat(fleet.states.get(1).metrics().configurationMismatches()).isEqualTo(1);
    }
  }
}
