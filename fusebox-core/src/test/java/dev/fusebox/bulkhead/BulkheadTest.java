package dev.fusebox.bulkhead;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fusebox.testing.ManualTicker;
import dev.fusebox.Subscription;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class BulkheadTest {

  private final ManualTicker ticker = new ManualTicker();
  private final ScriptedParker parker = new ScriptedParker(ticker);

  @AfterEach
  void clearInterruptFlag() {
    Thread.interrupted();
  }

  private Bulkhead bulkhead(int max, Duration maxWait) {
    return Bulkhead.of(
        "inventory",
        BulkheadConfig.builder()
            .maxConcurrentCalls(max)
            .maxWaitDuration(maxWait)
            .ticker(ticker)
            .parker(parker)
            .build());
  }

  /**
   * A parker that runs one scripted action per park (another caller's release, an interrupt, moving the
   * ticker), and otherwise lets the whole wait elapse on the ticker.
   */
  static final class ScriptedParker implements BulkheadConfig.Parker {
    private final ManualTicker ticker;
    private final Deque<Consumer<Long>> script = new ArrayDeque<>();
    final List<Long> parks = new ArrayList<>();

    ScriptedParker(ManualTicker ticker) {
      this.ticker = ticker;
    }

    ScriptedParker then(Consumer<Long> action) {
      script.add(action);
      return this;
    }

    @Override
    public void park(Object blocker, long nanos) {
      parks.add(nanos);
      Consumer<Long> action = script.poll();
      if (action == null) {
        ticker.advanceNanos(nanos);
      } else {
        action.accept(nanos);
      }
    }
  }

  @Nested
  class Admission {

    @Test
    void admitsUpToMaxConcurrentCallsThenRejectsAtOnce() {
      Bulkhead bulkhead = bulkhead(2, Duration.ZERO);

      assertThat(bulkhead.tryAcquirePermission()).isTrue();
      assertThat(bulkhead.tryAcquirePermission()).isTrue();
      assertThat(bulkhead.tryAcquirePermission()).isFalse();
      assertThatThrownBy(bulkhead::acquirePermission).isInstanceOf(BulkheadFullException.class);

      assertThat(parker.parks).isEmpty();
      assertThat(ticker.nanos()).isZero();
      Bulkhead.Metrics metrics = bulkhead.metrics();
      assertThat(metrics.availableConcurrentCalls()).isZero();
      assertThat(metrics.concurrentCalls()).isEqualTo(2);
      assertThat(metrics.totalPermittedCalls()).isEqualTo(2);
      assertThat(metrics.totalRejectedCalls()).isEqualTo(2);
    }

    @Test
    void aFinishedCallFreesItsPermitForTheNext() {
      Bulkhead bulkhead = bulkhead(1, Duration.ZERO);
      bulkhead.acquirePermission();
      bulkhead.onComplete();

      assertThat(bulkhead.tryAcquirePermission()).isTrue();
      assertThat(bulkhead.metrics().totalFinishedCalls()).isEqualTo(1);
    }

    @Test
    void rejectionIsStacklessSharedAndNamesTheBulkhead() {
      Bulkhead bulkhead = bulkhead(1, Duration.ZERO);
      bulkhead.acquirePermission();

      BulkheadFullException first = catchFull(bulkhead);
      BulkheadFullException second = catchFull(bulkhead);

      assertThat(first).isSameAs(second);
      assertThat(first.getStackTrace()).isEmpty();
      assertThat(first.bulkheadName()).isEqualTo("inventory");
      assertThat(first.interrupted()).isFalse();
      assertThat(first.getMessage()).isEqualTo("Bulkhead 'inventory' is full and does not permit further calls");
    }

    private BulkheadFullException catchFull(Bulkhead bulkhead) {
      try {
        bulkhead.executeSupplier(() -> "never");
      } catch (BulkheadFullException e) {
        return e;
      }
      throw new AssertionError("expected a rejection");
    }

    @Test
    void tryAcquirePermissionNeverWaitsEvenWithAMaxWaitDuration() {
      Bulkhead bulkhead = bulkhead(1, Duration.ofHours(1));
      bulkhead.acquirePermission();

      assertThat(bulkhead.tryAcquirePermission()).isFalse();
      assertThat(parker.parks).isEmpty();
    }

    @Test
    void releaseWithoutAPermitOutDoesNotRaiseTheLimit() {
      Bulkhead bulkhead = bulkhead(2, Duration.ZERO);

      bulkhead.releasePermission();
      bulkhead.onComplete();

      assertThat(bulkhead.metrics().availableConcurrentCalls()).isEqualTo(2);
      assertThat(bulkhead.tryAcquirePermission()).isTrue();
      assertThat(bulkhead.tryAcquirePermission()).isTrue();
      assertThat(bulkhead.tryAcquirePermission()).isFalse();
    }

    @Test
    void releasedUnusedPermitIsNotCountedAsFinished() {
      Bulkhead bulkhead = bulkhead(2, Duration.ZERO);
      bulkhead.acquirePermission();
      bulkhead.releasePermission();
      bulkhead.executeRunnable(() -> {});

      assertThat(bulkhead.metrics().totalPermittedCalls()).isEqualTo(2);
      assertThat(bulkhead.metrics().totalFinishedCalls()).isEqualTo(1);
      assertThat(bulkhead.metrics().concurrentCalls()).isZero();
    }

    @Test
    void nameMustBePresentAndNotBlank() {
      assertThatThrownBy(() -> Bulkhead.of(null, BulkheadConfig.ofDefaults()))
          .isInstanceOf(NullPointerException.class)
          .hasMessage("name must not be null");
      assertThatThrownBy(() -> Bulkhead.of(" ", BulkheadConfig.ofDefaults()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("name must not be blank, was ' '");
      assertThatThrownBy(() -> Bulkhead.of("x", null))
          .isInstanceOf(NullPointerException.class)
          .hasMessage("config must not be null");
    }
  }

  @Nested
  class Waiting {

    @Test
    void waiterGetsThePermitReleasedWhileItWaits() {
      Bulkhead bulkhead = bulkhead(1, Duration.ofSeconds(1));
      bulkhead.acquirePermission();
      parker.then(nanos -> {
        ticker.advance(Duration.ofMillis(300));
        bulkhead.onComplete();
      });

      bulkhead.acquirePermission();

      assertThat(parker.parks).containsExactly(Duration.ofSeconds(1).toNanos());
      assertThat(ticker.nanos()).isEqualTo(Duration.ofMillis(300).toNanos());
      assertThat(bulkhead.metrics().concurrentCalls()).isEqualTo(1);
      assertThat(bulkhead.metrics().waitingCalls()).isZero();
    }

    @Test
    void waiterParksAgainForTheRemainingTimeAfterASpuriousWakeUp() {
      Bulkhead bulkhead = bulkhead(1, Duration.ofSeconds(1));
      bulkhead.acquirePermission();
      parker.then(nanos -> ticker.advance(Duration.ofMillis(400)));

      assertThatThrownBy(bulkhead::acquirePermission).isInstanceOf(BulkheadFullException.class);

      assertThat(parker.parks)
          .containsExactly(Duration.ofSeconds(1).toNanos(), Duration.ofMillis(600).toNanos());
    }

    @Test
    void waiterIsRejectedOnceMaxWaitDurationHasElapsedOnTheTicker() {
      Bulkhead bulkhead = bulkhead(1, Duration.ofMillis(250));
      bulkhead.acquirePermission();

      assertThatThrownBy(bulkhead::acquirePermission)
          .isInstanceOf(BulkheadFullException.class)
          .satisfies(e -> assertThat(((BulkheadFullException) e).interrupted()).isFalse());

      assertThat(ticker.nanos()).isEqualTo(Duration.ofMillis(250).toNanos());
      assertThat(bulkhead.metrics().waitingCalls()).isZero();
      assertThat(bulkhead.metrics().totalRejectedCalls()).isEqualTo(1);
      // The timed-out waiter left nothing behind: the next release frees the permit for everyone.
      bulkhead.onComplete();
      assertThat(bulkhead.metrics().availableConcurrentCalls()).isEqualTo(1);
    }

    @Test
    void waiterWhoseDeadlinePassesAsThePermitIsHandedToItKeepsThePermit() {
      Bulkhead bulkhead = bulkhead(1, Duration.ofMillis(100));
      bulkhead.acquirePermission();
      parker.then(nanos -> {
        bulkhead.onComplete();
        ticker.advance(Duration.ofMillis(500));
      });

      bulkhead.acquirePermission();

      assertThat(bulkhead.metrics().concurrentCalls()).isEqualTo(1);
      bulkhead.onComplete();
      assertThat(bulkhead.metrics().availableConcurrentCalls()).isEqualTo(1);
      assertThat(bulkhead.metrics().concurrentCalls()).isZero();
    }

    @Test
    void interruptedWaiterIsRejectedWithItsInterruptStatusSetAgain() {
      Bulkhead bulkhead = bulkhead(1, Duration.ofSeconds(1));
      bulkhead.acquirePermission();
      parker.then(nanos -> Thread.currentThread().interrupt());

      assertThatThrownBy(bulkhead::acquirePermission)
          .isInstanceOfSatisfying(BulkheadFullException.class, e -> {
            assertThat(e.interrupted()).isTrue();
            assertThat(e.getMessage())
                .isEqualTo("Bulkhead 'inventory' rejected a call: "
                    + "the caller was interrupted while waiting for a permit");
          });

      assertThat(Thread.currentThread().isInterrupted()).isTrue();
      assertThat(bulkhead.metrics().waitingCalls()).isZero();
      Thread.interrupted();
      bulkhead.onComplete();
      assertThat(bulkhead.metrics().availableConcurrentCalls()).isEqualTo(1);
    }

    @Test
    void interruptedWaiterThatWasGrantedAtTheSameMomentPassesThePermitOn() {
      Bulkhead bulkhead = bulkhead(1, Duration.ofSeconds(1));
      bulkhead.acquirePermission();
      parker.then(nanos -> {
        bulkhead.onComplete();
        Thread.currentThread().interrupt();
      });

      assertThatThrownBy(bulkhead::acquirePermission).isInstanceOf(BulkheadFullException.class);

      Thread.interrupted();
      assertThat(bulkhead.metrics().availableConcurrentCalls()).isEqualTo(1);
      assertThat(bulkhead.metrics().concurrentCalls()).isZero();
    }

    @Test
    void callerAlreadyInterruptedIsRejectedWithoutParking() {
      Bulkhead bulkhead = bulkhead(1, Duration.ofSeconds(1));
      bulkhead.acquirePermission();
      Thread.currentThread().interrupt();

      assertThatThrownBy(bulkhead::acquirePermission)
          .isInstanceOfSatisfying(BulkheadFullException.class, e -> assertThat(e.interrupted()).isTrue());

      assertThat(parker.parks).isEmpty();
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    }

    @Test
    void callerArrivingWithAFreePermitDoesNotParkOrInterruptAnything() {
      Bulkhead bulkhead = bulkhead(1, Duration.ofSeconds(1));
      Thread.currentThread().interrupt();

      bulkhead.acquirePermission();

      assertThat(parker.parks).isEmpty();
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    }
  }

  @Nested
  class Execution {

    @Test
    void everyDecoratedFormHoldsOnePermitWhileItRunsAndGivesItBack() throws Exception {
      Bulkhead bulkhead = bulkhead(3, Duration.ZERO);
      AtomicInteger seen = new AtomicInteger(-1);
      Runnable probe = () -> seen.set(bulkhead.metrics().concurrentCalls());

      assertThat(bulkhead.decorateSupplier(() -> { probe.run(); return "s"; }).get()).isEqualTo("s");
      assertThat(seen.getAndSet(-1)).isEqualTo(1);
      assertThat(bulkhead.decorateCallable(() -> { probe.run(); return "c"; }).call()).isEqualTo("c");
      assertThat(seen.getAndSet(-1)).isEqualTo(1);
      bulkhead.decorateRunnable(probe).run();
      assertThat(seen.getAndSet(-1)).isEqualTo(1);
      assertThat(bulkhead.<Integer, Integer>decorateFunction(x -> { probe.run(); return x * 2; }).apply(21))
          .isEqualTo(42);
      assertThat(seen.getAndSet(-1)).isEqualTo(1);

      assertThat(bulkhead.metrics().concurrentCalls()).isZero();
      assertThat(bulkhead.metrics().totalFinishedCalls()).isEqualTo(4);
    }

    @Test
    void permitComesBackWhenTheCallThrowsAndTheExceptionIsUnchanged() {
      Bulkhead bulkhead = bulkhead(1, Duration.ZERO);
      IllegalStateException boom = new IllegalStateException("boom");

      assertThatThrownBy(() -> bulkhead.executeSupplier(() -> { throw boom; })).isSameAs(boom);
      assertThatThrownBy(() -> bulkhead.executeRunnable(() -> { throw boom; })).isSameAs(boom);

      assertThat(bulkhead.metrics().availableConcurrentCalls()).isEqualTo(1);
      assertThat(bulkhead.metrics().totalFinishedCalls()).isEqualTo(2);
    }

    @Test
    void callableCheckedExceptionPropagatesUnchanged() {
      Bulkhead bulkhead = bulkhead(1, Duration.ZERO);
      IOException io = new IOException("disk");

      assertThatThrownBy(() -> bulkhead.executeCallable(() -> { throw io; })).isSameAs(io);
      assertThat(bulkhead.metrics().availableConcurrentCalls()).isEqualTo(1);
    }

    @Test
    void rejectedCallDoesNotRun() {
      Bulkhead bulkhead = bulkhead(1, Duration.ZERO);
      bulkhead.acquirePermission();
      AtomicInteger runs = new AtomicInteger();

      assertThatThrownBy(() -> bulkhead.executeRunnable(runs::incrementAndGet))
          .isInstanceOf(BulkheadFullException.class);
      assertThat(runs).hasValue(0);
    }

    @Test
    void nullCallsAreRejectedNamingTheArgument() {
      Bulkhead bulkhead = bulkhead(1, Duration.ZERO);

      assertThatThrownBy(() -> bulkhead.executeSupplier(null)).hasMessage("supplier must not be null");
      assertThatThrownBy(() -> bulkhead.decorateFunction(null)).hasMessage("function must not be null");
      assertThatThrownBy(() -> bulkhead.executeCompletionStage(null)).hasMessage("supplier must not be null");
      assertThat(bulkhead.metrics().totalPermittedCalls()).isZero();
    }
  }

  @Nested
  class Asynchronous {

    @Test
    void holdsThePermitUntilTheStageCompletes() {
      Bulkhead bulkhead = bulkhead(1, Duration.ZERO);
      CompletableFuture<String> source = new CompletableFuture<>();

      CompletionStage<String> result = bulkhead.executeCompletionStage(() -> source);
      assertThat(bulkhead.metrics().concurrentCalls()).isEqualTo(1);

      source.complete("done");
      assertThat(result.toCompletableFuture().join()).isEqualTo("done");
      assertThat(bulkhead.metrics().availableConcurrentCalls()).isEqualTo(1);
      assertThat(bulkhead.metrics().totalFinishedCalls()).isEqualTo(1);
    }

    @Test
    void failedStagePassesItsCauseOnAndFreesThePermit() {
      Bulkhead bulkhead = bulkhead(1, Duration.ZERO);
      CompletableFuture<String> source = new CompletableFuture<>();
      IOException io = new IOException("down");

      CompletableFuture<String> result = bulkhead.executeCompletionStage(() -> source).toCompletableFuture();
      source.completeExceptionally(io);

      assertThat(result).isCompletedExceptionally();
      assertThat(result.handle((v, e) -> e).join()).isSameAs(io);
      assertThat(bulkhead.metrics().availableConcurrentCalls()).isEqualTo(1);
    }

    @Test
    void rejectsAtOnceWhenFullEvenWithAMaxWaitDuration() {
      Bulkhead bulkhead = bulkhead(1, Duration.ofHours(1));
      bulkhead.acquirePermission();
      AtomicInteger started = new AtomicInteger();

      CompletableFuture<Object> result =
          bulkhead.executeCompletionStage(() -> {
            started.incrementAndGet();
            return new CompletableFuture<>();
          }).toCompletableFuture();

      assertThat(result.handle((v, e) -> e).join()).isInstanceOf(BulkheadFullException.class);
      assertThat(started).hasValue(0);
      assertThat(parker.parks).isEmpty();
    }

    @Test
    void cancellingTheReturnedStageFreesThePermitAndCancelsTheCall() {
      Bulkhead bulkhead = bulkhead(1, Duration.ZERO);
      CompletableFuture<String> source = new CompletableFuture<>();

      CompletableFuture<String> result = bulkhead.executeCompletionStage(() -> source).toCompletableFuture();
      assertThat(result.cancel(true)).isTrue();

      assertThat(source).isCancelled();
      assertThat(bulkhead.metrics().availableConcurrentCalls()).isEqualTo(1);
      assertThat(bulkhead.tryAcquirePermission()).isTrue();
    }

    @Test
    void callCancellingItsOwnStageFreesThePermitOnce() {
      Bulkhead bulkhead = bulkhead(2, Duration.ZERO);
      CompletableFuture<String> source = new CompletableFuture<>();

      CompletableFuture<String> result = bulkhead.executeCompletionStage(() -> source).toCompletableFuture();
      source.cancel(false);
      result.cancel(false);

      assertThat(result.handle((v, e) -> e).join()).isInstanceOf(CancellationException.class);
      assertThat(bulkhead.metrics().availableConcurrentCalls()).isEqualTo(2);
      assertThat(bulkhead.metrics().totalFinishedCalls()).isEqualTo(1);
    }

    @Test
    void supplierThatThrowsOrReturnsNullYieldsAFailedStageAndFreesThePermit() {
      Bulkhead bulkhead = bulkhead(1, Duration.ZERO);
      IllegalStateException boom = new IllegalStateException("boom");

      CompletableFuture<Object> thrown =
          bulkhead.executeCompletionStage(() -> { throw boom; }).toCompletableFuture();
      CompletableFuture<Object> nothing = bulkhead.executeCompletionStage(() -> null).toCompletableFuture();

      assertThat(thrown.handle((v, e) -> e).join()).isSameAs(boom);
      assertThat(nothing.handle((v, e) -> e).join())
          .isInstanceOf(NullPointerException.class)
          .hasMessage("the supplier returned a null CompletionStage");
      assertThat(bulkhead.metrics().availableConcurrentCalls()).isEqualTo(1);
    }

    @Test
    void decoratedStageSupplierStartsACallEachTime() {
      Bulkhead bulkhead = bulkhead(2, Duration.ZERO);
      AtomicInteger starts = new AtomicInteger();
      var decorated = bulkhead.decorateCompletionStage(
          () -> CompletableFuture.completedFuture(starts.incrementAndGet()));

      assertThat(decorated.get().toCompletableFuture().join()).isEqualTo(1);
      assertThat(decorated.get().toCompletableFuture().join()).isEqualTo(2);
      assertThat(bulkhead.metrics().totalFinishedCalls()).isEqualTo(2);
    }
  }

  @Nested
  class Events {

    @Test
    void publishesPermittedRejectedAndFinishedInOrder() {
      Bulkhead bulkhead = bulkhead(1, Duration.ZERO);
      List<BulkheadEvent> events = new ArrayList<>();
      bulkhead.onEvent(events::add);

      bulkhead.executeRunnable(() -> {
        assertThatThrownBy(() -> bulkhead.executeRunnable(() -> {})).isInstanceOf(BulkheadFullException.class);
      });

      assertThat(events)
          .extracting(BulkheadEvent::type)
          .containsExactly(
              BulkheadEvent.Type.CALL_PERMITTED, BulkheadEvent.Type.CALL_REJECTED, BulkheadEvent.Type.CALL_FINISHED);
      assertThat(events).extracting(BulkheadEvent::name).containsOnly("inventory");
      assertThat(events).allSatisfy(e -> assertThat(e.timestamp()).isNotNull());
    }

    @Test
    void closedSubscriptionStopsTheEventsAndAThrowingListenerNeverReachesTheCaller() {
      Bulkhead bulkhead = bulkhead(1, Duration.ZERO);
      List<BulkheadEvent> events = new ArrayList<>();
      Subscription subscription = bulkhead.onEvent(events::add);
      bulkhead.onEvent(e -> { throw new IllegalStateException("listener bug"); });

      assertThat(bulkhead.executeSupplier(() -> "ok")).isEqualTo("ok");
      subscription.close();
      bulkhead.executeSupplier(() -> "ok");

      assertThat(events).hasSize(2);
    }
  }

  @Test
  void toStringShowsNameAndUse() {
    Bulkhead bulkhead = bulkhead(3, Duration.ZERO);
    bulkhead.acquirePermission();

    assertThat(bulkhead).hasToString("Bulkhead[inventory, 1/3]");
  }
}
