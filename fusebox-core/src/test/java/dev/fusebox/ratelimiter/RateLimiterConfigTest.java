package dev.fusebox.ratelimiter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fusebox.testing.ManualScheduler;
import dev.fusebox.testing.ManualSleeper;
import dev.fusebox.testing.ManualTicker;
import dev.fusebox.Scheduler;
import dev.fusebox.Sleeper;
import dev.fusebox.Ticker;
import dev.fusebox.ratelimiter.RateLimiterConfig.Algorithm;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RateLimiterConfigTest {

  @Test
  void defaultsAreAFixedWindowOfFiftyPerSecondThatNeverWaits() {
    RateLimiterConfig config = RateLimiterConfig.ofDefaults();

    assertThat(config.algorithm()).isEqualTo(Algorithm.FIXED_WINDOW);
    assertThat(config.limitForPeriod()).isEqualTo(50);
    assertThat(config.limitRefreshPeriod()).isEqualTo(Duration.ofSeconds(1));
    assertThat(config.timeoutDuration()).isZero();
    assertThat(config.burstCapacity()).isEqualTo(50);
    assertThat(config.ticker()).isSameAs(Ticker.coarse());
    assertThat(config.sleeper()).isNotNull();
    assertThat(config.scheduler()).isSameAs(Scheduler.system());
  }

  @Test
  void periodsUnderOneHundredMillisecondsGetThePreciseTickerUnlessOneIsSet() {
    ManualTicker manual = new ManualTicker();

    assertThat(RateLimiterConfig.builder().limitRefreshPeriod(Duration.ofMillis(99)).build().ticker())
        .isSameAs(Ticker.system());
    assertThat(RateLimiterConfig.builder().limitRefreshPeriod(Duration.ofMillis(100)).build().ticker())
        .isSameAs(Ticker.coarse());
    RateLimiterConfig explicit =
        RateLimiterConfig.builder().limitRefreshPeriod(Duration.ofMillis(10)).ticker(manual).build();
    assertThat(explicit.ticker()).isSameAs(manual);
    // A derived configuration keeps the explicit ticker, and recomputes the default one.
    assertThat(explicit.toBuilder().limitRefreshPeriod(Duration.ofSeconds(5)).build().ticker()).isSameAs(manual);
    assertThat(RateLimiterConfig.ofDefaults().toBuilder().limitRefreshPeriod(Duration.ofMillis(1)).build().ticker())
        .isSameAs(Ticker.system());
  }

  @Test
  void burstCapacityFollowsTheLimitUntilSet() {
    RateLimiterConfig bucket = RateLimiterConfig.builder().algorithm(Algorithm.TOKEN_BUCKET).limitForPeriod(8).build();

    assertThat(bucket.burstCapacity()).isEqualTo(8);
    assertThat(bucket.toBuilder().limitForPeriod(12).build().burstCapacity()).isEqualTo(12);
    assertThat(bucket.toBuilder().burstCapacity(3).limitForPeriod(12).build().burstCapacity()).isEqualTo(3);
  }

  @Test
  void limitForPeriodBelowOneIsRejected() {
    assertThatThrownBy(() -> RateLimiterConfig.builder().limitForPeriod(0).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid RateLimiterConfig: limitForPeriod must be at least 1, was 0");
  }

  @Test
  void limitRefreshPeriodMustBePositiveAndFitNanos() {
    assertThatThrownBy(() -> RateLimiterConfig.builder().limitRefreshPeriod(Duration.ZERO).build())
        .hasMessage("Invalid RateLimiterConfig: limitRefreshPeriod must be positive, was PT0S");
    assertThatThrownBy(() -> RateLimiterConfig.builder().limitRefreshPeriod(Duration.ofDays(300 * 365L)).build())
        .hasMessage("Invalid RateLimiterConfig: limitRefreshPeriod must be at most "
            + "PT2562047H47M16.854775807S, was PT2628000H");
  }

  @Test
  void timeoutDurationMustNotBeNegative() {
    assertThatThrownBy(() -> RateLimiterConfig.builder().timeoutDuration(Duration.ofMillis(-5)).build())
        .hasMessage("Invalid RateLimiterConfig: timeoutDuration must not be negative, was PT-0.005S");
  }

  @Test
  void moreThanOnePermitPerNanosecondIsRejected() {
    assertThatThrownBy(
            () -> RateLimiterConfig.builder().limitForPeriod(1001).limitRefreshPeriod(Duration.ofNanos(1000)).build())
        .hasMessage("Invalid RateLimiterConfig: limitForPeriod must be at most one permit per nanosecond of "
            + "limitRefreshPeriod PT0.000001S, was 1001");
  }

  @Test
  void tokenBucketRateThatCannotBeComputedExactlyIsRejected() {
    // A prime limit over a day: the reduced fraction 1000003 / 86400000000000 overflows a long.
    assertThatThrownBy(() -> RateLimiterConfig.builder()
            .algorithm(Algorithm.TOKEN_BUCKET)
            .limitForPeriod(1_000_003)
            .limitRefreshPeriod(Duration.ofDays(1))
            .build())
        .hasMessageStartingWith("Invalid RateLimiterConfig: limitForPeriod times limitRefreshPeriod in "
            + "nanoseconds, divided by their greatest common divisor, must be below 2^63 for a token bucket");
    // The same rate is fine for a window, which never multiplies them.
    assertThat(RateLimiterConfig.builder().limitForPeriod(1_000_003).limitRefreshPeriod(Duration.ofDays(1)).build()
        .limitForPeriod()).isEqualTo(1_000_003);
  }

  @Test
  void slidingWindowLimitIsCappedByItsMemory() {
    assertThatThrownBy(() -> RateLimiterConfig.builder()
            .algorithm(Algorithm.SLIDING_WINDOW)
            .limitForPeriod((1 << 20) + 1)
            .build())
        .hasMessage("Invalid RateLimiterConfig: limitForPeriod must be at most 1048576 for a sliding window, "
            + "which keeps one timestamp per permit, was 1048577");
  }

  @Test
  void burstCapacityMustBePositiveAndOnlyForTheTokenBucket() {
    assertThatThrownBy(() -> RateLimiterConfig.builder().algorithm(Algorithm.TOKEN_BUCKET).burstCapacity(0).build())
        .hasMessage("Invalid RateLimiterConfig: burstCapacity must be at least 1, was 0");
    assertThatThrownBy(() -> RateLimiterConfig.builder().burstCapacity(5).build())
        .hasMessage("Invalid RateLimiterConfig: burstCapacity applies to TOKEN_BUCKET only, was set to 5 with "
            + "algorithm FIXED_WINDOW");
  }

  @Test
  void burstThatWouldTakeCenturiesToRefillIsRejected() {
    assertThatThrownBy(() -> RateLimiterConfig.builder()
            .algorithm(Algorithm.TOKEN_BUCKET)
            .limitForPeriod(1)
            .limitRefreshPeriod(Duration.ofDays(365))
            .burstCapacity(1000)
            .build())
        .hasMessageStartingWith("Invalid RateLimiterConfig: burstCapacity must refill within");
  }

  @Test
  void everyViolationIsReportedInOneException() {
    assertThatThrownBy(() -> RateLimiterConfig.builder()
            .limitForPeriod(-1)
            .timeoutDuration(Duration.ofSeconds(-1))
            .burstCapacity(2)
            .build())
        .hasMessage("Invalid RateLimiterConfig (3 problems): limitForPeriod must be at least 1, was -1; "
            + "timeoutDuration must not be negative, was PT-1S; "
            + "burstCapacity applies to TOKEN_BUCKET only, was set to 2 with algorithm FIXED_WINDOW");
  }

  @Test
  void nullOptionsAreRejectedAtOnceNamingTheOption() {
    RateLimiterConfig.Builder b = RateLimiterConfig.builder();

    assertThatThrownBy(() -> b.algorithm(null)).isInstanceOf(NullPointerException.class)
        .hasMessage("algorithm must not be null");
    assertThatThrownBy(() -> b.limitRefreshPeriod(null)).hasMessage("limitRefreshPeriod must not be null");
    assertThatThrownBy(() -> b.timeoutDuration(null)).hasMessage("timeoutDuration must not be null");
    assertThatThrownBy(() -> b.ticker(null)).hasMessage("ticker must not be null");
    assertThatThrownBy(() -> b.sleeper(null)).hasMessage("sleeper must not be null");
    assertThatThrownBy(() -> b.scheduler(null)).hasMessage("scheduler must not be null");
  }

  @Test
  void toBuilderCopiesEveryOption() {
    ManualTicker ticker = new ManualTicker();
    Sleeper sleeper = new ManualSleeper(ticker);
    Scheduler scheduler = new ManualScheduler(ticker);
    RateLimiterConfig config = RateLimiterConfig.builder()
        .algorithm(Algorithm.TOKEN_BUCKET)
        .limitForPeriod(7)
        .limitRefreshPeriod(Duration.ofMillis(700))
        .timeoutDuration(Duration.ofMillis(30))
        .burstCapacity(3)
        .ticker(ticker)
        .sleeper(sleeper)
        .scheduler(scheduler)
        .build();

    RateLimiterConfig copy = config.toBuilder().build();

    assertThat(copy).usingRecursiveComparison().isEqualTo(config);
    assertThat(copy.toString()).startsWith("RateLimiterConfig{algorithm=TOKEN_BUCKET, limitForPeriod=7, "
        + "limitRefreshPeriod=PT0.7S, timeoutDuration=PT0.03S, burstCapacity=3, ticker=");
  }
}
