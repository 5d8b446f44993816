package dev.fusebox.circuitbreaker;

import static dev.fusebox.circuitbreaker.ModelCheckedBreakerTest.join;

import dev.fusebox.testing.ManualTicker;
import java.time.Duration;
import org.jetbrains.lincheck.Lincheck;
import org.junit.jupiter.api.Test;

/**
 * Issue 17 part 3 under every interleaving the model checker explores: deploy mode ended by operators while
 * failures count either opens the breaker or not, and announces its end once. (The latency histogram's
 * 512 cells are beyond the checker's step budget; {@link LatencyBaselineStressTest} covers it.)
 */
class ModelCheckedLearningTest {

  @Test
  void deployModeEndedWhileFailuresCountEndsOnceAndNeverStrandsTheBreaker() {
    Lincheck.runConcurrentTest(
        20,
        () -> {
          ManualTicker ticker = new ManualTicker();
          CircuitBreaker breaker =
              CircuitBreaker.of(
                  "deploy", CircuitBreakerConfig.builder().ticker(ticker).deployModeFailureThreshold(2).build());
          int[] ends = new int[1];
          breaker.onEvent(
              java.util.Set.of(CircuitBreakerEvent.Type.DEPLOY_MODE_CHANGED),
              e -> {
                if (!((CircuitBreakerEvent.DeployModeChanged) e).active()) {
                  ends[0]++;
                }
              });
          breaker.startDeployMode(Duration.ofMinutes(1));
          Thread calls = new Thread(() -> {
            breaker.onError(1, new IllegalStateException("down"));
            breaker.onError(1, new IllegalStateException("down"));
          });
          Thread operator = new Thread(breaker::endDeployMode);
          Thread other = new Thread(breaker::endDeployMode);
          calls.start();
          operator.start();
          other.start();
          join(calls);
          join(operator);
          join(other);
          if (ends[0] != 1) {
            throw new AssertionError("deploy mode's end announced " + ends[0] + " times");
          }
          if (breaker.deployModeRemaining().isPresent()) {
            throw new AssertionError("deploy mode still on after it was ended");
          }
          CircuitBreaker.State state = breaker.state();
          if (state != CircuitBreaker.State.OPEN && state != CircuitBreaker.State.CLOSED) {
            throw new AssertionError("expected OPEN or CLOSED, was " + state);
          }
        });
  }
}
