package dev.fusebox.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusebox.circuitbreaker.CallNotPermittedException;
import dev.fusebox.circuitbreaker.CircuitBreaker;
import dev.fusebox.circuitbreaker.CircuitBreakerConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Test 2: with Redis dead, a shared breaker takes exactly the decisions of a local breaker on the same
 * stream of calls: same admissions, same states, same ramp, through trips, backoff, half-open trials and
 * recovery, on a hand-moved ticker.
 */
class DeadRedisTest {

  private static final int STEPS = 4_000;

  private static CircuitBreakerConfig config(TestTicker ticker) {
    return CircuitBreakerConfig.builder()
        .countBasedWindow(10)
        .minimumNumberOfCalls(5)
        .failureRateThreshold(50)
        .slowCallRateThreshold(80)
        .slowCallDurationThreshold(Duration.ofSeconds(1))
        .waitDurationInOpenState(Duration.ofSeconds(5))
        .openStateBackoff(2.0, Duration.ofSeconds(40))
        .permittedNumberOfCallsInHalfOpenState(3)
        .recoveryRamp(Duration.ofSeconds(6))
        .ticker(ticker)
        .build();
  }

  @ParameterizedTest
  @EnumSource(value = DegradedPolicy.class, names = {"LOCAL", "LAST_KNOWN"})
  void redisKilledMidRunDecidesLikeALocalBreaker(DegradedPolicy policy) {
    TestTicker ticker = new TestTicker();
    try (RedisServer server = RedisServer.start();
        RedisSharedState state =
            RedisSharedState.builder()
                .uri(server.uri())
                .instanceId("dead-" + policy)
                .syncInterval(Duration.ofMillis(100))
                .degradedPolicy(policy)
                .build()) {
      CircuitBreaker shared = state.registry(config(ticker)).circuitBreaker("dependency");
      Poll.until(Duration.ofSeconds(20), "the breaker was flushed", () -> state.metrics().scripts() > 1);
      server.kill();
      Poll.until(Duration.ofSeconds(20), "the state is degraded", () -> state.mode() == RedisSharedState.Mode.DEGRADED);
      TestTicker localTicker = new TestTicker();
      CircuitBreaker local = CircuitBreaker.of("dependency", config(localTicker));
      assertSameDecisions(ticker, shared, localTicker, local);
    }
  }

  @Test
  void redisUnreachableFromTheStartDecidesLikeALocalBreaker() {
    TestTicker ticker = new TestTicker();
    try (RedisSharedState state =
        RedisSharedState.builder()
            .uri("redis://127.0.0.1:" + RedisServer.freePort())
            .instanceId("never-connected")
            .syncInterval(Duration.ofMillis(100))
            .connectTimeout(Duration.ofMillis(500))
            .startupPolicy(StartupPolicy.START_DEGRADED)
            .build()) {
      assertThat(state.mode()).isEqualTo(RedisSharedState.Mode.DEGRADED);
      CircuitBreaker shared = state.registry(config(ticker)).circuitBreaker("dependency");
      TestTicker localTicker = new TestTicker();
      CircuitBreaker local = CircuitBreaker.of("dependency", config(localTicker));
      assertSameDecisions(ticker, shared, localTicker, local);
    }
  }

  /**
   * Drives both breakers with one seeded stream of calls and pauses; each breaker has its own ticker,
   * moved alike (a slow call moves its breaker's ticker inside the call).
   */
  private static void assertSameDecisions(
      TestTicker sharedTicker, CircuitBreaker shared, TestTicker localTicker, CircuitBreaker local) {
    Random random = new Random(20260801);
    List<String> sharedLog = new ArrayList<>();
    List<String> localLog = new ArrayList<>();
    int opened = 0;
    int halfOpen = 0;
    int ramping = 0;
    for (int step = 0; step < STEPS; step++) {
      int op = random.nextInt(10);
      if (op < 4) {
        Duration pause = Duration.ofMillis(random.nextInt(1500));
        sharedTicker.advance(pause);
        localTicker.advance(pause);
      } else {
        boolean failing = op < 7;
        boolean slow = op == 9;
        sharedLog.add(step + ": " + call(shared, failing, slow ? sharedTicker : null) + " " + describe(shared));
        localLog.add(step + ": " + call(local, failing, slow ? localTicker : null) + " " + describe(local));
      }
      opened += local.state() == CircuitBreaker.State.OPEN ? 1 : 0;
      halfOpen += local.state() == CircuitBreaker.State.HALF_OPEN ? 1 : 0;
      ramping += local.metrics().rampPercentage() < 100 ? 1 : 0;
    }
    assertThat(sharedLog).containsExactlyElementsOf(localLog);
    // The stream went through every state, so the comparison means something.
    assertThat(opened).isPositive();
    assertThat(halfOpen).isPositive();
    assertThat(ramping).isPositive();
  }

  private static String call(CircuitBreaker breaker, boolean failing, TestTicker slowBy) {
    try {
      breaker.executeRunnable(() -> {
        if (slowBy != null) {
          slowBy.advance(Duration.ofSeconds(2));
        }
        if (failing) {
          throw new Calls.Boom();
        }
      });
      return "ran-ok";
    } catch (Calls.Boom e) {
      return "ran-failed";
    } catch (CallNotPermittedException e) {
      return "rejected";
    }
  }

  private static String describe(CircuitBreaker breaker) {
    CircuitBreaker.Metrics m = breaker.metrics();
    return breaker.state() + " ramp=" + m.rampPercentage() + " buffered=" + m.numberOfBufferedCalls()
        + " failed=" + m.numberOfFailedCalls() + " next=" + m.nextTrialIn().map(Duration::toMillis).orElse(-1L);
  }
}
