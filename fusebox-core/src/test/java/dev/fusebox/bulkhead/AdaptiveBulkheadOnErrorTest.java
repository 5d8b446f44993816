package dev.fusebox.bulkhead;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fusebox.testing.ManualTicker;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** The manual report of a failed call: judged by dropWhen, as the call forms judge it. */
class AdaptiveBulkheadOnErrorTest {

  private final ManualTicker ticker = new ManualTicker();

  private AdaptiveBulkhead bulkhead(AdaptiveBulkheadConfig.Builder config) {
    return AdaptiveBulkhead.of("search", config
        .initialLimit(4).minLimit(1).maxLimit(10).sampleWindowSize(1).probeInterval(Duration.ZERO).ticker(ticker)
        .build());
  }

  @Test
  void aFailureTheConfigurationCallsADropIsADrop() {
    AdaptiveBulkhead bulkhead = bulkhead(AdaptiveBulkheadConfig.builder());
    bulkhead.tryAcquirePermission();

    bulkhead.onError(Duration.ofMillis(300).toNanos(), new TimeoutException("slow"));

    assertThat(bulkhead.metrics().totalDroppedCalls()).isEqualTo(1);
    assertThat(bulkhead.metrics().concurrentCalls()).isZero();
  }

  @Test
  void anyOtherFailureGivesThePermitBackWithoutASample() {
    AdaptiveBulkhead bulkhead = bulkhead(AdaptiveBulkheadConfig.builder());
    bulkhead.tryAcquirePermission();

    bulkhead.onError(Duration.ofMillis(3).toNanos(), new IllegalStateException("fast failure"));

    assertThat(bulkhead.metrics().totalDroppedCalls()).isZero();
    assertThat(bulkhead.metrics().latestRtt()).isEmpty();
    assertThat(bulkhead.metrics().concurrentCalls()).isZero();
  }

  @Test
  void aDropPredicateThatThrowsGivesThePermitBackAndPropagates() {
    IllegalStateException broken = new IllegalStateException("predicate");
    AdaptiveBulkhead bulkhead = bulkhead(AdaptiveBulkheadConfig.builder().dropWhen(e -> {
      throw broken;
    }));
    bulkhead.tryAcquirePermission();

    assertThatThrownBy(() -> bulkhead.onError(1, new RuntimeException("x"))).isSameAs(broken);
    assertThat(bulkhead.metrics().concurrentCalls()).isZero();
  }

  @Test
  void refusesANullError() {
    AdaptiveBulkhead bulkhead = bulkhead(AdaptiveBulkheadConfig.builder());

    assertThatThrownBy(() -> bulkhead.onError(1, null))
        .isInstanceOf(NullPointerException.class).hasMessage("error must not be null");
  }
}
