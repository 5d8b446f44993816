package dev.fusebox.ratelimiter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fusebox.testing.ManualSleeper;
import dev.fusebox.testing.ManualTicker;
import dev.fusebox.ratelimiter.RateLimiterConfig.Algorithm;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TokenBucketTest {

  private final ManualTicker ticker = new ManualTicker(1_000_000_000_000L);
  private final ManualSleeper sleeper = new ManualSleeper(ticker);

  /** {@code limit} tokens per second, holding {@code capacity}. */
  private RateLimiter bucket(int limit, int capacity, Duration timeout) {
    return RateLimiter.of("api", RateLimiterConfig.builder()
        .algorithm(Algorithm.TOKEN_BUCKET)
        .limitForPeriod(limit)
        .limitRefreshPeriod(Duration.ofSeconds(1))
        .burstCapacity(capacity)
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
  void startsFullAndGrantsABurstOfExactlyItsCapacity() {
    RateLimiter limiter = bucket(10, 5, Duration.ZERO);

    assertThat(limiter.metrics().availablePermissions()).isEqualTo(5);
    assertThat(takeAll(limiter)).isEqualTo(5);
    assertThat(limiter.metrics().availablePermissions()).isZero();
  }

  @Test
  void refillsOneTokenPerTenthOfASecondAtTenPerSecond() {
    RateLimiter limiter = bucket(10, 5, Duration.ZERO);
    takeAll(limiter);

    ticker.advanceNanos(99_999_999);
    assertThat(limiter.tryAcquirePermission()).isFalse();
    ticker.advanceNanos(1);
    assertThat(limiter.tryAcquirePermission()).isTrue();
    assertThat(limiter.tryAcquirePermission()).isFalse();

    ticker.advance(Duration.ofMillis(300));
    assertThat(takeAll(limiter)).isEqualTo(3);
  }

  @Test
  void aFullBucketDiscardsTheTokensThatWouldOverflowIt() {
    RateLimiter limiter = bucket(10, 5, Duration.ZERO);
    ticker.advance(Duration.ofHours(1));

    assertThat(limiter.metrics().availablePermissions()).isEqualTo(5);
    assertThat(takeAll(limiter)).isEqualTo(5);
  }

  @Test
  void withCapacityOnePermitsAreSpacedByAWholeIntervalWhereverTheyStart() {
    RateLimiter limiter = bucket(1, 1, Duration.ZERO);

    // Idle and full since creation; a permit taken at 0.5 s is followed by the next at 1.5 s, not 1.0 s.
    ticker.advance(Duration.ofMillis(500));
    assertThat(limiter.tryAcquirePermission()).isTrue();
    ticker.advance(Duration.ofMillis(500));
    assertThat(limiter.tryAcquirePermission()).isFalse();
    ticker.advanceNanos(499_999_999);
    assertThat(limiter.tryAcquirePermission()).isFalse();
    ticker.advanceNanos(1);
    assertThat(limiter.tryAcquirePermission()).isTrue();
  }

  @Test
  void aRateThatIsNotAWholeNumberOfNanosecondsRoundsEachRequestUpByLessThanANanosecond() {
    RateLimiter limiter = bucket(3, 1, Duration.ZERO);
    assertThat(limiter.tryAcquirePermission()).isTrue();

    // One token per 333,333,333.3 ns: due at 333,333,334 ns after the last.
    ticker.advanceNanos(333_333_333);
    assertThat(limiter.tryAcquirePermission()).isFalse();
    ticker.advanceNanos(1);
    assertThat(limiter.tryAcquirePermission()).isTrue();
  }

  @Test
  void multiPermitRequestTakesAllOrNothing() {
    RateLimiter limiter = bucket(10, 5, Duration.ZERO);

    assertThat(limiter.tryAcquirePermission(3)).isTrue();
    assertThat(limiter.tryAcquirePermission(3)).isFalse();
    assertThat(limiter.metrics().availablePermissions()).isEqualTo(2);
    assertThat(limiter.tryAcquirePermission(2)).isTrue();
  }

  @Test
  void requestForMoreThanTheCapacityIsAnError() {
    RateLimiter limiter = bucket(10, 5, Duration.ZERO);

    assertThatThrownBy(() -> limiter.tryAcquirePermission(6))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("permits must be in [1, 5], was 6");
    assertThatThrownBy(() -> limiter.acquirePermission(0)).hasMessage("permits must be in [1, 5], was 0");
  }

  @Test
  void waitingCallerReservesTheNextTokenAndSleepsExactlyUntilItArrives() {
    RateLimiter limiter = bucket(10, 5, Duration.ofSeconds(1));
    takeAll(limiter);

    limiter.acquirePermission();

    assertThat(sleeper.sleeps()).containsExactly(Duration.ofMillis(100));
    assertThat(limiter.metrics().availablePermissions()).isZero();
  }

  @Test
  void reservationsQueueInArrivalOrderAndShowAsNegativeAvailability() {
    RateLimiter limiter = bucket(10, 5, Duration.ofSeconds(1));
    takeAll(limiter);

    assertThat(limiter.reservePermission(1)).isEqualTo(100_000_000);
    assertThat(limiter.reservePermission(2)).isEqualTo(300_000_000);
    assertThat(limiter.metrics().availablePermissions()).isEqualTo(-3);
    assertThat(limiter.tryAcquirePermission()).isFalse();
  }

  @Test
  void callerWhoseTokensWouldArriveAfterItsTimeoutIsRefusedAtOnceAndTakesNothing() {
    RateLimiter limiter = bucket(10, 5, Duration.ofMillis(99));
    takeAll(limiter);

    assertThatThrownBy(limiter::acquirePermission).isInstanceOf(RequestNotPermittedException.class);
    assertThat(limiter.reservePermission(1)).isEqualTo(-1);

    assertThat(sleeper.sleeps()).isEmpty();
    ticker.advance(Duration.ofMillis(100));
    assertThat(limiter.tryAcquirePermission()).isTrue();
  }

  @Test
  void drainEmptiesTheBucketButKeepsTheRefill() {
    RateLimiter limiter = bucket(10, 5, Duration.ZERO);
    limiter.tryAcquirePermission();

    limiter.drainPermissions();

    assertThat(limiter.metrics().availablePermissions()).isZero();
    ticker.advance(Duration.ofMillis(100));
    assertThat(takeAll(limiter)).isEqualTo(1);
  }

  @Test
  void changingTheLimitChangesTheRateFromNowOnAndAnUnsetBurstFollowsIt() {
    RateLimiter limiter = RateLimiter.of("api", RateLimiterConfig.builder()
        .algorithm(Algorithm.TOKEN_BUCKET).limitForPeriod(10).limitRefreshPeriod(Duration.ofSeconds(1))
        .ticker(ticker).build());
    takeAll(limiter);

    limiter.changeLimitForPeriod(20);

    assertThat(limiter.config().limitForPeriod()).isEqualTo(20);
    assertThat(limiter.config().burstCapacity()).isEqualTo(20);
    ticker.advance(Duration.ofMillis(50));
    assertThat(takeAll(limiter)).isEqualTo(1);
    ticker.advance(Duration.ofSeconds(5));
    assertThat(takeAll(limiter)).isEqualTo(20);
  }

  @Test
  void loweringTheBurstKeepsOnlyWhatTheSmallerBucketHolds() {
    RateLimiter limiter = RateLimiter.of("api", RateLimiterConfig.builder()
        .algorithm(Algorithm.TOKEN_BUCKET).limitForPeriod(10).limitRefreshPeriod(Duration.ofSeconds(1))
        .ticker(ticker).build());

    limiter.changeLimitForPeriod(4);

    assertThat(limiter.metrics().availablePermissions()).isEqualTo(4);
    assertThat(takeAll(limiter)).isEqualTo(4);
  }

  @Test
  void loweringThenRaisingTheLimitNeverGivesBackTokensAlreadyTaken() {
    RateLimiter limiter = RateLimiter.of("api", RateLimiterConfig.builder()
        .algorithm(Algorithm.TOKEN_BUCKET).limitForPeriod(10).limitRefreshPeriod(Duration.ofSeconds(1))
        .ticker(ticker).build());
    assertThat(limiter.tryAcquirePermission(7)).isTrue();

    limiter.changeLimitForPeriod(5);
    limiter.changeLimitForPeriod(10);

    assertThat(takeAll(limiter)).isEqualTo(3);
  }
}
