package dev.fusebox.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusebox.circuitbreaker.CircuitBreaker;
import dev.fusebox.circuitbreaker.CircuitBreakerConfig;
import dev.fusebox.testsupport.Poll;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two processes given one instance id both count (counts merge per process run), and each learns of the
 * other within two periods; ids left to the default differ per process.
 */
@ExtendWith(RedisToUse.class)
class IdentityTest {

  @Test
  void twoRunsSharingAnIdBothCountAndAreReported(RedisToUse.Target redis) {
    CircuitBreakerConfig config =
        CircuitBreakerConfig.builder().countBasedWindow(100).minimumNumberOfCalls(10).failureRateThreshold(50)
            .waitDurationInOpenState(Duration.ofMinutes(1)).build();
    try (Fleet fleet = new Fleet(2, redis.uri(), redis.prefix(), config, b -> b.instanceId("same"))) {
      List<List<RedisSharedStateEvent>> events = new ArrayList<>();
      for (RedisSharedState state : fleet.states) {
        List<RedisSharedStateEvent> list = new CopyOnWriteArrayList<>();
        state.onEvent(list::add);
        events.add(list);
      }
      List<CircuitBreaker> breakers = fleet.breakers("a");
      fleet.awaitKnown("a");
      fleet.awaitFlushes(2);
      for (List<RedisSharedStateEvent> list : events) {
        assertThat(list).filteredOn(e -> e instanceof RedisSharedStateEvent.DuplicateInstanceId)
            .singleElement()
            .satisfies(e -> assertThat(e.instanceId()).isEqualTo("same"));
      }
      // Five failures each: ten in the fleet's window, its minimum, as neither overwrote the other's counts.
      breakers.forEach(b -> Calls.fail(b, 5));
      breakers.forEach(b -> assertThat(b.state()).isEqualTo(CircuitBreaker.State.CLOSED));
      Poll.until(Duration.ofSeconds(20), "the fleet opened on both runs' counts",
          () -> breakers.stream().allMatch(b -> b.state() == CircuitBreaker.State.OPEN));
    }
  }

  @Test
  void defaultIdsDifferPerState(RedisToUse.Target redis) {
    try (RedisSharedState a = RedisSharedState.builder().uri(redis.uri()).keyPrefix(redis.prefix()).build();
        RedisSharedState b = RedisSharedState.builder().uri(redis.uri()).keyPrefix(redis.prefix()).build()) {
      assertThat(a.instanceId()).isNotEqualTo(b.instanceId())
          .contains(Long.toString(ProcessHandle.current().pid()));
    }
  }
}
