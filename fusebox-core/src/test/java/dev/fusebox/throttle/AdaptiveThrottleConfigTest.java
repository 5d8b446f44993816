package dev.fusebox.throttle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fusebox.Ticker;
import dev.fusebox.testing.ManualTicker;
import java.io.IOException;
import java.time.Duration;
import java.util.Random;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

class AdaptiveThrottleConfigTest {

  @Test
  void defaultsAreTheSreBooksTwoMinutesWithKTwoCappedAtNinetyPercent() {
    AdaptiveThrottleConfig config = AdaptiveThrottleConfig.ofDefaults();

    assertThat(config.k()).isEqualTo(2.0);
    assertThat(config.samplingWindow()).isEqualTo(Duration.ofMinutes(2));
    assertThat(config.maxRejectionProbability()).isEqualTo(0.9);
    assertThat(config.minimumNumberOfRequests()).isZero();
    assertThat(config.recordExceptions()).isEmpty();
    assertThat(config.ignoreExceptions()).isEmpty();
    assertThat(config.recordException()).isEmpty();
    assertThat(config.ignoreException()).isEmpty();
    assertThat(config.recordResult()).isEmpty();
    assertThat(config.random()).isEmpty();
    assertThat(config.ticker()).isSameAs(Ticker.coarse());
  }

  @Test
  void toBuilderKeepsEveryOption() {
    ManualTicker ticker = new ManualTicker();
    Random random = new Random(7);
    Predicate<Throwable> recordException = e -> e instanceof IOException;
    Predicate<Throwable> ignoreException = e -> e instanceof IllegalStateException;
    Predicate<Object> recordResult = r -> r == null;
    AdaptiveThrottleConfig config =
        AdaptiveThrottleConfig.builder()
            .k(1.5)
            .samplingWindow(Duration.ofSeconds(30))
            .maxRejectionProbability(0.8)
            .minimumNumberOfRequests(20)
            .recordExceptions(IOException.class)
            .ignoreExceptions(IllegalArgumentException.class)
            .recordException(recordException)
            .ignoreException(ignoreException)
            .recordResult(recordResult)
            .random(random)
            .ticker(ticker)
            .build();

    AdaptiveThrottleConfig copy = config.toBuilder().build();

    assertThat(copy.k()).isEqualTo(1.5);
    assertThat(copy.samplingWindow()).isEqualTo(Duration.ofSeconds(30));
    assertThat(copy.maxRejectionProbability()).isEqualTo(0.8);
    assertThat(copy.minimumNumberOfRequests()).isEqualTo(20);
    assertThat(copy.recordExceptions()).containsExactly(IOException.class);
    assertThat(copy.ignoreExceptions()).containsExactly(IllegalArgumentException.class);
    assertThat(copy.recordException()).containsSame(recordException);
    assertThat(copy.ignoreException()).containsSame(ignoreException);
    assertThat(copy.recordResult()).containsSame(recordResult);
    assertThat(copy.random()).containsSame(random);
    assertThat(copy.ticker()).isSameAs(ticker);
    assertThat(copy.toString())
        .startsWith("AdaptiveThrottleConfig{k=1.5, samplingWindow=PT30S, maxRejectionProbability=0.8, "
            + "minimumNumberOfRequests=20, recordExceptions=[java.io.IOException]");
  }

  @Test
  void kMustBeAFiniteNumberAboveZero() {
    assertThatThrownBy(() -> AdaptiveThrottleConfig.builder().k(0).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid AdaptiveThrottleConfig: k must be a finite number above 0, was 0.0");
    assertThatThrownBy(() -> AdaptiveThrottleConfig.builder().k(-1).build())
        .hasMessage("Invalid AdaptiveThrottleConfig: k must be a finite number above 0, was -1.0");
    assertThatThrownBy(() -> AdaptiveThrottleConfig.builder().k(Double.NaN).build())
        .hasMessage("Invalid AdaptiveThrottleConfig: k must be a finite number above 0, was NaN");
    assertThatThrownBy(() -> AdaptiveThrottleConfig.builder().k(Double.POSITIVE_INFINITY).build())
        .hasMessage("Invalid AdaptiveThrottleConfig: k must be a finite number above 0, was Infinity");
    assertThat(AdaptiveThrottleConfig.builder().k(0.01).build().k()).isEqualTo(0.01);
  }

  @Test
  void samplingWindowMustBePositiveAndFitNanos() {
    assertThatThrownBy(() -> AdaptiveThrottleConfig.builder().samplingWindow(Duration.ZERO).build())
        .hasMessage("Invalid AdaptiveThrottleConfig: samplingWindow must be positive, was PT0S");
    assertThatThrownBy(() -> AdaptiveThrottleConfig.builder().samplingWindow(Duration.ofSeconds(-1)).build())
        .hasMessage("Invalid AdaptiveThrottleConfig: samplingWindow must be positive, was PT-1S");
    assertThatThrownBy(() -> AdaptiveThrottleConfig.builder().samplingWindow(Duration.ofDays(300 * 365L)).build())
        .hasMessage("Invalid AdaptiveThrottleConfig: samplingWindow must be at most "
            + "PT2562047H47M16.854775807S, was PT2628000H");
    assertThat(AdaptiveThrottleConfig.builder().samplingWindow(Duration.ofNanos(1)).build().samplingWindow())
        .isEqualTo(Duration.ofNanos(1));
  }

  @Test
  void maxRejectionProbabilityMustBeAboveZeroAndAtMostOne() {
    assertThatThrownBy(() -> AdaptiveThrottleConfig.builder().maxRejectionProbability(0).build())
        .hasMessage("Invalid AdaptiveThrottleConfig: maxRejectionProbability must be in (0, 1], was 0.0");
    assertThatThrownBy(() -> AdaptiveThrottleConfig.builder().maxRejectionProbability(1.01).build())
        .hasMessage("Invalid AdaptiveThrottleConfig: maxRejectionProbability must be in (0, 1], was 1.01");
    assertThatThrownBy(() -> AdaptiveThrottleConfig.builder().maxRejectionProbability(Double.NaN).build())
        .hasMessage("Invalid AdaptiveThrottleConfig: maxRejectionProbability must be in (0, 1], was NaN");
    assertThat(AdaptiveThrottleConfig.builder().maxRejectionProbability(1).build().maxRejectionProbability())
        .isEqualTo(1.0);
  }

  @Test
  void minimumNumberOfRequestsMustNotBeNegative() {
    assertThatThrownBy(() -> AdaptiveThrottleConfig.builder().minimumNumberOfRequests(-1).build())
        .hasMessage("Invalid AdaptiveThrottleConfig: minimumNumberOfRequests must be at least 0, was -1");
  }

  @Test
  void everyViolationIsReportedAtOnce() {
    assertThatThrownBy(
            () -> AdaptiveThrottleConfig.builder()
                .k(0)
                .samplingWindow(Duration.ZERO)
                .maxRejectionProbability(2)
                .minimumNumberOfRequests(-3)
                .build())
        .hasMessage("Invalid AdaptiveThrottleConfig (4 problems): k must be a finite number above 0, was 0.0; "
            + "samplingWindow must be positive, was PT0S; maxRejectionProbability must be in (0, 1], was 2.0; "
            + "minimumNumberOfRequests must be at least 0, was -3");
  }

  @Test
  void nullsAreRefusedAtOnceNamingTheOption() {
    AdaptiveThrottleConfig.Builder b = AdaptiveThrottleConfig.builder();

    assertThatThrownBy(() -> b.samplingWindow(null)).isInstanceOf(NullPointerException.class)
        .hasMessage("samplingWindow must not be null");
    assertThatThrownBy(() -> b.recordException(null)).hasMessage("recordException predicate must not be null");
    assertThatThrownBy(() -> b.ignoreException(null)).hasMessage("ignoreException predicate must not be null");
    assertThatThrownBy(() -> b.recordResult(null)).hasMessage("recordResult predicate must not be null");
    assertThatThrownBy(() -> b.random(null)).hasMessage("random must not be null");
    assertThatThrownBy(() -> b.ticker(null)).hasMessage("ticker must not be null");
    assertThatThrownBy(() -> b.recordExceptions((Class<? extends Throwable>[]) null))
        .hasMessage("recordExceptions must not be null");
    assertThatThrownBy(() -> b.ignoreExceptions(IOException.class, null))
        .hasMessage("ignoreExceptions must not contain null");
  }
}
