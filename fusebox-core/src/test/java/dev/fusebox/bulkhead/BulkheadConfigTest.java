package dev.fusebox.bulkhead;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fusebox.testing.ManualTicker;
import dev.fusebox.Ticker;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class BulkheadConfigTest {

  @Test
  void defaultsAreTwentyFiveConcurrentCallsWithoutWaiting() {
    BulkheadConfig config = BulkheadConfig.ofDefaults();

    assertThat(config.maxConcurrentCalls()).isEqualTo(25);
    assertThat(config.maxWaitDuration()).isEqualTo(Duration.ZERO);
    assertThat(config.ticker()).isSameAs(Ticker.system());
    assertThat(config.parker()).isSameAs(BulkheadConfig.Parker.system());
    assertThat(BulkheadConfig.builder().build()).usingRecursiveComparison().isEqualTo(config);
  }

  @Test
  void maxConcurrentCallsBelowOneIsRejectedNamingOptionAndValue() {
    assertThatThrownBy(() -> BulkheadConfig.builder().maxConcurrentCalls(0).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid BulkheadConfig: maxConcurrentCalls must be at least 1, was 0");
  }

  @Test
  void negativeMaxWaitDurationIsRejectedNamingOptionAndValue() {
    assertThatThrownBy(() -> BulkheadConfig.builder().maxWaitDuration(Duration.ofMillis(-1)).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid BulkheadConfig: maxWaitDuration must not be negative, was PT-0.001S");
  }

  @Test
  void maxWaitDurationThatDoesNotFitLongNanosIsRejected() {
    assertThatThrownBy(() -> BulkheadConfig.builder().maxWaitDuration(Duration.ofDays(300 * 365L)).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxWaitDuration must be at most PT2562047H47M16.854775807S, was PT2628000H");
  }

  @Test
  void everyViolationIsReportedInOneException() {
    assertThatThrownBy(
            () -> BulkheadConfig.builder().maxConcurrentCalls(-3).maxWaitDuration(Duration.ofSeconds(-1)).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Invalid BulkheadConfig (2 problems): maxConcurrentCalls must be at least 1, was -3; "
                + "maxWaitDuration must not be negative, was PT-1S");
  }

  @Test
  void nullOptionsAreRejectedAtOnceNamingTheOption() {
    BulkheadConfig.Builder builder = BulkheadConfig.builder();

    assertThatThrownBy(() -> builder.maxWaitDuration(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("maxWaitDuration must not be null");
    assertThatThrownBy(() -> builder.ticker(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("ticker must not be null");
    assertThatThrownBy(() -> builder.parker(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("parker must not be null");
  }

  @Test
  void toBuilderCopiesEveryOption() {
    ManualTicker ticker = new ManualTicker();
    BulkheadConfig.Parker parker = (blocker, nanos) -> ticker.advanceNanos(nanos);
    BulkheadConfig config =
        BulkheadConfig.builder()
            .maxConcurrentCalls(3)
            .maxWaitDuration(Duration.ofMillis(20))
            .ticker(ticker)
            .parker(parker)
            .build();

    BulkheadConfig copy = config.toBuilder().build();

    assertThat(copy.maxConcurrentCalls()).isEqualTo(3);
    assertThat(copy.maxWaitDuration()).isEqualTo(Duration.ofMillis(20));
    assertThat(copy.ticker()).isSameAs(ticker);
    assertThat(copy.parker()).isSameAs(parker);
    assertThat(config.toBuilder().maxConcurrentCalls(7).build().maxConcurrentCalls()).isEqualTo(7);
    assertThat(config.maxConcurrentCalls()).isEqualTo(3);
  }

  @Test
  void toStringShowsEveryOption() {
    assertThat(BulkheadConfig.ofDefaults().toString())
        .isEqualTo(
            "BulkheadConfig{maxConcurrentCalls=25, maxWaitDuration=PT0S, ticker=Ticker.system(), "
                + "parker=Parker.system()}");
  }
}
