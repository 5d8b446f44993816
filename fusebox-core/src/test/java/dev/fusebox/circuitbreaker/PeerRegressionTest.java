package dev.fusebox.circuitbreaker;

import dev.fusebox.RegistryProbe;
import static dev.fusebox.circuitbreaker.Fixtures.attempt;
import static dev.fusebox.circuitbreaker.Fixtures.config;
import static dev.fusebox.circuitbreaker.Fixtures.fail;
import static dev.fusebox.circuitbreaker.Fixtures.succeed;
import static dev.fusebox.circuitbreaker.Fixtures.throwIgnored;
import static dev.fusebox.circuitbreaker.Fixtures.tripped;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fusebox.testing.ManualTicker;
import dev.fusebox.circuitbreaker.CircuitBreaker.State;
import dev.fusebox.circuitbreaker.Fixtures.Ignorable;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * One test per class of bug that other breaker libraries shipped, in the shape their users hit it. The
 * burst of callers at the open-to-half-open edge is in {@link ConcurrencyStressTest}.
 */
class PeerRegressionTest {

  private final ManualTicker ticker = new ManualTicker();

  @Test
  void ignoredExceptionsInHalfOpenDoNotLeakPermitsAndStrandTheBreaker() {
    CircuitBreaker breaker =
        tripped(config(ticker).permittedNumberOfCallsInHalfOpenState(2).ignoreExceptions(Ignorable.class));
    ticker.advance(Duration.ofSeconds(60));
    throwIgnored(breaker);
    throwIgnored(breaker);
    assertThat(breaker.state()).isEqualTo(State.HALF_OPEN);
    succeed(breaker, 2);
    assertThat(breaker.state()).isEqualTo(State.CLOSED);
  }

  @Test
  void aCancelledAsynchronousTrialDoesNotLeakItsPermitAndStrandTheBreaker() {
    CircuitBreaker breaker = tripped(config(ticker).permittedNumberOfCallsInHalfOpenState(1));
    ticker.advance(Duration.ofSeconds(60));
    for (int i = 0; i < 3; i++) {
      CompletableFuture<String> never = new CompletableFuture<>();
      breaker.executeCompletionStage(() -> never).toCompletableFuture().cancel(true);
      assertThat(never).isCancelled();
    }
    assertThat(breaker.state()).isEqualTo(State.HALF_OPEN);
    assertThat(attempt(breaker)).isTrue();
    assertThat(breaker.state()).isEqualTo(State.CLOSED);
  }

  @Test
  void theHalfOpenDecisionWaitsForThePermittedTrialsNotForTheMinimumNumberOfCalls() {
    // Resilience4j decides after min(minimumNumberOfCalls, permitted) trials, which confuses its users
    // (its issue 1351); with a minimum of 1, one failed trial out of ten must not re-open the breaker.
    CircuitBreaker breaker =
        tripped(config(ticker).permittedNumberOfCallsInHalfOpenState(10).failureRateThreshold(50));
    breaker.transitionToHalfOpenState();
    fail(breaker);
    assertThat(breaker.state()).isEqualTo(State.HALF_OPEN);
    succeed(breaker, 9);
    assertThat(breaker.state()).isEqualTo(State.CLOSED);
  }

  @Test
  void tenThousandDynamicallyNamedBreakersLeaveNoListenerOrMemoryBehindWhenRemoved() {
    CircuitBreakerRegistry registry = CircuitBreakerRegistry.of(config(ticker).build());
    AtomicInteger events = new AtomicInteger();
    registry.onEvent(e -> events.incrementAndGet());
    List<WeakReference<CircuitBreaker>> refs = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      CircuitBreaker breaker = registry.circuitBreaker("user-" + i);
      breaker.executeSupplier(() -> "ok");
      refs.add(new WeakReference<>(breaker));
    }
    assertThat(events).hasValue(10_000);
    assertThat(RegistryProbe.forwardingCount(registry)).isEqualTo(10_000);
    for (int i = 0; i < 10_000; i++) {
      registry.remove("user-" + i);
    }
    assertThat(registry.all()).isEmpty();
    assertThat(RegistryProbe.forwardingCount(registry)).isZero();
    for (int attempt = 0; attempt < 20 && refs.stream().anyMatch(r -> r.get() != null); attempt++) {
      System.gc();
    }
    assertThat(refs).allSatisfy(r -> assertThat(r.get()).isNull());
  }

  @Test
  void waitsAreMeasuredOnTheTickerSoAWallClockJumpChangesNothing() {
    // Breakers that wait on the wall clock re-close early or stay open for hours when NTP or an operator
    // moves the clock. The ticker is monotonic: only its own progress counts.
    CircuitBreaker breaker = tripped(config(ticker).waitDurationInOpenState(Duration.ofSeconds(30)));
    ticker.advance(Duration.ofSeconds(29));
    assertThat(attempt(breaker)).isFalse();
    ticker.advance(Duration.ofSeconds(1));
    assertThat(attempt(breaker)).isTrue();
  }
}
