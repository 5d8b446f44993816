package dev.fusebox.circuitbreaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fusebox.testing.ManualTicker;
import dev.fusebox.Ticker;
import java.io.IOException;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CircuitBreakerConfigTest {

  @Test
  void defaultsAreTheDocumentedOnes() {
    CircuitBreakerConfig config = CircuitBreakerConfig.ofDefaults();
    assertThat(config.windowType()).isEqualTo(CircuitBreakerConfig.WindowType.COUNT_BASED);
    assertThat(config.windowSize()).isEqualTo(100);
    assertThat(config.windowSpan()).isEqualTo(Duration.ZERO);
    assertThat(config.minimumNumberOfCalls()).isEqualTo(100);
    assertThat(config.failureRateThreshold()).isEqualTo(50.0);
    assertThat(config.slowCallRateThreshold()).isEqualTo(100.0);
    assertThat(config.slowCallDurationThreshold()).isEqualTo(Duration.ofSeconds(60));
    assertThat(config.slowCallDetection()).isTrue();
    assertThat(config.consecutiveFailureThreshold()).isZero();
    assertThat(config.waitDurationInOpenState()).isEqualTo(Duration.ofSeconds(60));
    assertThat(config.openStateBackoffMultiplier()).isEqualTo(1.0);
    assertThat(config.openStateBackoffMax()).isEqualTo(Duration.ofSeconds(60));
    assertThat(config.openStateJitter()).isZero();
    assertThat(config.permittedNumberOfCallsInHalfOpenState()).isEqualTo(10);
    assertThat(config.maxWaitDurationInHalfOpenState()).isEqualTo(Duration.ZERO);
    assertThat(config.recoveryRamp()).isEqualTo(Duration.ZERO);
    assertThat(config.recordExceptions()).isEmpty();
    assertThat(config.ignoreExceptions()).isEmpty();
    assertThat(config.recordException()).isEmpty();
    assertThat(config.ignoreException()).isEmpty();
    assertThat(config.recordResult()).isEmpty();
    assertThat(config.ticker()).isSameAs(Ticker.coarse());
  }

  @Test
  void ofDefaultsEqualsAFreshBuilder() {
    assertThat(CircuitBreakerConfig.builder().build().toString())
        .isEqualTo(CircuitBreakerConfig.ofDefaults().toString());
  }

  @Test
  void minimumNumberOfCallsDefaultsToASmallerCountWindowsSize() {
    assertThat(CircuitBreakerConfig.builder().countBasedWindow(20).build().minimumNumberOfCalls()).isEqualTo(20);
    assertThat(CircuitBreakerConfig.builder().countBasedWindow(500).build().minimumNumberOfCalls()).isEqualTo(100);
    assertThat(
            CircuitBreakerConfig.builder().timeBasedWindow(Duration.ofSeconds(10)).build().minimumNumberOfCalls())
        .isEqualTo(100);
  }

  @Test
  void anExplicitMinimumLargerThanTheCountWindowIsAnErrorNotAClamp() {
    assertThatThrownBy(() -> CircuitBreakerConfig.builder().countBasedWindow(10).minimumNumberOfCalls(11).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Invalid CircuitBreakerConfig: minimumNumberOfCalls must be at most the count-based window size 10, was 11");
  }

  @Test
  void anExplicitMinimumAboveOneHundredIsFineForATimeWindow() {
    CircuitBreakerConfig config =
        CircuitBreakerConfig.builder().timeBasedWindow(Duration.ofSeconds(5)).minimumNumberOfCalls(1000).build();
    assertThat(config.minimumNumberOfCalls()).isEqualTo(1000);
  }

  @Test
  void theLastWindowSetterWins() {
    CircuitBreakerConfig time =
        CircuitBreakerConfig.builder().countBasedWindow(7).timeBasedWindow(Duration.ofSeconds(3)).build();
    assertThat(time.windowType()).isEqualTo(CircuitBreakerConfig.WindowType.TIME_BASED);
    assertThat(time.windowSpan()).isEqualTo(Duration.ofSeconds(3));
    assertThat(time.windowSize()).isZero();
    CircuitBreakerConfig count = time.toBuilder().countBasedWindow(7).build();
    assertThat(count.windowType()).isEqualTo(CircuitBreakerConfig.WindowType.COUNT_BASED);
    assertThat(count.windowSize()).isEqualTo(7);
  }

  static Stream<Arguments> outOfRange() {
    return Stream.of(
        bad(b -> b.countBasedWindow(0), "countBasedWindow must be at least 1, was 0"),
        bad(b -> b.timeBasedWindow(Duration.ZERO), "timeBasedWindow must be positive, was PT0S"),
        bad(b -> b.timeBasedWindow(Duration.ofSeconds(-1)), "timeBasedWindow must be positive, was PT-1S"),
        bad(b -> b.minimumNumberOfCalls(0), "minimumNumberOfCalls must be at least 1, was 0"),
        bad(b -> b.failureRateThreshold(0), "failureRateThreshold must be in (0, 100], was 0.0"),
        bad(b -> b.failureRateThreshold(120), "failureRateThreshold must be in (0, 100], was 120.0"),
        bad(b -> b.failureRateThreshold(Double.NaN), "failureRateThreshold must be in (0, 100], was NaN"),
        bad(b -> b.slowCallRateThreshold(-5), "slowCallRateThreshold must be in (0, 100], was -5.0"),
        bad(b -> b.slowCallDurationThreshold(Duration.ZERO), "slowCallDurationThreshold must be positive, was PT0S"),
        bad(b -> b.consecutiveFailureThreshold(0), "consecutiveFailureThreshold must be at least 1, was 0"),
        bad(b -> b.waitDurationInOpenState(Duration.ZERO), "waitDurationInOpenState must be positive, was PT0S"),
        bad(
            b -> b.openStateBackoff(0.5, Duration.ofMinutes(5)),
            "openStateBackoff multiplier must be a finite number of at least 1, was 0.5"),
        bad(
            b -> b.openStateBackoff(2, Duration.ofSeconds(30)),
            "openStateBackoff max must be at least waitDurationInOpenState PT1M, was PT30S"),
        bad(b -> b.openStateJitter(1), "openStateJitter must be in [0, 1), was 1.0"),
        bad(b -> b.openStateJitter(-0.1), "openStateJitter must be in [0, 1), was -0.1"),
        bad(
            b -> b.permittedNumberOfCallsInHalfOpenState(0),
            "permittedNumberOfCallsInHalfOpenState must be at least 1, was 0"),
        bad(
            b -> b.maxWaitDurationInHalfOpenState(Duration.ofMillis(-1)),
            "maxWaitDurationInHalfOpenState must not be negative, was PT-0.001S"),
        bad(b -> b.recoveryRamp(Duration.ofSeconds(-1)), "recoveryRamp must not be negative, was PT-1S"),
        bad(
            b -> b.timeBasedWindow(Duration.ofDays(365 * 300)),
            "timeBasedWindow must be at most PT2562047H47M16.854775807S, was PT2628000H"));
  }

  private static Arguments bad(Consumer<CircuitBreakerConfig.Builder> setter, String message) {
    return Arguments.of(setter, message);
  }

  @ParameterizedTest
  @MethodSource("outOfRange")
  void buildRejectsEveryOutOfRangeValueNamingOptionValueAndRange(
      Consumer<CircuitBreakerConfig.Builder> setter, String message) {
    CircuitBreakerConfig.Builder builder = CircuitBreakerConfig.builder();
    setter.accept(builder);
    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid CircuitBreakerConfig: " + message);
  }

  @Test
  void buildReportsEveryViolationAtOnce() {
    assertThatThrownBy(
            () ->
                CircuitBreakerConfig.builder()
                    .failureRateThreshold(120)
                    .permittedNumberOfCallsInHalfOpenState(0)
                    .openStateJitter(2)
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Invalid CircuitBreakerConfig (3 problems): failureRateThreshold must be in (0, 100], was 120.0; "
                + "openStateJitter must be in [0, 1), was 2.0; "
                + "permittedNumberOfCallsInHalfOpenState must be at least 1, was 0");
  }

  @Test
  void nullArgumentsAreRejectedAtOnceWithTheOptionsName() {
    CircuitBreakerConfig.Builder b = CircuitBreakerConfig.builder();
    assertThatThrownBy(() -> b.timeBasedWindow(null)).isInstanceOf(NullPointerException.class).hasMessageContaining("timeBasedWindow");
    assertThatThrownBy(() -> b.slowCallDurationThreshold(null)).hasMessageContaining("slowCallDurationThreshold");
    assertThatThrownBy(() -> b.waitDurationInOpenState(null)).hasMessageContaining("waitDurationInOpenState");
    assertThatThrownBy(() -> b.openStateBackoff(2, null)).hasMessageContaining("openStateBackoff");
    assertThatThrownBy(() -> b.maxWaitDurationInHalfOpenState(null)).hasMessageContaining("maxWaitDurationInHalfOpenState");
    assertThatThrownBy(() -> b.recoveryRamp(null)).hasMessageContaining("recoveryRamp");
    assertThatThrownBy(() -> b.recordException(null)).hasMessageContaining("recordException");
    assertThatThrownBy(() -> b.ignoreException(null)).hasMessageContaining("ignoreException");
    assertThatThrownBy(() -> b.recordResult(null)).hasMessageContaining("recordResult");
    assertThatThrownBy(() -> b.ticker(null)).hasMessageContaining("ticker");
    assertThatThrownBy(() -> b.recordExceptions((Class<? extends Throwable>[]) null)).hasMessageContaining("recordExceptions");
    assertThatThrownBy(() -> b.ignoreExceptions(IOException.class, null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("ignoreExceptions must not contain null, found one at index 1");
  }

  @Test
  void toBuilderReproducesEveryOption() {
    ManualTicker ticker = new ManualTicker();
    CircuitBreakerConfig original =
        CircuitBreakerConfig.builder()
            .timeBasedWindow(Duration.ofSeconds(30))
            .minimumNumberOfCalls(7)
            .failureRateThreshold(33)
            .slowCallRateThreshold(44)
            .slowCallDurationThreshold(Duration.ofSeconds(2))
            .slowCallDetection(false)
            .consecutiveFailureThreshold(5)
            .waitDurationInOpenState(Duration.ofSeconds(10))
            .openStateBackoff(3, Duration.ofMinutes(2))
            .openStateJitter(0.25)
            .permittedNumberOfCallsInHalfOpenState(4)
            .maxWaitDurationInHalfOpenState(Duration.ofSeconds(20))
            .recoveryRamp(Duration.ofSeconds(90))
            .recordExceptions(IOException.class)
            .ignoreExceptions(IllegalArgumentException.class)
            .recordException(e -> true)
            .ignoreException(e -> false)
            .recordResult(r -> false)
            .ticker(ticker)
            .build();
    CircuitBreakerConfig copy = original.toBuilder().build();
    assertThat(copy.toString()).isEqualTo(original.toString());
    assertThat(copy.ticker()).isSameAs(ticker);
    assertThat(copy.recordException()).containsSame(original.recordException().orElseThrow());
    assertThat(copy.consecutiveFailureThreshold()).isEqualTo(5);
    assertThat(copy.openStateBackoffMultiplier()).isEqualTo(3.0);
    assertThat(copy.openStateBackoffMax()).isEqualTo(Duration.ofMinutes(2));
  }

  @Test
  void theDefaultTickerIsPreciseOnlyForShortSlowCallThresholds() {
    assertThat(CircuitBreakerConfig.builder().slowCallDurationThreshold(Duration.ofMillis(99)).build().ticker())
        .isSameAs(Ticker.system());
    assertThat(CircuitBreakerConfig.builder().slowCallDurationThreshold(Duration.ofMillis(100)).build().ticker())
        .isSameAs(Ticker.coarse());
    assertThat(
            CircuitBreakerConfig.builder()
                .slowCallDurationThreshold(Duration.ofMillis(5))
                .slowCallDetection(false)
                .build()
                .ticker())
        .isSameAs(Ticker.coarse());
    assertThat(
            CircuitBreakerConfig.builder()
                .slowCallDurationThreshold(Duration.ofMillis(5))
                .build()
                .toBuilder()
                .slowCallDurationThreshold(Duration.ofSeconds(5))
                .build()
                .ticker())
        .isSameAs(Ticker.coarse());
  }

  @Test
  void aSlowCallThresholdFinerThanTheCoarseTickerCanTellIsRefused() {
    assertThatThrownBy(
            () ->
                CircuitBreakerConfig.builder()
                    .ticker(Ticker.coarse())
                    .slowCallDurationThreshold(Duration.ofMillis(50))
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Invalid CircuitBreakerConfig: slowCallDurationThreshold must be at least 100 ms with Ticker.coarse(),"
                + " whose readings lag by a millisecond and at times by tens (choose Ticker.system()), was PT0.05S");
    assertThat(
            CircuitBreakerConfig.builder()
                .ticker(Ticker.coarse())
                .slowCallDurationThreshold(Duration.ofMillis(50))
                .slowCallDetection(false)
                .build()
                .ticker())
        .isSameAs(Ticker.coarse());
    assertThat(CircuitBreakerConfig.builder().ticker(Ticker.system()).slowCallDurationThreshold(Duration.ofMillis(50)).build().ticker())
        .isSameAs(Ticker.system());
  }

  @Test
  void theResilience4jOptionsHaveTheirDefaultsAndSurviveToBuilder() {
    CircuitBreakerConfig defaults = CircuitBreakerConfig.ofDefaults();
    assertThat(defaults.initialState()).isEqualTo(CircuitBreaker.State.CLOSED);
    assertThat(defaults.transitionToStateAfterWaitDuration()).isEqualTo(CircuitBreaker.State.OPEN);
    assertThat(defaults.openStateWaitFunction()).isEmpty();
    assertThat(defaults.tripWhen()).isEmpty();

    java.util.function.IntFunction<Duration> waits = n -> Duration.ofSeconds(n);
    java.util.function.BiFunction<Object, Throwable, java.util.Optional<Duration>> rule = (r, e) -> java.util.Optional.empty();
    CircuitBreakerConfig copy =
        CircuitBreakerConfig.builder()
            .initialState(CircuitBreaker.State.FORCED_OPEN)
            .transitionToStateAfterWaitDuration(CircuitBreaker.State.CLOSED)
            .openStateWaitFunction(waits)
            .tripWhen(rule)
            .build()
            .toBuilder()
            .build();
    assertThat(copy.initialState()).isEqualTo(CircuitBreaker.State.FORCED_OPEN);
    assertThat(copy.transitionToStateAfterWaitDuration()).isEqualTo(CircuitBreaker.State.CLOSED);
    assertThat(copy.openStateWaitFunction()).containsSame(waits);
    assertThat(copy.tripWhen()).containsSame(rule);
  }

  @Test
  void theResilience4jOptionsRefuseWhatTheyCannotMean() {
    assertThatThrownBy(() -> CircuitBreakerConfig.builder().transitionToStateAfterWaitDuration(CircuitBreaker.State.HALF_OPEN).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid CircuitBreakerConfig: transitionToStateAfterWaitDuration must be OPEN or CLOSED, was HALF_OPEN");
    assertThatThrownBy(
            () ->
                CircuitBreakerConfig.builder()
                    .openStateWaitFunction(n -> Duration.ofSeconds(1))
                    .openStateBackoff(2, Duration.ofMinutes(5))
                    .openStateJitter(0.1)
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Invalid CircuitBreakerConfig (2 problems): openStateWaitFunction cannot be combined with openStateBackoff,"
                + " which it replaces, was set; openStateWaitFunction cannot be combined with openStateJitter, which it"
                + " replaces, was set");
    assertThatThrownBy(() -> CircuitBreakerConfig.builder().initialState(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("initialState must not be null");
    assertThatThrownBy(() -> CircuitBreakerConfig.builder().transitionToStateAfterWaitDuration(null))
        .hasMessage("transitionToStateAfterWaitDuration must not be null");
    assertThatThrownBy(() -> CircuitBreakerConfig.builder().openStateWaitFunction(null))
        .hasMessage("openStateWaitFunction must not be null");
    assertThatThrownBy(() -> CircuitBreakerConfig.builder().tripWhen(null)).hasMessage("tripWhen must not be null");
  }

  @Test
  void exceptionListsAreDefensiveCopies() {
    @SuppressWarnings("unchecked")
    Class<? extends Throwable>[] types = new Class[] {IOException.class};
    CircuitBreakerConfig config = CircuitBreakerConfig.builder().recordExceptions(types).build();
    types[0] = RuntimeException.class;
    assertThat(config.recordExceptions()).containsExactly(IOException.class);
    assertThatThrownBy(() -> config.recordExceptions().add(Error.class))
        .isInstanceOf(UnsupportedOperationException.class);
  }
}
