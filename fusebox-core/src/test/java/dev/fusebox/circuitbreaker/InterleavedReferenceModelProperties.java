package dev.fusebox.circuitbreaker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusebox.circuitbreaker.CircuitBreaker.State;
import dev.fusebox.circuitbreaker.Fixtures.Boom;
import dev.fusebox.circuitbreaker.Fixtures.Ignorable;
import dev.fusebox.testing.ManualTicker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * The reference model against streams that interleave what the synchronous calls of
 * {@link ReferenceModelProperties} never do: permits of the manual API held across other calls and
 * transitions, asynchronous calls whose stages complete later, and manual moves. A held permit or a pending
 * stage belongs to the stay that admitted it; the model counts its outcome only while that stay is current,
 * and so must the breaker. After every step both are in the same state, admit the same calls and, closed on
 * a count window, hold the same counts. The ticker starts anywhere, just below the wrap included.
 */
class InterleavedReferenceModelProperties {

  /** One step of a stream. */
  sealed interface Step permits Call, Take, Report, Wait, Move {}

  /** A synchronous call, as {@link ReferenceModelProperties} makes them. */
  record Call(ReferenceModelProperties.Call call) implements Step {}

  /** A permission taken and held: a manual permit, or an asynchronous call whose stage is still running. */
  record Take(boolean async) implements Step {}

  /** The outcome of the {@code index}-th held permission (modulo how many are held), after {@code millis}. */
  record Report(int index, Kind outcome, int millis) implements Step {}

  /** Time passing without calls. */
  record Wait(int millis) implements Step {}

  /** A move by hand. */
  record Move(State to) implements Step {}

  enum Kind { SUCCESS, FAILURE, IGNORED, RELEASE }

  /** A permission the stream holds: its permit or its pending stage, the model's stay, when it started. */
  record Held(CircuitBreaker.Permit permit, CompletableFuture<String> stage, long modelStay, long start) {}

  @Property(tries = 300)
  void permitsAsynchronousCallsAndManualMovesDecideExactlyAsTheReferenceModel(
      @ForAll("settings") ReferenceModel.CompiledConfig settings,
      @ForAll("origins") long origin,
      @ForAll("steps") List<Step> steps) {
    ManualTicker ticker = new ManualTicker(settings.timeBased() ? 0 : origin);
    CircuitBreaker breaker = CircuitBreaker.of("model", ReferenceModelProperties.builder(settings, ticker).build());
    ReferenceModel model = new ReferenceModel(settings);
    List<Held> held = new ArrayList<>();

    int index = 0;
    for (Step step : steps) {
      String where = "step " + index++ + " " + step + " with " + settings + " from " + origin;
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
      } else if (step instanceof Take take) {
        long modelStay = model.admitPermit(now);
        Held taken = take(breaker, take.async());
        assertThat(taken != null).as(where).isEqualTo(modelStay >= 0);
        if (taken != null) {
          held.add(new Held(taken.permit(), taken.stage(), modelStay, now));
        }
      } else if (step instanceof Report report) {
        if (!held.isEmpty()) {
          Held permission = held.remove(report.index() % held.size());
          ticker.advance(Duration.ofMillis(report.millis()));
          report(permission, report.outcome(), report.millis());
          long duration =
              permission.stage() != null
                  ? ticker.nanos() - permission.start()
                  : Duration.ofMillis(report.millis()).toNanos();
          if (report.outcome() == Kind.SUCCESS || report.outcome() == Kind.FAILURE) {
            model.recordFor(permission.modelStay(), report.outcome() == Kind.FAILURE, duration, ticker.nanos());
          } else {
            model.releaseFor(permission.modelStay());
          }
        }
      } else {
        move(breaker, model, ((Move) step).to(), now);
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

  private static void move(CircuitBreaker breaker, ReferenceModel model, State to, long now) {
    switch (to) {
      case CLOSED -> {
        breaker.transitionToClosedState();
        model.toClosed();
      }
      case OPEN -> {
        breaker.transitionToOpenState();
        model.toOpen(now);
      }
      case HALF_OPEN -> {
        breaker.transitionToHalfOpenState();
        model.toHalfOpen();
      }
      default -> {
        breaker.transitionToForcedOpenState();
        model.toForcedOpen();
      }
    }
  }

  /** Takes a permit, or starts an asynchronous call on a stage that completes later; null if rejected. */
  private static Held take(CircuitBreaker breaker, boolean async) {
    if (!async) {
      CircuitBreaker.Permit permit = breaker.tryAcquirePermit();
      return permit == null ? null : new Held(permit, null, 0, 0);
    }
    CompletableFuture<String> stage = new CompletableFuture<>();
    boolean[] started = new boolean[1];
    breaker.executeCompletionStage(() -> {
      started[0] = true;
      return stage;
    });
    return started[0] ? new Held(null, stage, 0, 0) : null;
  }

  private static void report(Held permission, Kind outcome, int millis) {
    long nanos = Duration.ofMillis(millis).toNanos();
    if (permission.permit() != null) {
      switch (outcome) {
        case SUCCESS -> permission.permit().onSuccess(nanos);
        case FAILURE -> permission.permit().onError(nanos, new Boom());
        case IGNORED -> permission.permit().onError(nanos, new Ignorable());
        default -> permission.permit().release();
      }
    } else {
      switch (outcome) {
        case SUCCESS -> permission.stage().complete("ok");
        case FAILURE -> permission.stage().completeExceptionally(new Boom());
        case IGNORED -> permission.stage().completeExceptionally(new Ignorable());
        default -> permission.stage().cancel(false);
      }
    }
  }

  @Provide
  Arbitrary<ReferenceModel.CompiledConfig> settings() {
    return new ReferenceModelProperties().settings();
  }

  @Provide
  Arbitrary<Long> origins() {
    return Arbitraries.frequencyOf(
        Tuple.of(1, Arbitraries.just(0L)),
        Tuple.of(3, Arbitraries.longs().between(0, 30_000).map(ms -> Long.MAX_VALUE - ms * 1_000_000)),
        Tuple.of(1, Arbitraries.longs()));
  }

  @Provide
  Arbitrary<List<Step>> steps() {
    Arbitrary<Integer> millis =
        Arbitraries.oneOf(Arbitraries.integers().between(0, 50), Arbitraries.integers().between(0, 3000));
    Arbitrary<Step> call =
        Combinators.combine(Arbitraries.of(ReferenceModelProperties.Kind.class), millis)
            .as((kind, ms) -> new Call(new ReferenceModelProperties.Call(kind, ms)));
    Arbitrary<Step> take = Arbitraries.of(true, false).map(Take::new);
    Arbitrary<Step> report =
        Combinators.combine(Arbitraries.integers().between(0, 7), Arbitraries.of(Kind.class), millis).as(Report::new);
    Arbitrary<Step> wait = Arbitraries.integers().between(0, 130_000).map(Wait::new);
    Arbitrary<Step> move = Arbitraries.of(State.CLOSED, State.OPEN, State.HALF_OPEN, State.FORCED_OPEN).map(Move::new);
    return Arbitraries.frequencyOf(
            Tuple.of(6, call), Tuple.of(3, take), Tuple.of(4, report), Tuple.of(1, wait), Tuple.of(1, move))
        .list()
        .ofMaxSize(200);
  }
}
