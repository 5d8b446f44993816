package dev.fusebox.throttle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusebox.testing.ManualTicker;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The throttle against the {@link ReferenceModel} on random configurations and random traffic, with the
 * same seeded random source: request by request it admits exactly what the model admits, and after every
 * step its window, its probability and its totals are the model's, also when its ticker starts just
 * before {@code Long.MAX_VALUE} and passes it.
 */
class AdaptiveThrottleProperties {

  enum Outcome { ACCEPTED, FAILED, IGNORED }

  /** One step: time passes, then (unless {@code outcome} is null) a request is made and answered. */
  record Step(long waitNanos, Outcome outcome) {}

  record Setup(double k, Duration window, double maxRejectionProbability, int minimumNumberOfRequests, long start,
      long seed) {}

  static final class Ignorable extends RuntimeException {}

  static final class Failure extends RuntimeException {}

  @Provide
  Arbitrary<Setup> setups() {
    return Combinators.combine(
            Arbitraries.of(0.5, 1.0, 1.5, 2.0, 3.0),
            Arbitraries.of(
                Duration.ofMillis(250), Duration.ofSeconds(1), Duration.ofSeconds(10), Duration.ofMillis(90_500),
                Duration.ofMinutes(2)),
            Arbitraries.of(0.25, 0.8, 0.9, 1.0),
            Arbitraries.integers().between(0, 6),
            Arbitraries.of(0L, 1_000_000_000_000L, Long.MAX_VALUE - 5_000_000_000L, Long.MAX_VALUE, -77L),
            Arbitraries.longs())
        .as(Setup::new);
  }

  @Provide
  Arbitrary<List<Step>> traffic() {
    Arbitrary<Long> wait =
        Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(6, Arbitraries.just(0L)),
            net.jqwik.api.Tuple.of(6, Arbitraries.longs().between(1, 400_000_000L)),
            net.jqwik.api.Tuple.of(1, Arbitraries.longs().between(1, 150_000_000_000L)));
    Arbitrary<Outcome> outcome =
        Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(5, Arbitraries.just(Outcome.ACCEPTED)),
            net.jqwik.api.Tuple.of(6, Arbitraries.just(Outcome.FAILED)),
            net.jqwik.api.Tuple.of(1, Arbitraries.just(Outcome.IGNORED)),
            net.jqwik.api.Tuple.of(1, Arbitraries.just((Outcome) null)));
    return Combinators.combine(wait, outcome).as(Step::new).list().ofMaxSize(200);
  }

  @Property(tries = 300)
  void theThrottleDecidesAndCountsExactlyAsTheReferenceModel(
      @ForAll("setups") Setup setup, @ForAll("traffic") List<Step> traffic) {
    AdaptiveThrottleConfig config =
        AdaptiveThrottleConfig.builder()
            .k(setup.k())
            .samplingWindow(setup.window())
            .maxRejectionProbability(setup.maxRejectionProbability())
            .minimumNumberOfRequests(setup.minimumNumberOfRequests())
            .ignoreExceptions(Ignorable.class)
            .random(new Random(setup.seed()))
            .ticker(new ManualTicker(setup.start()))
            .build();
    ManualTicker ticker = (ManualTicker) config.ticker();
    AdaptiveThrottle throttle = AdaptiveThrottle.of("model", config);
    ReferenceModel model = new ReferenceModel(config, setup.seed());
    long elapsed = 0;
    long accepts = 0;
    long failures = 0;
    long rejections = 0;
    long ignored = 0;

    for (int i = 0; i < traffic.size(); i++) {
      Step step = traffic.get(i);
      String where = "step " + i + " " + step + " at " + elapsed + " ns with " + setup;
      ticker.advanceNanos(step.waitNanos());
      elapsed += step.waitNanos();
      if (step.outcome() != null) {
        boolean expected = model.admit(elapsed);
        boolean ran = call(throttle, step.outcome());
        assertThat(ran).as(where).isEqualTo(expected);
        if (!ran) {
          rejections++;
        } else if (step.outcome() == Outcome.ACCEPTED) {
          accepts++;
          model.answered(elapsed, true);
        } else if (step.outcome() == Outcome.FAILED) {
          failures++;
          model.answered(elapsed, false);
        } else {
          ignored++;
        }
      }
      AdaptiveThrottle.Metrics m = throttle.metrics();
      assertThat(m.numberOfRequests()).as(where).isEqualTo(model.requests(elapsed));
      assertThat(m.numberOfAccepts()).as(where).isEqualTo(model.accepts(elapsed));
      assertThat(m.rejectionProbability()).as(where).isEqualTo(model.rejectionProbability(elapsed));
      assertThat(m.totalAccepts()).as(where).isEqualTo(accepts);
      assertThat(m.totalFailedRequests()).as(where).isEqualTo(failures);
      assertThat(m.totalRejectedRequests()).as(where).isEqualTo(rejections);
      assertThat(m.totalIgnoredCalls()).as(where).isEqualTo(ignored);
      assertThat(m.totalRequests()).as(where).isEqualTo(accepts + failures + rejections);
    }
  }

  /** Makes a request through the throttle; false if it was rejected. */
  private static boolean call(AdaptiveThrottle throttle, Outcome outcome) {
    try {
      throttle.executeRunnable(() -> {
        switch (outcome) {
          case FAILED -> throw new Failure();
          case IGNORED -> throw new Ignorable();
          default -> { }
        }
      });
      return true;
    } catch (CallThrottledException rejected) {
      return false;
    } catch (Failure | Ignorable answered) {
      return true;
    }
  }
}
