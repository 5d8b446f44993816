package dev.fusebox.ratelimiter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fusebox.testing.ManualScheduler;
import dev.fusebox.testing.ManualSleeper;
import dev.fusebox.testing.ManualTicker;
import dev.fusebox.Sleeper;
import dev.fusebox.Subscription;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What every algorithm shares: the call surface, events, metrics, waiting, run-time changes. */
class RateLimiterTest {

  private final ManualTicker ticker = new ManualTicker();
  private final ManualSleeper sleeper = new ManualSleeper(ticker);
  private final ManualScheduler scheduler = new ManualScheduler(ticker);

  @AfterEach
  void clearInterruptFlag() {
    Thread.interrupted();
  }

  private RateLimiterConfig.Builder config(int limit) {
    return RateLimiterConfig.builder()
        .limitForPeriod(limit)
        .limitRefreshPeriod(Duration.ofSeconds(1))
        .ticker(ticker)
        .sleeper(sleeper)
        .scheduler(scheduler);
  }

  private RateLimiter limiter(RateLimiterConfig.Builder config) {
    return RateLimiter.of("partner", config.build());
  }

  @Test
  void everyDecoratedFormTakesOnePermitPerCall() throws Exception {
    RateLimiter limiter = limiter(config(5));

    assertThat(limiter.decorateSupplier(() -> "s").get()).isEqualTo("s");
    assertThat(limiter.decorateCallable(() -> "c").call()).isEqualTo("c");
    AtomicInteger runs = new AtomicInteger();
    limiter.decorateRunnable(runs::incrementAndGet).run();
    assertThat(limiter.<Integer, Integer>decorateFunction(x -> x * 3).apply(3)).isEqualTo(9);
    assertThat(limiter.decorateCompletionStage(() -> CompletableFuture.completedFuture("a")).get()
        .toCompletableFuture().join()).isEqualTo("a");

    assertThat(runs).hasValue(1);
    assertThat(limiter.metrics().availablePermissions()).isZero();
    assertThat(limiter.metrics().totalPermittedPermits()).isEqualTo(5);
  }

  @Test
  void refusedCallDoesNotRunAndGetsTheSharedStacklessException() {
    RateLimiter limiter = limiter(config(1));
    limiter.executeRunnable(() -> {});
    AtomicInteger runs = new AtomicInteger();

    Throwable first = catchThrowable(() -> limiter.executeRunnable(runs::incrementAndGet));
    Throwable second = catchThrowable(() -> limiter.executeSupplier(() -> 1));

    assertThat(runs).hasValue(0);
    assertThat(first).isSameAs(second).isInstanceOf(RequestNotPermittedException.class);
    assertThat(first.getStackTrace()).isEmpty();
    RequestNotPermittedException refused = (RequestNotPermittedException) first;
    assertThat(refused.rateLimiterName()).isEqualTo("partner");
    assertThat(refused.interrupted()).isFalse();
    assertThat(refused.getMessage()).isEqualTo("RateLimiter 'partner' does not permit further calls");
  }

  private static Throwable catchThrowable(Runnable r) {
    try {
      r.run();
    } catch (Throwable e) {
      return e;
    }
    throw new AssertionError("expected an exception");
  }

  @Test
  void callExceptionsPassThroughUnchanged() {
    RateLimiter limiter = limiter(config(5));
    IOException io = new IOException("down");

    assertThatThrownBy(() -> limiter.executeCallable(() -> { throw io; })).isSameAs(io);
  }

  @Test
  void waitingCountsAsAWaitingThreadUntilThePermitIsDue() {
    List<Integer> waitingSeen = new ArrayList<>();
    RateLimiter[] holder = new RateLimiter[1];
    Sleeper observing = nanos -> {
      waitingSeen.add(holder[0].metrics().numberOfWaitingThreads());
      sleeper.sleep(nanos);
    };
    RateLimiter limiter = limiter(config(1).timeoutDuration(Duration.ofSeconds(2)).sleeper(observing));
    holder[0] = limiter;
    limiter.acquirePermission();

    limiter.acquirePermission();

    assertThat(waitingSeen).containsExactly(1);
    assertThat(limiter.metrics().numberOfWaitingThreads()).isZero();
    assertThat(sleeper.sleeps()).containsExactly(Duration.ofSeconds(1));
  }

  @Test
  void tryAcquireWithATimeoutWaitsOnlyWithinIt() {
    RateLimiter limiter = limiter(config(1));
    limiter.tryAcquirePermission();

    assertThat(limiter.tryAcquirePermission(1, Duration.ofMillis(999))).isFalse();
    assertThat(sleeper.sleeps()).isEmpty();
    assertThat(limiter.tryAcquirePermission(1, Duration.ofSeconds(1))).isTrue();
    assertThat(sleeper.sleeps()).containsExactly(Duration.ofSeconds(1));
    assertThatThrownBy(() -> limiter.tryAcquirePermission(1, Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("timeout must not be negative, was PT-0.001S");
  }

  @Test
  void interruptedWaiterIsRefusedWithItsInterruptStatusSetAgainAndItsPermitStaysSpent() {
    RateLimiter limiter = limiter(config(1).timeoutDuration(Duration.ofSeconds(5)));
    limiter.acquirePermission();
    List<RateLimiterEvent.Type> events = new ArrayList<>();
    limiter.onEvent(e -> events.add(e.type()));
    Thread.currentThread().interrupt();

    assertThatThrownBy(limiter::acquirePermission)
        .isInstanceOfSatisfying(RequestNotPermittedException.class, e -> {
          assertThat(e.interrupted()).isTrue();
          assertThat(e.getMessage())
              .isEqualTo("RateLimiter 'partner' refused a call: the caller was interrupted while waiting for permits");
        });

    assertThat(Thread.interrupted()).isTrue();
    assertThat(events).containsExactly(RateLimiterEvent.Type.FAILED_ACQUIRE);
    assertThat(limiter.metrics().numberOfWaitingThreads()).isZero();
    // The reservation for the next window was made before the sleep and is not given back.
    ticker.advance(Duration.ofSeconds(1));
    assertThat(limiter.tryAcquirePermission()).isFalse();
  }

  @Test
  void interruptedThreadWhosePermitIsAvailableAtOnceIsNotDisturbed() {
    RateLimiter limiter = limiter(config(1).timeoutDuration(Duration.ofSeconds(5)));
    Thread.currentThread().interrupt();

    limiter.acquirePermission();

    assertThat(Thread.currentThread().isInterrupted()).isTrue();
  }

  @Test
  void eventsDescribeGrantsWaitsRefusalsDrainsAndLimitChanges() {
    RateLimiter limiter = limiter(config(2).timeoutDuration(Duration.ofSeconds(1)));
    List<RateLimiterEvent> events = new ArrayList<>();
    Subscription subscription = limiter.onEvent(events::add);

    limiter.tryAcquirePermission(2);
    limiter.acquirePermission();
    limiter.tryAcquirePermission(2);
    limiter.drainPermissions();
    limiter.changeLimitForPeriod(4);
    subscription.close();
    limiter.tryAcquirePermission();

    assertThat(events).hasSize(5);
    assertThat(events.get(0)).isInstanceOfSatisfying(RateLimiterEvent.SuccessfulAcquire.class, e -> {
      assertThat(e.permits()).isEqualTo(2);
      assertThat(e.waited()).isZero();
    });
    assertThat(events.get(1)).isInstanceOfSatisfying(RateLimiterEvent.SuccessfulAcquire.class,
        e -> assertThat(e.waited()).isEqualTo(Duration.ofSeconds(1)));
    assertThat(events.get(2)).isInstanceOfSatisfying(RateLimiterEvent.FailedAcquire.class,
        e -> assertThat(e.permits()).isEqualTo(2));
    assertThat(events.get(3)).isInstanceOfSatisfying(RateLimiterEvent.Drained.class,
        e -> assertThat(e.permits()).isEqualTo(1));
    assertThat(events.get(4)).isInstanceOfSatisfying(RateLimiterEvent.LimitChanged.class, e -> {
      assertThat(e.oldLimit()).isEqualTo(2);
      assertThat(e.newLimit()).isEqualTo(4);
    });
    assertThat(events).extracting(RateLimiterEvent::name).containsOnly("partner");
  }

  @Test
  void metricsCountPermitsAndRequests() {
    RateLimiter limiter = limiter(config(3));
    limiter.tryAcquirePermission(2);
    limiter.tryAcquirePermission(2);
    limiter.tryAcquirePermission();

    RateLimiter.Metrics m = limiter.metrics();
    assertThat(m.totalPermittedPermits()).isEqualTo(3);
    assertThat(m.totalSuccessfulAcquisitions()).isEqualTo(2);
    assertThat(m.totalFailedAcquisitions()).isEqualTo(1);
    assertThat(m.limitForPeriod()).isEqualTo(3);
    assertThat(m.availablePermissions()).isZero();
  }

  @Test
  void asyncCallWithAPermitNowStartsAtOnce() {
    RateLimiter limiter = limiter(config(1));
    CompletableFuture<String> source = new CompletableFuture<>();

    CompletableFuture<String> result = limiter.executeCompletionStage(() -> source).toCompletableFuture();
    source.complete("now");

    assertThat(result.join()).isEqualTo("now");
    assertThat(scheduler.pending()).isZero();
  }

  @Test
  void asyncCallWhosePermitIsDueLaterIsStartedThenWithoutBlockingTheCaller() {
    RateLimiter limiter = limiter(config(1).timeoutDuration(Duration.ofSeconds(2)));
    limiter.tryAcquirePermission();
    AtomicInteger started = new AtomicInteger();

    CompletableFuture<Integer> result = limiter.executeCompletionStage(
        () -> CompletableFuture.completedFuture(started.incrementAndGet())).toCompletableFuture();

    assertThat(started).hasValue(0);
    assertThat(sleeper.sleeps()).isEmpty();
    assertThat(scheduler.pendingDelays()).containsExactly(Duration.ofSeconds(1));
    scheduler.advance(Duration.ofSeconds(1));
    assertThat(result.join()).isEqualTo(1);
  }

  @Test
  void asyncCallRefusedIsAFailedStageAndNeverStarts() {
    RateLimiter limiter = limiter(config(1));
    limiter.tryAcquirePermission();
    AtomicInteger started = new AtomicInteger();

    CompletableFuture<Object> result = limiter.executeCompletionStage(() -> {
      started.incrementAndGet();
      return new CompletableFuture<>();
    }).toCompletableFuture();

    assertThat(result.handle((v, e) -> e).join()).isInstanceOf(RequestNotPermittedException.class);
    assertThat(started).hasValue(0);
  }

  @Test
  void cancellingAnAsyncCallBeforeItsStartPreventsTheStart() {
    RateLimiter limiter = limiter(config(1).timeoutDuration(Duration.ofSeconds(2)));
    limiter.tryAcquirePermission();
    AtomicInteger started = new AtomicInteger();

    CompletableFuture<Object> result = limiter.executeCompletionStage(() -> {
      started.incrementAndGet();
      return new CompletableFuture<>();
    }).toCompletableFuture();
    result.cancel(false);
    scheduler.advance(Duration.ofSeconds(5));

    assertThat(started).hasValue(0);
    assertThat(scheduler.pending()).isZero();
    assertThat(result.handle((v, e) -> e).join()).isInstanceOf(CancellationException.class);
  }

  @Test
  void cancellingAStartedAsyncCallCancelsItsStage() {
    RateLimiter limiter = limiter(config(1));
    CompletableFuture<String> source = new CompletableFuture<>();

    CompletableFuture<String> result = limiter.executeCompletionStage(() -> source).toCompletableFuture();
    result.cancel(true);

    assertThat(source).isCancelled();
  }

  @Test
  void asyncSupplierThatThrowsOrReturnsNullFailsTheStage() {
    RateLimiter limiter = limiter(config(2));
    IllegalStateException boom = new IllegalStateException("boom");

    assertThat(limiter.executeCompletionStage(() -> { throw boom; }).toCompletableFuture()
        .handle((v, e) -> e).join()).isSameAs(boom);
    assertThat(limiter.executeCompletionStage(() -> null).toCompletableFuture()
        .handle((v, e) -> e).join()).isInstanceOf(NullPointerException.class)
        .hasMessage("the supplier returned a null CompletionStage");
  }

  @Test
  void changedTimeoutAppliesToLaterRequestsAndShowsInTheConfig() {
    RateLimiter limiter = limiter(config(1));
    limiter.acquirePermission();

    limiter.changeTimeoutDuration(Duration.ofSeconds(1));
    limiter.acquirePermission();

    assertThat(limiter.config().timeoutDuration()).isEqualTo(Duration.ofSeconds(1));
    assertThat(sleeper.sleeps()).containsExactly(Duration.ofSeconds(1));
    assertThatThrownBy(() -> limiter.changeTimeoutDuration(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid RateLimiterConfig: timeoutDuration must not be negative, was PT-1S");
  }

  @Test
  void invalidLimitChangeIsRejectedAndChangesNothing() {
    RateLimiter limiter = limiter(config(3));

    assertThatThrownBy(() -> limiter.changeLimitForPeriod(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid RateLimiterConfig: limitForPeriod must be at least 1, was 0");
    assertThat(limiter.config().limitForPeriod()).isEqualTo(3);
    assertThat(limiter.tryAcquirePermission(3)).isTrue();
  }

  @Test
  void nameMustBePresentAndNotBlank() {
    assertThatThrownBy(() -> RateLimiter.of(null, RateLimiterConfig.ofDefaults()))
        .isInstanceOf(NullPointerException.class).hasMessage("name must not be null");
    assertThatThrownBy(() -> RateLimiter.of("", RateLimiterConfig.ofDefaults()))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("name must not be blank, was ''");
    assertThat(RateLimiter.ofDefaults("x")).hasToString("RateLimiter[x, FIXED_WINDOW 50/PT1S]");
  }
}
