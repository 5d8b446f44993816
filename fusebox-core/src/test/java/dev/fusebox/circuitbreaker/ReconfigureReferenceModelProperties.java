package dev.fusebox.circuitbreaker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusebox.circuitbreaker.CircuitBreaker.State;
import dev.fusebox.circuitbreaker.Fixtures.Boom;
import dev.fusebox.circuitbreaker.Fixtures.Ignorable;
import dev.fusebox.testing.ManualTicker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Issue 18: reconfigurations interleaved with calls, held permits and time, against the reference model,
 * which applies the rules literally. After every step both are in the same state, admit the same
 * calls and, closed on a count window, hold the same counts; a permit held across a change reports into
 * the reconfigured stay. A reconfiguration keeps the window type and the slow-call duration (both shape
 * how an outcome in flight is counted, which the model does not track per call).
 */
class ReconfigureReferenceModelProperties {

  sealed interface Step permits Call, Take, Report, Wait, Reconfigure {}

  record Call(ReferenceModelProperties.Call call) implements Step {}

  record Take() implements Step {}

  record Report(int index, boolean failed, boolean release, int millis) implements Step {}

  record Wait(int millis) implements Step {}

  record Reconfigure(ReferenceModel.CompiledConfig settings) implements Step {}

  record Held(CircuitBreaker.Permit permit, long modelStay) {}

  @Property(tries = 300)
  void reconfigurationsKeepStateExactlyAsTheReferenceModel(
      @ForAll("settings") ReferenceModel.CompiledConfig settings, @ForAll("steps") List<Step> steps) {
    ManualTicker ticker = new ManualTicker();
    CircuitBreaker breaker = CircuitBreaker.of("model", ReferenceModelProperties.builder(settings, ticker).build());
    ReferenceModel model = new ReferenceModel(settings);
    List<Held> held = new ArrayList<>();

    int index = 0;
    for (Step step : steps) {
      String where = "step " + index++ + " " + step + " with " + settings;
      long now = ticker.nanos();
      if (step instanceof Wait wait) {
        ticker.advance(Duration.ofMillis(wait.millis()));
      } else if (step instanceof Call synchronous) {
        ReferenceModelProperties.Call call = synchronous.call();
        boolean expected = model.admit(now);
        boolean ran = ReferenceModelProperties.run(breaker, ticker, call);
        assertThat(ran).as(where).isEqualTo(expected);
        if (ran) {
          if (call.outcome() == ReferenceModelProperties.Kind.IGNORED) {
            model.ignored();
          } else {
            boolean failed = call.outcome() == ReferenceModelProperties.Kind.FAILURE;
            model.record(failed, Duration.ofMillis(call.millis()).toNanos(), ticker.nanos());
          }
        }
      } else if (step instanceof Take) {
        long modelStay = model.admitPermit(now);
        CircuitBreaker.Permit permit = breaker.tryAcquirePermit();
        assertThat(permit != null).as(where).isEqualTo(modelStay >= 0);
        if (permit != null) {
          held.add(new Held(permit, modelStay));
        }
      } else if (step instanceof Report report) {
        if (!held.isEmpty()) {
          Held permission = held.remove(report.index() % held.size());
          ticker.advance(Duration.ofMillis(report.millis()));
          long nanos = Duration.ofMillis(report.millis()).toNanos();
          if (report.release()) {
            permission.permit().release();
            model.releaseFor(permission.modelStay());
          } else {
            if (report.failed()) {
              permission.permit().onError(nanos, new Boom());
            } else {
              permission.permit().onSuccess(nanos);
            }
            model.recordFor(permission.modelStay(), report.failed(), nanos, ticker.nanos());
          }
        }
      } else {
        ReferenceModel.CompiledConfig next = ((Reconfigure) step).settings();
        ReferenceModel.CompiledConfig kept =
            new ReferenceModel.CompiledConfig(
                settings.timeBased(),
                next.windowSize(),
                next.windowSeconds(),
                settings.timeBased() ? next.minimumCalls() : Math.min(next.minimumCalls(), next.windowSize()),
                next.failureRateThreshold(),
                next.slowCallRateThreshold(),
                settings.slowCallNanos(),
                next.consecutiveFailures(),
                next.waitNanos(),
                next.backoffMultiplier(),
                next.backoffMaxNanos(),
                next.permittedTrials());
        CircuitBreakerConfig config = ReferenceModelProperties.builder(kept, ticker).build();
        breaker.reconfigure(config);
        model.reconfigure(kept, now);
        assertThat(breaker.config()).as(where).isSameAs(config);
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

  @Provide
  Arbitrary<ReferenceModel.CompiledConfig> settings() {
    return new ReferenceModelProperties().settings();
  }

  @Provide
  Arbitrary<List<Step>> steps() {
    Arbitrary<Integer> millis =
        Arbitraries.oneOf(Arbitraries.integers().between(0, 50), Arbitraries.integers().between(0, 3000));
    Arbitrary<Step> call =
        Combinators.combine(Arbitraries.of(ReferenceModelProperties.Kind.class), millis)
            .as((kind, ms) -> new Call(new ReferenceModelProperties.Call(kind, ms)));
    Arbitrary<Step> take = Arbitraries.just(new Take());
    Arbitrary<Step> report =
        Combinators.combine(
                Arbitraries.integers().between(0, 7), Arbitraries.of(true, false), Arbitraries.of(true, false, false, false), millis)
            .as(Report::new);
    Arbitrary<Step> wait = Arbitraries.integers().between(0, 130_000).map(Wait::new);
    Arbitrary<Step> reconfigure = settings().map(Reconfigure::new);
    return Arbitraries.frequencyOf(
            Tuple.of(6, call), Tuple.of(2, take), Tuple.of(3, report), Tuple.of(1, wait), Tuple.of(2, reconfigure))
        .list()
        .ofMaxSize(200);
  }
}
