package dev.fusebox.circuitbreaker;

import static dev.fusebox.circuitbreaker.Fixtures.fail;
import static dev.fusebox.circuitbreaker.Fixtures.succeed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fusebox.circuitbreaker.CircuitBreaker.State;
import dev.fusebox.testing.ManualTicker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 17, part 3: deploy mode, a temporary heightened sensitivity. While it lasts, a closed breaker opens
 * on its first failures (deployModeFailureThreshold, default 1) whatever its window holds; it ends by itself
 * after its duration, by the breaker's ticker, also across the ticker's wrap.
 */
class DeployModeTest {

  static Stream<Long> origins() {
    return Stream.of(0L, Long.MAX_VALUE - Duration.ofMinutes(5).toNanos(), Long.MAX_VALUE, Long.MIN_VALUE);
  }

  private static CircuitBreakerConfig.Builder config(ManualTicker ticker) {
    // The defaults: a window of 100 calls and a minimum of 100, so outside deploy mode 1 failure never trips.
    return CircuitBreakerConfig.builder().ticker(ticker).waitDurationInOpenState(Duration.ofSeconds(10))
        .permittedNumberOfCallsInHalfOpenState(1);
  }

  @ParameterizedTest(name = "origin {0}")
  @MethodSource("origins")
  void theFirstFailureOpensWhileItLastsAndNotAfter(long origin) {
    ManualTicker ticker = new ManualTicker(origin);
    CircuitBreaker breaker = CircuitBreaker.of("deploy", config(ticker).build());
    breaker.startDeployMode(Duration.ofMinutes(10));
    assertThat(breaker.deployModeRemaining()).contains(Duration.ofMinutes(10));
    succeed(breaker, 5);
    fail(breaker);
    assertThat(breaker.state()).isEqualTo(State.OPEN);

    // recovers within the stretch: as sensitive as before
    ticker.advance(Duration.ofSeconds(10));
    succeed(breaker);
    assertThat(breaker.state()).isEqualTo(State.CLOSED);
    ticker.advance(Duration.ofMinutes(10).minusSeconds(11));
    assertThat(breaker.deployModeRemaining()).contains(Duration.ofSeconds(1));
    fail(breaker);
    assertThat(breaker.state()).isEqualTo(State.OPEN);

    ticker.advance(Duration.ofSeconds(10));
    succeed(breaker);
    assertThat(breaker.state()).isEqualTo(State.CLOSED);
    assertThat(breaker.deployModeRemaining()).as("over, by the ticker").isEmpty();
    fail(breaker, 5);
    assertThat(breaker.state()).isEqualTo(State.CLOSED);
  }

  @Test
  void itEndsExactlyAtItsDuration() {
    ManualTicker ticker = new ManualTicker(Long.MAX_VALUE - 10);
    CircuitBreaker breaker = CircuitBreaker.of("edge", config(ticker).build());
    breaker.startDeployMode(Duration.ofNanos(100));
    ticker.advanceNanos(99);
    assertThat(breaker.deployModeRemaining()).contains(Duration.ofNanos(1));
    ticker.advanceNanos(1);
    fail(breaker);
    assertThat(breaker.state()).isEqualTo(State.CLOSED);
    assertThat(breaker.deployModeRemaining()).isEmpty();
  }

  @Test
  void aConfiguredNumberOfFailuresOpensCountedSinceTheStart() {
    ManualTicker ticker = new ManualTicker();
    CircuitBreaker breaker = CircuitBreaker.of("three", config(ticker).deployModeFailureThreshold(3).build());
    fail(breaker, 2); // before deploy mode: do not count
    breaker.startDeployMode(Duration.ofMinutes(1));
    fail(breaker, 2);
    succeed(breaker);
    assertThat(breaker.state()).isEqualTo(State.CLOSED);
    fail(breaker);
    assertThat(breaker.state()).isEqualTo(State.OPEN);

    // recovered, it needs three failures again
    ticker.advance(Duration.ofSeconds(10));
    succeed(breaker);
    assertThat(breaker.state()).isEqualTo(State.CLOSED);
    fail(breaker, 2);
    assertThat(breaker.state()).as("the count starts again at each opening").isEqualTo(State.CLOSED);
    fail(breaker);
    assertThat(breaker.state()).isEqualTo(State.OPEN);
  }

  @Test
  void endingItByHandRestoresTheUsualRulesAndEveryChangeIsAnEvent() {
    ManualTicker ticker = new ManualTicker();
    CircuitBreaker breaker = CircuitBreaker.of("events", config(ticker).build());
    List<CircuitBreakerEvent.DeployModeChanged> events = new ArrayList<>();
    breaker.onEvent(
        Set.of(CircuitBreakerEvent.Type.DEPLOY_MODE_CHANGED),
        e -> events.add((CircuitBreakerEvent.DeployModeChanged) e));
    breaker.startDeployMode(Duration.ofMinutes(5));
    breaker.endDeployMode();
    breaker.endDeployMode(); // nothing to end: no event
    fail(breaker);
    assertThat(breaker.state()).isEqualTo(State.CLOSED);
    breaker.startDeployMode(Duration.ofSeconds(1));
    ticker.advance(Duration.ofSeconds(2));
    fail(breaker); // finds it over
    fail(breaker);
    assertThat(events).extracting(CircuitBreakerEvent.DeployModeChanged::active).containsExactly(true, false, true, false);
    assertThat(events.get(0).duration()).isEqualTo(Duration.ofMinutes(5));
    assertThat(events.get(1).duration()).isZero();
    assertThat(events).allSatisfy(e -> assertThat(e.breakerName()).isEqualTo("events"));
  }

  @Test
  void startingAgainReplacesTheStretchAndReconfiguringKeepsIt() {
    ManualTicker ticker = new ManualTicker();
    CircuitBreaker breaker = CircuitBreaker.of("again", config(ticker).deployModeFailureThreshold(2).build());
    breaker.startDeployMode(Duration.ofMinutes(1));
    fail(breaker);
    breaker.startDeployMode(Duration.ofMinutes(3));
    assertThat(breaker.deployModeRemaining()).contains(Duration.ofMinutes(3));
    breaker.reconfigure(breaker.config().toBuilder().deployModeFailureThreshold(1).build());
    assertThat(breaker.deployModeRemaining()).contains(Duration.ofMinutes(3));
    fail(breaker);
    assertThat(breaker.state()).isEqualTo(State.OPEN);
  }

  @Test
  void aManualOrDisabledStateIsLeftAlone() {
    ManualTicker ticker = new ManualTicker();
    CircuitBreaker breaker = CircuitBreaker.of("manual", config(ticker).build());
    breaker.transitionToMetricsOnlyState();
    breaker.startDeployMode(Duration.ofMinutes(1));
    fail(breaker, 3);
    assertThat(breaker.state()).isEqualTo(State.METRICS_ONLY);
  }

  @Test
  void badDurationsAreRefused() {
    CircuitBreaker breaker = CircuitBreaker.ofDefaults("bad");
    assertThatThrownBy(() -> breaker.startDeployMode(null))
        .isInstanceOf(NullPointerException.class).hasMessageContaining("deploy mode duration");
    assertThatThrownBy(() -> breaker.startDeployMode(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT0S");
    assertThatThrownBy(() -> breaker.startDeployMode(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("positive");
    assertThatThrownBy(() -> breaker.startDeployMode(Duration.ofDays(365L * 300)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("292 years");
    assertThatThrownBy(() -> CircuitBreakerConfig.builder().deployModeFailureThreshold(0).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("deployModeFailureThreshold");
    assertThat(breaker.deployModeRemaining()).isEmpty();
  }
}
