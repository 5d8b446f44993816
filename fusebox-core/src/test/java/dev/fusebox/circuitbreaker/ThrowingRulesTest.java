package dev.fusebox.circuitbreaker;

import static dev.fusebox.circuitbreaker.Fixtures.config;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fusebox.circuitbreaker.CircuitBreaker.State;
import dev.fusebox.circuitbreaker.Fixtures.Boom;
import dev.fusebox.testing.ManualTicker;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/**
 * Defect 6 of the hardening issue: a configured rule that throws (a {@code recordException},
 * {@code ignoreException} or {@code recordResult} predicate with a bug) must neither take the caller's own
 * exception away nor leave the breaker half-done. The call counts as a failure, since the rule could not say
 * it was harmless; the caller gets its own exception with the rule's failure attached as suppressed, or the
 * rule's failure in place of a result.
 */
class ThrowingRulesTest {

  private final ManualTicker ticker = new ManualTicker();
  private final IllegalStateException ruleBug = new IllegalStateException("rule bug");

  private CircuitBreaker breaker(CircuitBreakerConfig.Builder builder) {
    return CircuitBreaker.of(
        "rules",
        builder.countBasedWindow(2).minimumNumberOfCalls(2).permittedNumberOfCallsInHalfOpenState(1).build());
  }

  private CircuitBreakerConfig.Builder throwingRecordException() {
    return config(ticker).recordException(e -> { throw ruleBug; });
  }

  @Test
  void theCallerGetsItsOwnExceptionWithTheRecordExceptionRulesFailureAttached() {
    CircuitBreaker breaker = breaker(throwingRecordException());
    Boom boom = new Boom();

    assertThatThrownBy(() -> breaker.executeSupplier(() -> { throw boom; })).isSameAs(boom);

    assertThat(boom.getSuppressed()).containsExactly(ruleBug);
    assertThat(breaker.metrics().totalFailedCalls()).isEqualTo(1);
    assertThat(breaker.metrics().numberOfFailedCalls()).isEqualTo(1);
  }

  @Test
  void theCallerGetsItsOwnExceptionWhenTheIgnoreExceptionRuleThrows() {
    CircuitBreaker breaker = breaker(config(ticker).ignoreException(e -> { throw ruleBug; }));
    Boom boom = new Boom();

    assertThatThrownBy(() -> breaker.executeCallable(() -> { throw boom; })).isSameAs(boom);

    assertThat(boom.getSuppressed()).containsExactly(ruleBug);
    assertThat(breaker.metrics().totalFailedCalls()).isEqualTo(1);
  }

  @Test
  void aThrowingResultRuleCountsAFailureAndReachesTheCallerInPlaceOfTheResult() {
    CircuitBreaker breaker = breaker(config(ticker).recordResult(r -> { throw ruleBug; }));

    assertThatThrownBy(() -> breaker.executeSupplier(() -> "fine")).isSameAs(ruleBug);

    assertThat(breaker.metrics().totalFailedCalls()).isEqualTo(1);
    assertThat(breaker.metrics().totalSuccessfulCalls()).isZero();
  }

  @Test
  void aHalfOpenTrialJudgedByAThrowingRuleIsStillDecided() {
    CircuitBreaker breaker = breaker(throwingRecordException());
    breaker.transitionToHalfOpenState();

    assertThatThrownBy(() -> breaker.executeSupplier(() -> { throw new Boom(); })).isInstanceOf(Boom.class);

    assertThat(breaker.state()).isEqualTo(State.OPEN);
  }

  @Test
  void aPermitsReportKeepsTheCallersExceptionToo() {
    CircuitBreaker breaker = breaker(throwingRecordException());
    Boom boom = new Boom();

    breaker.tryAcquirePermit().onError(5, boom);

    assertThat(boom.getSuppressed()).containsExactly(ruleBug);
    assertThat(breaker.metrics().totalFailedCalls()).isEqualTo(1);
  }

  @Test
  void anAsynchronousCallFailsWithItsOwnExceptionWhenTheRuleThrows() {
    CircuitBreaker breaker = breaker(throwingRecordException());
    Boom boom = new Boom();
    CompletableFuture<String> call = new CompletableFuture<>();

    CompletionStage<String> stage = breaker.executeCompletionStage(() -> call);
    call.completeExceptionally(boom);

    assertThatThrownBy(() -> stage.toCompletableFuture().join()).isInstanceOf(CompletionException.class).cause().isSameAs(boom);
    assertThat(boom.getSuppressed()).containsExactly(ruleBug);
    assertThat(breaker.metrics().totalFailedCalls()).isEqualTo(1);
  }

  @Test
  void theSameRuleFailureIsAttachedOnceHoweverOftenTheSameExceptionIsReported() {
    CircuitBreaker breaker = CircuitBreaker.of("rules", throwingRecordException().build());
    Boom shared = new Boom();

    for (int i = 0; i < 50; i++) {
      assertThatThrownBy(() -> breaker.executeSupplier(() -> { throw shared; })).isSameAs(shared);
      ticker.advance(Duration.ofMillis(1));
    }

    assertThat(shared.getSuppressed()).containsExactly(ruleBug);
  }
}
