package dev.fusebox.bulkhead;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fusebox.testing.ManualTicker;
import dev.fusebox.Ticker;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AdaptiveBulkheadConfigTest {

  @Test
  void defaultsAreDocumented() {
    AdaptiveBulkheadConfig config = AdaptiveBulkheadConfig.ofDefaults();

    assertThat(config.initialLimit()).isEqualTo(20);
    assertThat(config.minLimit()).isEqualTo(1);
    assertThat(config.maxLimit()).isEqualTo(200);
    assertThat(config.alpha()).isEqualTo(3.0);
    assertThat(config.beta()).isEqualTo(6.0);
    assertThat(config.backoffRatio()).isEqualTo(0.9);
    assertThat(config.sampleWindowSize()).isEqualTo(10);
    assertThat(config.probeInterval()).isEqualTo(Duration.ofSeconds(60));
    assertThat(config.ticker()).isSameAs(Ticker.system());
  }

  @Test
  void defaultDropsAreTimeoutsOnly() {
    Predicate<Throwable> drop = AdaptiveBulkheadConfig.ofDefaults().dropWhen();

    assertThat(drop.test(new TimeoutException())).isTrue();
    assertThat(drop.test(new SocketTimeoutException())).isTrue();
    assertThat(drop.test(new IOException())).isFalse();
    assertThat(drop.test(new IllegalStateException())).isFalse();
    assertThat(drop).hasToString("timeouts");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "minLimit 0 | 0 | 5 | 1 | 3 | 6 | 0.9 | 10 | minLimit must be at least 1, was 0",
        "maxLimit below minLimit | 5 | 4 | 5 | 3 | 6 | 0.9 | 10 | maxLimit must be at least minLimit 5, was 4",
        "initialLimit below minLimit | 2 | 10 | 1 | 3 | 6 | 0.9 | 10 | "
            + "initialLimit must be in [minLimit, maxLimit] = [2, 10], was 1",
        "initialLimit above maxLimit | 1 | 10 | 11 | 3 | 6 | 0.9 | 10 | "
            + "initialLimit must be in [minLimit, maxLimit] = [1, 10], was 11",
        "alpha 0 | 1 | 10 | 5 | 0 | 6 | 0.9 | 10 | alpha must be a finite number above 0, was 0.0",
        "alpha NaN | 1 | 10 | 5 | NaN | 6 | 0.9 | 10 | alpha must be a finite number above 0, was NaN",
        "beta equal to alpha | 1 | 10 | 5 | 3 | 3 | 0.9 | 10 | beta must be a finite number above alpha 3.0, was 3.0",
        "invalid alpha does not also blame beta | 1 | 10 | 5 | -1 | 2 | 0.9 | 10 | "
            + "alpha must be a finite number above 0, was -1.0",
        "beta infinite | 1 | 10 | 5 | 3 | Infinity | 0.9 | 10 | "
            + "beta must be a finite number above alpha 3.0, was Infinity",
        "backoffRatio 0 | 1 | 10 | 5 | 3 | 6 | 0 | 10 | backoffRatio must be in (0, 1), was 0.0",
        "backoffRatio 1 | 1 | 10 | 5 | 3 | 6 | 1 | 10 | backoffRatio must be in (0, 1), was 1.0",
        "sampleWindowSize 0 | 1 | 10 | 5 | 3 | 6 | 0.9 | 0 | sampleWindowSize must be at least 1, was 0",
      })
  void eachOutOfRangeOptionIsRejectedNamingOptionAndValue(
      String description,
      int minLimit,
      int maxLimit,
      int initialLimit,
      double alpha,
      double beta,
      double backoffRatio,
      int sampleWindowSize,
      String message) {
    AdaptiveBulkheadConfig.Builder builder = AdaptiveBulkheadConfig.builder()
        .minLimit(minLimit)
        .maxLimit(maxLimit)
        .initialLimit(initialLimit)
        .alpha(alpha)
        .beta(beta)
        .backoffRatio(backoffRatio)
        .sampleWindowSize(sampleWindowSize);

    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid AdaptiveBulkheadConfig: " + message);
  }

  @Test
  void probeIntervalMustNotBeNegativeNorOverflowNanos() {
    assertThatThrownBy(() -> AdaptiveBulkheadConfig.builder().probeInterval(Duration.ofSeconds(-1)).build())
        .hasMessage("Invalid AdaptiveBulkheadConfig: probeInterval must not be negative, was PT-1S");
    assertThatThrownBy(() -> AdaptiveBulkheadConfig.builder().probeInterval(Duration.ofDays(300 * 365L)).build())
        .hasMessage(
            "Invalid AdaptiveBulkheadConfig: probeInterval must be at most PT2562047H47M16.854775807S, was PT2628000H");
    assertThat(AdaptiveBulkheadConfig.builder().probeInterval(Duration.ZERO).build().probeInterval()).isZero();
  }

  @Test
  void everyViolationIsReportedInOneException() {
    assertThatThrownBy(
            () -> AdaptiveBulkheadConfig.builder().alpha(-1).backoffRatio(2).sampleWindowSize(-1).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Invalid AdaptiveBulkheadConfig (3 problems): alpha must be a finite number above 0, was -1.0; "
                + "backoffRatio must be in (0, 1), was 2.0; sampleWindowSize must be at least 1, was -1");
  }

  @Test
  void nullOptionsAreRejectedAtOnceNamingTheOption() {
    AdaptiveBulkheadConfig.Builder builder = AdaptiveBulkheadConfig.builder();

    assertThatThrownBy(() -> builder.probeInterval(null)).isInstanceOf(NullPointerException.class)
        .hasMessage("probeInterval must not be null");
    assertThatThrownBy(() -> builder.dropWhen(null)).isInstanceOf(NullPointerException.class)
        .hasMessage("dropWhen must not be null");
    assertThatThrownBy(() -> builder.ticker(null)).isInstanceOf(NullPointerException.class)
        .hasMessage("ticker must not be null");
  }

  @Test
  void toBuilderCopiesEveryOption() {
    ManualTicker ticker = new ManualTicker();
    Predicate<Throwable> drop = e -> true;
    AdaptiveBulkheadConfig config = AdaptiveBulkheadConfig.builder()
        .initialLimit(7).minLimit(2).maxLimit(30).alpha(1.5).beta(2.5).backoffRatio(0.5)
        .sampleWindowSize(4).probeInterval(Duration.ofSeconds(5)).dropWhen(drop).ticker(ticker)
        .build();

    AdaptiveBulkheadConfig copy = config.toBuilder().build();

    assertThat(copy).usingRecursiveComparison().isEqualTo(config);
    assertThat(copy.toString())
        .isEqualTo(config.toString())
        .startsWith("AdaptiveBulkheadConfig{initialLimit=7, minLimit=2, maxLimit=30, alpha=1.5, beta=2.5, "
            + "backoffRatio=0.5, sampleWindowSize=4, probeInterval=PT5S, dropWhen=");
  }
}
