package dev.fusebox.throttle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.fusebox.bulkhead.Bulkhead;
import dev.fusebox.bulkhead.BulkheadConfig;
import dev.fusebox.circuitbreaker.CallNotPermittedException;
import dev.fusebox.circuitbreaker.CircuitBreaker;
import dev.fusebox.ratelimiter.RateLimiter;
import dev.fusebox.ratelimiter.RateLimiterConfig;
import dev.fusebox.testing.ManualTicker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The throttle's behaviour through its public API, with time and the draws moved by hand. */
class AdaptiveThrottleTest {

  private static final class Down extends RuntimeException {
    Down() {
      super("down");
    }
  }

  /** What an HTTP client returns, for the result rules. */
  record Response(int status) {}

  private final ManualTicker ticker = new ManualTicker(1_000_000_000_000L);

  private AdaptiveThrottleConfig.Builder config(Draws draws) {
    return AdaptiveThrottleConfig.builder().ticker(ticker).random(draws);
  }

  private static void accept(AdaptiveThrottle throttle, int times) {
    for (int i = 0; i < times; i++) {
      throttle.onSuccess();
    }
  }

  private static void fail(AdaptiveThrottle throttle, int times) {
    for (int i = 0; i < times; i++) {
      throttle.onError(new Down());
    }
  }

  // ---------------------------------------------------------------------------------------------------
  // The formula

  @Test
  void rejectsNothingAndDrawsNothingWhileHalfTheRequestsAreAccepted() {
    Draws draws = Draws.of();
    AdaptiveThrottle throttle = AdaptiveThrottle.of("search", config(draws).build());
    accept(throttle, 10);
    fail(throttle, 10);

    for (int i = 0; i < 5; i++) {
      assertThat(throttle.tryAcquirePermission()).isTrue();
    }

    assertThat(throttle.metrics().rejectionProbability()).isZero();
    assertThat(draws.draws()).isZero();
  }

  @Test
  void theProbabilityIsRequestsLessKTimesAcceptsOverRequestsPlusOne() {
    AdaptiveThrottle throttle = AdaptiveThrottle.of("search", config(Draws.of()).build());
    accept(throttle, 10);
    fail(throttle, 30);

    AdaptiveThrottle.Metrics m = throttle.metrics();

    assertThat(m.numberOfRequests()).isEqualTo(40);
    assertThat(m.numberOfAccepts()).isEqualTo(10);
    assertThat(m.rejectionProbability()).isEqualTo((40 - 2.0 * 10) / (40 + 1));
  }

  @Test
  void aDrawBelowTheProbabilityRejectsAndOneAtOrAboveItAdmits() {
    Draws draws = Draws.of(0.4877, 0.5, 0.4999);
    AdaptiveThrottle throttle = AdaptiveThrottle.of("search", config(draws).build());
    accept(throttle, 10);
    fail(throttle, 30);

    assertThat(throttle.tryAcquirePermission()).isFalse(); // 0.4877 < 20/41
    // The rejection is a request: (41 - 20) / 42 = 0.5 now.
    assertThat(throttle.metrics().rejectionProbability()).isEqualTo(0.5);
    assertThat(throttle.tryAcquirePermission()).isTrue(); // 0.5 is not below 0.5
    assertThat(throttle.tryAcquirePermission()).isFalse(); // 0.4999 is
    assertThat(throttle.metrics().rejectionProbability()).isEqualTo(22.0 / 43);
    assertThat(throttle.metrics().totalRejectedRequests()).isEqualTo(2);
    assertThat(draws.draws()).isEqualTo(3);
  }

  @Test
  void whileTheDependencyStaysDownLocalRejectionsRaiseTheProbabilityUpToTheCap() {
    AdaptiveThrottle throttle =
        AdaptiveThrottle.of("search", config(Draws.always(0.0)).maxRejectionProbability(0.75).build());
    fail(throttle, 1);
    List<Double> probabilities = new ArrayList<>();

    for (int i = 0; i < 4; i++) {
      probabilities.add(throttle.metrics().rejectionProbability());
      assertThat(throttle.tryAcquirePermission()).isFalse();
    }

    // 1/2, 2/3, then 3/4 = the cap, and the cap from there on although 4/5 would follow.
    assertThat(probabilities).containsExactly(0.5, 2.0 / 3, 0.75, 0.75);
    assertThat(throttle.metrics().numberOfRequests()).isEqualTo(5);
    assertThat(throttle.metrics().numberOfAccepts()).isZero();
  }

  @Test
  void kSetsHowManyRequestsPerAcceptPassBeforeAnyIsRejected() {
    AdaptiveThrottle lenient = AdaptiveThrottle.of("lenient", config(Draws.of()).k(3).build());
    AdaptiveThrottle eager = AdaptiveThrottle.of("eager", config(Draws.of()).k(1.25).build());
    for (AdaptiveThrottle throttle : List.of(lenient, eager)) {
      accept(throttle, 4);
      fail(throttle, 6);
    }

    assertThat(lenient.metrics().rejectionProbability()).isZero(); // 10 <= 3 * 4
    assertThat(eager.metrics().rejectionProbability()).isEqualTo((10 - 1.25 * 4) / 11);
  }

  @Test
  void belowTheMinimumNumberOfRequestsNothingIsRejected() {
    AdaptiveThrottle throttle =
        AdaptiveThrottle.of("search", config(Draws.always(0.0)).minimumNumberOfRequests(5).build());
    fail(throttle, 4);

    assertThat(throttle.metrics().rejectionProbability()).isZero();
    assertThat(throttle.tryAcquirePermission()).isTrue();
    fail(throttle, 1);
    assertThat(throttle.metrics().rejectionProbability()).isEqualTo(5.0 / 6);
    assertThat(throttle.tryAcquirePermission()).isFalse();
  }

  // ---------------------------------------------------------------------------------------------------
  // Time

  @Test
  void outcomesLeaveTheWindowWhenTheirBucketDoes() {
    AdaptiveThrottle throttle = AdaptiveThrottle.of("search", config(Draws.of(0.99)).build());
    fail(throttle, 3);
    ticker.advance(Duration.ofSeconds(60));
    assertThat(throttle.tryAcquirePermission()).isTrue(); // p = 3/4, the draw 0.99 admits
    throttle.onSuccess();
    assertThat(throttle.metrics().numberOfRequests()).isEqualTo(4);

    // The window of 120 one-second buckets still holds the first bucket 119.999 s later...
    ticker.advance(Duration.ofMillis(59_999));
    assertThat(throttle.metrics().numberOfRequests()).isEqualTo(4);
    // ...and lets it go at 120 s, keeping what came 60 s later.
    ticker.advanceNanos(1_000_000);
    assertThat(throttle.metrics().numberOfRequests()).isEqualTo(1);
    ticker.advance(Duration.ofSeconds(60));
    assertThat(throttle.metrics().numberOfRequests()).isZero();
    assertThat(throttle.metrics().totalRequests()).isEqualTo(4);
  }

  @Test
  void aTickerPassingLongMaxValueMovesTheWindowOnAsAnyOther() {
    ManualTicker nearTheEnd = new ManualTicker(Long.MAX_VALUE - Duration.ofSeconds(30).toNanos());
    AdaptiveThrottle throttle =
        AdaptiveThrottle.of("search", AdaptiveThrottleConfig.builder().ticker(nearTheEnd).random(Draws.of()).build());
    accept(throttle, 2);
    fail(throttle, 6); // p = (8 - 4) / 9

    nearTheEnd.advance(Duration.ofSeconds(60)); // now past Long.MAX_VALUE: the reading is negative
    assertThat(nearTheEnd.nanos()).isNegative();
    assertThat(throttle.metrics().rejectionProbability()).isEqualTo(4.0 / 9);
    accept(throttle, 1);

    nearTheEnd.advance(Duration.ofSeconds(60)); // 120 s after the first outcomes: they are gone
    assertThat(throttle.metrics().numberOfRequests()).isEqualTo(1);
    assertThat(throttle.metrics().numberOfAccepts()).isEqualTo(1);
    nearTheEnd.advance(Duration.ofSeconds(60));
    assertThat(throttle.metrics().numberOfRequests()).isZero();
  }

  @Test
  void aDecisionReadsTheTickerOnceAndRecordingAnOutcomeNever() {
    AtomicInteger reads = new AtomicInteger();
    AdaptiveThrottle throttle =
        AdaptiveThrottle.of(
            "search",
            AdaptiveThrottleConfig.builder().ticker(() -> {
              reads.incrementAndGet();
              return ticker.nanos();
            }).random(Draws.of()).build());
    reads.set(0);

    throttle.executeSupplier(() -> "ok");
    throttle.tryAcquirePermission();
    assertThat(reads).hasValue(2);
    throttle.onSuccess();
    throttle.onError(new Down());
    throttle.onResult("ok");
    assertThat(reads).hasValue(2);
  }

  // ---------------------------------------------------------------------------------------------------
  // What counts as accepted

  @Test
  void byDefaultEveryExceptionIsAFailureAndEveryResultAnAccept() {
    AdaptiveThrottle throttle = AdaptiveThrottle.of("search", config(Draws.of()).build());

    assertThat(throttle.executeSupplier(() -> new Response(503))).isEqualTo(new Response(503));
    assertThatThrownBy(() -> throttle.executeSupplier(() -> { throw new Down(); })).isInstanceOf(Down.class);

    assertThat(throttle.metrics().totalFailedRequests()).isEqualTo(1);
    assertThat(throttle.metrics().totalAccepts()).isEqualTo(1);
  }

  @Test
  void recordResultMakesA503AFailureWhileA404StaysAnAccept() {
    AdaptiveThrottle throttle =
        AdaptiveThrottle.of("search", config(Draws.of()).recordResult(r -> ((Response) r).status() >= 500).build());

    throttle.executeSupplier(() -> new Response(200));
    throttle.executeSupplier(() -> new Response(404));
    throttle.executeSupplier(() -> new Response(503));

    AdaptiveThrottle.Metrics m = throttle.metrics();
    assertThat(m.totalFailedRequests()).isEqualTo(1);
    assertThat(m.totalAccepts()).isEqualTo(2);
    assertThat(m.numberOfRequests()).isEqualTo(3);
  }

  @Test
  void recordExceptionsNarrowTheFailuresAndEveryOtherExceptionWasAnAnswer() {
    AdaptiveThrottle throttle =
        AdaptiveThrottle.of(
            "search",
            config(Draws.of())
                .recordExceptions(IOException.class)
                .recordException(e -> e instanceof TimeoutException)
                .build());

    throttle.onError(new IOException("connection reset"));
    throttle.onError(new TimeoutException());
    throttle.onError(new IllegalArgumentException("400: bad query"));

    assertThat(throttle.metrics().totalFailedRequests()).isEqualTo(2);
    assertThat(throttle.metrics().totalAccepts()).isEqualTo(1);
  }

  @Test
  void ignoredExceptionsCountForNothingAndIgnoringWinsOverRecording() {
    AdaptiveThrottle throttle =
        AdaptiveThrottle.of(
            "search",
            config(Draws.of())
                .recordExceptions(IOException.class)
                .ignoreExceptions(java.io.FileNotFoundException.class)
                .ignoreException(e -> "client gave up".equals(e.getMessage()))
                .build());

    throttle.onError(new java.io.FileNotFoundException("cache miss"));
    throttle.onError(new IOException("client gave up"));

    AdaptiveThrottle.Metrics m = throttle.metrics();
    assertThat(m.totalIgnoredCalls()).isEqualTo(2);
    assertThat(m.totalRequests()).isZero();
    assertThat(m.numberOfRequests()).isZero();
  }

  @Test
  void rejectionsOfFuseboxPoliciesInsideAndCancellationsCountForNothingWhateverTheConfigurationSays() {
    AdaptiveThrottle throttle =
        AdaptiveThrottle.of("search", config(Draws.of()).recordException(e -> true).build());
    CircuitBreaker open = CircuitBreaker.ofDefaults("cb");
    open.transitionToForcedOpenState();
    Bulkhead full = Bulkhead.of("bh", BulkheadConfig.builder().maxConcurrentCalls(1).build());
    full.acquirePermission();
    RateLimiter spent =
        RateLimiter.of("rl", RateLimiterConfig.builder().limitForPeriod(1).ticker(ticker).build());
    spent.acquirePermission();
    AdaptiveThrottle inner = AdaptiveThrottle.of("inner", config(Draws.always(0.0)).build());
    fail(inner, 1);

    assertThatThrownBy(() -> throttle.executeRunnable(() -> open.executeRunnable(() -> {})))
        .isInstanceOf(CallNotPermittedException.class);
    assertThatThrownBy(() -> throttle.executeRunnable(() -> full.executeRunnable(() -> {})))
        .isInstanceOf(dev.fusebox.bulkhead.BulkheadFullException.class);
    assertThatThrownBy(() -> throttle.executeRunnable(() -> spent.executeRunnable(() -> {})))
        .isInstanceOf(dev.fusebox.ratelimiter.RequestNotPermittedException.class);
    assertThatThrownBy(() -> throttle.executeRunnable(() -> inner.executeRunnable(() -> {})))
        .isInstanceOf(CallThrottledException.class);
    throttle.onError(new CancellationException());

    assertThat(throttle.metrics().totalIgnoredCalls()).isEqualTo(5);
    assertThat(throttle.metrics().totalRequests()).isZero();
  }

  @Test
  void aThrowingResultPredicateReachesTheCallerAndRecordsNothing() {
    IllegalStateException bug = new IllegalStateException("predicate bug");
    AdaptiveThrottle throttle =
        AdaptiveThrottle.of("search", config(Draws.of()).recordResult(r -> { throw bug; }).build());

    assertThatThrownBy(() -> throttle.executeSupplier(() -> "value")).isSameAs(bug);
    assertThat(throttle.metrics().totalRequests()).isZero();
  }

  @Test
  void aThrowingExceptionPredicateLeavesTheCallerItsOwnExceptionWithTheBugAttached() {
    IllegalStateException bug = new IllegalStateException("predicate bug");
    AdaptiveThrottle throttle =
        AdaptiveThrottle.of("search", config(Draws.of()).recordException(e -> { throw bug; }).build());
    Down down = new Down();

    Throwable thrown = catchThrowable(() -> throttle.executeSupplier(() -> { throw down; }));

    assertThat(thrown).isSameAs(down);
    assertThat(down.getSuppressed()).containsExactly(bug);
    assertThat(throttle.metrics().totalRequests()).isZero();
  }

  // ---------------------------------------------------------------------------------------------------
  // Call forms

  @Test
  void aRejectedCallDoesNotRunAndGetsTheOneStacklessException() {
    AdaptiveThrottle throttle = AdaptiveThrottle.of("search", config(Draws.always(0.0)).build());
    fail(throttle, 1);
    AtomicInteger runs = new AtomicInteger();

    Throwable first = catchThrowable(() -> throttle.executeSupplier(runs::incrementAndGet));
    Throwable second = catchThrowable(() -> throttle.executeCallable(runs::incrementAndGet));
    Throwable third = catchThrowable(throttle::acquirePermission);

    assertThat(runs).hasValue(0);
    assertThat(first).isInstanceOf(CallThrottledException.class).isSameAs(second).isSameAs(third);
    assertThat(first.getStackTrace()).isEmpty();
    assertThat(((CallThrottledException) first).throttleName()).isEqualTo("search");
    assertThat(first).hasMessage("AdaptiveThrottle 'search' rejected the call locally: the dependency accepted "
        + "too few of the recent requests");
    assertThat(throttle.metrics().totalRejectedRequests()).isEqualTo(3);
  }

  @Test
  void everySynchronousFormRunsTheCallAndHandsBackItsOwnOutcome() throws Exception {
    AdaptiveThrottle throttle = AdaptiveThrottle.of("search", config(Draws.of()).build());
    IOException io = new IOException("reset");
    AtomicInteger runs = new AtomicInteger();

    assertThat(throttle.executeSupplier(() -> "s")).isEqualTo("s");
    assertThat(throttle.executeCallable(() -> "c")).isEqualTo("c");
    throttle.executeRunnable(runs::incrementAndGet);
    Supplier<String> supplier = throttle.decorateSupplier(() -> "ds");
    Function<Integer, String> function = throttle.decorateFunction(i -> "f" + i);
    assertThat(supplier.get()).isEqualTo("ds");
    assertThat(function.apply(7)).isEqualTo("f7");
    assertThat(throttle.decorateCallable(() -> "dc").call()).isEqualTo("dc");
    throttle.decorateRunnable(runs::incrementAndGet).run();
    assertThatThrownBy(() -> throttle.executeCallable(() -> { throw io; })).isSameAs(io);

    assertThat(runs).hasValue(2);
    assertThat(throttle.metrics().totalAccepts()).isEqualTo(7);
    assertThat(throttle.metrics().totalFailedRequests()).isEqualTo(1);
    assertThatThrownBy(() -> throttle.executeSupplier(null)).isInstanceOf(NullPointerException.class)
        .hasMessage("supplier must not be null");
    assertThatThrownBy(() -> throttle.onError(null)).hasMessage("error must not be null");
  }

  @Test
  void anAsynchronousCallIsRecordedWhenItsStageCompletes() {
    AdaptiveThrottle throttle =
        AdaptiveThrottle.of("search", config(Draws.of()).recordResult(r -> ((Response) r).status() >= 500).build());
    CompletableFuture<Response> ok = new CompletableFuture<>();
    CompletableFuture<Response> unavailable = new CompletableFuture<>();
    CompletableFuture<Response> broken = new CompletableFuture<>();
    UncheckedIOException reset = new UncheckedIOException(new IOException("reset"));

    CompletionStage<Response> first = throttle.executeCompletionStage(() -> ok);
    CompletionStage<Response> second = throttle.executeCompletionStage(() -> unavailable);
    CompletionStage<Response> third = throttle.executeCompletionStage(() -> broken);
    assertThat(throttle.metrics().totalRequests()).isZero(); // in flight: not known yet
    ok.complete(new Response(200));
    unavailable.complete(new Response(503));
    broken.completeExceptionally(reset);

    assertThat(first.toCompletableFuture().join()).isEqualTo(new Response(200));
    assertThat(second.toCompletableFuture().join()).isEqualTo(new Response(503));
    assertThat(third.toCompletableFuture().handle((v, e) -> e).join()).isSameAs(reset);
    assertThat(throttle.metrics().totalAccepts()).isEqualTo(1);
    assertThat(throttle.metrics().totalFailedRequests()).isEqualTo(2);
  }

  @Test
  void anAsynchronousRejectionNeverStartsTheCallAndNeverThrows() {
    AdaptiveThrottle throttle = AdaptiveThrottle.of("search", config(Draws.always(0.0)).build());
    fail(throttle, 1);
    AtomicInteger starts = new AtomicInteger();

    CompletionStage<String> stage =
        throttle.executeCompletionStage(() -> {
          starts.incrementAndGet();
          return CompletableFuture.completedFuture("never");
        });

    assertThat(starts).hasValue(0);
    assertThat(stage.toCompletableFuture().handle((v, e) -> e).join()).isInstanceOf(CallThrottledException.class);
  }

  @Test
  void aSupplierThatThrowsOrReturnsNullFailsTheStageAndCountsAsAFailure() {
    AdaptiveThrottle throttle = AdaptiveThrottle.of("search", config(Draws.always(0.99)).build());
    Down down = new Down();

    CompletionStage<String> thrown = throttle.executeCompletionStage(() -> { throw down; });
    CompletionStage<String> nothing = throttle.executeCompletionStage(() -> null);

    assertThat(thrown.toCompletableFuture().handle((v, e) -> e).join()).isSameAs(down);
    assertThat(nothing.toCompletableFuture().handle((v, e) -> e).join())
        .isInstanceOf(NullPointerException.class)
        .hasMessage("the supplier returned a null CompletionStage");
    assertThat(throttle.metrics().totalFailedRequests()).isEqualTo(2);
  }

  @Test
  void cancellingTheReturnedStageCancelsTheCallWhichThenCountsForNothing() {
    AdaptiveThrottle throttle = AdaptiveThrottle.of("search", config(Draws.of()).build());
    CompletableFuture<String> call = new CompletableFuture<>();

    CompletionStage<String> stage = throttle.executeCompletionStage(() -> call);
    assertThat(stage.toCompletableFuture().cancel(true)).isTrue();

    assertThat(call).isCancelled();
    assertThat(throttle.metrics().totalIgnoredCalls()).isEqualTo(1);
    assertThat(throttle.metrics().totalRequests()).isZero();
  }

  @Test
  void aThrowingResultPredicateFailsTheReturnedStage() {
    IllegalStateException bug = new IllegalStateException("predicate bug");
    AdaptiveThrottle throttle =
        AdaptiveThrottle.of("search", config(Draws.of()).recordResult(r -> { throw bug; }).build());

    CompletionStage<String> stage = throttle.executeCompletionStage(() -> CompletableFuture.completedFuture("v"));

    assertThat(stage.toCompletableFuture().handle((v, e) -> e).join()).isSameAs(bug);
  }

  @Test
  void theManualFormCountsWhatItIsTold() {
    AdaptiveThrottle throttle =
        AdaptiveThrottle.of("search", config(Draws.always(0.99)).recordResult(r -> ((Response) r).status() >= 500).build());

    assertThat(throttle.tryAcquirePermission()).isTrue();
    throttle.onResult(new Response(502));
    throttle.acquirePermission();
    throttle.onResult(new Response(201));
    throttle.onSuccess();
    throttle.onError(new Down());
    assertThat(throttle.tryAcquirePermission()).isTrue(); // a call that was not made reports nothing

    AdaptiveThrottle.Metrics m = throttle.metrics();
    assertThat(m.totalRequests()).isEqualTo(4);
    assertThat(m.totalAccepts()).isEqualTo(2);
    assertThat(m.totalFailedRequests()).isEqualTo(2);
    assertThat(m.rejectionProbability()).isZero(); // 4 - 2 * 2 = 0
  }

  // ---------------------------------------------------------------------------------------------------
  // Events, metrics, identity

  @Test
  void publishesOneEventPerRequestByHowItEnded() {
    AdaptiveThrottle throttle = AdaptiveThrottle.of("search", config(Draws.of(0.1)).build());
    List<AdaptiveThrottleEvent> events = new ArrayList<>();
    throttle.onEvent(events::add);
    Down down = new Down();
    CancellationException cancelled = new CancellationException();

    throttle.onSuccess();
    throttle.onError(down);
    throttle.onError(down);
    throttle.onError(cancelled);
    throttle.tryAcquirePermission(); // p = (3 - 2) / 4 = 0.25; the draw 0.1 rejects

    assertThat(events).extracting(AdaptiveThrottleEvent::type).containsExactly(
        AdaptiveThrottleEvent.Type.ACCEPTED,
        AdaptiveThrottleEvent.Type.NOT_ACCEPTED,
        AdaptiveThrottleEvent.Type.NOT_ACCEPTED,
        AdaptiveThrottleEvent.Type.IGNORED,
        AdaptiveThrottleEvent.Type.REJECTED);
    assertThat(events).extracting(AdaptiveThrottleEvent::name).containsOnly("search");
    assertThat(((AdaptiveThrottleEvent.NotAccepted) events.get(1)).error()).isSameAs(down);
    assertThat(((AdaptiveThrottleEvent.Ignored) events.get(3)).error()).isSameAs(cancelled);
    assertThat(((AdaptiveThrottleEvent.Rejected) events.get(4)).rejectionProbability()).isEqualTo(0.25);
  }

  @Test
  void aTypedListenerGetsOnlyItsTypesAndAResultFailureCarriesNoException() {
    AdaptiveThrottle throttle = AdaptiveThrottle.of("search", config(Draws.of()).recordResult(r -> true).build());
    List<AdaptiveThrottleEvent> failures = new ArrayList<>();
    var subscription = throttle.onEvent(EnumSet.of(AdaptiveThrottleEvent.Type.NOT_ACCEPTED), failures::add);

    throttle.onSuccess();
    throttle.onResult("rejected by the backend");
    subscription.close();
    throttle.onResult("after closing");

    assertThat(failures).hasSize(1);
    assertThat(((AdaptiveThrottleEvent.NotAccepted) failures.get(0)).error()).isNull();
  }

  @Test
  void aThrowingListenerNeverReachesTheCallerOrTheCounts() {
    AdaptiveThrottle throttle = AdaptiveThrottle.of("search", config(Draws.of()).build());
    throttle.onEvent(event -> { throw new IllegalStateException("listener bug"); });

    assertThat(throttle.executeSupplier(() -> "ok")).isEqualTo("ok");
    assertThat(throttle.metrics().totalAccepts()).isEqualTo(1);
  }

  @Test
  void metricsSplitTheTotalsAndTheWindow() {
    AdaptiveThrottle throttle = AdaptiveThrottle.of("search", config(Draws.always(0.0)).build());
    accept(throttle, 1);
    fail(throttle, 3);
    throttle.tryAcquirePermission(); // p = 2/5: rejected
    throttle.onError(new CancellationException());
    ticker.advance(Duration.ofMinutes(3));
    assertThat(throttle.tryAcquirePermission()).isTrue(); // the window is empty again
    accept(throttle, 2);

    AdaptiveThrottle.Metrics m = throttle.metrics();

    assertThat(m.numberOfRequests()).isEqualTo(2);
    assertThat(m.numberOfAccepts()).isEqualTo(2);
    assertThat(m.rejectionProbability()).isZero();
    assertThat(m.totalRequests()).isEqualTo(7);
    assertThat(m.totalAccepts()).isEqualTo(3);
    assertThat(m.totalFailedRequests()).isEqualTo(3);
    assertThat(m.totalRejectedRequests()).isEqualTo(1);
    assertThat(m.totalIgnoredCalls()).isEqualTo(1);
  }

  @Test
  void aThrottleNeedsANameAndAConfiguration() {
    assertThatThrownBy(() -> AdaptiveThrottle.of(" ", AdaptiveThrottleConfig.ofDefaults()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("name must not be blank, was ' '");
    assertThatThrownBy(() -> AdaptiveThrottle.of(null, AdaptiveThrottleConfig.ofDefaults()))
        .hasMessage("name must not be null");
    assertThatThrownBy(() -> AdaptiveThrottle.of("search", null)).hasMessage("config must not be null");
    AdaptiveThrottle throttle = AdaptiveThrottle.ofDefaults("search");
    assertThat(throttle.config()).isSameAs(AdaptiveThrottleConfig.ofDefaults());
    assertThat(throttle).hasToString("AdaptiveThrottle[search, k=2.0, samplingWindow=PT2M]");
  }
}
