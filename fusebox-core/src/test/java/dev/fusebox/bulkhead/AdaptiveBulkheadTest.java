package dev.fusebox.bulkhead;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fusebox.testing.ManualTicker;
import dev.fusebox.bulkhead.BulkheadEvent.LimitChangeReason;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AdaptiveBulkheadTest {

  private final ManualTicker ticker = new ManualTicker();

  private AdaptiveBulkheadConfig.Builder config() {
    return AdaptiveBulkheadConfig.builder()
        .initialLimit(4).minLimit(1).maxLimit(10).sampleWindowSize(2).probeInterval(Duration.ZERO).ticker(ticker);
  }

  private AdaptiveBulkhead bulkhead(AdaptiveBulkheadConfig.Builder config) {
    return AdaptiveBulkhead.of("search", config.build());
  }

  @Test
  void admitsExactlyUpToTheLimitThenRejectsAtOnce() {
    AdaptiveBulkhead bulkhead = bulkhead(config());

    for (int i = 0; i < 4; i++) {
      assertThat(bulkhead.tryAcquirePermission()).isTrue();
    }
    assertThat(bulkhead.tryAcquirePermission()).isFalse();
    assertThatThrownBy(bulkhead::acquirePermission).isInstanceOf(BulkheadFullException.class);

    AdaptiveBulkhead.Metrics m = bulkhead.metrics();
    assertThat(m.limit()).isEqualTo(4);
    assertThat(m.concurrentCalls()).isEqualTo(4);
    assertThat(m.availableConcurrentCalls()).isZero();
    assertThat(m.totalPermittedCalls()).isEqualTo(4);
    assertThat(m.totalRejectedCalls()).isEqualTo(2);
    assertThat(m.noLoadRtt()).isEmpty();
  }

  @Test
  void rejectionIsTheSharedStacklessExceptionNamingTheBulkhead() {
    AdaptiveBulkhead bulkhead = bulkhead(config().initialLimit(1));
    bulkhead.acquirePermission();

    Throwable first = catchThrowable(() -> bulkhead.executeSupplier(() -> "x"));
    Throwable second = catchThrowable(() -> bulkhead.executeRunnable(() -> {}));

    assertThat(first).isSameAs(second).isInstanceOf(BulkheadFullException.class);
    assertThat(first.getStackTrace()).isEmpty();
    assertThat(((BulkheadFullException) first).bulkheadName()).isEqualTo("search");
  }

  private static Throwable catchThrowable(Runnable r) {
    try {
      r.run();
    } catch (Throwable e) {
      return e;
    }
    throw new AssertionError("expected an exception");
  }

  /** Runs {@code calls} calls together from now, each taking {@code each}, and completes them. */
  private void round(AdaptiveBulkhead bulkhead, int calls, Duration each) {
    for (int i = 0; i < calls; i++) {
      assertThat(bulkhead.tryAcquirePermission()).isTrue();
    }
    ticker.advance(each);
    for (int i = 0; i < calls; i++) {
      bulkhead.onSuccess(each.toNanos());
    }
  }

  @Test
  void firstWindowMeasuresTheNoLoadLatencyAndTheNextUnqueuedOneDoublesTheLimit() {
    AdaptiveBulkhead bulkhead = bulkhead(config().initialLimit(2));
    List<BulkheadEvent> events = new ArrayList<>();
    bulkhead.onEvent(e -> {
      if (e instanceof BulkheadEvent.LimitChanged) {
        events.add(e);
      }
    });

    round(bulkhead, 2, Duration.ofMillis(10));
    assertThat(events).isEmpty();
    assertThat(bulkhead.metrics().noLoadRtt()).contains(Duration.ofMillis(10));

    round(bulkhead, 2, Duration.ofMillis(10));

    assertThat(events).singleElement().isInstanceOfSatisfying(BulkheadEvent.LimitChanged.class, c -> {
      assertThat(c.name()).isEqualTo("search");
      assertThat(c.oldLimit()).isEqualTo(2);
      assertThat(c.newLimit()).isEqualTo(4);
      assertThat(c.reason()).isEqualTo(LimitChangeReason.LOW_QUEUEING);
      assertThat(c.type()).isEqualTo(BulkheadEvent.Type.LIMIT_CHANGED);
    });
    AdaptiveBulkhead.Metrics m = bulkhead.metrics();
    assertThat(m.limit()).isEqualTo(4);
    assertThat(m.latestRtt()).contains(Duration.ofMillis(10));
    assertThat(m.concurrentCalls()).isZero();
  }

  @Test
  void executeMeasuresFromStartToReturnOnTheTicker() {
    AdaptiveBulkhead bulkhead = bulkhead(config().sampleWindowSize(1));

    String result = bulkhead.executeSupplier(() -> {
      ticker.advance(Duration.ofMillis(7));
      return "ok";
    });

    assertThat(result).isEqualTo("ok");
    assertThat(bulkhead.metrics().latestRtt()).contains(Duration.ofMillis(7));
    assertThat(bulkhead.metrics().concurrentCalls()).isZero();
  }

  @Test
  void queueingEndsSlowStartAtTheEstimatedCapacityThenShrinksTheLimitOneStepAtATime() {
    AdaptiveBulkhead bulkhead = bulkhead(config().initialLimit(8).alpha(1).beta(2));
    round(bulkhead, 2, Duration.ofMillis(10));

    // Twice the no-load latency under limit 8: queue 4, so capacity 4, plus alpha.
    round(bulkhead, 2, Duration.ofMillis(20));
    assertThat(bulkhead.metrics().limit()).isEqualTo(5);

    // The next window is judged once a round trip (20 ms) has passed: queue = 5 × (1 − 10/20) > beta.
    ticker.advance(Duration.ofMillis(20));
    round(bulkhead, 2, Duration.ofMillis(20));
    assertThat(bulkhead.metrics().limit()).isEqualTo(4);
  }

  @Test
  void droppedCallBacksTheLimitOffAndIsCounted() throws Exception {
    AdaptiveBulkhead bulkhead = bulkhead(config().initialLimit(10).backoffRatio(0.5).sampleWindowSize(1));

    assertThatThrownBy(() -> bulkhead.executeCallable(() -> { throw new TimeoutException("slow"); }))
        .isInstanceOf(TimeoutException.class);

    assertThat(bulkhead.metrics().limit()).isEqualTo(5);
    assertThat(bulkhead.metrics().totalDroppedCalls()).isEqualTo(1);
    assertThat(bulkhead.metrics().concurrentCalls()).isZero();
  }

  @Test
  void otherFailuresGiveThePermitBackWithoutALatencySample() {
    AdaptiveBulkhead bulkhead = bulkhead(config().sampleWindowSize(1));
    IOException io = new IOException("refused");

    assertThatThrownBy(() -> bulkhead.executeCallable(() -> { throw io; })).isSameAs(io);
    IllegalStateException boom = new IllegalStateException("boom");
    assertThatThrownBy(() -> bulkhead.executeRunnable(() -> { throw boom; })).isSameAs(boom);

    AdaptiveBulkhead.Metrics m = bulkhead.metrics();
    assertThat(m.latestRtt()).isEmpty();
    assertThat(m.limit()).isEqualTo(4);
    assertThat(m.totalDroppedCalls()).isZero();
    assertThat(m.concurrentCalls()).isZero();
  }

  @Test
  void dropPredicateThatThrowsStillGivesThePermitBack() {
    IllegalStateException bug = new IllegalStateException("predicate bug");
    AdaptiveBulkhead bulkhead = bulkhead(config().dropWhen(e -> { throw bug; }));

    assertThatThrownBy(() -> bulkhead.executeRunnable(() -> { throw new IllegalArgumentException(); }))
        .isSameAs(bug);
    assertThat(bulkhead.metrics().concurrentCalls()).isZero();
  }

  @Test
  void reportWithoutAPermitOutChangesNeitherCountNorLimit() {
    AdaptiveBulkhead bulkhead = bulkhead(config().sampleWindowSize(1));

    bulkhead.releasePermission();
    bulkhead.onSuccess(5);
    bulkhead.onDropped(5);

    AdaptiveBulkhead.Metrics m = bulkhead.metrics();
    assertThat(m.limit()).isEqualTo(4);
    assertThat(m.concurrentCalls()).isZero();
    assertThat(m.latestRtt()).isEmpty();
    assertThat(m.totalDroppedCalls()).isZero();
    for (int i = 0; i < 4; i++) {
      assertThat(bulkhead.tryAcquirePermission()).isTrue();
    }
    assertThat(bulkhead.tryAcquirePermission()).isFalse();
  }

  @Test
  void everyDecoratedFormHoldsOnePermitWhileItRuns() throws Exception {
    AdaptiveBulkhead bulkhead = bulkhead(config());
    AtomicInteger seen = new AtomicInteger();
    Runnable probe = () -> seen.set(bulkhead.metrics().concurrentCalls());

    assertThat(bulkhead.decorateSupplier(() -> { probe.run(); return 1; }).get()).isEqualTo(1);
    assertThat(seen.getAndSet(0)).isEqualTo(1);
    assertThat(bulkhead.decorateCallable(() -> { probe.run(); return 2; }).call()).isEqualTo(2);
    assertThat(seen.getAndSet(0)).isEqualTo(1);
    bulkhead.decorateRunnable(probe).run();
    assertThat(seen.getAndSet(0)).isEqualTo(1);
    assertThat(bulkhead.<Integer, Integer>decorateFunction(x -> { probe.run(); return x + 1; }).apply(2)).isEqualTo(3);
    assertThat(seen.getAndSet(0)).isEqualTo(1);
    assertThat(bulkhead.decorateCompletionStage(() -> CompletableFuture.completedFuture(5)).get()
        .toCompletableFuture().join()).isEqualTo(5);
    assertThat(bulkhead.metrics().concurrentCalls()).isZero();
    assertThat(bulkhead.metrics().totalPermittedCalls()).isEqualTo(5);
  }

  @Test
  void asyncCallHoldsItsPermitUntilTheStageCompletesAndIsTimedToCompletion() {
    AdaptiveBulkhead bulkhead = bulkhead(config().sampleWindowSize(1));
    CompletableFuture<String> source = new CompletableFuture<>();

    CompletableFuture<String> result = bulkhead.executeCompletionStage(() -> source).toCompletableFuture();
    assertThat(bulkhead.metrics().concurrentCalls()).isEqualTo(1);
    ticker.advance(Duration.ofMillis(30));
    source.complete("late");

    assertThat(result.join()).isEqualTo("late");
    assertThat(bulkhead.metrics().latestRtt()).contains(Duration.ofMillis(30));
    assertThat(bulkhead.metrics().concurrentCalls()).isZero();
  }

  @Test
  void asyncTimeoutIsADrop() {
    AdaptiveBulkhead bulkhead = bulkhead(config().initialLimit(10).backoffRatio(0.5).sampleWindowSize(1));
    CompletableFuture<String> source = new CompletableFuture<>();

    CompletableFuture<String> result = bulkhead.executeCompletionStage(() -> source).toCompletableFuture();
    source.completeExceptionally(new TimeoutException());

    assertThat(result).isCompletedExceptionally();
    assertThat(bulkhead.metrics().limit()).isEqualTo(5);
  }

  @Test
  void cancellingAnAsyncCallFreesThePermitWithoutASample() {
    AdaptiveBulkhead bulkhead = bulkhead(config().initialLimit(1).sampleWindowSize(1));
    CompletableFuture<String> source = new CompletableFuture<>();

    CompletableFuture<String> result = bulkhead.executeCompletionStage(() -> source).toCompletableFuture();
    assertThat(bulkhead.tryAcquirePermission()).isFalse();
    result.cancel(true);

    assertThat(source).isCancelled();
    assertThat(bulkhead.metrics().concurrentCalls()).isZero();
    assertThat(bulkhead.metrics().latestRtt()).isEmpty();
    assertThat(bulkhead.tryAcquirePermission()).isTrue();
  }

  @Test
  void asyncCallIsRejectedAtOnceWhenFullAndSupplierFailuresFreeThePermit() {
    AdaptiveBulkhead bulkhead = bulkhead(config().initialLimit(1));
    IllegalStateException boom = new IllegalStateException("boom");

    assertThat(bulkhead.executeCompletionStage(() -> { throw boom; }).toCompletableFuture()
        .handle((v, e) -> e).join()).isSameAs(boom);
    assertThat(bulkhead.executeCompletionStage(() -> null).toCompletableFuture()
        .handle((v, e) -> e).join()).isInstanceOf(NullPointerException.class);
    bulkhead.acquirePermission();
    assertThat(bulkhead.executeCompletionStage(CompletableFuture::new).toCompletableFuture()
        .handle((v, e) -> e).join()).isInstanceOf(BulkheadFullException.class);
  }

  @Test
  void perCallEventsArePublishedInOrder() {
    AdaptiveBulkhead bulkhead = bulkhead(config().initialLimit(1).sampleWindowSize(100));
    List<BulkheadEvent.Type> types = new ArrayList<>();
    bulkhead.onEvent(e -> types.add(e.type()));

    bulkhead.executeRunnable(() -> bulkhead.tryAcquirePermission());

    assertThat(types).containsExactly(
        BulkheadEvent.Type.CALL_PERMITTED, BulkheadEvent.Type.CALL_REJECTED, BulkheadEvent.Type.CALL_FINISHED);
  }

  @Test
  void probeShowsInMetricsWhileTheLimitIsLowered() {
    AdaptiveBulkhead bulkhead = bulkhead(config().initialLimit(8).sampleWindowSize(1)
        .probeInterval(Duration.ofSeconds(1)));
    bulkhead.tryAcquirePermission();
    bulkhead.onSuccess(Duration.ofMillis(10).toNanos());
    ticker.advance(Duration.ofSeconds(1));

    bulkhead.tryAcquirePermission();
    bulkhead.onSuccess(Duration.ofMillis(10).toNanos());

    assertThat(bulkhead.metrics().probing()).isTrue();
    assertThat(bulkhead.metrics().limit()).isEqualTo(4);
    ticker.advance(Duration.ofMillis(10));
    bulkhead.tryAcquirePermission();
    ticker.advance(Duration.ofMillis(12));
    bulkhead.onSuccess(Duration.ofMillis(12).toNanos());
    assertThat(bulkhead.metrics().probing()).isFalse();
    assertThat(bulkhead.metrics().limit()).isEqualTo(8);
    assertThat(bulkhead.metrics().noLoadRtt()).contains(Duration.ofMillis(12));
  }

  @Test
  void toStringShowsNameInflightAndLimit() {
    AdaptiveBulkhead bulkhead = bulkhead(config());
    bulkhead.acquirePermission();

    assertThat(bulkhead).hasToString("AdaptiveBulkhead[search, 1/4]");
  }
}
