package dev.fusebox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fusebox.bulkhead.AdaptiveBulkhead;
import dev.fusebox.bulkhead.AdaptiveBulkheadConfig;
import dev.fusebox.bulkhead.Bulkhead;
import dev.fusebox.bulkhead.BulkheadConfig;
import dev.fusebox.bulkhead.BulkheadEvent;
import dev.fusebox.ratelimiter.RateLimiter;
import dev.fusebox.ratelimiter.RateLimiterConfig;
import dev.fusebox.ratelimiter.RateLimiterEvent;
import dev.fusebox.retry.Retry;
import dev.fusebox.retry.RetryConfig;
import dev.fusebox.retry.RetryEvent;
import dev.fusebox.testing.ManualScheduler;
import dev.fusebox.testing.ManualTicker;
import dev.fusebox.timelimiter.TimeLimiter;
import dev.fusebox.timelimiter.TimeLimiterConfig;
import dev.fusebox.timelimiter.TimeLimiterEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Issue 18, part 1: every policy but the breaker, reconfigured live. */
class PolicyReconfigureTest {

  private final ManualTicker ticker = new ManualTicker(1_000_000_000_000L);

  // ---------------------------------------------------------------------------------------------------
  // Bulkhead

  @Test
  void aLargerBulkheadLimitAppliesToTheNextAcquisition() {
    Bulkhead bulkhead = Bulkhead.of("b", BulkheadConfig.builder().maxConcurrentCalls(1).maxWaitDuration(Duration.ZERO).build());
    assertThat(bulkhead.tryAcquirePermission()).isTrue();
    assertThat(bulkhead.tryAcquirePermission()).isFalse();
    BulkheadConfig next = bulkhead.config().toBuilder().maxConcurrentCalls(3).build();
    bulkhead.reconfigure(next);
    assertThat(bulkhead.config()).isSameAs(next);
    assertThat(bulkhead.metrics().maxAllowedConcurrentCalls()).isEqualTo(3);
    assertThat(bulkhead.tryAcquirePermission()).isTrue();
    assertThat(bulkhead.tryAcquirePermission()).isTrue();
    assertThat(bulkhead.tryAcquirePermission()).isFalse();
    assertThat(bulkhead.metrics().concurrentCalls()).isEqualTo(3);
  }

  @Test
  void aSmallerBulkheadLimitDropsNoHolderAndAdmitsNobodyUntilEnoughHaveFinished() {
    Bulkhead bulkhead = Bulkhead.of("b", BulkheadConfig.builder().maxConcurrentCalls(3).maxWaitDuration(Duration.ZERO).build());
    for (int i = 0; i < 3; i++) {
      assertThat(bulkhead.tryAcquirePermission()).isTrue();
    }
    bulkhead.reconfigure(bulkhead.config().toBuilder().maxConcurrentCalls(1).build());
    assertThat(bulkhead.metrics().concurrentCalls()).isEqualTo(3);
    assertThat(bulkhead.metrics().availableConcurrentCalls()).isZero();
    assertThat(bulkhead.tryAcquirePermission()).isFalse();
    bulkhead.onComplete();
    bulkhead.onComplete();
    assertThat(bulkhead.tryAcquirePermission()).as("one holder is still in").isFalse();
    bulkhead.onComplete();
    assertThat(bulkhead.tryAcquirePermission()).isTrue();
    assertThat(bulkhead.tryAcquirePermission()).isFalse();
    bulkhead.onComplete();
    bulkhead.onComplete(); // a stray release does not raise the bound
    assertThat(bulkhead.metrics().availableConcurrentCalls()).isEqualTo(1);
  }

  @Test
  void aLargerBulkheadLimitLetsAWaitingCallerIn() throws Exception {
    Bulkhead bulkhead = Bulkhead.of("b", BulkheadConfig.builder().maxConcurrentCalls(1).maxWaitDuration(Duration.ofHours(1)).build());
    bulkhead.acquirePermission();
    CountDownLatch admitted = new CountDownLatch(1);
    Thread waiter = new Thread(() -> {
      bulkhead.acquirePermission();
      admitted.countDown();
    });
    waiter.start();
    while (bulkhead.metrics().waitingCalls() == 0) {
      Thread.onSpinWait();
    }
    bulkhead.reconfigure(bulkhead.config().toBuilder().maxConcurrentCalls(2).build());
    assertThat(admitted.await(30, TimeUnit.SECONDS)).isTrue();
    waiter.join();
    assertThat(bulkhead.metrics().concurrentCalls()).isEqualTo(2);
  }

  @Test
  void aBulkheadChangeIsAnEvent() {
    Bulkhead bulkhead = Bulkhead.of("b", BulkheadConfig.ofDefaults());
    List<BulkheadEvent> events = new ArrayList<>();
    bulkhead.onEvent(events::add);
    BulkheadConfig before = bulkhead.config();
    BulkheadConfig after = before.toBuilder().maxConcurrentCalls(7).build();
    bulkhead.reconfigure(after);
    assertThat(events).singleElement().isEqualTo(
        new BulkheadEvent.ConfigurationChanged("b", events.get(0).timestamp(), before, after));
    assertThat(events.get(0).type()).isEqualTo(BulkheadEvent.Type.CONFIGURATION_CHANGED);
    assertThatThrownBy(() -> bulkhead.reconfigure(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("config");
  }

  // ---------------------------------------------------------------------------------------------------
  // Adaptive bulkhead

  @Test
  void anAdaptiveLimitOutsideTheNewBoundsMovesIntoThemWithoutDroppingHolders() {
    AdaptiveBulkhead bulkhead =
        AdaptiveBulkhead.of(
            "a", AdaptiveBulkheadConfig.builder().initialLimit(20).minLimit(1).maxLimit(100).ticker(ticker).build());
    for (int i = 0; i < 10; i++) {
      assertThat(bulkhead.tryAcquirePermission()).isTrue();
    }
    List<BulkheadEvent> events = new ArrayList<>();
    bulkhead.onEvent(events::add);
    AdaptiveBulkheadConfig next = bulkhead.config().toBuilder().initialLimit(5).maxLimit(5).build();
    bulkhead.reconfigure(next);

    assertThat(bulkhead.config()).isSameAs(next);
    assertThat(bulkhead.metrics().limit()).isEqualTo(5);
    assertThat(bulkhead.metrics().concurrentCalls()).isEqualTo(10);
    assertThat(bulkhead.tryAcquirePermission()).isFalse();
    assertThat(events).extracting(BulkheadEvent::type)
        .contains(BulkheadEvent.Type.CONFIGURATION_CHANGED, BulkheadEvent.Type.LIMIT_CHANGED);
    assertThat(events).filteredOn(e -> e instanceof BulkheadEvent.LimitChanged).singleElement()
        .isInstanceOfSatisfying(BulkheadEvent.LimitChanged.class, change -> {
          assertThat(change.oldLimit()).isEqualTo(20);
          assertThat(change.newLimit()).isEqualTo(5);
          assertThat(change.reason()).isEqualTo(BulkheadEvent.LimitChangeReason.RECONFIGURED);
        });
    for (int i = 0; i < 6; i++) {
      bulkhead.releasePermission();
    }
    assertThat(bulkhead.tryAcquirePermission()).isTrue();
    assertThat(bulkhead.tryAcquirePermission()).isFalse();
  }

  @Test
  void anAdaptiveLimitInsideTheNewBoundsStays() {
    AdaptiveBulkhead bulkhead =
        AdaptiveBulkhead.of("a", AdaptiveBulkheadConfig.builder().initialLimit(20).ticker(ticker).build());
    bulkhead.reconfigure(bulkhead.config().toBuilder().alpha(2).beta(5).build());
    assertThat(bulkhead.metrics().limit()).isEqualTo(20);
    assertThatThrownBy(() -> bulkhead.reconfigure(null)).isInstanceOf(NullPointerException.class);
  }

  // ---------------------------------------------------------------------------------------------------
  // Rate limiter

  private RateLimiter limiter(int limit) {
    return RateLimiter.of(
        "r",
        RateLimiterConfig.builder()
            .algorithm(RateLimiterConfig.Algorithm.FIXED_WINDOW)
            .limitForPeriod(limit)
            .limitRefreshPeriod(Duration.ofSeconds(1))
            .timeoutDuration(Duration.ZERO)
            .ticker(ticker)
            .build());
  }

  @Test
  void aNewRateLimitGovernsTheFollowingPeriods() {
    RateLimiter limiter = limiter(2);
    assertThat(limiter.tryAcquirePermission(2)).isTrue();
    List<RateLimiterEvent> events = new ArrayList<>();
    limiter.onEvent(events::add);
    RateLimiterConfig next = limiter.config().toBuilder().limitForPeriod(5).build();
    limiter.reconfigure(next);
    assertThat(limiter.config()).isSameAs(next);
    assertThat(limiter.metrics().limitForPeriod()).isEqualTo(5);
    ticker.advance(Duration.ofSeconds(1));
    assertThat(limiter.tryAcquirePermission(5)).isTrue();
    assertThat(limiter.tryAcquirePermission()).isFalse();
    assertThat(events).filteredOn(e -> e.type() == RateLimiterEvent.Type.CONFIGURATION_CHANGED).singleElement()
        .isInstanceOfSatisfying(RateLimiterEvent.ConfigurationChanged.class, change -> {
      assertThat(change.previous().limitForPeriod()).isEqualTo(2);
      assertThat(change.current()).isSameAs(next);
    });
  }

  @Test
  void whatTheCurrentPeriodGrantedCountsAgainstALowerLimit() {
    RateLimiter limiter = limiter(5);
    assertThat(limiter.tryAcquirePermission(3)).isTrue();
    limiter.reconfigure(limiter.config().toBuilder().limitForPeriod(3).build());
    assertThat(limiter.tryAcquirePermission()).isFalse();
    ticker.advance(Duration.ofSeconds(1));
    assertThat(limiter.tryAcquirePermission(3)).isTrue();
    assertThat(limiter.tryAcquirePermission()).isFalse();
  }

  @Test
  void aRateLimiterRefusesAnotherRefreshPeriodOrAlgorithmByName() {
    RateLimiter limiter = limiter(5);
    RateLimiterConfig before = limiter.config();
    assertThatThrownBy(() -> limiter.reconfigure(before.toBuilder().limitRefreshPeriod(Duration.ofSeconds(2)).build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("limitRefreshPeriod")
        .hasMessageContaining("PT2S");
    assertThatThrownBy(
            () -> limiter.reconfigure(before.toBuilder().algorithm(RateLimiterConfig.Algorithm.TOKEN_BUCKET).build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("algorithm");
    assertThat(limiter.config()).isSameAs(before);
    assertThatThrownBy(() -> limiter.reconfigure(null)).isInstanceOf(NullPointerException.class);
  }

  // ---------------------------------------------------------------------------------------------------
  // Retry

  @Test
  void aRetryChangeAppliesFromTheNextCallAndACallUnderWayKeepsItsOptions() {
    Retry retry =
        Retry.of("t", RetryConfig.builder().maxAttempts(3).ticker(ticker).sleeper(nanos -> {}).build());
    Retry.Context underWay = retry.context();
    List<RetryEvent> events = new ArrayList<>();
    retry.onEvent(events::add);
    RetryConfig next = retry.config().toBuilder().maxAttempts(5).build();
    retry.reconfigure(next);
    assertThat(retry.config()).isSameAs(next);
    assertThat(events).singleElement().isInstanceOf(RetryEvent.ConfigurationChanged.class);

    int reports = 0;
    while (underWay.onError(new IllegalStateException("down")) != Retry.Context.STOP) {
      reports++;
    }
    assertThat(underWay.attempts()).isEqualTo(3);

    AtomicInteger attempts = new AtomicInteger();
    assertThatThrownBy(() -> retry.executeSupplier(() -> {
      attempts.incrementAndGet();
      throw new IllegalStateException("down");
    })).isInstanceOf(IllegalStateException.class);
    assertThat(attempts).hasValue(5);
    assertThat(reports).isEqualTo(2);
    assertThatThrownBy(() -> retry.reconfigure(null)).isInstanceOf(NullPointerException.class);
  }

  // ---------------------------------------------------------------------------------------------------
  // Time limiter

  @Test
  void aTimeLimiterChangeAppliesFromTheNextCall() {
    ManualScheduler scheduler = new ManualScheduler(ticker);
    TimeLimiter limiter =
        TimeLimiter.of(
            "l", TimeLimiterConfig.builder().timeoutDuration(Duration.ofSeconds(1)).scheduler(scheduler).build());
    limiter.executeCompletionStage(CompletableFuture::new);
    List<TimeLimiterEvent> events = new ArrayList<>();
    limiter.onEvent(events::add);
    TimeLimiterConfig next = limiter.config().toBuilder().timeoutDuration(Duration.ofSeconds(5)).build();
    limiter.reconfigure(next);
    assertThat(limiter.config()).isSameAs(next);
    limiter.executeCompletionStage(CompletableFuture::new);
    assertThat(scheduler.pendingDelays()).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(5));
    assertThat(events).singleElement().isInstanceOfSatisfying(TimeLimiterEvent.ConfigurationChanged.class, change -> {
      assertThat(change.previous().timeoutDuration()).isEqualTo(Duration.ofSeconds(1));
      assertThat(change.current()).isSameAs(next);
    });
    AtomicBoolean timedOut = new AtomicBoolean();
    limiter.onEvent(e -> timedOut.set(timedOut.get() || e.type() == TimeLimiterEvent.Type.TIMEOUT));
    scheduler.advance(Duration.ofSeconds(1));
    assertThat(limiter.metrics().numberOfTimedOutCalls()).isEqualTo(1);
    assertThat(timedOut).isTrue();
    scheduler.advance(Duration.ofSeconds(4));
    assertThat(limiter.metrics().numberOfTimedOutCalls()).isEqualTo(2);
    assertThatThrownBy(() -> limiter.reconfigure(null)).isInstanceOf(NullPointerException.class);
  }
}
