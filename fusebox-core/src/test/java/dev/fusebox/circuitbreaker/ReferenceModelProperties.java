package dev.fusebox.circuitbreaker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusebox.testing.ManualTicker;
import dev.fusebox.circuitbreaker.CircuitBreaker.State;
import dev.fusebox.circuitbreaker.Fixtures.Boom;
import dev.fusebox.circuitbreaker.Fixtures.Ignorable;
import java.time.Duration;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Rules 1 to 6, checked on random configurations and random call streams: after every step, the breaker
 * admits exactly the calls the reference model admits and is in the same state; in the closed state of a
 * count window, its window holds the same counts.
 */
class ReferenceModelProperties {

  /** One step of a call stream. */
  sealed interface Step permits Call, Wait {}

  /** A call that takes {@code millis} and ends in {@code outcome}. */
  record Call(Kind outcome, int millis) implements Step {}

  /** Time passing without calls. */
  record Wait(int millis) implements Step {}

  enum Kind { SUCCESS, FAILURE, IGNORED }

  @Property(tries = 400)
  void theBreakerDecidesExactlyAsTheReferenceModel(
      @ForAll("settings") ReferenceModel.CompiledConfig settings, @ForAll("steps") List<Step> steps) {
    ManualTicker ticker = new ManualTicker();
    CircuitBreaker breaker = CircuitBreaker.of("model", builder(settings, ticker).build());
    ReferenceModel model = new ReferenceModel(settings);

    int index = 0;
    for (Step step : steps) {
      String where = "step " + index++ + " " + step + " with " + settings;
      if (step instanceof Wait wait) {
        ticker.advance(Duration.ofMillis(wait.millis()));
      } else {
        Call call = (Call) step;
        boolean expected = model.admit(ticker.nanos());
        boolean ran = run(breaker, ticker, call);
        assertThat(ran).as(where).isEqualTo(expected);
        if (ran) {
          if (call.outcome() == Kind.IGNORED) {
            model.ignored();
          } else {
            model.record(call.outcome() == Kind.FAILURE, Duration.ofMillis(call.millis()).toNanos(), ticker.nanos());
          }
        }
      }
      assertThat(breaker.state()).as(where).isEqualTo(model.state);
      if (model.state == State.CLOSED && !settings.timeBased()) {
        CircuitBreaker.Metrics m = breaker.metrics();
        assertThat(m.numberOfBufferedCalls()).as(where).isEqualTo(model.bufferedCalls());
        assertThat(m.numberOfFailedCalls()).as(where).isEqualTo(model.failedCalls());
        assertThat(m.numberOfSlowCalls()).as(where).isEqualTo(model.slowCalls());
      }
    }
  }

  /** A breaker configuration meaning what {@code settings} mean to the model, on {@code ticker}. */
  static CircuitBreakerConfig.Builder builder(ReferenceModel.CompiledConfig settings, ManualTicker ticker) {
    CircuitBreakerConfig.Builder builder =
        CircuitBreakerConfig.builder()
            .ticker(ticker)
            .minimumNumberOfCalls(settings.minimumCalls())
            .failureRateThreshold(settings.failureRateThreshold())
            .slowCallRateThreshold(settings.slowCallRateThreshold())
            .slowCallDurationThreshold(Duration.ofNanos(settings.slowCallNanos()))
            .waitDurationInOpenState(Duration.ofNanos(settings.waitNanos()))
            .permittedNumberOfCallsInHalfOpenState(settings.permittedTrials())
            .ignoreExceptions(Ignorable.class);
    if (settings.timeBased()) {
      builder.timeBasedWindow(Duration.ofSeconds(settings.windowSeconds()));
    } else {
      builder.countBasedWindow(settings.windowSize());
    }
    if (settings.consecutiveFailures() > 0) {
      builder.consecutiveFailureThreshold(settings.consecutiveFailures());
    }
    if (settings.backoffMultiplier() > 1) {
      builder.openStateBackoff(settings.backoffMultiplier(), Duration.ofNanos(settings.backoffMaxNanos()));
    }
    return builder;
  }

  static boolean run(CircuitBreaker breaker, ManualTicker ticker, Call call) {
    boolean[] ran = new boolean[1];
    try {
      breaker.executeSupplier(() -> {
        ran[0] = true;
        ticker.advance(Duration.ofMillis(call.millis()));
        switch (call.outcome()) {
          case FAILURE -> throw new Boom();
          case IGNORED -> throw new Ignorable();
          default -> {
            return "ok";
          }
        }
      });
    } catch (Boom | Ignorable | CallNotPermittedException e) {
      // the outcome is what the step asked for, or a rejection
    }
    return ran[0];
  }

  @Provide
  Arbitrary<ReferenceModel.CompiledConfig> settings() {
    Arbitrary<Boolean> timeBased = Arbitraries.of(true, false);
    Arbitrary<Integer> windowSize = Arbitraries.integers().between(1, 12);
    Arbitrary<Integer> windowSeconds = Arbitraries.integers().between(1, 5);
    Arbitrary<Integer> minimum = Arbitraries.integers().between(1, 12);
    Arbitrary<Double> threshold =
        Arbitraries.oneOf(
            Arbitraries.of(10.0, 25.0, 100.0 / 3, 50.0, 200.0 / 3, 75.0, 100.0),
            Arbitraries.doubles().between(0.5, 100));
    Arbitrary<Long> slowNanos = Arbitraries.longs().between(1, 2_000).map(ms -> ms * 1_000_000);
    Arbitrary<Integer> consecutive = Arbitraries.oneOf(Arbitraries.just(0), Arbitraries.integers().between(1, 5));
    Arbitrary<Long> waitNanos = Arbitraries.longs().between(1, 60).map(s -> s * 1_000_000_000);
    Arbitrary<Double> multiplier = Arbitraries.oneOf(Arbitraries.just(1.0), Arbitraries.doubles().between(1.0, 3.0));
    Arbitrary<Long> extraMax = Arbitraries.longs().between(0, 200).map(s -> s * 1_000_000_000);
    Arbitrary<Integer> permitted = Arbitraries.integers().between(1, 5);
    return Combinators.combine(
            Combinators.combine(timeBased, windowSize, windowSeconds, minimum).as(List::of),
            Combinators.combine(threshold, threshold, slowNanos, consecutive).as(List::of),
            Combinators.combine(waitNanos, multiplier, extraMax, permitted).as(List::of))
        .as(
            (window, rates, open) -> {
              boolean time = (Boolean) window.get(0);
              int size = (Integer) window.get(1);
              int min = Math.min((Integer) window.get(3), time ? 12 : size);
              long wait = (Long) open.get(0);
              return new ReferenceModel.CompiledConfig(
                  time,
                  size,
                  (Integer) window.get(2),
                  min,
                  (Double) rates.get(0),
                  (Double) rates.get(1),
                  (Long) rates.get(2),
                  (Integer) rates.get(3),
                  wait,
                  (Double) open.get(1),
                  wait + (Long) open.get(2),
                  (Integer) open.get(3));
            });
  }

  @Provide
  Arbitrary<List<Step>> steps() {
    Arbitrary<Step> call =
        Combinators.combine(
                Arbitraries.of(Kind.class),
                Arbitraries.oneOf(Arbitraries.integers().between(0, 50), Arbitraries.integers().between(0, 3000)))
            .as(Call::new);
    Arbitrary<Step> wait = Arbitraries.integers().between(0, 130_000).map(Wait::new);
    return Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(8, call), net.jqwik.api.Tuple.of(1, wait))
        .list()
        .ofMaxSize(250);
  }
}
