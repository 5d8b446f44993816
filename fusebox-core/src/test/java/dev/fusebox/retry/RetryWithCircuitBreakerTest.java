package dev.fusebox.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.fusebox.testing.ManualScheduler;
import dev.fusebox.testing.ManualSleeper;
import dev.fusebox.testing.ManualTicker;
import dev.fusebox.circuitbreaker.CallNotPermittedException;
import dev.fusebox.circuitbreaker.CircuitBreaker;
import dev.fusebox.circuitbreaker.CircuitBreakerConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A retry around a real circuit breaker: it retries what the breaker lets through and stops when it opens. */
class RetryWithCircuitBreakerTest {

  private final ManualTicker ticker = new ManualTicker();
  private final CircuitBreaker breaker = CircuitBreaker.of("backend", CircuitBreakerConfig.builder()
      .countBasedWindow(2)
      .minimumNumberOfCalls(2)
      .failureRateThreshold(50)
      .waitDurationInOpenState(Duration.ofMinutes(1))
      .ticker(ticker)
      .build());

  @Test
  void stopsRetryingAsSoonAsTheBreakerOpens() {
    List<RetryEvent> events = new ArrayList<>();
    Retry retry = Retry.of("backend", RetryConfig.builder().maxAttempts(5).ticker(ticker)
        .sleeper(new ManualSleeper(ticker)).build());
    retry.onEvent(events::add);
    AtomicInteger backendCalls = new AtomicInteger();

    Throwable thrown = catchThrowable(() -> retry.executeSupplier(breaker.decorateSupplier(() -> {
      backendCalls.incrementAndGet();
      throw new IllegalStateException("backend down");
    })));

    assertThat(backendCalls).hasValue(2);
    assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
    assertThat(thrown).isInstanceOf(CallNotPermittedException.class);
    assertThat(events).extracting(RetryEvent::type).containsExactly(
        RetryEvent.Type.RETRY, RetryEvent.Type.RETRY, RetryEvent.Type.IGNORED_ERROR);
    assertThat(((RetryEvent.IgnoredError) events.get(2)).attempts()).isEqualTo(3);
    assertThat(retry.metrics().numberOfFailedCallsWithRetryAttempt()).isEqualTo(1);
    assertThat(breaker.metrics().numberOfNotPermittedCalls()).isEqualTo(1);
  }

  @Test
  void eachAttemptOfARecoveredCallIsAnOutcomeForTheBreakerInside() {
    Retry retry = Retry.of("backend", RetryConfig.builder().ticker(ticker).sleeper(new ManualSleeper(ticker)).build());
    AtomicInteger backendCalls = new AtomicInteger();
    String result = retry.executeSupplier(breaker.decorateSupplier(() -> {
      if (backendCalls.incrementAndGet() == 1) {
        throw new IllegalStateException("blip");
      }
      return "ok";
    }));
    assertThat(result).isEqualTo("ok");
    assertThat(breaker.metrics().numberOfFailedCalls()).isEqualTo(1);
    assertThat(breaker.metrics().numberOfSuccessfulCalls()).isEqualTo(1);
  }

  @Test
  void anAsynchronousRetryStopsAtTheBreakersRejection() {
    ManualScheduler scheduler = new ManualScheduler(ticker);
    Retry retry = Retry.of("backend", RetryConfig.builder().maxAttempts(5).ticker(ticker).scheduler(scheduler).build());
    AtomicInteger backendCalls = new AtomicInteger();
    CompletionStage<String> stage = retry.executeCompletionStage(breaker.decorateCompletionStage(() -> {
      backendCalls.incrementAndGet();
      return CompletableFuture.failedFuture(new IllegalStateException("backend down"));
    }));
    scheduler.advance(Duration.ofSeconds(10));
    assertThat(backendCalls).hasValue(2);
    Throwable thrown = catchThrowable(() -> stage.toCompletableFuture().join());
    assertThat(thrown).isInstanceOf(CompletionException.class).hasCauseInstanceOf(CallNotPermittedException.class);
    assertThat(scheduler.pending()).isZero();
  }
}
