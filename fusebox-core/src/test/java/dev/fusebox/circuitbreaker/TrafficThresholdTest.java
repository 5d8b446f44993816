package dev.fusebox.circuitbreaker;

import static dev.fusebox.circuitbreaker.Fixtures.fail;
import static dev.fusebox.circuitbreaker.Fixtures.succeed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import dev.fusebox.circuitbreaker.CircuitBreaker.State;
import dev.fusebox.testing.ManualTicker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Scale;
import org.junit.jupiter.api.Test;

/**
 * Issue 17, part 3: a failure threshold that follows traffic. The rule: with {@code failureRateConfidence}
 * c, a closed breaker opens on its failure rate only when the lower bound of the Wilson score interval of
 * the window's failure rate, at one-sided confidence c, reaches {@code failureRateThreshold}. Checked against
 * an independent reference (z found by bisection on a numerically integrated normal distribution), and on
 * traffic traces: a quiet service, a busy one with noise around the threshold, and a real outage of each.
 */
class TrafficThresholdTest {

  private static CircuitBreakerConfig.Builder config(ManualTicker ticker) {
    return CircuitBreakerConfig.builder().ticker(ticker).slowCallDetection(false);
  }

  /** The fewest failures among {@code calls} calls in the window that reach the failure threshold; -1: none. */
  private static int failuresThatOpen(int calls, double threshold, double confidence) {
    CompiledConfig s =
        config(new ManualTicker()).countBasedWindow(calls).failureRateThreshold(threshold)
            .failureRateConfidence(confidence).build().compiled();
    for (int failures = 1; failures <= calls; failures++) {
      Window window = new CountWindow(calls, 1);
      for (int i = 0; i < calls; i++) {
        window.record(i < failures ? Window.FAILED : Window.SUCCESS, 0);
      }
      if ((window.reached(s) & Window.FAILURE_RATE) != 0) {
        return failures;
      }
    }
    return -1;
  }

  @Test
  void theDocumentedTableHolds() {
    int[] calls = {1, 2, 3, 5, 10, 20, 100, 1000};
    int[] expected = {-1, -1, 3, 5, 8, 14, 59, 527};
    for (int i = 0; i < calls.length; i++) {
      assertThat(failuresThatOpen(calls[i], 50, 0.95)).as("%d calls", calls[i]).isEqualTo(expected[i]);
    }
  }

  @Test
  void moreFailuresAtHighTrafficFewerAtLowAndTheShareFallsTowardsTheThreshold() {
    int previousFailures = 0;
    double previousShare = 1.01;
    for (int calls : new int[] {3, 10, 30, 100, 300, 1000}) {
      int failures = failuresThatOpen(calls, 50, 0.95);
      double share = failures / (double) calls;
      assertThat(failures).as("%d calls", calls).isGreaterThan(previousFailures);
      assertThat(share).as("%d calls", calls).isLessThan(previousShare).isGreaterThan(0.5);
      previousFailures = failures;
      previousShare = share;
    }
  }

  @Test
  void aQuietServiceIsProtectedWithoutTrippingOnAHandfulOfCalls() {
    // One call every 20 s in a one-minute window: at most three calls are ever in it. The plain rule either
    // never decides (a minimum of 100 calls) or, with a minimum of 1, trips on the first failure.
    ManualTicker ticker = new ManualTicker();
    CircuitBreakerConfig quiet = config(ticker).timeBasedWindow(Duration.ofMinutes(1)).failureRateThreshold(50).build();
    CircuitBreaker confident = CircuitBreaker.of("confident", quiet.toBuilder().failureRateConfidence(0.95).build());
    CircuitBreaker plain = CircuitBreaker.of("plain", quiet);
    CircuitBreaker eager =
        CircuitBreaker.of(
            "eager", config(ticker).timeBasedWindow(Duration.ofMinutes(1)).minimumNumberOfCalls(1).build());
    assertThat(confident.config().minimumNumberOfCalls()).isEqualTo(1);

    // a stray failure, then successes
    for (boolean failure : new boolean[] {true, false, false, false, false}) {
      for (CircuitBreaker b : List.of(confident, plain, eager)) {
        if (b.state() != State.CLOSED) {
          continue;
        }
        if (failure) {
          fail(b);
        } else {
          succeed(b);
        }
      }
      ticker.advance(Duration.ofSeconds(20));
    }
    assertThat(confident.state()).isEqualTo(State.CLOSED);
    assertThat(eager.state()).as("the plain rule with a minimum of 1 trips on one failure").isEqualTo(State.OPEN);

    // then the dependency goes down: three failures in a row, one every 20 s
    ticker.advance(Duration.ofMinutes(1));
    fail(confident);
    ticker.advance(Duration.ofSeconds(20));
    fail(confident);
    assertThat(confident.state()).as("two failures of two calls are a handful").isEqualTo(State.CLOSED);
    ticker.advance(Duration.ofSeconds(20));
    fail(confident);
    assertThat(confident.state()).isEqualTo(State.OPEN);
    for (int i = 0; i < 3; i++) {
      fail(plain);
      ticker.advance(Duration.ofSeconds(20));
    }
    assertThat(plain.state()).as("the plain rule at its default minimum never decides").isEqualTo(State.CLOSED);
  }

  @Test
  void aBusyServiceRidesNoiseAroundTheThresholdAndStillOpensOnAnOutage() {
    ManualTicker ticker = new ManualTicker();
    CircuitBreakerConfig busy = config(ticker).countBasedWindow(1000).failureRateThreshold(50).build();
    CircuitBreaker confident = CircuitBreaker.of("confident", busy.toBuilder().failureRateConfidence(0.95).build());
    CircuitBreaker plain = CircuitBreaker.of("plain", busy);
    // A degraded but serving dependency: each call fails with probability 0.48, so the window's rate wanders
    // around 48% and crosses 50% now and then.
    Random random = new Random(17);
    boolean plainOpened = false;
    for (int i = 0; i < 20_000; i++) {
      boolean failure = random.nextDouble() < 0.48;
      for (CircuitBreaker b : List.of(confident, plain)) {
        if (b.state() != State.CLOSED) {
          continue;
        }
        if (failure) {
          fail(b);
        } else {
          succeed(b);
        }
      }
      plainOpened |= plain.state() == State.OPEN;
    }
    assertThat(plainOpened).as("the plain rule trips on the noise").isTrue();
    assertThat(confident.state()).isEqualTo(State.CLOSED);

    // An outage: 60% of calls fail.
    int calls = 0;
    while (confident.state() == State.CLOSED) {
      if (random.nextDouble() < 0.6) {
        fail(confident);
      } else {
        succeed(confident);
      }
      calls++;
    }
    assertThat(calls).as("calls into the outage before it opened").isLessThan(1000);
  }

  @Property(tries = 300)
  void opensExactlyWhenTheReferenceBoundReachesTheThreshold(
      @ForAll @IntRange(min = 1, max = 200) int size,
      @ForAll @DoubleRange(min = 1, max = 99) double threshold,
      @ForAll @DoubleRange(min = 0.5, max = 0.999) @Scale(3) double confidence,
      @ForAll @IntRange(min = 0, max = 1000) int seed) {
    ManualTicker ticker = new ManualTicker();
    CircuitBreaker breaker =
        CircuitBreaker.of(
            "p", config(ticker).countBasedWindow(size).failureRateThreshold(threshold)
                .failureRateConfidence(confidence).build());
    double z = referenceZ(confidence);
    Random random = new Random(seed);
    List<Boolean> window = new ArrayList<>();
    for (int i = 0; i < 3 * size && breaker.state() == State.CLOSED; i++) {
      boolean failure = random.nextBoolean();
      if (failure) {
        fail(breaker);
      } else {
        succeed(breaker);
      }
      window.add(failure);
      if (window.size() > size) {
        window.remove(0);
      }
      long failed = window.stream().filter(f -> f).count();
      // A decision is taken after a failure; a success never opens the breaker.
      boolean expected = failure && failed > 0 && referenceBound(failed, window.size(), z) * 100 >= threshold;
      boolean margin = Math.abs(referenceBound(failed, window.size(), z) * 100 - threshold) < 1e-6;
      if (!margin) {
        assertThat(breaker.state() == State.OPEN).as("after %d calls, %d failed", window.size(), failed)
            .isEqualTo(expected);
      }
    }
  }

  @Test
  void theQuantileMatchesTheReferenceAcrossTheRange() {
    for (double c = 0.5; c < 0.9999; c += 0.0137) {
      assertThat(Significance.z(c)).as("confidence %f", c).isCloseTo(referenceZ(c), offset(1e-6));
    }
    assertThat(Significance.z(0.95)).isCloseTo(1.6448536, offset(1e-6));
    assertThat(Significance.z(0.999)).isCloseTo(3.0902323, offset(1e-6));
    assertThat(Significance.z(0.01)).isCloseTo(-2.3263479, offset(1e-6));
  }

  @Test
  void theHalfOpenVerdictKeepsThePlainRate() {
    ManualTicker ticker = new ManualTicker();
    CircuitBreaker breaker =
        CircuitBreaker.of(
            "h", config(ticker).countBasedWindow(10).failureRateConfidence(0.95).permittedNumberOfCallsInHalfOpenState(4)
                .waitDurationInOpenState(Duration.ofSeconds(1)).build());
    fail(breaker, 3);
    assertThat(breaker.state()).isEqualTo(State.OPEN);
    ticker.advance(Duration.ofSeconds(1));
    succeed(breaker, 2);
    fail(breaker, 2);
    assertThat(breaker.state()).as("2 of 4 trials is 50%").isEqualTo(State.OPEN);
  }

  @Test
  void reconfiguringSwitchesTheRuleOnForTheWindowItHolds() {
    ManualTicker ticker = new ManualTicker();
    CircuitBreaker breaker =
        CircuitBreaker.of("r", config(ticker).countBasedWindow(100).minimumNumberOfCalls(1).failureRateThreshold(50)
            .consecutiveFailureThreshold(100).build());
    succeed(breaker);
    breaker.reconfigure(breaker.config().toBuilder().failureRateConfidence(0.95).build());
    fail(breaker);
    assertThat(breaker.state()).as("1 failure of 2 calls is not significant").isEqualTo(State.CLOSED);
  }

  @Test
  void badValuesAreRefusedByName() {
    assertThatThrownBy(() -> CircuitBreakerConfig.builder().failureRateConfidence(1).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("failureRateConfidence").hasMessageContaining("1.0");
    assertThatThrownBy(() -> CircuitBreakerConfig.builder().failureRateConfidence(0).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("failureRateConfidence");
    assertThatThrownBy(() -> CircuitBreakerConfig.builder().failureRateConfidence(Double.NaN).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("failureRateConfidence");
    assertThatThrownBy(
            () -> CircuitBreakerConfig.builder().failureRateThreshold(100).failureRateConfidence(0.9).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("failureRateThreshold")
        .hasMessageContaining("100");
  }

  @Test
  void anExplicitMinimumStaysAFloorAndTheOptionSurvivesToBuilder() {
    CircuitBreakerConfig config =
        CircuitBreakerConfig.builder().failureRateConfidence(0.9).minimumNumberOfCalls(20).build();
    assertThat(config.minimumNumberOfCalls()).isEqualTo(20);
    assertThat(config.toBuilder().build().failureRateConfidence()).isEqualTo(0.9);
    assertThat(config.toString()).contains("failureRateConfidence=0.9");
    assertThat(CircuitBreakerConfig.ofDefaults().failureRateConfidence()).isZero();
  }

  // ---- the reference: written independently of Significance

  private static double referenceBound(long failed, long calls, double z) {
    double n = calls;
    double p = failed / n;
    return (p + z * z / (2 * n) - z * Math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))) / (1 + z * z / n);
  }

  /** The normal quantile by bisection on the distribution, integrated by Simpson's rule from 0. */
  private static double referenceZ(double confidence) {
    double lo = -6;
    double hi = 6;
    for (int i = 0; i < 60; i++) {
      double mid = (lo + hi) / 2;
      if (normalCdf(mid) < confidence) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    return (lo + hi) / 2;
  }

  private static double normalCdf(double x) {
    int steps = 2000;
    double h = x / steps;
    double sum = density(0) + density(x);
    for (int i = 1; i < steps; i++) {
      sum += density(i * h) * (i % 2 == 0 ? 2 : 4);
    }
    return 0.5 + sum * h / 3;
  }

  private static double density(double x) {
    return Math.exp(-x * x / 2) / Math.sqrt(2 * Math.PI);
  }
}
