package dev.fusebox.ratelimiter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusebox.testing.ManualSleeper;
import dev.fusebox.testing.ManualTicker;
import dev.fusebox.ratelimiter.RateLimiterConfig.Algorithm;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SlidingWindowTest {

  private final ManualTicker ticker = new ManualTicker(123_456_789L);
  private final ManualSleeper sleeper = new ManualSleeper(ticker);

  /** At most {@code limit} in any second. */
  private RateLimiter sliding(int limit, Duration timeout) {
    return RateLimiter.of("api", RateLimiterConfig.builder()
        .algorithm(Algorithm.SLIDING_WINDOW)
        .limitForPeriod(limit)
        .limitRefreshPeriod(Duration.ofSeconds(1))
        .timeoutDuration(timeout)
        .ticker(ticker)
        .sleeper(sleeper)
        .build());
  }

  private int takeAll(RateLimiter limiter) {
    int taken = 0;
    while (limiter.tryAcquirePermission()) {
      taken++;
    }
    return taken;
  }

  @Test
  void eachPermitFreesExactlyOnePeriodAfterItWasGranted() {
    RateLimiter limiter = sliding(3, Duration.ZERO);

    assertThat(limiter.tryAcquirePermission()).isTrue();
    ticker.advance(Duration.ofMillis(400));
    assertThat(limiter.tryAcquirePermission()).isTrue();
    ticker.advance(Duration.ofMillis(400));
    assertThat(limiter.tryAcquirePermission()).isTrue();
    assertThat(limiter.tryAcquirePermission()).isFalse();

    ticker.advanceNanos(199_999_999);
    assertThat(limiter.tryAcquirePermission()).isFalse();
    ticker.advanceNanos(1);
    assertThat(limiter.tryAcquirePermission()).isTrue();
    assertThat(limiter.tryAcquirePermission()).isFalse();
    ticker.advance(Duration.ofMillis(400));
    assertThat(limiter.tryAcquirePermission()).isTrue();
  }

  @Test
  void unlikeAFixedWindowItRefusesABurstAcrossAnyBoundary() {
    RateLimiter limiter = sliding(3, Duration.ZERO);

    ticker.advance(Duration.ofMillis(900));
    assertThat(takeAll(limiter)).isEqualTo(3);
    ticker.advance(Duration.ofMillis(100));
    assertThat(limiter.tryAcquirePermission()).isFalse();
    ticker.advance(Duration.ofMillis(899));
    assertThat(limiter.tryAcquirePermission()).isFalse();
    ticker.advance(Duration.ofMillis(1));
    assertThat(takeAll(limiter)).isEqualTo(3);
  }

  @Test
  void waitingCallerSleepsUntilTheOldestPermitLeavesTheWindow() {
    RateLimiter limiter = sliding(2, Duration.ofSeconds(1));
    limiter.tryAcquirePermission();
    ticker.advance(Duration.ofMillis(300));
    limiter.tryAcquirePermission();
    ticker.advance(Duration.ofMillis(100));

    limiter.acquirePermission();

    assertThat(sleeper.sleeps()).containsExactly(Duration.ofMillis(600));
  }

  @Test
  void multiPermitRequestNeedsRoomForAllItsPermitsInTheSameSpan() {
    RateLimiter limiter = sliding(4, Duration.ofSeconds(5));
    assertThat(limiter.tryAcquirePermission(3)).isTrue();
    ticker.advance(Duration.ofMillis(500));

    assertThat(limiter.tryAcquirePermission(2)).isFalse();
    assertThat(limiter.metrics().availablePermissions()).isEqualTo(1);
    assertThat(limiter.reservePermission(2)).isEqualTo(500_000_000L);
  }

  @Test
  void reservationsQueueAndNoImmediatePermitJumpsAheadOfThem() {
    RateLimiter limiter = sliding(2, Duration.ofSeconds(5));
    takeAll(limiter);

    assertThat(limiter.reservePermission(1)).isEqualTo(1_000_000_000L);
    assertThat(limiter.reservePermission(1)).isEqualTo(1_000_000_000L);
    assertThat(limiter.reservePermission(1)).isEqualTo(2_000_000_000L);
    // The log keeps the last limitForPeriod permits, so that is how many reservations it can report.
    assertThat(limiter.metrics().availablePermissions()).isEqualTo(-2);
    ticker.advance(Duration.ofMillis(1500));
    assertThat(limiter.tryAcquirePermission()).isFalse();
  }

  @Test
  void refusedRequestTakesNothing() {
    RateLimiter limiter = sliding(2, Duration.ofMillis(999));
    takeAll(limiter);

    assertThat(limiter.reservePermission(1)).isEqualTo(-1);
    ticker.advance(Duration.ofSeconds(1));
    assertThat(takeAll(limiter)).isEqualTo(2);
  }

  @Test
  void drainTakesEveryPermitFreeNowAndTheyFreeAPeriodLater() {
    RateLimiter limiter = sliding(3, Duration.ZERO);
    limiter.tryAcquirePermission();
    ticker.advance(Duration.ofMillis(500));

    limiter.drainPermissions();

    assertThat(limiter.tryAcquirePermission()).isFalse();
    ticker.advance(Duration.ofMillis(500));
    assertThat(takeAll(limiter)).isEqualTo(1);
    ticker.advance(Duration.ofMillis(500));
    assertThat(takeAll(limiter)).isEqualTo(2);
  }

  @Test
  void changingTheLimitKeepsTheTimesOfTheLatestPermits() {
    RateLimiter limiter = sliding(3, Duration.ZERO);
    takeAll(limiter);
    ticker.advance(Duration.ofMillis(100));

    limiter.changeLimitForPeriod(5);
    assertThat(takeAll(limiter)).isEqualTo(2);

    // The two latest permits, granted at 100 ms, fill the smaller limit until 1.1 s.
    limiter.changeLimitForPeriod(2);
    ticker.advance(Duration.ofMillis(899));
    assertThat(limiter.tryAcquirePermission()).isFalse();
    ticker.advanceNanos(100_999_999);
    assertThat(limiter.tryAcquirePermission()).isFalse();
    ticker.advanceNanos(1);
    assertThat(takeAll(limiter)).isEqualTo(2);
  }

  @Test
  void loweringThenRaisingTheLimitRemembersEveryPermitStillInThePeriod() {
    RateLimiter limiter = sliding(10, Duration.ZERO);
    assertThat(limiter.tryAcquirePermission(7)).isTrue();

    limiter.changeLimitForPeriod(5);
    assertThat(limiter.metrics().availablePermissions()).isZero();
    limiter.changeLimitForPeriod(10);

    assertThat(takeAll(limiter)).isEqualTo(3);
    ticker.advance(Duration.ofSeconds(1));
    assertThat(takeAll(limiter)).isEqualTo(10);
  }
}
