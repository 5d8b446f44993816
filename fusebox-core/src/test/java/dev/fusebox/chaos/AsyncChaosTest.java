package dev.fusebox.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.fusebox.testing.ManualScheduler;
import dev.fusebox.testing.ManualTicker;
import dev.fusebox.timelimiter.TimeLimiter;
import dev.fusebox.timelimiter.TimeLimiterConfig;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class AsyncChaosTest {

  private final ManualScheduler scheduler = new ManualScheduler(new ManualTicker());
  private final AtomicInteger realCalls = new AtomicInteger();
  private final Supplier<CompletionStage<String>> real =
      () -> CompletableFuture.completedFuture("real " + realCalls.incrementAndGet());

  private Chaos chaos(ChaosConfig.Builder config) {
    return Chaos.of("async", config.scheduler(scheduler).sleeper(nanos -> {
      throw new AssertionError("an asynchronous call must never sleep");
    }).build());
  }

  private static Throwable failureOf(CompletionStage<?> stage) {
    Throwable thrown = catchThrowable(() -> stage.toCompletableFuture().join());
    assertThat(thrown).isInstanceOf(CompletionException.class);
    return thrown.getCause();
  }

  @Test
  void delaysTheStartOfTheCallOnTheScheduler() {
    Chaos chaos = chaos(ChaosConfig.builder().latencyRate(1).latency(Duration.ofMillis(400)));
    CompletionStage<String> stage = chaos.executeCompletionStage(real);
    assertThat(realCalls).hasValue(0);
    assertThat(scheduler.pendingDelays()).containsExactly(Duration.ofMillis(400));
    scheduler.advance(Duration.ofMillis(399));
    assertThat(stage.toCompletableFuture()).isNotDone();
    scheduler.advance(Duration.ofMillis(1));
    assertThat(stage.toCompletableFuture()).isCompletedWithValue("real 1");
    assertThat(chaos.metrics().numberOfInjectedLatencies()).isEqualTo(1);
  }

  @Test
  void aFaultFailsTheStageWithoutStartingTheCall() {
    Chaos chaos = chaos(ChaosConfig.builder().faultRate(1));
    assertThat(failureOf(chaos.executeCompletionStage(real))).isInstanceOf(InjectedFaultException.class);
    assertThat(realCalls).hasValue(0);
  }

  @Test
  void aResultAnswersTheStageWithoutStartingTheCall() {
    Chaos chaos = chaos(ChaosConfig.builder().resultRate(1).result(() -> "HTTP 503"));
    assertThat(chaos.decorateCompletionStage(real).get().toCompletableFuture()).isCompletedWithValue("HTTP 503");
    assertThat(realCalls).hasValue(0);
  }

  @Test
  void aDelayedFaultFailsAfterTheLatency() {
    Chaos chaos = chaos(ChaosConfig.builder().latencyRate(1).latency(Duration.ofSeconds(1)).faultRate(1));
    CompletionStage<String> stage = chaos.executeCompletionStage(real);
    assertThat(stage.toCompletableFuture()).isNotDone();
    scheduler.advance(Duration.ofSeconds(1));
    assertThat(failureOf(stage)).isInstanceOf(InjectedFaultException.class);
  }

  @Test
  void cancellingDuringTheLatencyMeansTheCallNeverStarts() {
    Chaos chaos = chaos(ChaosConfig.builder().latencyRate(1).latency(Duration.ofSeconds(1)));
    CompletionStage<String> stage = chaos.executeCompletionStage(real);
    stage.toCompletableFuture().cancel(true);
    assertThat(scheduler.pending()).isZero();
    scheduler.advance(Duration.ofSeconds(5));
    assertThat(realCalls).hasValue(0);
  }

  @Test
  void aDisabledPolicyStartsTheCallAtOnce() {
    Chaos chaos = chaos(ChaosConfig.builder().enabled(false).faultRate(1));
    assertThat(chaos.executeCompletionStage(real).toCompletableFuture()).isCompletedWithValue("real 1");
  }

  @Test
  void aSupplierThatThrowsOrReturnsNullYieldsAFailedStage() {
    Chaos chaos = chaos(ChaosConfig.builder());
    IllegalStateException boom = new IllegalStateException();
    assertThat(failureOf(chaos.executeCompletionStage(() -> {
      throw boom;
    }))).isSameAs(boom);
    assertThat(failureOf(chaos.executeCompletionStage(() -> null))).isInstanceOf(NullPointerException.class);
  }

  @Test
  void aTimeLimiterAroundASlowedDownCallTimesOut() {
    Chaos chaos = chaos(ChaosConfig.builder());
    chaos.update(s -> s.slowdown(Duration.ofSeconds(5)));
    TimeLimiter limiter = TimeLimiter.of("guard", TimeLimiterConfig.builder()
        .timeoutDuration(Duration.ofSeconds(1)).scheduler(scheduler).build());
    CompletionStage<String> stage = limiter.executeCompletionStage(chaos.decorateCompletionStage(real));
    scheduler.advance(Duration.ofSeconds(1));
    assertThat(failureOf(stage)).isInstanceOf(TimeoutException.class);
    scheduler.advance(Duration.ofSeconds(10));
    assertThat(realCalls).hasValue(0);
  }
}
