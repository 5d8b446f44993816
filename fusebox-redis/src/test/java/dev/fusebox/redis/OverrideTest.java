package dev.fusebox.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusebox.circuitbreaker.CircuitBreaker;
import dev.fusebox.circuitbreaker.CircuitBreakerConfig;
import dev.fusebox.testsupport.Poll;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** An operator closes a breaker on one instance while the fleet is open: the fleet re-opens it, and says why. */
@ExtendWith(RedisToUse.class)
class OverrideTest {

  @Test
  void aLocalCloseOverriddenByTheFleetIsReported(RedisToUse.Target redis) {
    CircuitBreakerConfig config =
        CircuitBreakerConfig.builder().countBasedWindow(10).minimumNumberOfCalls(5)
            .waitDurationInOpenState(Duration.ofMinutes(1)).build();
    try (Logged logged = new Logged();
        Fleet fleet = new Fleet(2, redis.uri(), redis.prefix(), config, b -> {})) {
      List<RedisSharedStateEvent> events = new CopyOnWriteArrayList<>();
      fleet.states.get(0).onEvent(events::add);
      List<CircuitBreaker> breakers = fleet.breakers("a");
      fleet.awaitKnown("a");
      Calls.fail(breakers.get(1), 10);
      Poll.until(Duration.ofSeconds(20), "both instances hold the fleet's opening",
          () -> breakers.stream().allMatch(b -> b.state() == CircuitBreaker.State.OPEN));

      breakers.get(0).transitionToClosedState();
      Poll.until(Duration.ofSeconds(20), "the override is reported",
          () -> events.stream().anyMatch(e -> e instanceof RedisSharedStateEvent.LocalChangeOverridden));
      assertThat(breakers.get(0).state()).isEqualTo(CircuitBreaker.State.OPEN);
      assertThat(events).filteredOn(e -> e instanceof RedisSharedStateEvent.LocalChangeOverridden)
          .singleElement()
          .satisfies(e -> {
            RedisSharedStateEvent.LocalChangeOverridden o = (RedisSharedStateEvent.LocalChangeOverridden) e;
            assertThat(o.breakerName()).isEqualTo("a");
            assertThat(o.localState()).isEqualTo(CircuitBreaker.State.CLOSED);
            assertThat(o.fleetState()).isEqualTo(CircuitBreaker.State.OPEN);
          });
      assertThat(logged.containing("was closed on this instance"))
          .extracting(r -> String.valueOf(r.getParameters()[0])).containsExactly("a");
    }
  }
}
