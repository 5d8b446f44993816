package dev.fusebox.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusebox.benchmarks.Companions.Policy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Pins what the companion and pipeline benchmarks rely on: every contender's decorated call
 * goes through and returns the call's own result (never a fallback's, never a refusal; the time limiters a
 * stage already complete with it, Failsafe's synchronous timeout the result itself), and the check run after
 * each iteration passes. Counts calls, never time.
 */
class CompanionsTest {

  static Stream<Arguments> policiesAndContenders() {
    List<Arguments> all = new ArrayList<>();
    for (Policy policy : Policy.values()) {
      List<String> contenders =
          policy == Policy.PIPELINE
              ? List.of(Companions.FUSEBOX, Contenders.R4J_SYNCHRONIZED, Contenders.R4J_LOCK_FREE, Companions.FAILSAFE)
              : List.of(Companions.FUSEBOX, Companions.RESILIENCE4J, Companions.FAILSAFE);
      contenders.forEach(c -> all.add(Arguments.of(policy, c)));
    }
    return all.stream();
  }

  @ParameterizedTest
  @MethodSource("policiesAndContenders")
  void everyCallGoesThroughAndReturnsTheCallsOwnResult(Policy policy, String contender) throws Exception {
    try (Companions.Guarded guarded = Companions.create(policy, contender)) {
      for (int i = 0; i < 10_000; i++) {
        Object result = guarded.call().get();
        if (policy == Policy.TIME_LIMITER && !contender.equals(Companions.FAILSAFE)) {
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
}
