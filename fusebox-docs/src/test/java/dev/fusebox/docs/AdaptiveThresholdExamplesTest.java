package dev.fusebox.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusebox.circuitbreaker.CircuitBreaker;
import dev.fusebox.circuitbreaker.CircuitBreakerConfig;
import dev.fusebox.circuitbreaker.CircuitBreakerRegistry;
import dev.fusebox.testing.ManualTicker;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The circuit-breaker guide's thresholds that follow traffic: built, run and checked. */
class AdaptiveThresholdExamplesTest {

  private static final RuntimeException DOWN = new IllegalStateException("down");

  @Test
  void aThresholdThatFollowsTraffic() {
    // tag::traffic-threshold[]
    CircuitBreakerConfig config = CircuitBreakerConfig.builder()
        .timeBasedWindow(Duration.ofMinutes(1))
        .failureRateThreshold(50)
        .failureRateConfidence(0.95)
        .build();
    // end::traffic-threshold[]

    ManualTicker ticker = new ManualTicker();
    CircuitBreaker breaker = CircuitBreaker.of("quiet", config.toBuilder().ticker(ticker).build());
    breaker.onError(1, DOWN);
    breaker.onError(1, DOWN);
    assertThat(breaker.state()).as("2 of 2 is a handful").isEqualTo(CircuitBreaker.State.CLOSED);
    breaker.onError(1, DOWN);
    assertThat(breaker.state()).as("3 of 3, as the table says").isEqualTo(CircuitBreaker.State.OPEN);
  }

  @Test
  void deployMode() {
    CircuitBreakerRegistry registry = CircuitBreakerRegistry.ofDefaults();
    // tag::deploy-mode[]
    CircuitBreaker breaker = registry.circuitBreaker("inventory");
    breaker.startDeployMode(Duration.ofMinutes(10)); // before the rollout
    // end::deploy-mode[]

    assertThat(breaker.deployModeRemaining()).hasValueSatisfying(left ->
        assertThat(left).isBetween(Duration.ofMinutes(9), Duration.ofMinutes(10)));
    breaker.onError(1, DOWN);
    assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
  }

  @Test
  void slowCallsByAPercentile() {
    // tag::slow-call-percentile[]
    CircuitBreakerConfig config = CircuitBreakerConfig.builder()
        .slowCallDurationPercentile(99, 3.0)            // slower than 3 x its own p99 is slow
        .slowCallDurationThreshold(Duration.ofSeconds(2)) // until a first calm minute has taught it
        .slowCallRateThreshold(50)
        .build();
    // end::slow-call-percentile[]

    ManualTicker ticker = new ManualTicker();
    CircuitBreaker breaker = CircuitBreaker.of("latency", config.toBuilder().ticker(ticker).build());
    assertThat(breaker.slowCallDurationThreshold()).isEqualTo(Duration.ofSeconds(2));
    for (int i = 0; i < 120; i++) {
      breaker.onSuccess(Duration.ofMillis(20).toNanos());
      ticker.advance(Duration.ofMillis(500));
    }
    breaker.onSuccess(Duration.ofMillis(20).toNanos());
    assertThat(breaker.slowCallDurationThreshold())
        .isBetween(Duration.ofMillis(60), Duration.ofMillis(68));
  }
}
