package dev.fusebox.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusebox.circuitbreaker.CallNotPermittedException;
import dev.fusebox.circuitbreaker.CircuitBreaker;
import dev.fusebox.circuitbreaker.CircuitBreaker.State;
import dev.fusebox.circuitbreaker.CircuitBreakerConfig;
import dev.fusebox.circuitbreaker.HealthProbe;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 17 part 1, "with fusebox-redis, one instance probes for the fleet": three instances share a real
 * Redis; while the fleet is open only the member the breaker's name picks runs the health probe, and its
 * first success ends the opening for every instance (their wait is five minutes), whose trials then go
 * through the fleet's leases and close it.
 */
@ExtendWith(RedisToUse.class)
class FleetProbeTest {

  private static final Duration LIMIT = Duration.ofSeconds(20);
  private static final String NAME = "inventory";

  @Test
  void oneInstanceProbesForTheFleetAndItsSuccessEndsTheOpeningEverywhere(RedisToUse.Target redis) {
    AtomicIntegerArray probes = new AtomicIntegerArray(3);
    AtomicBoolean down = new AtomicBoolean(true);
    CircuitBreakerConfig plain = CircuitBreakerConfig.builder().build();
    try (Fleet fleet = new Fleet(3, redis.uri(), redis.prefix(), plain, b -> {})) {
      List<CircuitBreaker> breakers = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        int instance = i;
        CircuitBreakerConfig config = CircuitBreakerConfig.builder()
            .countBasedWindow(10)
            .minimumNumberOfCalls(5)
            .waitDurationInOpenState(Duration.ofMinutes(5))
            .permittedNumberOfCallsInHalfOpenState(2)
            .healthProbe(HealthProbe.of(() -> {
              probes.incrementAndGet(instance);
              if (down.get()) {
                throw new IOException("still down");
              }
              return "pong";
            }).interval(Duration.ofMillis(100)).build())
            .build();
        breakers.add(fleet.states.get(i).registry(config).circuitBreaker(NAME));
      }
      fleet.awaitKnown(NAME);
      fleet.awaitFlushes(3); // three periods: every heartbeat has listed all three members
      int prober = Math.floorMod(NAME.hashCode(), 3); // the members sorted: instance-0, -1, -2

      for (int i = 0; i < 10; i++) {
        breakers.get(0).onError(1, new IOException("down"));
      }
      Poll.until(LIMIT, "the fleet opens everywhere",
          () -> breakers.stream().allMatch(b -> b.state() == State.OPEN));
      Poll.until(LIMIT, "ten probes while the fleet is open", () -> probes.get(prober) >= 10);
      for (int i = 0; i < 3; i++) {
        if (i != prober) {
          assertThat(probes.get(i)).as("instance-%d leaves probing to instance-%d", i, prober).isZero();
        }
      }
      assertThat(breakers).allSatisfy(b -> assertThat(b.state()).isEqualTo(State.OPEN));

      down.set(false);
      Poll.until(LIMIT, "the prober's success ends the five-minute opening on every instance",
          () -> breakers.stream().noneMatch(b -> b.state() == State.OPEN));
      Poll.until(LIMIT, "trials through the fleet's leases close it everywhere", () -> {
        for (CircuitBreaker b : breakers) {
          try {
            b.executeSupplier(() -> "ok");
          } catch (CallNotPermittedException waitingForALease) {
            // another instance holds the trials
          }
        }
        return breakers.stream().allMatch(b -> b.state() == State.CLOSED);
      });
      for (int i = 0; i < 3; i++) {
        if (i != prober) {
          assertThat(probes.get(i)).as("instance-%d never probed", i).isZero();
        }
      }
    }
  }
}
