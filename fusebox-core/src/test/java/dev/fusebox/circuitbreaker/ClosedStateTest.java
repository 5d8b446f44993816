package dev.fusebox.circuitbreaker;

import static dev.fusebox.circuitbreaker.Fixtures.config;
import static dev.fusebox.circuitbreaker.Fixtures.fail;
import static dev.fusebox.circuitbreaker.Fixtures.failTaking;
import static dev.fusebox.circuitbreaker.Fixtures.succeed;
import static dev.fusebox.circuitbreaker.Fixtures.succeedTaking;
import static dev.fusebox.circuitbreaker.Fixtures.throwIgnored;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fusebox.testing.ManualTicker;
import dev.fusebox.circuitbreaker.CircuitBreaker.State;
import dev.fusebox.circuitbreaker.Fixtures.Boom;
import dev.fusebox.circuitbreaker.Fixtures.Ignorable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Rules 1 to 3: what the closed state records and when it opens. */
class ClosedStateTest {

  private final ManualTicker ticker = new ManualTicker();

  private CircuitBreaker breaker(CircuitBreakerConfig.Builder builder) {
    return CircuitBreaker.of("backend", builder.build());
  }

  private CircuitBreakerConfig.Builder window10() {
    return config(ticker).countBasedWindow(10).minimumNumberOfCalls(10).failureRateThreshold(50);
  }

  @Test
  void staysClosedWhileTheWindowHoldsFewerThanTheMinimumNumberOfCalls() {
    CircuitBreaker breaker = breaker(window10());
    fail(breaker, 9);
    assertThat(breaker.state()).isEqualTo(State.CLOSED);
    assertThat(breaker.metrics().failureRate()).isEqualTo(-1.0);
    assertThat(breaker.metrics().numberOfFailedCalls()).isEqualTo(9);
    assertThat(breaker.metrics().numberOfBufferedCalls()).isEqualTo(9);
  }

  @Test
  void opensWhenFailureRateReachesThresholdAfterMinimumCalls() {
    CircuitBreaker breaker = breaker(window10());
    succeed(breaker, 5);
    fail(breaker, 4);
    assertThat(breaker.state()).isEqualTo(State.CLOSED);
    fail(breaker);
    assertThat(breaker.state()).isEqualTo(State.OPEN);
    assertThat(breaker.metrics().failureRate()).isEqualTo(50.0);
  }

  @Test
  void staysClosedJustBelowTheThreshold() {
    CircuitBreaker breaker = breaker(window10());
    succeed(breaker, 6);
    fail(breaker, 4);
    assertThat(breaker.state()).isEqualTo(State.CLOSED);
    assertThat(breaker.metrics().failureRate()).isEqualTo(40.0);
  }

  @Test
  void theSuccessThatBringsTheWindowToTheMinimumCanOpenIt() {
    CircuitBreaker breaker = breaker(window10());
    fail(breaker, 5);
    succeed(breaker, 4);
    assertThat(breaker.state()).isEqualTo(State.CLOSED);
    succeed(breaker);
    assertThat(breaker.state()).isEqualTo(State.OPEN);
  }

  @Test
  void oldOutcomesSlideOutOfACountWindow() {
    CircuitBreaker breaker = breaker(window10());
    fail(breaker, 4);
    succeed(breaker, 10);
    assertThat(breaker.metrics().numberOfFailedCalls()).isZero();
    fail(breaker, 4);
    assertThat(breaker.state()).isEqualTo(State.CLOSED);
    fail(breaker);
    assertThat(breaker.state()).isEqualTo(State.OPEN);
  }

  @Test
  void aWindowLargerThanSixtyFourSlotsKeepsExactCounts() {
    CircuitBreaker breaker =
        breaker(config(ticker).countBasedWindow(150).minimumNumberOfCalls(150).failureRateThreshold(100));
    for (int i = 0; i < 1000; i++) {
      if (i % 3 == 0) {
        fail(breaker);
      } else {
        succeed(breaker);
      }
    }
    // The last 150 calls are i = 850..999, of which those divisible by 3 failed: 852, 855, ..., 999.
    CircuitBreaker.Metrics m = breaker.metrics();
    assertThat(m.numberOfBufferedCalls()).isEqualTo(150);
    assertThat(m.numberOfFailedCalls()).isEqualTo(50);
    assertThat(m.numberOfSuccessfulCalls()).isEqualTo(100);
    assertThat(breaker.state()).isEqualTo(State.CLOSED);
  }

  @Test
  void slowCallsOpenTheBreakerAtTheSlowCallRateThreshold() {
    CircuitBreaker breaker =
        breaker(window10().slowCallRateThreshold(50).slowCallDurationThreshold(Duration.ofSeconds(1)));
    for (int i = 0; i < 4; i++) {
      succeedTaking(breaker, ticker, Duration.ofSeconds(2));
    }
    succeed(breaker, 5);
    assertThat(breaker.state()).isEqualTo(State.CLOSED);
    succeedTaking(breaker, ticker, Duration.ofSeconds(2));
    assertThat(breaker.state()).isEqualTo(State.OPEN);
    assertThat(breaker.metrics().slowCallRate()).isEqualTo(50.0);
    assertThat(breaker.metrics().failureRate()).isEqualTo(0.0);
  }

  @Test
  void aCallIsSlowOnlyWhenItsDurationExceedsTheThreshold() {
    CircuitBreaker breaker = breaker(window10().slowCallDurationThreshold(Duration.ofSeconds(1)));
    succeedTaking(breaker, ticker, Duration.ofSeconds(1));
    assertThat(breaker.metrics().numberOfSlowCalls()).isZero();
    succeedTaking(breaker, ticker, Duration.ofSeconds(1).plusNanos(1));
    assertThat(breaker.metrics().numberOfSlowCalls()).isEqualTo(1);
    assertThat(breaker.metrics().numberOfSlowSuccessfulCalls()).isEqualTo(1);
  }

  @Test
  void aSlowFailureCountsBothAsFailureAndAsSlowCall() {
    CircuitBreaker breaker = breaker(window10().slowCallDurationThreshold(Duration.ofSeconds(1)));
    failTaking(breaker, ticker, Duration.ofSeconds(3));
    CircuitBreaker.Metrics m = breaker.metrics();
    assertThat(m.numberOfFailedCalls()).isEqualTo(1);
    assertThat(m.numberOfSlowCalls()).isEqualTo(1);
    assertThat(m.numberOfSlowFailedCalls()).isEqualTo(1);
    assertThat(m.numberOfSlowSuccessfulCalls()).isZero();
    assertThat(m.totalSlowFailedCalls()).isEqualTo(1);
    assertThat(m.totalFailedCalls()).isEqualTo(1);
    assertThat(m.totalCallDuration()).isEqualTo(Duration.ofSeconds(3));
  }

  @Test
  void withSlowCallDetectionOffSlowCallsNeverOpenTheBreaker() {
    CircuitBreaker breaker =
        breaker(
            window10()
                .slowCallDetection(false)
                .slowCallRateThreshold(10)
                .slowCallDurationThreshold(Duration.ofMillis(1)));
    for (int i = 0; i < 20; i++) {
      succeedTaking(breaker, ticker, Duration.ofSeconds(5));
    }
    assertThat(breaker.state()).isEqualTo(State.CLOSED);
    assertThat(breaker.metrics().numberOfSlowCalls()).isZero();
    assertThat(breaker.metrics().slowCallRate()).isZero();
    assertThat(breaker.metrics().totalCallDuration()).isEqualTo(Duration.ZERO);
  }

  @Test
  void consecutiveFailuresOpenTheBreakerWhateverTheWindowSays() {
    CircuitBreaker breaker =
        breaker(config(ticker).countBasedWindow(100).consecutiveFailureThreshold(3));
    fail(breaker, 2);
    succeed(breaker);
    fail(breaker, 2);
    assertThat(breaker.state()).isEqualTo(State.CLOSED);
    fail(breaker);
    assertThat(breaker.state()).isEqualTo(State.OPEN);
    assertThat(breaker.metrics().numberOfBufferedCalls()).isEqualTo(6);
  }

  @Test
  void anIgnoredExceptionNeitherBreaksNorExtendsAFailureStreak() {
    CircuitBreaker breaker =
        breaker(config(ticker).consecutiveFailureThreshold(2).ignoreExceptions(Ignorable.class));
    fail(breaker);
    throwIgnored(breaker);
    assertThat(breaker.state()).isEqualTo(State.CLOSED);
    fail(breaker);
    assertThat(breaker.state()).isEqualTo(State.OPEN);
  }

  @Test
  void everyExceptionIsAFailureByDefaultAndReachesTheCallerUnchanged() {
    CircuitBreaker breaker = breaker(window10());
    IllegalStateException unchecked = new IllegalStateException("unchecked");
    assertThatThrownBy(() -> breaker.executeSupplier(() -> { throw unchecked; })).isSameAs(unchecked);
    IOException checked = new IOException("checked");
    assertThatThrownBy(() -> breaker.executeCallable(() -> { throw checked; })).isSameAs(checked);
    assertThat(breaker.metrics().numberOfFailedCalls()).isEqualTo(2);
  }

  @Test
  void ignoredExceptionsAreNotRecordedAndReachTheCallerUnchanged() {
    CircuitBreaker breaker = breaker(window10().ignoreExceptions(Ignorable.class));
    throwIgnored(breaker);
    CircuitBreaker.Metrics m = breaker.metrics();
    assertThat(m.numberOfBufferedCalls()).isZero();
    assertThat(m.totalIgnoredCalls()).isEqualTo(1);
    assertThat(m.totalFailedCalls()).isZero();
    assertThat(m.totalSuccessfulCalls()).isZero();
  }

  @Test
  void withARecordListOnlyThoseExceptionsFailAndOthersCountAsSuccesses() {
    CircuitBreaker breaker = breaker(window10().recordExceptions(UncheckedIOException.class));
    assertThatThrownBy(
            () -> breaker.executeSupplier(() -> { throw new UncheckedIOException(new IOException()); }))
        .isInstanceOf(UncheckedIOException.class);
    fail(breaker);
    CircuitBreaker.Metrics m = breaker.metrics();
    assertThat(m.numberOfFailedCalls()).isEqualTo(1);
    assertThat(m.numberOfSuccessfulCalls()).isEqualTo(1);
    assertThat(m.numberOfBufferedCalls()).isEqualTo(2);
  }

  @Test
  void aRecordPredicateWorksLikeARecordList() {
    CircuitBreaker breaker =
        breaker(window10().recordException(e -> e.getMessage() != null && e.getMessage().startsWith("5")));
    assertThatThrownBy(() -> breaker.executeSupplier(() -> { throw new IllegalStateException("503"); }))
        .hasMessage("503");
    assertThatThrownBy(() -> breaker.executeSupplier(() -> { throw new IllegalStateException("404"); }))
        .hasMessage("404");
    assertThat(breaker.metrics().numberOfFailedCalls()).isEqualTo(1);
    assertThat(breaker.metrics().numberOfSuccessfulCalls()).isEqualTo(1);
  }

  @Test
  void recordListAndRecordPredicateAddUp() {
    CircuitBreaker breaker =
        breaker(window10().recordExceptions(Boom.class).recordException(e -> e instanceof IllegalStateException));
    fail(breaker);
    assertThatThrownBy(() -> breaker.executeSupplier(() -> { throw new IllegalStateException(); }));
    assertThatThrownBy(() -> breaker.executeSupplier(() -> { throw new IllegalArgumentException(); }));
    assertThat(breaker.metrics().numberOfFailedCalls()).isEqualTo(2);
    assertThat(breaker.metrics().numberOfSuccessfulCalls()).isEqualTo(1);
  }

  @Test
  void ignoringWinsOverRecording() {
    CircuitBreaker breaker =
        breaker(window10().recordExceptions(RuntimeException.class).ignoreExceptions(Ignorable.class));
    throwIgnored(breaker);
    assertThat(breaker.metrics().numberOfBufferedCalls()).isZero();
    assertThat(breaker.metrics().totalIgnoredCalls()).isEqualTo(1);
  }

  @Test
  void anIgnorePredicateIgnores() {
    CircuitBreaker breaker = breaker(window10().ignoreException(e -> e instanceof Boom));
    fail(breaker);
    assertThat(breaker.metrics().numberOfBufferedCalls()).isZero();
    assertThat(breaker.metrics().totalIgnoredCalls()).isEqualTo(1);
  }

  @Test
  void subclassesOfListedExceptionsMatch() {
    CircuitBreaker breaker = breaker(window10().ignoreExceptions(RuntimeException.class));
    fail(breaker);
    assertThat(breaker.metrics().totalIgnoredCalls()).isEqualTo(1);
  }

  @Test
  void aResultMatchingRecordResultIsAFailureAndStillReturned() {
    CircuitBreaker breaker = breaker(window10().recordResult(r -> Integer.valueOf(503).equals(r)));
    assertThat(breaker.executeSupplier(() -> 503)).isEqualTo(503);
    assertThat(breaker.executeSupplier(() -> 200)).isEqualTo(200);
    assertThat(breaker.<Object>executeSupplier(() -> null)).isNull();
    assertThat(breaker.metrics().numberOfFailedCalls()).isEqualTo(1);
    assertThat(breaker.metrics().numberOfSuccessfulCalls()).isEqualTo(2);
  }

  @Test
  void aThrowingResultPredicateReachesTheCallerAndCountsAFailure() {
    IllegalStateException bug = new IllegalStateException("predicate bug");
    CircuitBreaker breaker = breaker(window10().recordResult(r -> { throw bug; }));
    assertThatThrownBy(() -> breaker.executeSupplier(() -> "x")).isSameAs(bug);
    assertThat(breaker.metrics().numberOfBufferedCalls()).isEqualTo(1);
    assertThat(breaker.metrics().numberOfFailedCalls()).isEqualTo(1);
  }

  @Test
  void metricsCountEveryOutcomeExactly() {
    CircuitBreaker breaker =
        breaker(window10().slowCallDurationThreshold(Duration.ofSeconds(1)).ignoreExceptions(Ignorable.class));
    succeed(breaker, 3);
    succeedTaking(breaker, ticker, Duration.ofSeconds(2));
    fail(breaker, 2);
    failTaking(breaker, ticker, Duration.ofSeconds(5));
    throwIgnored(breaker);
    CircuitBreaker.Metrics m = breaker.metrics();
    assertThat(m.numberOfBufferedCalls()).isEqualTo(7);
    assertThat(m.numberOfSuccessfulCalls()).isEqualTo(4);
    assertThat(m.numberOfFailedCalls()).isEqualTo(3);
    assertThat(m.numberOfSlowCalls()).isEqualTo(2);
    assertThat(m.numberOfSlowSuccessfulCalls()).isEqualTo(1);
    assertThat(m.numberOfSlowFailedCalls()).isEqualTo(1);
    assertThat(m.numberOfNotPermittedCalls()).isZero();
    assertThat(m.totalSuccessfulCalls()).isEqualTo(4);
    assertThat(m.totalSlowSuccessfulCalls()).isEqualTo(1);
    assertThat(m.totalFailedCalls()).isEqualTo(3);
    assertThat(m.totalSlowFailedCalls()).isEqualTo(1);
    assertThat(m.totalIgnoredCalls()).isEqualTo(1);
    assertThat(m.totalCallDuration()).isEqualTo(Duration.ofSeconds(7));
    assertThat(m.rampPercentage()).isEqualTo(100.0);
    assertThat(m.nextTrialIn()).isEmpty();
    assertThat(m.timeInState()).isEqualTo(Duration.ofSeconds(7));
  }

  // ---------------------------------------------------------------------------------------------------
  // Time-based windows

  private CircuitBreakerConfig.Builder tenSeconds(int minimum) {
    return config(ticker)
        .timeBasedWindow(Duration.ofSeconds(10))
        .minimumNumberOfCalls(minimum)
        .failureRateThreshold(50)
        .slowCallDetection(false);
  }

  @Test
  void aTimeWindowForgetsCallsOlderThanItsSpan() {
    CircuitBreaker breaker = breaker(tenSeconds(4));
    fail(breaker, 3);
    ticker.advance(Duration.ofSeconds(10));
    succeed(breaker, 3);
    fail(breaker);
    assertThat(breaker.state()).isEqualTo(State.CLOSED);
    assertThat(breaker.metrics().numberOfBufferedCalls()).isEqualTo(4);
    assertThat(breaker.metrics().failureRate()).isEqualTo(25.0);
  }

  @Test
  void aTimeWindowStillCountsCallsWithinItsSpan() {
    CircuitBreaker breaker = breaker(tenSeconds(4));
    fail(breaker, 3);
    ticker.advance(Duration.ofSeconds(10).minusNanos(1));
    succeed(breaker);
    assertThat(breaker.state()).isEqualTo(State.OPEN);
  }

  @Test
  void aSuccessCanOpenATimeWindowWhenOldSuccessesLeaveIt() {
    CircuitBreaker breaker = breaker(tenSeconds(4));
    succeed(breaker, 8);
    ticker.advance(Duration.ofSeconds(5));
    fail(breaker, 4);
    assertThat(breaker.state()).isEqualTo(State.CLOSED);
    ticker.advance(Duration.ofSeconds(5));
    succeed(breaker);
    assertThat(breaker.state()).isEqualTo(State.OPEN);
    assertThat(breaker.metrics().numberOfBufferedCalls()).isEqualTo(5);
  }

  @Test
  void aTimeWindowsMetricsForgetOldCallsEvenWithoutNewCalls() {
    CircuitBreaker breaker = breaker(tenSeconds(100));
    fail(breaker, 2);
    ticker.advance(Duration.ofSeconds(5));
    succeed(breaker, 3);
    assertThat(breaker.metrics().numberOfBufferedCalls()).isEqualTo(5);
    ticker.advance(Duration.ofSeconds(5));
    assertThat(breaker.metrics().numberOfBufferedCalls()).isEqualTo(3);
    assertThat(breaker.metrics().numberOfFailedCalls()).isZero();
    ticker.advance(Duration.ofHours(1000));
    assertThat(breaker.metrics().numberOfBufferedCalls()).isZero();
  }

  @Test
  void aTimeWindowWorksAfterAVeryLongIdleTime() {
    CircuitBreaker breaker = breaker(tenSeconds(2));
    fail(breaker);
    // Far beyond the 24-bit tag cycle of the buckets (2^24 seconds is about 194 days).
    ticker.advance(Duration.ofDays(4000));
    succeed(breaker, 2);
    assertThat(breaker.state()).isEqualTo(State.CLOSED);
    assertThat(breaker.metrics().numberOfBufferedCalls()).isEqualTo(2);
    assertThat(breaker.metrics().numberOfFailedCalls()).isZero();
  }

  @Test
  void aSubSecondTimeWindowUsesTenBuckets() {
    CircuitBreaker breaker =
        breaker(config(ticker).timeBasedWindow(Duration.ofMillis(500)).minimumNumberOfCalls(2).slowCallDetection(false));
    fail(breaker);
    ticker.advance(Duration.ofMillis(500));
    succeed(breaker);
    fail(breaker);
    assertThat(breaker.metrics().numberOfBufferedCalls()).isEqualTo(2);
    assertThat(breaker.state()).isEqualTo(State.OPEN);
  }
}
