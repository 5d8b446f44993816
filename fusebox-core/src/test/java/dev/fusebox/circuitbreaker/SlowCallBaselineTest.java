package dev.fusebox.circuitbreaker;

import static dev.fusebox.circuitbreaker.Fixtures.succeedTaking;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fusebox.circuitbreaker.CircuitBreaker.State;
import dev.fusebox.testing.ManualTicker;
import java.time.Duration;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 17, part 3: slow calls judged by a percentile of the breaker's own recent latency. A call is slow
 * when it lasts longer than multiplier x the percentile of the last calm period (at least the minimum of
 * calls, the breaker CLOSED throughout); before that, the configured duration decides.
 */
class SlowCallBaselineTest {

  static Stream<Long> origins() {
    return Stream.of(0L, Long.MAX_VALUE - Duration.ofSeconds(30).toNanos(), Long.MIN_VALUE);
  }

  private static CircuitBreakerConfig.Builder config(ManualTicker ticker) {
    return CircuitBreakerConfig.builder()
        .ticker(ticker)
        .countBasedWindow(10)
        .slowCallRateThreshold(50)
        .slowCallDurationThreshold(Duration.ofSeconds(2))
        .slowCallDurationPercentile(99, 3.0)
        .slowCallBaselinePeriod(Duration.ofMinutes(1))
        .slowCallBaselineMinimumCalls(100);
  }

  /** A period of {@code calls} calls of 8 to 10 ms, spread over a minute, ended by one more call. */
  private static void calmMinute(CircuitBreaker breaker, ManualTicker ticker, int calls, Random random) {
    Duration gap = Duration.ofMinutes(1).dividedBy(calls);
    for (int i = 0; i < calls; i++) {
      succeedTaking(breaker, ticker, Duration.ofMillis(8).plusNanos(random.nextInt(2_000_000)));
      ticker.advance(gap);
    }
  }

  @ParameterizedTest(name = "origin {0}")
  @MethodSource("origins")
  void aCalmPeriodBecomesTheBaselineAndItsMultipleDecides(long origin) {
    ManualTicker ticker = new ManualTicker(origin);
    CircuitBreaker breaker = CircuitBreaker.of("latency", config(ticker).build());
    assertThat(breaker.slowCallDurationThreshold()).as("nothing learnt yet").isEqualTo(Duration.ofSeconds(2));

    Random random = new Random(1);
    calmMinute(breaker, ticker, 200, random);
    succeedTaking(breaker, ticker, Duration.ofMillis(9)); // the first call of the next period learns
    Duration learnt = breaker.slowCallDurationThreshold();
    // p99 of 8..10 ms is just under 10 ms; its cell's upper bound is within 12.5% above it
    assertThat(learnt).isBetween(Duration.ofMillis(30), Duration.ofNanos((long) (30_000_000 * 1.125)));

    // 25 ms calls are not slow; 40 ms calls are, and half of them in the window opens the breaker
    for (int i = 0; i < 10; i++) {
      succeedTaking(breaker, ticker, Duration.ofMillis(25));
    }
    assertThat(breaker.metrics().numberOfSlowCalls()).isZero();
    for (int i = 0; i < 5; i++) {
      succeedTaking(breaker, ticker, Duration.ofMillis(40));
    }
    assertThat(breaker.state()).isEqualTo(State.OPEN);
  }

  @Test
  void beforeAnyPeriodTeachesTheConfiguredDurationDecides() {
    ManualTicker ticker = new ManualTicker();
    CircuitBreaker breaker = CircuitBreaker.of("fallback", config(ticker).build());
    Random random = new Random(2);
    calmMinute(breaker, ticker, 50, random); // under the minimum of 100 calls: teaches nothing
    succeedTaking(breaker, ticker, Duration.ofMillis(9));
    assertThat(breaker.slowCallDurationThreshold()).isEqualTo(Duration.ofSeconds(2));
    succeedTaking(breaker, ticker, Duration.ofMillis(1900));
    assertThat(breaker.metrics().numberOfSlowCalls()).isZero();
    succeedTaking(breaker, ticker, Duration.ofMillis(2100));
    assertThat(breaker.metrics().numberOfSlowCalls()).isOne();
  }

  @Test
  void aPeriodInWhichTheBreakerOpenedDoesNotBecomeTheBaseline() {
    ManualTicker ticker = new ManualTicker();
    CircuitBreaker breaker =
        CircuitBreaker.of("degraded", config(ticker).waitDurationInOpenState(Duration.ofSeconds(1))
            .permittedNumberOfCallsInHalfOpenState(1).build());
    Random random = new Random(3);
    calmMinute(breaker, ticker, 200, random);
    succeedTaking(breaker, ticker, Duration.ofMillis(9));
    Duration calm = breaker.slowCallDurationThreshold();

    // a degradation: calls of 1 s, which open the breaker; it recovers; then, in the same period, calls of
    // 20 ms that would double the baseline if that period counted
    for (int i = 0; i < 10 && breaker.state() == State.CLOSED; i++) {
      succeedTaking(breaker, ticker, Duration.ofSeconds(1));
    }
    assertThat(breaker.state()).isEqualTo(State.OPEN);
    ticker.advance(Duration.ofSeconds(1));
    succeedTaking(breaker, ticker, Duration.ofMillis(9));
    assertThat(breaker.state()).isEqualTo(State.CLOSED);
    for (int i = 0; i < 150; i++) {
      succeedTaking(breaker, ticker, Duration.ofMillis(20));
    }
    assertThat(breaker.state()).isEqualTo(State.CLOSED);
    ticker.advance(Duration.ofMinutes(1));
    succeedTaking(breaker, ticker, Duration.ofMillis(9));
    assertThat(breaker.slowCallDurationThreshold()).as("the disturbed period taught nothing").isEqualTo(calm);
  }

  @Test
  void resetForgetsTheBaselineAndReconfiguringOnLearnsFromThen() {
    ManualTicker ticker = new ManualTicker();
    CircuitBreaker breaker = CircuitBreaker.of("reset", config(ticker).build());
    Random random = new Random(4);
    calmMinute(breaker, ticker, 200, random);
    succeedTaking(breaker, ticker, Duration.ofMillis(9));
    assertThat(breaker.slowCallDurationThreshold()).isLessThan(Duration.ofMillis(40));
    breaker.reset();
    assertThat(breaker.slowCallDurationThreshold()).isEqualTo(Duration.ofSeconds(2));

    CircuitBreaker fixed =
        CircuitBreaker.of("fixed", CircuitBreakerConfig.builder().ticker(ticker).countBasedWindow(10)
            .slowCallDurationThreshold(Duration.ofSeconds(2)).build());
    fixed.reconfigure(config(ticker).build());
    calmMinute(fixed, ticker, 200, random);
    succeedTaking(fixed, ticker, Duration.ofMillis(9));
    assertThat(fixed.slowCallDurationThreshold()).isLessThan(Duration.ofMillis(40));
    fixed.reconfigure(fixed.config().toBuilder().slowCallDurationPercentile(50, 1.5).build());
    assertThat(fixed.slowCallDurationThreshold()).as("learnt stays until the next period")
        .isLessThan(Duration.ofMillis(40));
  }

  @Test
  void theHistogramCellsCoverEveryDurationWithinAnEighth() {
    long[] samples = {0, 1, 7, 8, 9, 15, 16, 1000, 999_999, 10_000_000, 1L << 40, Long.MAX_VALUE / 3, Long.MAX_VALUE};
    int previous = -1;
    for (long d : samples) {
      int cell = LatencyBaseline.cell(d);
      assertThat(cell).isBetween(0, LatencyBaseline.CELLS - 1).isGreaterThanOrEqualTo(previous);
      long upper = LatencyBaseline.upperBound(cell);
      assertThat(upper).as("duration %d", d).isGreaterThanOrEqualTo(d);
      assertThat((double) upper).as("duration %d", d).isLessThanOrEqualTo(Math.max(d, 7) * 1.125 + 1);
      previous = cell;
    }
    assertThat(LatencyBaseline.cell(-5)).isZero();
  }

  @Test
  void badValuesAreRefusedByName() {
    assertThatThrownBy(() -> CircuitBreakerConfig.builder().slowCallDurationPercentile(100, 3).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("slowCallDurationPercentile")
        .hasMessageContaining("100");
    assertThatThrownBy(() -> CircuitBreakerConfig.builder().slowCallDurationPercentile(99, 0.5).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("multiplier").hasMessageContaining("0.5");
    assertThatThrownBy(
            () -> CircuitBreakerConfig.builder().slowCallDetection(false).slowCallDurationPercentile(99, 3).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("slowCallDetection");
    assertThatThrownBy(() -> CircuitBreakerConfig.builder().slowCallBaselinePeriod(Duration.ZERO).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("slowCallBaselinePeriod");
    assertThatThrownBy(() -> CircuitBreakerConfig.builder().slowCallBaselineMinimumCalls(0).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("slowCallBaselineMinimumCalls");
    assertThatThrownBy(() -> CircuitBreakerConfig.builder().slowCallBaselinePeriod(null))
        .isInstanceOf(NullPointerException.class).hasMessageContaining("slowCallBaselinePeriod");
    CircuitBreakerConfig config = CircuitBreakerConfig.builder().slowCallDurationPercentile(99, 3).build();
    assertThat(config.ticker()).as("a percentile of milliseconds needs the precise ticker")
        .isEqualTo(dev.fusebox.Ticker.system());
    assertThat(config.toBuilder().build().slowCallDurationMultiplier()).isEqualTo(3.0);
  }
}
