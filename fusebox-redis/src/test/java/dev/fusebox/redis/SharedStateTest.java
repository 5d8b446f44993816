package dev.fusebox.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fusebox.circuitbreaker.CircuitBreaker;
import dev.fusebox.circuitbreaker.CircuitBreakerConfig;
import dev.fusebox.circuitbreaker.CircuitBreakerRegistry;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** RedisSharedState through its public API: registries, recovery ramp, closing. */
@ExtendWith(RedisToUse.class)
class SharedStateTest {

  @Test
  void anInstanceJoiningARecoveringFleetRampsUpWithIt(RedisToUse.Target redis) {
    CircuitBreakerConfig config =
        CircuitBreakerConfig.builder()
            .countBasedWindow(10)
            .minimumNumberOfCalls(10)
            .waitDurationInOpenState(Duration.ofMillis(500))
            .permittedNumberOfCallsInHalfOpenState(1)
            .recoveryRamp(Duration.ofSeconds(30))
            .build();
    try (Fleet fleet = new Fleet(2, redis.uri(), redis.prefix(), config, b -> b.rampJitter(Duration.ZERO))) {
      CircuitBreaker first = fleet.breaker(0, "recovering");
      Poll.until(Duration.ofSeconds(20), "known", () -> fleet.states.get(0).loop().find("recovering") != null
          && fleet.states.get(0).loop().find("recovering").knownState() >= 0);
      Calls.fail(first, 10);
      Poll.until(Duration.ofSeconds(20), "the fleet is open", () -> redis.fleetState("recovering") == FlushScript.OPEN);
      // After the wait, the first instance's trial succeeds: the fleet recovers.
      Poll.until(Duration.ofSeconds(20), "the fleet recovered", () -> {
        Calls.succeed(first);
        return "0".equals(redis.state("recovering").get("st")) && "1".equals(redis.state("recovering").get("rec"));
      });
      // The second instance never saw the outage, yet ramps with the fleet instead of sending everything.
      CircuitBreaker joiner = fleet.breaker(1, "recovering");
      Poll.until(Duration.ofSeconds(20), "the joiner ramps", () -> joiner.metrics().rampPercentage() < 100);
      assertThat(joiner.state()).isEqualTo(CircuitBreaker.State.CLOSED);
      int admitted = Calls.succeed(joiner, 100);
      assertThat(admitted).isLessThan(100);
    }
  }

  @Test
  void aBreakerNameIsSharedByOneRegistryPerState(RedisToUse.Target redis) {
    try (RedisSharedState state = RedisSharedState.builder().uri(redis.uri()).keyPrefix(redis.prefix()).build()) {
      CircuitBreakerRegistry one = state.registry(CircuitBreakerConfig.ofDefaults());
      CircuitBreakerRegistry two = state.registry(CircuitBreakerConfig.ofDefaults());
      one.circuitBreaker("orders");
      assertThatThrownBy(() -> two.circuitBreaker("orders"))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("'orders' is already shared by another registry");
      assertThat(two.circuitBreaker("payments")).isNotNull();
      Poll.until(Duration.ofSeconds(20), "flushed", () -> state.loop().find("orders").knownState() >= 0);
      // Once removed from its registry, the name is free again, and the new breaker's counts are merged
      // (a new sequence of flushes, not repeats of the old one's numbers).
      one.remove("orders");
      CircuitBreaker again = two.circuitBreaker("orders");
      Calls.succeed(again, 3);
      Poll.until(Duration.ofSeconds(20), "the new breaker's calls reached Redis",
          () -> redis.window("orders")[0] == 3);
      assertThat(state.metrics().breakers()).isEqualTo(2);
    }
  }

  @Test
  void afterClosingBreakersKeepWorkingLocallyAndNoNewOneCanBeShared(RedisToUse.Target redis) {
    RedisSharedState state = RedisSharedState.builder().uri(redis.uri()).keyPrefix(redis.prefix()).build();
    CircuitBreakerRegistry registry = state.registry(CircuitBreakerConfig.ofDefaults());
    CircuitBreaker breaker = registry.circuitBreaker("orders");
    state.close();
    state.close();
    assertThat(Calls.succeed(breaker)).isTrue();
    assertThat(Thread.getAllStackTraces().keySet()).extracting(Thread::getName)
        .noneMatch(name -> name.equals("fusebox-redis-sync-" + state.instanceId()));
    assertThatThrownBy(() -> registry.circuitBreaker("later")).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("is closed");
  }

  @Test
  void theDefaultInstanceIdIsUniquePerState(RedisToUse.Target redis) {
    try (RedisSharedState a = RedisSharedState.builder().uri(redis.uri()).keyPrefix(redis.prefix()).build();
        RedisSharedState b = RedisSharedState.builder().uri(redis.uri()).keyPrefix(redis.prefix()).build()) {
      assertThat(List.of(a.instanceId(), b.instanceId())).doesNotHaveDuplicates().allMatch(id -> !id.isBlank());
      assertThat(a.toString()).contains(a.instanceId()).contains("SHARED");
    }
  }
}
