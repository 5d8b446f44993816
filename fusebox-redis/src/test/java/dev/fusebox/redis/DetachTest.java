package dev.fusebox.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusebox.circuitbreaker.CircuitBreaker;
import dev.fusebox.circuitbreaker.CircuitBreakerConfig;
import dev.fusebox.testsupport.Poll;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link RedisSharedState#close()} and removing a breaker from its registry hand the breaker back as a plain
 * local one: it keeps the wait it was holding, then runs its own half-open trials, where the fleet would
 * have kept it waiting for a lease forever.
 */
@ExtendWith(RedisToUse.class)
class DetachTest {

  private static final CircuitBreakerConfig CONFIG =
      CircuitBreakerConfig.builder()
          .countBasedWindow(10)
          .minimumNumberOfCalls(5)
          .waitDurationInOpenState(Duration.ofSeconds(1))
          .permittedNumberOfCallsInHalfOpenState(2)
          .build();

  @Test
  void aClosedStateHandsItsBreakersBackAsLocalOnes(RedisToUse.Target redis) {
    try (Fleet fleet = new Fleet(2, redis.uri(), redis.prefix(), CONFIG, b -> {})) {
      List<CircuitBreaker> breakers = fleet.breakers("a");
      fleet.awaitKnown("a");
      openTheFleet(breakers);
      fleet.states.get(0).close();
      assertThat(fleet.states.get(0).loop().find("a")).isNull();
      recoversLocally(breakers.get(0));
    }
  }

  @Test
  void aBreakerRemovedFromItsRegistryIsALocalOne(RedisToUse.Target redis) {
    try (Fleet fleet = new Fleet(2, redis.uri(), redis.prefix(), CONFIG, b -> {})) {
      List<CircuitBreaker> breakers = fleet.breakers("a");
      fleet.awaitKnown("a");
      openTheFleet(breakers);
      fleet.registries.get(0).remove("a");
      assertThat(fleet.states.get(0).loop().find("a")).isNull();
      recoversLocally(breakers.get(0));
    }
  }

  private static void openTheFleet(List<CircuitBreaker> breakers) {
    Calls.fail(breakers.get(1), 10);
    Poll.until(Duration.ofSeconds(20), "both instances hold the fleet's opening",
        () -> breakers.stream().allMatch(b -> b.state() == CircuitBreaker.State.OPEN));
  }

  /** Keeps failing through the other instance, so the fleet stays open; the detached breaker recovers alone. */
  private static void recoversLocally(CircuitBreaker detached) {
    Poll.until(Duration.ofSeconds(20), "the detached breaker admits calls after its own wait",
        () -> Calls.succeed(detached));
    assertThat(Calls.succeed(detached, 5)).isEqualTo(5);
    assertThat(detached.state()).isEqualTo(CircuitBreaker.State.CLOSED);
  }
}
