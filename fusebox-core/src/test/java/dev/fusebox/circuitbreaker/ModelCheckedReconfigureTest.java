package dev.fusebox.circuitbreaker;

import static dev.fusebox.circuitbreaker.ModelCheckedBreakerTest.join;

import dev.fusebox.circuitbreaker.CircuitBreaker.State;
import dev.fusebox.testing.ManualTicker;
import java.time.Duration;
import org.jetbrains.lincheck.Lincheck;
import org.jetbrains.lincheck.LincheckAssertionError;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 18 under every interleaving the model checker explores: a reconfiguration racing the calls, the
 * trials and the opening it must keep. Plain checks, as in {@link ModelCheckedBreakerTest}.
 */
class ModelCheckedReconfigureTest {

  /**
   * A reconfiguration logs. The first checked block that logs makes the model checker instrument the whole
   * logging framework, which takes it longer than its hang detection allows; pay that once, in a block
   * whose verdict does not matter, before the checked ones.
   */
  @BeforeAll
  static void instrumentLogging() {
    // First plainly, so that the logging framework's classes initialize outside the checker.
    CircuitBreaker plain = CircuitBreaker.of("warm", config(new ManualTicker()).build());
    plain.reconfigure(plain.config().toBuilder().failureRateThreshold(10).build());
    try {
      Lincheck.runConcurrentTest(
          1,
          () -> {
            CircuitBreaker warm = CircuitBreaker.of("warm", config(new ManualTicker()).build());
            warm.reconfigure(warm.config().toBuilder().failureRateThreshold(10).build());
          });
    } catch (LincheckAssertionError | IllegalStateException slowFirstUse) {
      // the instrumentation is done, which is all this was for
    }
  }

  private static CircuitBreakerConfig.Builder config(ManualTicker ticker) {
    return CircuitBreakerConfig.builder().ticker(ticker).countBasedWindow(10).minimumNumberOfCalls(10);
  }

  /** Outcomes racing a change of thresholds: the window is kept whole, so not one of them may be lost. */
  @Test
  void outcomesRacingAChangeOfThresholdsAreAllKept() {
    Lincheck.runConcurrentTest(
        20,
        () -> {
          CircuitBreaker breaker = CircuitBreaker.of("kept", config(new ManualTicker()).failureRateThreshold(90).build());
          CircuitBreakerConfig next = breaker.config().toBuilder().failureRateThreshold(80).build();
          CircuitBreaker.Permit admitted = breaker.tryAcquirePermit();
          Thread calls = new Thread(() -> {
            breaker.onError(1, new IllegalStateException("down"));
            admitted.onSuccess(1);
          });
          Thread operator = new Thread(() -> breaker.reconfigure(next));
          calls.start();
          operator.start();
          join(calls);
          join(operator);
          CircuitBreaker.Metrics m = breaker.metrics();
          if (m.numberOfBufferedCalls() != 2 || m.numberOfFailedCalls() != 1) {
            throw new AssertionError("the window holds " + m.numberOfBufferedCalls() + " calls, "
                + m.numberOfFailedCalls() + " failed; expected 2 and 1");
          }
          if (breaker.config() != next || breaker.state() != State.CLOSED) {
            throw new AssertionError("expected CLOSED with the new config, was " + breaker.state());
          }
        });
  }

  /**
   * The last trial's verdict racing a reconfiguration of the half-open stay: whichever comes first, the
   * breaker decides (it never waits in HALF_OPEN for a verdict taken on the stay just replaced), by the
   * thresholds current when the verdict is taken.
   */
  @Test
  void theLastTrialRacingAReconfigurationStillDecides() {
    Lincheck.runConcurrentTest(
        20,
        () -> {
          ManualTicker ticker = new ManualTicker();
          CircuitBreaker breaker =
              CircuitBreaker.of(
                  "trials", config(ticker).permittedNumberOfCallsInHalfOpenState(2).failureRateThreshold(60).build());
          breaker.transitionToHalfOpenState();
          CircuitBreaker.Permit failing = breaker.tryAcquirePermit();
          CircuitBreaker.Permit succeeding = breaker.tryAcquirePermit();
          failing.onError(1, new IllegalStateException("down"));
          CircuitBreakerConfig stricter = breaker.config().toBuilder().failureRateThreshold(40).build();
          Thread trial = new Thread(() -> succeeding.onSuccess(1));
          Thread operator = new Thread(() -> breaker.reconfigure(stricter));
          trial.start();
          operator.start();
          join(trial);
          join(operator);
          State state = breaker.state();
          if (state != State.OPEN && state != State.CLOSED) {
            throw new AssertionError("the trials all reported but the breaker is " + state);
          }
          if (breaker.config() != stricter) {
            throw new AssertionError("the new config was lost");
          }
        });
  }

  /** The first trial of an opening racing its reconfiguration: the deadline is kept, the trial admitted. */
  @Test
  void theFirstTrialRacingAReconfigurationOfTheOpeningIsAdmitted() {
    Lincheck.runConcurrentTest(
        20,
        () -> {
          ManualTicker ticker = new ManualTicker();
          CircuitBreaker breaker =
              CircuitBreaker.of(
                  "opening",
                  config(ticker).waitDurationInOpenState(Duration.ofSeconds(10)).permittedNumberOfCallsInHalfOpenState(1).build());
          breaker.transitionToOpenState();
          ticker.advance(Duration.ofSeconds(10));
          CircuitBreakerConfig longer = breaker.config().toBuilder().waitDurationInOpenState(Duration.ofHours(1)).build();
          CircuitBreaker.Permit[] trial = new CircuitBreaker.Permit[1];
          Thread caller = new Thread(() -> trial[0] = breaker.tryAcquirePermit());
          Thread operator = new Thread(() -> breaker.reconfigure(longer));
          caller.start();
          operator.start();
          join(caller);
          join(operator);
          if (trial[0] == null || breaker.state() != State.HALF_OPEN) {
            throw new AssertionError("the kept deadline had passed, yet trial " + trial[0] + " in " + breaker.state());
          }
          if (breaker.tryAcquirePermit() != null) {
            throw new AssertionError("a second trial was admitted");
          }
          if (breaker.config() != longer) {
            throw new AssertionError("the new config was lost");
          }
        });
  }
}
