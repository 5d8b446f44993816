package dev.fusebox.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fusebox.bulkhead.Bulkhead;
import dev.fusebox.bulkhead.BulkheadConfig;
import dev.fusebox.chaos.Chaos;
import dev.fusebox.chaos.ChaosConfig;
import dev.fusebox.circuitbreaker.CallNotPermittedException;
import dev.fusebox.circuitbreaker.CircuitBreaker;
import dev.fusebox.circuitbreaker.CircuitBreakerConfig;
import dev.fusebox.fallback.Fallback;
import dev.fusebox.fallback.FallbackConfig;
import dev.fusebox.ratelimiter.RateLimiter;
import dev.fusebox.ratelimiter.RateLimiterConfig;
import dev.fusebox.retry.Retry;
import dev.fusebox.retry.RetryConfig;
import dev.fusebox.testing.ManualScheduler;
import dev.fusebox.testing.ManualSleeper;
import dev.fusebox.testing.ManualTicker;
import dev.fusebox.throttle.AdaptiveThrottle;
import dev.fusebox.throttle.AdaptiveThrottleConfig;
import dev.fusebox.throttle.CallThrottledException;
import dev.fusebox.timelimiter.TimeLimiter;
import dev.fusebox.timelimiter.TimeLimiterConfig;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The composition order, checked by what each real policy saw. */
class PipelineTest {

  private final ManualTicker ticker = new ManualTicker();
  private final ManualSleeper sleeper = new ManualSleeper(ticker);
  private final ManualScheduler scheduler = new ManualScheduler(ticker);

  private static final class Down extends RuntimeException {
    Down() {
      super("down");
    }
  }

  private Retry retry(int attempts) {
    return Retry.of(
        "r",
        RetryConfig.builder()
            .maxAttempts(attempts)
            .waitDuration(Duration.ofMillis(10))
            .ticker(ticker)
            .sleeper(sleeper)
            .scheduler(scheduler)
            .build());
  }

  private CircuitBreaker breaker() {
    return CircuitBreaker.of(
        "cb", CircuitBreakerConfig.builder().ticker(ticker).countBasedWindow(100).build());
  }

  private RateLimiter limiter(int permits) {
    return RateLimiter.of(
        "rl",
        RateLimiterConfig.builder()
            .limitForPeriod(permits)
            .limitRefreshPeriod(Duration.ofHours(1))
            .ticker(ticker)
            .sleeper(sleeper)
            .build());
  }

  @Test
  void theStandardOrderWrapsFallbackRetryBreakerLimiterTimeLimiterBulkheadChaos() {
    Pipeline<String> pipeline =
        Pipeline.<String>builder("p")
            .chaos(Chaos.ofDefaults("ch"))
            .bulkhead(Bulkhead.ofDefaults("bh"))
            .timeLimiter(TimeLimiter.ofDefaults("tl"))
            .rateLimiter(RateLimiter.ofDefaults("rl"))
            .circuitBreaker(breaker())
            .retry(retry(3))
            .fallback(Fallback.<String>ofDefaults("fb"))
            .build();
    assertThat(pipeline.layers())
        .containsExactly(
            "fallback 'fb'",
            "retry 'r'",
            "circuitBreaker 'cb'",
            "rateLimiter 'rl'",
            "timeLimiter 'tl'",
            "bulkhead 'bh'",
            "chaos 'ch'");
    assertThat(pipeline.order()).isEqualTo(Pipeline.Order.STANDARD);
  }

  @Test
  void retryInsideTheBreakerSwapsThoseTwoOnly() {
    Pipeline<String> pipeline =
        Pipeline.<String>builder("p")
            .retry(retry(3))
            .circuitBreaker(breaker())
            .bulkhead(Bulkhead.ofDefaults("bh"))
            .order(Pipeline.Order.RETRY_INSIDE_CIRCUIT_BREAKER)
            .build();
    assertThat(pipeline.layers()).containsExactly("circuitBreaker 'cb'", "retry 'r'", "bulkhead 'bh'");
  }

  @Test
  void inTheStandardOrderTheBreakerSeesEveryAttempt() {
    CircuitBreaker breaker = breaker();
    Pipeline<String> pipeline = Pipeline.<String>builder("p").retry(retry(3)).circuitBreaker(breaker).build();
    assertThatThrownBy(() -> pipeline.executeSupplier(() -> { throw new Down(); })).isInstanceOf(Down.class);
    assertThat(breaker.metrics().numberOfFailedCalls()).isEqualTo(3);
    assertThat(sleeper.sleeps()).hasSize(2);
  }

  @Test
  void withTheRetryInsideTheBreakerSeesOneOutcomePerCall() {
    CircuitBreaker breaker = breaker();
    Pipeline<String> pipeline =
        Pipeline.<String>builder("p")
            .retry(retry(3))
            .circuitBreaker(breaker)
            .order(Pipeline.Order.RETRY_INSIDE_CIRCUIT_BREAKER)
            .build();
    assertThatThrownBy(() -> pipeline.executeSupplier(() -> { throw new Down(); })).isInstanceOf(Down.class);
    assertThat(breaker.metrics().numberOfFailedCalls()).isEqualTo(1);
    AtomicInteger attempts = new AtomicInteger();
    String value =
        pipeline.executeSupplier(() -> {
          if (attempts.incrementAndGet() < 3) {
            throw new Down();
          }
          return "third time lucky";
        });
    assertThat(value).isEqualTo("third time lucky");
    assertThat(breaker.metrics().numberOfSuccessfulCalls()).isEqualTo(1);
    assertThat(breaker.metrics().numberOfFailedCalls()).isEqualTo(1);
  }

  @Test
  void aRejectionByTheBreakerIsNeverRetriedAndTheFallbackAnswersIt() {
    CircuitBreaker breaker = breaker();
    breaker.transitionToOpenState();
    AtomicInteger calls = new AtomicInteger();
    Pipeline<String> pipeline =
        Pipeline.<String>builder("p")
            .fallback(Fallback.of("fb", FallbackConfig.<String>builder().fallbackValue("cached").build()))
            .retry(retry(5))
            .circuitBreaker(breaker)
            .build();
    assertThat(pipeline.executeSupplier(() -> "live " + calls.incrementAndGet())).isEqualTo("cached");
    assertThat(calls).hasValue(0);
    assertThat(sleeper.sleeps()).isEmpty();
    assertThat(breaker.metrics().numberOfNotPermittedCalls()).isEqualTo(1);
  }

  @Test
  void withoutAFallbackTheCallerGetsItsOwnExceptionOrTheRejection() {
    CircuitBreaker breaker = breaker();
    Pipeline<String> pipeline = Pipeline.<String>builder("p").retry(retry(2)).circuitBreaker(breaker).build();
    Down down = new Down();
    assertThatThrownBy(() -> pipeline.executeSupplier(() -> { throw down; })).isSameAs(down);
    breaker.transitionToForcedOpenState();
    assertThatThrownBy(() -> pipeline.executeSupplier(() -> "x")).isInstanceOf(CallNotPermittedException.class);
  }

  @Test
  void eachAttemptSpendsARateLimiterPermitOnlyIfTheBreakerLetItThrough() {
    RateLimiter limiter = limiter(10);
    CircuitBreaker breaker = breaker();
    Pipeline<String> pipeline =
        Pipeline.<String>builder("p").retry(retry(3)).circuitBreaker(breaker).rateLimiter(limiter).build();
    assertThatThrownBy(() -> pipeline.executeSupplier(() -> { throw new Down(); })).isInstanceOf(Down.class);
    assertThat(limiter.metrics().availablePermissions()).isEqualTo(7);
    breaker.transitionToForcedOpenState();
    assertThatThrownBy(() -> pipeline.executeSupplier(() -> "x")).isInstanceOf(CallNotPermittedException.class);
    assertThat(limiter.metrics().availablePermissions()).isEqualTo(7);
  }

  private AdaptiveThrottle throttle(double draw) {
    return AdaptiveThrottle.of(
        "at", AdaptiveThrottleConfig.builder().ticker(ticker).random(new FixedDraw(draw)).build());
  }

  /** A random source whose every draw is the same: 0.0 rejects whenever the probability is above zero. */
  private static final class FixedDraw extends Random {
    private final double draw;

    FixedDraw(double draw) {
      this.draw = draw;
    }

    @Override
    public double nextDouble() {
      return draw;
    }
  }

  @Test
  void theAdaptiveThrottleSitsInsideTheBreakerAndOutsideTheRateLimiter() {
    Pipeline<String> pipeline =
        Pipeline.<String>builder("p")
            .rateLimiter(RateLimiter.ofDefaults("rl"))
            .policy(throttle(0.5))
            .circuitBreaker(breaker())
            .retry(retry(3))
            .build();
    Pipeline<String> retryInside =
        Pipeline.<String>builder("p")
            .adaptiveThrottle(throttle(0.5))
            .retry(retry(3))
            .circuitBreaker(breaker())
            .order(Pipeline.Order.RETRY_INSIDE_CIRCUIT_BREAKER)
            .build();

    assertThat(pipeline.layers())
        .containsExactly("retry 'r'", "circuitBreaker 'cb'", "adaptiveThrottle 'at'", "rateLimiter 'rl'");
    assertThat(retryInside.layers()).containsExactly("circuitBreaker 'cb'", "retry 'r'", "adaptiveThrottle 'at'");
    assertThatThrownBy(() -> Pipeline.<String>builder("p").adaptiveThrottle(throttle(0.5)).policy(throttle(0.5)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("a pipeline has at most one adaptiveThrottle; it was already set");
  }

  @Test
  void theThrottleJudgesEveryAttemptAndAnAttemptItShedsSpendsNoPermit() {
    AdaptiveThrottle throttle = throttle(0.0);
    RateLimiter limiter = limiter(10);
    Pipeline<String> pipeline =
        Pipeline.<String>builder("p").retry(retry(3)).circuitBreaker(breaker()).adaptiveThrottle(throttle)
            .rateLimiter(limiter).build();
    AtomicInteger calls = new AtomicInteger();

    // The first attempt fails; from then on p > 0 and every draw of 0.0 sheds: the retry's next attempt is
    // rejected by the throttle, never reaches the limiter, and ends the call: a shed is never retried.
    assertThatThrownBy(() -> pipeline.executeSupplier(() -> {
      calls.incrementAndGet();
      throw new Down();
    })).isInstanceOf(CallThrottledException.class);

    assertThat(calls).hasValue(1);
    assertThat(throttle.metrics().totalFailedRequests()).isEqualTo(1);
    assertThat(throttle.metrics().totalRejectedRequests()).isEqualTo(1);
    assertThat(limiter.metrics().availablePermissions()).isEqualTo(9);
  }

  @Test
  void aBreakerOutsideCountsTheThrottlesRejectionsUnlessToldToIgnoreThemAndARetryNeverRetriesThem() {
    CircuitBreaker plain = breaker();
    Pipeline<String> seeing = Pipeline.<String>builder("p").retry(retry(3)).circuitBreaker(plain)
        .adaptiveThrottle(throttle(0.0)).build();
    CircuitBreaker ignoring = CircuitBreaker.of("cb", CircuitBreakerConfig.builder().ticker(ticker)
        .countBasedWindow(100).ignoreExceptions(CallThrottledException.class).build());
    Pipeline<String> told = Pipeline.<String>builder("p").retry(retry(3)).circuitBreaker(ignoring)
        .adaptiveThrottle(throttle(0.0)).build();
    Supplier<String> down = () -> { throw new Down(); };

    // The first attempt fails; the second finds p = 1/2 and draws 0.0, so it is shed.
    assertThatThrownBy(() -> seeing.executeSupplier(down)).isInstanceOf(CallThrottledException.class);
    assertThatThrownBy(() -> told.executeSupplier(down)).isInstanceOf(CallThrottledException.class);

    // Shedding exists to take load off the backend: a retry that tried again would put it straight back.
    assertThat(plain.metrics().numberOfFailedCalls()).isEqualTo(2); // the failure and the rejection, not retried
    assertThat(ignoring.metrics().numberOfFailedCalls()).isEqualTo(1); // the failure only
    assertThat(sleeper.sleeps()).hasSize(2); // one retry (after the failure) in each pipeline
  }

  @Test
  void aRefusalOfTheRateLimiterInsideTheThrottleCountsForNothingInIt() {
    AdaptiveThrottle throttle = throttle(0.0);
    RateLimiter limiter = limiter(1);
    Pipeline<String> pipeline = Pipeline.<String>builder("p").adaptiveThrottle(throttle).rateLimiter(limiter).build();

    assertThat(pipeline.executeSupplier(() -> "sent")).isEqualTo("sent");
    assertThatThrownBy(() -> pipeline.executeSupplier(() -> "never sent"))
        .isInstanceOf(dev.fusebox.ratelimiter.RequestNotPermittedException.class);

    assertThat(throttle.metrics().totalRequests()).isEqualTo(1);
    assertThat(throttle.metrics().totalIgnoredCalls()).isEqualTo(1);
    assertThat(throttle.metrics().rejectionProbability()).isZero();
  }

  @Test
  void chaosSitsRightAroundTheCallSoEveryLayerReactsToIt() {
    CircuitBreaker breaker = breaker();
    Chaos chaos = Chaos.of("ch", ChaosConfig.builder().build());
    chaos.update(settings -> settings.outage());
    AtomicInteger calls = new AtomicInteger();
    Pipeline<String> pipeline =
        Pipeline.<String>builder("p").retry(retry(3)).circuitBreaker(breaker).chaos(chaos).build();
    assertThatThrownBy(() -> pipeline.executeSupplier(() -> "real " + calls.incrementAndGet()));
    assertThat(calls).hasValue(0);
    assertThat(breaker.metrics().numberOfFailedCalls()).isEqualTo(3);
  }

  @Test
  void theBulkheadHoldsItsSlotOnlyWhileTheCallRuns() {
    Bulkhead bulkhead = Bulkhead.of("bh", BulkheadConfig.builder().maxConcurrentCalls(1).build());
    Pipeline<String> pipeline = Pipeline.<String>builder("p").retry(retry(2)).bulkhead(bulkhead).build();
    List<Integer> availableDuringCall = new java.util.ArrayList<>();
    pipeline.executeSupplier(() -> {
      availableDuringCall.add(bulkhead.metrics().availableConcurrentCalls());
      return "ok";
    });
    assertThat(availableDuringCall).containsExactly(0);
    assertThat(bulkhead.metrics().availableConcurrentCalls()).isEqualTo(1);
  }

  @Test
  void decoratedOnceEveryFormRunsThroughTheStackOnEveryCall() throws Exception {
    CircuitBreaker breaker = breaker();
    Pipeline<String> pipeline = Pipeline.<String>builder("p").retry(retry(2)).circuitBreaker(breaker).build();
    Supplier<String> supplier = pipeline.decorateSupplier(() -> "s");
    Callable<String> callable = pipeline.decorateCallable(() -> "c");
    Function<Integer, String> function = pipeline.decorateFunction(i -> "f" + i);
    Runnable runnable = pipeline.decorateRunnable(() -> { });
    Supplier<CompletionStage<String>> async =
        pipeline.decorateCompletionStage(() -> CompletableFuture.completedFuture("a"));
    for (int i = 0; i < 3; i++) {
      assertThat(supplier.get()).isEqualTo("s");
      assertThat(callable.call()).isEqualTo("c");
      assertThat(function.apply(i)).isEqualTo("f" + i);
      runnable.run();
      assertThat(async.get().toCompletableFuture().join()).isEqualTo("a");
    }
    assertThat(breaker.metrics().numberOfSuccessfulCalls()).isEqualTo(15);
  }

  @Test
  void aCheckedExceptionOfACallableComesBackUnchanged() {
    Pipeline<String> pipeline = Pipeline.<String>builder("p").retry(retry(2)).circuitBreaker(breaker()).build();
    IOException io = new IOException("disk");
    assertThatThrownBy(() -> pipeline.executeCallable(() -> { throw io; })).isSameAs(io);
  }

  @Test
  void anAsynchronousCallIsRetriedOnTheSchedulerAndTimedOutPerAttempt() {
    CircuitBreaker breaker = breaker();
    TimeLimiter limiter =
        TimeLimiter.of(
            "tl", TimeLimiterConfig.builder().timeoutDuration(Duration.ofSeconds(1)).scheduler(scheduler).build());
    Pipeline<String> pipeline =
        Pipeline.<String>builder("p").retry(retry(2)).circuitBreaker(breaker).timeLimiter(limiter).build();
    AtomicInteger attempts = new AtomicInteger();
    CompletionStage<String> stage =
        pipeline.executeCompletionStage(() -> {
          attempts.incrementAndGet();
          return new CompletableFuture<String>();
        });
    scheduler.advance(Duration.ofSeconds(1));
    scheduler.advance(Duration.ofMillis(10));
    assertThat(attempts).hasValue(2);
    scheduler.advance(Duration.ofSeconds(1));
    assertThat(stage.toCompletableFuture().handle((v, e) -> e).join()).isInstanceOf(TimeoutException.class);
    assertThat(breaker.metrics().numberOfFailedCalls()).isEqualTo(2);
  }

  @Test
  void eachPolicyAtMostOnceAndNullsNamed() {
    Pipeline.Builder<String> builder = Pipeline.<String>builder("p").retry(retry(2));
    assertThatThrownBy(() -> builder.retry(retry(2)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("a pipeline has at most one retry; it was already set");
    builder.bulkhead(Bulkhead.ofDefaults("b"));
    assertThatThrownBy(() -> builder.bulkhead(Bulkhead.ofDefaults("c"))).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> builder.circuitBreaker(null)).isInstanceOf(NullPointerException.class)
        .hasMessage("circuitBreaker must not be null");
    assertThatThrownBy(() -> Pipeline.builder(" ")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> builder.build().decorateSupplier(null)).hasMessage("supplier must not be null");
  }

  @Test
  void anEmptyPipelineJustRunsTheCall() {
    assertThat(Pipeline.<String>builder("empty").build().executeSupplier(() -> "x")).isEqualTo("x");
  }
}
