package dev.fusebox.timelimiter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.fusebox.testing.ManualScheduler;
import dev.fusebox.testing.ManualTicker;
import dev.fusebox.circuitbreaker.CallNotPermittedException;
import dev.fusebox.circuitbreaker.CircuitBreaker;
import dev.fusebox.circuitbreaker.CircuitBreakerConfig;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A timed-out call is a failure for a real circuit breaker wrapped around the time limiter. */
class TimeLimiterWithCircuitBreakerTest {

  private final ManualTicker ticker = new ManualTicker();
  private final ManualScheduler scheduler = new ManualScheduler(ticker);
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final CircuitBreaker breaker = CircuitBreaker.of("slow-backend", CircuitBreakerConfig.builder()
      .countBasedWindow(2)
      .minimumNumberOfCalls(2)
      .failureRateThreshold(100)
      .slowCallDetection(false)
      .ticker(ticker)
      .build());

  @AfterEach
  void stopThreads() {
    threads.shutdownNow();
  }

  @Test
  void blockingTimeoutsOpenTheBreaker() throws Exception {
    TimeLimiter limiter = TimeLimiter.of("slow-backend",
        TimeLimiterConfig.builder().scheduler(scheduler).executor(threads).build());
    for (int call = 1; call <= 2; call++) {
      CountDownLatch started = new CountDownLatch(1);
      Callable<String> hanging = () -> {
        started.countDown();
        new CountDownLatch(1).await();
        return "never";
      };
      Future<Throwable> outcome =
          threads.submit(() -> catchThrowable(() -> breaker.executeCallable(limiter.decorateCallable(hanging))));
      assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
      scheduler.advance(Duration.ofSeconds(1));
      assertThat(outcome.get(30, TimeUnit.SECONDS)).isInstanceOf(TimeoutException.class);
    }
    assertThat(breaker.metrics().numberOfFailedCalls()).isEqualTo(2);
    assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
    assertThat(catchThrowable(() -> breaker.executeCallable(limiter.decorateCallable(() -> "fast"))))
        .isInstanceOf(CallNotPermittedException.class);
  }

  @Test
  void asynchronousTimeoutsOpenTheBreaker() {
    TimeLimiter limiter = TimeLimiter.of("slow-backend", TimeLimiterConfig.builder().scheduler(scheduler).build());
    for (int call = 1; call <= 2; call++) {
      CompletionStage<String> stage =
          breaker.executeCompletionStage(limiter.decorateCompletionStage(CompletableFuture::new));
      scheduler.advance(Duration.ofSeconds(1));
      assertThat(catchThrowable(() -> stage.toCompletableFuture().join()))
          .isInstanceOf(CompletionException.class).hasCauseInstanceOf(TimeoutException.class);
    }
    assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
    assertThat(limiter.metrics().numberOfTimedOutCalls()).isEqualTo(2);
  }
}
