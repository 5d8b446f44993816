package dev.fusebox.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusebox.circuitbreaker.CircuitBreaker;
import dev.fusebox.circuitbreaker.CircuitBreaker.State;
import dev.fusebox.circuitbreaker.CircuitBreakerConfig;
import dev.fusebox.testsupport.RedisServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Fleet overrides outlive what can happen to Redis and to instances: Redis restarted empty or flushed
 * (the instances carry the override back, and a release is never undone that way), Redis out of reach
 * (the override holds, and one with an end still ends), an instance restarted.
 */
class FleetOverrideLossTest {

  private static final Duration LIMIT = Duration.ofSeconds(30);
  private static final String PREFIX = "fleet-loss";
  private final CircuitBreakerConfig config =
      CircuitBreakerConfig.builder().countBasedWindow(10).minimumNumberOfCalls(5)
          .waitDurationInOpenState(Duration.ofMinutes(1)).build();

  @Test
  void anOverrideOutlivesARedisRestartedEmpty() {
    try (RedisServer server = RedisServer.start();
        Fleet fleet = new Fleet(2, server.uri(), PREFIX, config, b -> {})) {
      List<CircuitBreaker> breakers = fleet.breakers("a");
      fleet.awaitKnown("a");
      FleetOverride set = fleet.states.get(0).fleet().forceOpen("a", "INC-2");
      Poll.until(LIMIT, "every instance is forced open",
          () -> breakers.stream().allMatch(b -> b.state() == State.FORCED_OPEN));
      List<State> left = leavingStates(breakers);

      server.restart();

      Poll.until(LIMIT, "the instances carried the override back", () -> overrides(fleet, 1).containsKey("a"));
      assertThat(overrides(fleet, 1)).containsEntry("a", set);
      assertThat(left).as("no breaker left the forced state").isEmpty();

      assertThat(fleet.states.get(1).fleet().release("a", "resolved")).isTrue();
      Poll.until(LIMIT, "every instance follows the fleet again",
          () -> breakers.stream().allMatch(b -> b.state() == State.CLOSED));
    }
  }

  @Test
  void aReleaseIsNotUndoneByARedisFlushedAfterIt() {
    try (RedisServer server = RedisServer.start();
        Fleet fleet = new Fleet(2, server.uri(), PREFIX, config, b -> {})) {
      List<CircuitBreaker> breakers = fleet.breakers("a");
      fleet.awaitKnown("a");
      fleet.states.get(0).fleet().forceOpen("a", "INC-3");
      fleet.states.get(0).fleet().forceOpen("b", "INC-3, the other one");
      Poll.until(LIMIT, "every instance is forced open",
          () -> breakers.stream().allMatch(b -> b.state() == State.FORCED_OPEN));
      fleet.states.get(1).fleet().release("a", "resolved");
      Poll.until(LIMIT, "every instance follows the fleet again",
          () -> breakers.stream().allMatch(b -> b.state() == State.CLOSED));
      fleet.awaitFlushes(2);

      RedisServer.command(server.port(), "FLUSHALL");

      Poll.until(LIMIT, "the instances carried the overrides back", () -> overrides(fleet, 0).containsKey("b"));
      fleet.awaitFlushes(3);
      assertThat(overrides(fleet, 0)).containsOnlyKeys("b");
      assertThat(breakers).allSatisfy(b -> assertThat(b.state()).isEqualTo(State.CLOSED));
    }
  }

  @Test
  void anOverrideHoldsWhileRedisCannotBeReachedAndOneWithAnEndStillEnds() {
    try (RedisServer server = RedisServer.start();
        Fleet fleet = new Fleet(1, server.uri(), PREFIX, config, b -> {})) {
      CircuitBreaker a = fleet.breaker(0, "a");
      CircuitBreaker b = fleet.breaker(0, "b");
      fleet.awaitKnown("a");
      fleet.states.get(0).fleet().forceOpen("a", "held");
      fleet.states.get(0).fleet().forceOpen("b", Duration.ofSeconds(3), "for a while");

      server.kill();
      fleet.awaitMode(RedisSharedState.Mode.DEGRADED);

      Poll.until(LIMIT, "the override with an end ended", () -> b.state() == State.CLOSED);
      assertThat(a.state()).isEqualTo(State.FORCED_OPEN);
    }
  }

  @Test
  void anInstanceRestartedUnderTheSameIdKeepsTheOverride() {
    try (RedisServer server = RedisServer.start()) {
      RedisSharedState first = RedisSharedState.builder().uri(server.uri()).keyPrefix(PREFIX).instanceId("api-1")
          .syncInterval(Duration.ofMillis(200)).build();
      first.registry(config).circuitBreaker("a");
      first.fleet().forceOpen("a", "INC-4");
      first.close();
      try (RedisSharedState second = RedisSharedState.builder().uri(server.uri()).keyPrefix(PREFIX)
          .instanceId("api-1").syncInterval(Duration.ofMillis(200)).build()) {
        assertThat(second.registry(config).circuitBreaker("a").state()).isEqualTo(State.FORCED_OPEN);
      }
    }
  }

  private static java.util.Map<String, FleetOverride> overrides(Fleet fleet, int instance) {
    try {
      return fleet.states.get(instance).fleet().overrides();
    } catch (IllegalStateException e) {
      return java.util.Map.of();
    }
  }

  /** Collects every state a breaker moves to after this call, other than FORCED_OPEN. */
  private static List<State> leavingStates(List<CircuitBreaker> breakers) {
    List<State> left = new CopyOnWriteArrayList<>();
    breakers.forEach(b -> b.onStateTransition(t -> {
      if (t.to() != State.FORCED_OPEN) {
        left.add(t.to());
      }
    }));
    return left;
  }
}
