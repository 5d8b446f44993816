package dev.fusebox.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.fusebox.benchmarks.PolicyContenders.Policy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Pins what the policy, pipeline and integration benchmarks rely on: every contender's decorated call
 * goes through and returns the call's own result (never a fallback's, never a refusal; the time limiters a
 * stage already complete with it, Failsafe's synchronous timeout the result itself), and the check run after
 * each iteration passes. Counts calls, never time.
 */
class PolicyContendersTest {

  static Stream<Arguments> policiesAndContenders() {
    List<Arguments> all = new ArrayList<>();
    for (Policy policy : Policy.values()) {
      List<String> contenders =
          policy == Policy.PIPELINE
              ? List.of(PolicyContenders.FUSEBOX, Contenders.R4J_SYNCHRONIZED, Contenders.R4J_LOCK_FREE, PolicyContenders.FAILSAFE)
              : List.of(PolicyContenders.FUSEBOX, PolicyContenders.RESILIENCE4J, PolicyContenders.FAILSAFE);
      contenders.forEach(c -> all.add(Arguments.of(policy, c)));
    }
    return all.stream();
  }

  @ParameterizedTest
  @MethodSource("policiesAndContenders")
  void everyCallGoesThroughAndReturnsTheCallsOwnResult(Policy policy, String contender) throws Exception {
    try (PolicyContenders.Guarded guarded = PolicyContenders.create(policy, contender)) {
      for (int i = 0; i < 10_000; i++) {
        Object result = guarded.call().get();
        if (policy == Policy.TIME_LIMITER && !contender.equals(PolicyContenders.FAILSAFE)) {
          assertThat(((CompletionStage<?>) result).toCompletableFuture().getNow(null)).isSameAs(Calls.RESULT);
        } else {
          assertThat(result).isSameAs(Calls.RESULT);
        }
      }
      guarded.check().run();
    }
  }

  @Test
  void theBenchmarksListEveryContenderThisTestCovers() {
    assertThat(policiesAndContenders().count()).isEqualTo(5 * 3 + 4);
  }

  @ParameterizedTest
  @MethodSource("micrometerContenders")
  void aBreakerBoundToMicrometerOrNotStaysClosedAndTheBindingSeesItsCalls(String contender) {
    MicrometerBenchmark.Breaker state = new MicrometerBenchmark.Breaker();
    state.contender = contender;
    state.create();
    try {
      for (int i = 0; i < 1_000; i++) {
        assertThat(state.succeed.get()).isSameAs(Calls.RESULT);
      }
      state.check();
    } finally {
      state.close();
    }
  }

  static Stream<String> micrometerContenders() {
    return Stream.of(Contenders.FUSEBOX, MicrometerBenchmark.BOUND, MicrometerBenchmark.HISTOGRAM);
  }

  @ParameterizedTest
  @MethodSource("redisContenders")
  void aSharedBreakerReachesRedisStaysClosedAndLeavesNoKeys(String contender) {
    assumeThat(LocalRedis.reachable()).as(LocalRedis.SKIPPED).isTrue();
    RedisSharedBenchmark.Breaker state = new RedisSharedBenchmark.Breaker();
    state.contender = contender;
    state.create();
    try {
      for (int i = 0; i < 1_000; i++) {
        assertThat(state.succeed.get()).isSameAs(Calls.RESULT);
      }
      state.check();
    } finally {
      state.close();
    }
    if (state.shared != null) {
      assertThat(state.shared.metrics().scripts()).isPositive();
      assertThat(LocalRedis.keyCount(state.prefix)).isZero();
    }
  }

  static Stream<String> redisContenders() {
    return Stream.of(Contenders.FUSEBOX, RedisSharedBenchmark.SHARED);
  }
}
