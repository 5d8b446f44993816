package dev.fusebox.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusebox.circuitbreaker.CallNotPermittedException;
import dev.fusebox.circuitbreaker.CircuitBreaker;
import dev.fusebox.circuitbreaker.CircuitBreakerConfig;
import io.lettuce.core.KeyValue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Test 4: across instances, the half-open trials that reach the dependency never exceed
 * {@code permittedNumberOfCallsInHalfOpenState}, not instances times that number, even when a trial never
 * returns; and the fleet does not stick half-open: the trial that never returns expires with its lease.
 */
@ExtendWith(RedisToUse.class)
class HalfOpenTrialsTest {

  private static final int INSTANCES = 4;
  private static final int PERMITTED = 3;
  private static final String NAME = "downstream";

  /**
   * The dependency: counts every call by the fleet state it finds in Redis when the call arrives (a trial
   * arrives while the fleet is half-open), and never answers the first trial.
   */
  static final class CountingDownstream {
    final Map<String, AtomicInteger> callsByFleetState = new ConcurrentHashMap<>();
    final AtomicBoolean hung = new AtomicBoolean();
    final CountDownLatch release = new CountDownLatch(1);
    private final RedisToUse.Target redis;

    CountingDownstream(RedisToUse.Target redis) {
      this.redis = redis;
    }

    String call() {
      List<KeyValue<String, String>> state =
          redis.commands().hmget(FlushScript.keys(redis.prefix(), NAME)[0], "st", "ep");
      String st = state.get(0).getValueOrElse("-");
      callsByFleetState.computeIfAbsent(st + "@" + state.get(1).getValueOrElse("-"), k -> new AtomicInteger())
          .incrementAndGet();
      if (st.equals("2") && hung.compareAndSet(false, true)) {
        try {
          release.await(2, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return "ok";
    }

    int count(String fleetState) {
      return callsByFleetState.entrySet().stream()
          .filter(e -> e.getKey().startsWith(fleetState + "@"))
          .mapToInt(e -> e.getValue().get())
          .sum();
    }
  }

  @Test
  void fleetTrialsNeverExceedThePermittedNumberEvenWhenOneNeverReturns(RedisToUse.Target redis) {
    CircuitBreakerConfig config =
        CircuitBreakerConfig.builder()
            .countBasedWindow(10)
            .minimumNumberOfCalls(10)
            .waitDurationInOpenState(Duration.ofSeconds(1))
            .permittedNumberOfCallsInHalfOpenState(PERMITTED)
            .build();
    CountingDownstream downstream = new CountingDownstream(redis);
    List<Thread> callers = new ArrayList<>();
    AtomicBoolean stop = new AtomicBoolean();
    try (Fleet fleet =
        new Fleet(INSTANCES, redis.uri(), redis.prefix(), config, b -> b.leaseDuration(Duration.ofMillis(1500)))) {
      List<CircuitBreaker> breakers = fleet.breakers(NAME);
      fleet.awaitKnown(NAME);
      Calls.fail(breakers.get(0), 10);
      Poll.until(Duration.ofSeconds(20), "every instance holds the fleet's opening",
          () -> breakers.stream().allMatch(b -> b.state() == CircuitBreaker.State.OPEN));
      // Every instance calls as fast as a busy service would, from two threads each.
      for (CircuitBreaker breaker : breakers) {
        for (int t = 0; t < 2; t++) {
          Thread caller = new Thread(() -> {
            while (!stop.get()) {
              try {
                breaker.executeSupplier(downstream::call);
              } catch (CallNotPermittedException e) {
                // rejected: the point of the test
              }
              LockSupport.parkNanos(2_000_000);
            }
          }, "caller-" + callers.size());
          caller.setDaemon(true);
          callers.add(caller);
          caller.start();
        }
      }
      Poll.until(Duration.ofSeconds(30), "the fleet recovered",
          () -> "0".equals(redis.state(NAME).get("st")) && "1".equals(redis.state(NAME).get("rec")));
      assertThat(downstream.hung).as("a trial never returned").isTrue();
      assertThat(downstream.release.getCount()).as("it was still hanging when the fleet recovered").isEqualTo(1);
      stop.set(true);
    } finally {
      stop.set(true);
      downstream.release.countDown();
    }
    for (Map.Entry<String, AtomicInteger> e : downstream.callsByFleetState.entrySet()) {
      if (e.getKey().startsWith("2@")) {
        assertThat(e.getValue().get()).as("trials of half-open epoch %s", e.getKey()).isLessThanOrEqualTo(PERMITTED);
      }
    }
    assertThat(downstream.count("2")).as("trials in all").isEqualTo(PERMITTED);
    assertThat(downstream.count("1")).as("calls while the fleet was open").isZero();
    System.out.println("half-open trials by fleet state@epoch: " + downstream.callsByFleetState);
  }
}
