package dev.fusebox.ratelimiter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusebox.testing.ManualSleeper;
import dev.fusebox.testing.ManualTicker;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class FixedWindowTest {

  private final ManualTicker ticker = new ManualTicker(-5_000_000_000L);
  private final ManualSleeper sleeper = new ManualSleeper(ticker);

  /** {@code limit} per second in windows aligned on now, which is when the limiter is created. */
  private RateLimiter window(int limit, Duration timeout) {
    return RateLimiter.of("api", RateLimiterConfig.builder()
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
  void grantsTheLimitPerWindowAndRefreshesExactlyAtTheBoundary() {
    RateLimiter limiter = window(3, Duration.ZERO);

    assertThat(takeAll(limiter)).isEqualTo(3);
    ticker.advanceNanos(999_999_999);
    assertThat(limiter.tryAcquirePermission()).isFalse();
    ticker.advanceNanos(1);
    assertThat(takeAll(limiter)).isEqualTo(3);
  }

  @Test
  void unusedPermitsDoNotCarryOverToLaterWindows() {
    RateLimiter limiter = window(3, Duration.ZERO);
    limiter.tryAcquirePermission();

    ticker.advance(Duration.ofSeconds(7));

    assertThat(limiter.metrics().availablePermissions()).isEqualTo(3);
    assertThat(takeAll(limiter)).isEqualTo(3);
  }

  @Test
  void windowsAreAlignedOnCreationSoABurstMaySpanABoundary() {
    RateLimiter limiter = window(3, Duration.ZERO);

    ticker.advance(Duration.ofMillis(900));
    assertThat(takeAll(limiter)).isEqualTo(3);
    ticker.advance(Duration.ofMillis(100));
    assertThat(takeAll(limiter)).isEqualTo(3);
  }

  @Test
  void waitingCallerReservesInTheNextWindowAndSleepsUntilItStarts() {
    RateLimiter limiter = window(3, Duration.ofSeconds(1));
    ticker.advance(Duration.ofMillis(250));
    takeAll(limiter);

    limiter.acquirePermission();

    assertThat(sleeper.sleeps()).containsExactly(Duration.ofMillis(750));
    assertThat(limiter.metrics().availablePermissions()).isEqualTo(2);
  }

  @Test
  void aRequestNeverStraddlesTwoWindows() {
    RateLimiter limiter = window(3, Duration.ofSeconds(5));
    assertThat(limiter.tryAcquirePermission(2)).isTrue();

    // One permit is left in this window, but the request needs two: both come from the next window.
    assertThat(limiter.reservePermission(2)).isEqualTo(1_000_000_000L);
    assertThat(limiter.reservePermission(1)).isEqualTo(1_000_000_000L);
    assertThat(limiter.reservePermission(1)).isEqualTo(2_000_000_000L);
  }

  @Test
  void reservationsAheadShowAsNegativeAvailabilityAndBlockImmediateRequests() {
    RateLimiter limiter = window(3, Duration.ofSeconds(5));
    takeAll(limiter);
    limiter.reservePermission(3);
    limiter.reservePermission(1);

    assertThat(limiter.metrics().availablePermissions()).isEqualTo(-4);
    ticker.advance(Duration.ofSeconds(1));
    assertThat(limiter.metrics().availablePermissions()).isEqualTo(-1);
    assertThat(limiter.tryAcquirePermission()).isFalse();
    ticker.advance(Duration.ofSeconds(1));
    assertThat(takeAll(limiter)).isEqualTo(2);
  }

  @Test
  void refusedRequestTakesNothing() {
    RateLimiter limiter = window(3, Duration.ofMillis(500));
    takeAll(limiter);

    assertThat(limiter.reservePermission(1)).isEqualTo(-1);

    ticker.advance(Duration.ofSeconds(1));
    assertThat(takeAll(limiter)).isEqualTo(3);
  }

  @Test
  void drainTakesWhatIsLeftOfTheCurrentWindowOnly() {
    RateLimiter limiter = window(3, Duration.ZERO);
    limiter.tryAcquirePermission();

    limiter.drainPermissions();

    assertThat(limiter.tryAcquirePermission()).isFalse();
    ticker.advance(Duration.ofSeconds(1));
    assertThat(takeAll(limiter)).isEqualTo(3);
  }

  @Test
  void changingTheLimitCountsThePermitsAlreadyUsedInThisWindow() {
    RateLimiter limiter = window(3, Duration.ZERO);
    assertThat(limiter.tryAcquirePermission(2)).isTrue();

    limiter.changeLimitForPeriod(5);
    assertThat(takeAll(limiter)).isEqualTo(3);

    limiter.changeLimitForPeriod(1);
    assertThat(limiter.tryAcquirePermission()).isFalse();
    ticker.advance(Duration.ofSeconds(1));
    assertThat(takeAll(limiter)).isEqualTo(1);
  }

  @Test
  void loweringThenRaisingTheLimitWithinOneWindowNeverGrantsItsPermitsTwice() {
    RateLimiter limiter = window(10, Duration.ZERO);
    assertThat(limiter.tryAcquirePermission(7)).isTrue();

    limiter.changeLimitForPeriod(5);
    limiter.changeLimitForPeriod(10);

    assertThat(takeAll(limiter)).isEqualTo(3);
    ticker.advance(Duration.ofSeconds(1));
    assertThat(takeAll(limiter)).isEqualTo(10);
  }
}
