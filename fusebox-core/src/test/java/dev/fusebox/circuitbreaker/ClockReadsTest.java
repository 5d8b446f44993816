package dev.fusebox.circuitbreaker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusebox.Ticker;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The call path reads the clock only as often as the features switched on need. */
class ClockReadsTest {

  /** A ticker that counts its readings. */
  private static final class CountingTicker implements Ticker {
    final AtomicInteger reads = new AtomicInteger();

    @Override
    public long nanos() {
      reads.incrementAndGet();
      return 0;
    }
  }

  private int readsPerSuccessfulCall(CircuitBreakerConfig.Builder builder) {
    CountingTicker ticker = new CountingTicker();
    CircuitBreaker breaker = CircuitBreaker.of("clock", builder.ticker(ticker).build());
    breaker.executeSupplier(() -> "warm");
    int before = ticker.reads.get();
    for (int i = 0; i < 10; i++) {
      breaker.executeSupplier(() -> "ok");
    }
    return (ticker.reads.get() - before) / 10;
  }

  @Test
  void aCountWindowWithoutSlowCallDetectionReadsNoClockAtAll() {
    assertThat(readsPerSuccessfulCall(CircuitBreakerConfig.builder().slowCallDetection(false))).isZero();
  }

  @Test
  void slowCallDetectionReadsTheClockTwice() {
    assertThat(readsPerSuccessfulCall(CircuitBreakerConfig.builder())).isEqualTo(2);
  }

  @Test
  void aTimeWindowWithoutSlowCallDetectionReadsTheClockOnce() {
    assertThat(
            readsPerSuccessfulCall(
                CircuitBreakerConfig.builder().timeBasedWindow(Duration.ofSeconds(10)).slowCallDetection(false)))
        .isEqualTo(1);
  }

  @Test
  void aTimeWindowWithSlowCallDetectionStillReadsTheClockOnlyTwice() {
    assertThat(readsPerSuccessfulCall(CircuitBreakerConfig.builder().timeBasedWindow(Duration.ofSeconds(10))))
        .isEqualTo(2);
  }

  @Test
  void anOpenBreakerReadsTheClockOncePerRejection() {
    CountingTicker ticker = new CountingTicker();
    CircuitBreaker breaker = CircuitBreaker.of("clock", CircuitBreakerConfig.builder().ticker(ticker).build());
    breaker.transitionToOpenState();
    int before = ticker.reads.get();
    for (int i = 0; i < 10; i++) {
      assertThat(breaker.tryAcquirePermission()).isFalse();
    }
    assertThat(ticker.reads.get() - before).isEqualTo(10);
  }

  @Test
  void aForcedOpenBreakerRejectsWithoutReadingTheClock() {
    CountingTicker ticker = new CountingTicker();
    CircuitBreaker breaker = CircuitBreaker.of("clock", CircuitBreakerConfig.builder().ticker(ticker).build());
    breaker.transitionToForcedOpenState();
    int before = ticker.reads.get();
    for (int i = 0; i < 10; i++) {
      assertThat(breaker.tryAcquirePermission()).isFalse();
    }
    assertThat(ticker.reads.get()).isEqualTo(before);
  }
}
