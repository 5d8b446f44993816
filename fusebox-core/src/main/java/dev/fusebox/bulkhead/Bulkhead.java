package dev.fusebox.bulkhead;

import dev.fusebox.Policy;
import dev.fusebox.Subscription;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A semaphore bulkhead: at most {@link BulkheadConfig#maxConcurrentCalls() maxConcurrentCalls} calls to one
 * dependency run at the same time, so that a slow dependency cannot take every thread of the application.
 *
 * <p>A call that finds a free permit runs at once. When all permits are taken, a synchronous call waits up
 * to {@link BulkheadConfig#maxWaitDuration() maxWaitDuration} for one (zero, the default, means not at all)
 * and is otherwise rejected with a {@link BulkheadFullException}. Waiting callers are served first come,
 * first served: a permit given back goes straight to the oldest waiter. An asynchronous call never waits,
 * since that would block its caller's thread: it holds its permit until its stage completes and is
 * rejected at once when the bulkhead is full. The permit always comes back: on return, on exception, and
 * when an asynchronous call is cancelled.
 *
 * <pre>{@code
 * Bulkhead bulkhead = Bulkhead.of("reports", BulkheadConfig.builder().maxConcurrentCalls(4).build());
 * Report report = bulkhead.executeSupplier(() -> reports.render(id));
 *
 * Supplier<Report> guarded = bulkhead.decorateSupplier(() -> reports.render(id));
 * CompletionStage<Report> later = bulkhead.executeCompletionStage(() -> reports.renderAsync(id));
 * }</pre>
 *
 * <p>When a permit is free, admission is one CAS: no lock, no allocation (see {@link FairPermits}); a
 * rejection allocates nothing either. Nothing on any path uses {@code synchronized}, so a waiting virtual
 * thread never pins its carrier. This interface is sealed: obtain instances from
 * {@link #of(String, BulkheadConfig)} or a {@link BulkheadRegistry}. Implementations are threadsafe.
 *
 * @see AdaptiveBulkhead for a bulkhead that learns its limit from the dependency's latency
 *
 * <h2>Calls</h2>
 * The synchronous call forms of {@link Policy} run the call once a permit is obtained, waiting up to
 * {@link BulkheadConfig#maxWaitDuration() maxWaitDuration}, and throw {@link BulkheadFullException} without
 * running it otherwise. The asynchronous form holds its permit until the call's stage completes; it never
 * waits and never throws (a rejection yields a failed stage), and cancelling the returned stage gives the
 * permit back at once and tries to cancel the call's stage.
 */
public sealed interface Bulkhead extends Policy permits BulkheadImpl {

  /**
   * A snapshot of a bulkhead's numbers, taken by {@link Bulkhead#metrics()}. The figures are read one after
   * the other without stopping the bulkhead, so under load they may differ by the calls that moved
   * between two readings.
   *
   * <pre>{@code
   * Bulkhead.Metrics m = bulkhead.metrics();
   * gauge.set(m.concurrentCalls() / (double) m.maxAllowedConcurrentCalls());
   * }</pre>
   */
  sealed interface Metrics permits BulkheadMetricsSnapshot {

    /**
     * Returns how many more calls could start now without waiting.
     *
     * @return how many more calls could start now without waiting
     */
    int availableConcurrentCalls();

    /**
     * Returns the limit: {@link BulkheadConfig#maxConcurrentCalls() maxConcurrentCalls}.
     *
     * @return the limit: {@link BulkheadConfig#maxConcurrentCalls() maxConcurrentCalls}
     */
    int maxAllowedConcurrentCalls();

    /**
     * Returns how many admitted calls are running now.
     *
     * @return how many admitted calls are running now
     */
    int concurrentCalls();

    /**
     * Returns how many callers are waiting for a permit now.
     *
     * @return how many callers are waiting for a permit now
     */
    int waitingCalls();

    /**
     * Returns how many calls were admitted since the bulkhead was created.
     *
     * @return how many calls were admitted since the bulkhead was created
     */
    long totalPermittedCalls();

    /**
     * Returns how many calls were rejected since the bulkhead was created.
     *
     * @return how many calls were rejected since the bulkhead was created
     */
    long totalRejectedCalls();

    /**
     * Returns how many admitted calls have ended (and given their permit back) since the bulkhead was created.
     *
     * @return how many admitted calls have ended (and given their permit back) since the bulkhead was created
     */
    long totalFinishedCalls();
  }

  /**
   * Creates a bulkhead.
   *
   * @param name identifies the bulkhead in metrics, events and exceptions; must not be blank
   * @param config the bulkhead's options
   * @return a new bulkhead, not registered anywhere
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if the name is blank
   */
  static Bulkhead of(String name, BulkheadConfig config) {
    return new BulkheadImpl(name, config);
  }

  /**
   * Creates a bulkhead with {@link BulkheadConfig#ofDefaults() the default configuration}.
   *
   * @param name identifies the bulkhead in metrics, events and exceptions; must not be blank
   * @return a new bulkhead, not registered anywhere
   */
  static Bulkhead ofDefaults(String name) {
    return new BulkheadImpl(name, BulkheadConfig.ofDefaults());
  }

  /** Returns the name. */
  String name();

  /**
   * Returns the configuration: the one built with, or the latest {@link #reconfigure} gave.
   *
   * @return the configuration: the one built with, or the latest {@link #reconfigure} gave
   */
  BulkheadConfig config();

  /**
   * Changes the bulkhead's options live. A new {@code maxConcurrentCalls} applies to the next acquisition:
   * nobody holding a permit loses it; a larger limit admits waiting callers at once, a smaller one admits
   * nobody new until enough holders have finished. A new {@code maxWaitDuration} applies to the next call
   * that waits. The bulkhead keeps its ticker. Publishes {@link BulkheadEvent.ConfigurationChanged}.
   *
   * <pre>{@code
   * bulkhead.reconfigure(bulkhead.config().toBuilder().maxConcurrentCalls(50).build());
   * }</pre>
   *
   * @param config the new options
   * @throws NullPointerException if {@code config} is null
   */
  void reconfigure(BulkheadConfig config);

  /**
   * Returns a snapshot of the bulkhead's numbers.
   *
   * @return a snapshot of the bulkhead's numbers
   */
  Metrics metrics();

  /**
   * Takes a permit if one is free now, without waiting (manual API). On {@code true} the caller must later
   * call exactly one of {@link #onComplete()} (the call ran) or {@link #releasePermission()} (it did not).
   * A refusal is counted and published as a rejection.
   *
   * <pre>{@code
   * if (bulkhead.tryAcquirePermission()) {
   *   try {
   *     client.send(message);
   *   } finally {
   *     bulkhead.onComplete();
   *   }
   * }
   * }</pre>
   *
   * @return whether a permit was taken; a refusal is counted as a rejection
   */
  boolean tryAcquirePermission();

  /**
   * Takes a permit, waiting up to {@link BulkheadConfig#maxWaitDuration() maxWaitDuration} (manual API).
   *
   * @throws BulkheadFullException if no permit came free in time, or the thread was interrupted while
   *     waiting (its interrupt status is then set again)
   */
  void acquirePermission();

  /** Gives back a permit whose call was not made (manual API). */
  void releasePermission();

  /** Gives back the permit of a call that ran, and counts it as finished (manual API). */
  void onComplete();

  /**
   * Subscribes to this bulkhead's events. Events are built only while somebody listens and are delivered
   * on the calling thread; a listener that throws is logged and never disturbs the bulkhead or the caller.
   *
   * @param listener receives the events
   * @return the subscription; closing it removes the listener
   */
  Subscription onEvent(Consumer<? super BulkheadEvent> listener);
}
