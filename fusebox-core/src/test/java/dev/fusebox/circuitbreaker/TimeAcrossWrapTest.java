package dev.fusebox.circuitbreaker;

import static dev.fusebox.circuitbreaker.Fixtures.attempt;
import static dev.fusebox.circuitbreaker.Fixtures.fail;
import static dev.fusebox.circuitbreaker.Fixtures.failTaking;
import static dev.fusebox.circuitbreaker.Fixtures.rejection;
import static dev.fusebox.circuitbreaker.Fixtures.succeed;
import static dev.fusebox.circuitbreaker.Fixtures.succeedTaking;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fusebox.circuitbreaker.CircuitBreaker.State;
import dev.fusebox.circuitbreaker.spi.BreakerCoordinator;
import dev.fusebox.circuitbreaker.spi.SharedBreakerControl;
import dev.fusebox.circuitbreaker.spi.TrialGate;
import dev.fusebox.testing.ManualScheduler;
import dev.fusebox.testing.ManualTicker;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Defect 1 of the hardening issue: {@link dev.fusebox.Ticker} promises an arbitrary origin, so every rule
 * that reads time must decide the same wherever the ticker starts, and across the wrap from
 * {@link Long#MAX_VALUE} to {@link Long#MIN_VALUE}. Each test runs from origins placed so that the wrap falls
 * inside the rule's span (one second, two seconds and half a minute before it), and from ordinary origins.
 */
class TimeAcrossWrapTest {

  static Stream<Long> origins() {
    return Stream.of(
        Long.MAX_VALUE - Duration.ofSeconds(1).toNanos(),
        Long.MAX_VALUE - Duration.ofSeconds(2).toNanos(),
        Long.MAX_VALUE - Duration.ofSeconds(30).toNanos(),
        Long.MAX_VALUE,
        Long.MIN_VALUE,
        0L,
        -Duration.ofDays(1).toNanos());
  }

  private static CircuitBreakerConfig.Builder config(ManualTicker ticker) {
    return CircuitBreakerConfig.builder()
        .ticker(ticker)
        .countBasedWindow(1)
        .minimumNumberOfCalls(1)
        .permittedNumberOfCallsInHalfOpenState(1);
  }

  @ParameterizedTest(name = "origin {0}")
  @MethodSource("origins")
  void anOpeningWaitsItsFullWaitAcrossTheWrap(long origin) {
    ManualTicker ticker = new ManualTicker(origin);
    CircuitBreaker breaker =
        CircuitBreaker.of("wrap", config(ticker).waitDurationInOpenState(Duration.ofSeconds(60)).build());
    fail(breaker);

    ticker.advance(Duration.ofSeconds(1));
    assertThat(attempt(breaker)).isFalse();
    assertThat(breaker.metrics().nextTrialIn()).contains(Duration.ofSeconds(59));
    assertThat(rejection(breaker).retryAfter()).contains(Duration.ofSeconds(59));
    ticker.advance(Duration.ofSeconds(59).minusNanos(1));
    assertThat(attempt(breaker)).isFalse();
    ticker.advanceNanos(1);
    assertThat(attempt(breaker)).isTrue();
    assertThat(breaker.state()).isEqualTo(State.CLOSED);
  }

  @ParameterizedTest(name = "origin {0}")
  @MethodSource("origins")
  void backedOffOpeningsWaitTheirFullWaitsAcrossTheWrap(long origin) {
    ManualTicker ticker = new ManualTicker(origin);
    CircuitBreaker breaker =
        CircuitBreaker.of(
            "wrap",
            config(ticker)
                .waitDurationInOpenState(Duration.ofSeconds(1))
                .openStateBackoff(2, Duration.ofSeconds(8))
                .build());
    fail(breaker);
    for (long wait : new long[] {1, 2, 4, 8, 8}) {
      ticker.advance(Duration.ofSeconds(wait).minusNanos(1));
      assertThat(attempt(breaker)).as("one nanosecond before the end of a %d s wait", wait).isFalse();
      ticker.advanceNanos(1);
      fail(breaker);
      assertThat(breaker.state()).isEqualTo(State.OPEN);
    }
  }

  @ParameterizedTest(name = "origin {0}")
  @MethodSource("origins")
  void aTimeWindowKeepsCountingAcrossTheWrap(long origin) {
    ManualTicker ticker = new ManualTicker(origin);
    CircuitBreaker breaker =
        CircuitBreaker.of(
            "wrap",
            CircuitBreakerConfig.builder()
                .ticker(ticker)
                .timeBasedWindow(Duration.ofSeconds(10))
                .minimumNumberOfCalls(4)
                .failureRateThreshold(50)
                .build());
    for (int second = 0; second < 8; second++) {
      succeed(breaker);
      ticker.advance(Duration.ofSeconds(1));
    }
    assertThat(breaker.metrics().numberOfBufferedCalls()).isEqualTo(8);
    fail(breaker, 7);
    assertThat(breaker.state()).as("7 failures among 15 calls").isEqualTo(State.CLOSED);
    fail(breaker);
    assertThat(breaker.state()).as("8 failures among 16 calls").isEqualTo(State.OPEN);
  }

  @ParameterizedTest(name = "origin {0}")
  @MethodSource("origins")
  void aTimeWindowForgetsWhatIsOlderThanItsSpanAcrossTheWrap(long origin) {
    ManualTicker ticker = new ManualTicker(origin);
    CircuitBreaker breaker =
        CircuitBreaker.of(
            "wrap",
            CircuitBreakerConfig.builder()
                .ticker(ticker)
                .timeBasedWindow(Duration.ofSeconds(3))
                .minimumNumberOfCalls(100)
                .build());
    fail(breaker, 2);
    ticker.advance(Duration.ofSeconds(2));
    succeed(breaker);
    assertThat(breaker.metrics().numberOfBufferedCalls()).isEqualTo(3);
    ticker.advance(Duration.ofSeconds(1));
    assertThat(breaker.metrics().numberOfBufferedCalls()).isEqualTo(1);
    assertThat(breaker.metrics().numberOfFailedCalls()).isZero();
    ticker.advance(Duration.ofSeconds(3));
    assertThat(breaker.metrics().numberOfBufferedCalls()).isZero();
  }

  @ParameterizedTest(name = "origin {0}")
  @MethodSource("origins")
  void aHalfOpenStayReopensAtItsMaximumWaitAcrossTheWrap(long origin) {
    ManualTicker ticker = new ManualTicker(origin);
    CircuitBreaker breaker =
        CircuitBreaker.of(
            "wrap",
            config(ticker)
                .permittedNumberOfCallsInHalfOpenState(2)
                .maxWaitDurationInHalfOpenState(Duration.ofSeconds(5))
                .build());
    breaker.transitionToHalfOpenState();
    CircuitBreaker.Permit stuck = breaker.tryAcquirePermit();
    assertThat(stuck).isNotNull();

    ticker.advance(Duration.ofSeconds(5).minusNanos(1));
    assertThat(attempt(breaker)).isTrue();
    assertThat(breaker.state()).isEqualTo(State.HALF_OPEN);
    ticker.advanceNanos(1);
    assertThat(attempt(breaker)).isFalse();
    assertThat(breaker.state()).isEqualTo(State.OPEN);
  }

  @ParameterizedTest(name = "origin {0}")
  @MethodSource("origins")
  void slowCallsAreTimedAcrossTheWrap(long origin) {
    ManualTicker ticker = new ManualTicker(origin);
    CircuitBreaker breaker =
        CircuitBreaker.of(
            "wrap",
            config(ticker)
                .countBasedWindow(2)
                .minimumNumberOfCalls(2)
                .slowCallDurationThreshold(Duration.ofSeconds(1))
                .slowCallRateThreshold(100)
                .build());
    succeedTaking(breaker, ticker, Duration.ofSeconds(1));
    failTaking(breaker, ticker, Duration.ofMillis(1500));

    CircuitBreaker.Metrics m = breaker.metrics();
    assertThat(m.totalSlowSuccessfulCalls()).isZero();
    assertThat(m.totalSlowFailedCalls()).isEqualTo(1);
    assertThat(m.totalCallDuration()).isEqualTo(Duration.ofMillis(2500));
  }

  @ParameterizedTest(name = "origin {0}")
  @MethodSource("origins")
  void theRecoveryRampStepsUpAcrossTheWrap(long origin) {
    ManualTicker ticker = new ManualTicker(origin);
    CircuitBreaker breaker =
        CircuitBreaker.of(
            "wrap",
            config(ticker).permittedNumberOfCallsInHalfOpenState(1).recoveryRamp(Duration.ofSeconds(30)).build());
    breaker.transitionToHalfOpenState();
    succeed(breaker);
    assertThat(breaker.metrics().rampPercentage()).isEqualTo(10.0);
    ticker.advance(Duration.ofSeconds(10));
    assertThat(breaker.metrics().rampPercentage()).isEqualTo(25.0);
    ticker.advance(Duration.ofSeconds(10));
    assertThat(breaker.metrics().rampPercentage()).isEqualTo(50.0);
    ticker.advance(Duration.ofSeconds(10));
    assertThat(breaker.metrics().rampPercentage()).isEqualTo(100.0);
    assertThat(attempt(breaker)).isTrue();
    assertThat(attempt(breaker)).isTrue();
  }

  @ParameterizedTest(name = "origin {0}")
  @MethodSource("origins")
  void theAutomaticTransitionFiresAtTheEndOfTheWaitAcrossTheWrap(long origin) {
    ManualTicker ticker = new ManualTicker(origin);
    ManualScheduler scheduler = new ManualScheduler(ticker);
    CircuitBreaker breaker =
        CircuitBreaker.of(
            "wrap",
            config(ticker)
                .waitDurationInOpenState(Duration.ofSeconds(20))
                .automaticTransitionFromOpenToHalfOpenEnabled(true)
                .scheduler(scheduler)
                .build());
    fail(breaker);

    scheduler.advance(Duration.ofSeconds(20).minusNanos(1));
    assertThat(breaker.state()).isEqualTo(State.OPEN);
    scheduler.advance(Duration.ofNanos(1));
    assertThat(breaker.state()).isEqualTo(State.HALF_OPEN);
  }

  @ParameterizedTest(name = "origin {0}")
  @MethodSource("origins")
  void anOpeningForAnHourOrForEverWaitsAcrossTheWrap(long origin) {
    ManualTicker ticker = new ManualTicker(origin);
    CircuitBreaker breaker = CircuitBreaker.of("wrap", config(ticker).build());
    breaker.transitionToOpenStateFor(Duration.ofHours(1));
    ticker.advance(Duration.ofMinutes(59));
    assertThat(attempt(breaker)).isFalse();
    assertThat(breaker.metrics().nextTrialIn()).contains(Duration.ofMinutes(1));

    breaker.transitionToOpenStateFor(Duration.ofDays(365 * 1000));
    ticker.advance(Duration.ofDays(365 * 200));
    assertThat(attempt(breaker)).isFalse();
    assertThat(breaker.metrics().timeInState()).isEqualTo(Duration.ofDays(365 * 200));
  }

  @ParameterizedTest(name = "origin {0}")
  @MethodSource("origins")
  void aCoordinatorHoldsOpenAndRampsAcrossTheWrap(long origin) {
    ManualTicker ticker = new ManualTicker(origin);
    AtomicReference<SharedBreakerControl> control = new AtomicReference<>();
    CircuitBreakerRegistry registry =
        CircuitBreakerRegistry.coordinated(
            config(ticker).recoveryRamp(Duration.ofSeconds(30)).build(),
            new BreakerCoordinator() {
              @Override
              public TrialGate attach(SharedBreakerControl c) {
                control.set(c);
                return TrialGate.UNLIMITED;
              }

              @Override
              public void detach(SharedBreakerControl c) {}
            });
    CircuitBreaker breaker = registry.circuitBreaker("shared");

    assertThat(control.get().holdOpen(Duration.ofSeconds(10))).isTrue();
    ticker.advance(Duration.ofSeconds(5));
    assertThat(control.get().holdOpen(Duration.ofSeconds(2))).as("already held longer").isFalse();
    assertThat(control.get().holdOpen(Duration.ofSeconds(20))).isTrue();
    ticker.advance(Duration.ofSeconds(20).minusNanos(1));
    assertThat(attempt(breaker)).isFalse();
    ticker.advanceNanos(1);
    assertThat(attempt(breaker)).isTrue();
    assertThat(breaker.state()).isEqualTo(State.CLOSED);

    ticker.advance(Duration.ofSeconds(30));
    assertThat(control.get().rampFrom(Duration.ofSeconds(12))).isTrue();
    assertThat(breaker.metrics().rampPercentage()).isEqualTo(25.0);
    assertThat(control.get().rampFrom(Duration.ofSeconds(15))).as("already ramps from a later moment").isFalse();
  }
}
