package dev.fusebox.bulkhead;

import dev.fusebox.Policy;
import dev.fusebox.Subscription;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A bulkhead that learns how many concurrent calls its dependency serves well, from the calls' latency,
 * instead of being told.
 *
 * <h2>Why</h2>
 * A fixed {@link Bulkhead} limit is a guess that goes stale: set it too low and the dependency idles while
 * callers are rejected; too high and calls queue inside the dependency, latency climbs and time-outs
 * cascade. A dependency's healthy concurrency is roughly its throughput times its no-load latency
 * (Little's law), and it changes as the dependency scales. This bulkhead measures it continuously, the way
 * TCP Vegas finds a network path's capacity and Netflix's concurrency-limits protect services.
 *
 * <h2>How</h2>
 * Calls are admitted while fewer than the current limit are in flight, exactly: the limit and the number
 * in flight share one word updated by CAS, so at no moment does an admission take the count past the
 * limit. Calls over the limit are rejected at once with a {@link BulkheadFullException}; queueing in front
 * of a congested dependency is what this bulkhead exists to avoid, so it never waits.
 *
 * <p>Each completed call yields a latency sample on the configured {@link dev.fusebox.Ticker}. Once per
 * {@link AdaptiveBulkheadConfig#sampleWindowSize() window} of samples the limit is re-evaluated against the
 * no-load latency (the fastest call seen since the last probe), from the estimated queue at the
 * dependency, {@code queue = limit × (1 − noLoadRtt / averageRtt)}:
 * <ul>
 *   <li>in slow start, from creation until the first queueing, the limit doubles per round trip; the first
 *       queue of {@link AdaptiveBulkheadConfig#alpha() alpha} or more ends slow start by setting the limit
 *       to the estimated capacity {@code limit − queue} plus alpha;</li>
 *   <li>then a queue below alpha grows the limit by one (if at least half of it was in use), a queue above
 *       {@link AdaptiveBulkheadConfig#beta() beta} shrinks it by one;</li>
 *   <li>a window with a dropped call (a time-out, by default) multiplies it by
 *       {@link AdaptiveBulkheadConfig#backoffRatio() backoffRatio}.</li>
 * </ul>
 * After a change, only calls started a round trip later are judged, once those admitted under the old limit
 * have left the dependency; so the limit moves at most once per two round trips and does not overshoot.
 * Under steady overload it settles at the dependency's capacity plus a queue of alpha to beta calls, which
 * keeps the dependency busy without letting latency run away. Every
 * {@link AdaptiveBulkheadConfig#probeInterval() probeInterval} the limit is halved until a window of fresh
 * calls has re-measured the no-load latency, so a dependency that became slower for good is re-learnt
 * rather than mistaken for a congested one. Every change is published as a
 * {@link BulkheadEvent.LimitChanged} and shows in {@link #metrics()}.
 *
 * <p>A call that throws an exception the configuration does not call a drop gives its permit back without
 * a sample: a fast failure says nothing about queueing. Time comes only from the ticker, so a test can
 * simulate a dependency's latency and watch the limit converge (see the project's tests for one that
 * settles on a simulated capacity).
 *
 * <h2>Use</h2>
 * <pre>{@code
 * AdaptiveBulkhead bulkhead = AdaptiveBulkhead.of("search", AdaptiveBulkheadConfig.builder()
 *     .initialLimit(10)
 *     .maxLimit(100)
 *     .build());
 * Result result = bulkhead.executeSupplier(() -> search.query(terms));
 * bulkhead.onEvent(e -> {
 *   if (e instanceof BulkheadEvent.LimitChanged c) {
 *     log.info("search limit {} -> {} ({})", c.oldLimit(), c.newLimit(), c.reason());
 *   }
 * });
 * }</pre>
 *
 * <p>Admission and release are one CAS each and allocate nothing; a window's update runs on the thread
 * that completed the window's last call, one update at a time, without a lock. This interface is sealed:
 * obtain instances from {@link #of(String, AdaptiveBulkheadConfig)} or an {@link AdaptiveBulkheadRegistry}.
 * Implementations are threadsafe.
 *
 * <h2>Calls</h2>
 * The synchronous call forms of {@link Policy} run the call if fewer calls than the limit are in flight and
 * feed its latency to the limit; otherwise they throw {@link BulkheadFullException} without running it.
 * The asynchronous form measures the latency until the call's stage completes; it never throws (a rejection
 * yields a failed stage), and cancelling the returned stage gives the permit back at once, without a
 * sample, and tries to cancel the call's stage.
 */
public sealed interface AdaptiveBulkhead extends Policy permits AdaptiveBulkheadImpl {

  /**
   * A snapshot of an adaptive bulkhead's numbers, taken by {@link AdaptiveBulkhead#metrics()}.
   *
   * <pre>{@code
   * AdaptiveBulkhead.Metrics m = bulkhead.metrics();
   * gauge("limit").set(m.limit());
   * m.noLoadRtt().ifPresent(rtt -> gauge("rtt0").set(rtt.toNanos()));
   * }</pre>
   */
  sealed interface Metrics permits AdaptiveBulkheadMetricsSnapshot {

    /**
     * Returns the current concurrency limit.
     *
     * @return the current concurrency limit
     */
    int limit();

    /**
     * Returns how many admitted calls are in flight now; above the limit only just after it shrank.
     *
     * @return how many admitted calls are in flight now; above the limit only just after it shrank
     */
    int concurrentCalls();

    /**
     * Returns how many more calls could start now: the limit minus the calls in flight, at least 0.
     *
     * @return how many more calls could start now: the limit minus the calls in flight, at least 0
     */
    int availableConcurrentCalls();

    /**
     * Returns the no-load latency the limit is judged against, once a window has measured one.
     *
     * @return the no-load latency the limit is judged against, once a window has measured one
     */
    Optional<Duration> noLoadRtt();

    /**
     * Returns the average latency of the last window that had latency samples, if any.
     *
     * @return the average latency of the last window that had latency samples, if any
     */
    Optional<Duration> latestRtt();

    /**
     * Returns whether a probe is lowering the limit to re-measure the no-load latency.
     *
     * @return whether a probe is lowering the limit to re-measure the no-load latency
     */
    boolean probing();

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
     * Returns how many admitted calls were dropped (time-outs, by default) since the bulkhead was created.
     *
     * @return how many admitted calls were dropped (time-outs, by default) since the bulkhead was created
     */
    long totalDroppedCalls();
  }

  /**
   * Creates an adaptive bulkhead.
   *
   * @param name identifies the bulkhead in metrics, events and exceptions; must not be blank
   * @param config the bulkhead's options
   * @return a new bulkhead, not registered anywhere
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if the name is blank
   */
  static AdaptiveBulkhead of(String name, AdaptiveBulkheadConfig config) {
    return new AdaptiveBulkheadImpl(name, config);
  }

  /**
   * Creates an adaptive bulkhead with {@link AdaptiveBulkheadConfig#ofDefaults() the default configuration}.
   *
   * @param name identifies the bulkhead in metrics, events and exceptions; must not be blank
   * @return a new bulkhead, not registered anywhere
   */
  static AdaptiveBulkhead ofDefaults(String name) {
    return new AdaptiveBulkheadImpl(name, AdaptiveBulkheadConfig.ofDefaults());
  }

  /** Returns the name. */
  String name();

  /**
   * Returns the configuration: the one built with, or the latest {@link #reconfigure} gave.
   *
   * @return the configuration: the one built with, or the latest {@link #reconfigure} gave
   */
  AdaptiveBulkheadConfig config();

  /**
   * Changes the bulkhead's options live, keeping what it has learned: the limit in force, the no-load
   * latency and the probe schedule. A limit outside the new {@code minLimit}..{@code maxLimit} is moved
   * into them for the next acquisition (a {@link BulkheadEvent.LimitChanged} with reason
   * {@link BulkheadEvent.LimitChangeReason#RECONFIGURED}); calls in flight keep their permits, and a lower
   * limit admits nobody new until enough of them have finished. The other options apply from the next
   * update of the limit, the sample window size from the next window and {@code dropWhen} from the next
   * call; {@code initialLimit} only matters at creation, and the bulkhead keeps its ticker. Publishes
   * {@link BulkheadEvent.AdaptiveConfigurationChanged}.
   *
   * <pre>{@code
   * bulkhead.reconfigure(bulkhead.config().toBuilder().maxLimit(200).build());
   * }</pre>
   *
   * @param config the new options
   * @throws NullPointerException if {@code config} is null
   */
  void reconfigure(AdaptiveBulkheadConfig config);

  /**
   * Returns a snapshot of the bulkhead's numbers.
   *
   * @return a snapshot of the bulkhead's numbers
   */
  Metrics metrics();

  /**
   * Takes a permit if fewer calls than the limit are in flight (manual API). On {@code true} the caller
   * must later report exactly one of {@link #onSuccess(long)}, {@link #onDropped(long)} or
   * {@link #releasePermission()}, with latencies read from {@code config().ticker()}. A refusal is counted.
   *
   * <pre>{@code
   * if (bulkhead.tryAcquirePermission()) {
   *   long start = bulkhead.config().ticker().nanos();
   *   try {
   *     Reply reply = client.call(request);
   *     bulkhead.onSuccess(bulkhead.config().ticker().nanos() - start);
   *   } catch (DeadlineExceededException e) {
   *     bulkhead.onDropped(bulkhead.config().ticker().nanos() - start);
   *   } catch (RuntimeException e) {
   *     bulkhead.releasePermission();
   *   }
   * }
   * }</pre>
   *
   * @return whether a permit was taken; a refusal is counted as a rejection
   */
  boolean tryAcquirePermission();

  /**
   * Like {@link #tryAcquirePermission()}, but throws on rejection (manual API).
   *
   * @throws BulkheadFullException if the limit is reached
   */
  void acquirePermission();

  /** Gives back a permit without a latency sample: the call was not made, or its outcome says nothing. */
  void releasePermission();

  /**
   * Gives back the permit of a call that completed normally in {@code rttNanos} (manual API).
   *
   * @param rttNanos how long the call took, in nanoseconds of {@code config().ticker()}; a latency sample
   */
  void onSuccess(long rttNanos);

  /**
   * Gives back the permit of a call that was dropped (timed out, overloaded) after {@code rttNanos}.
   *
   * @param rttNanos how long the call ran before it was dropped, in nanoseconds of {@code config().ticker()}
   */
  void onDropped(long rttNanos);

  /**
   * Gives back the permit of a call that failed with {@code error} after {@code rttNanos}, judged as the
   * call forms judge it (manual API): a drop, as {@link #onDropped(long)}, when
   * {@link AdaptiveBulkheadConfig#dropWhen() dropWhen} says so; otherwise without a latency sample, since a
   * fast failure says nothing about queueing. For code that sees the call's exception but does not run the
   * call itself, such as a reactive operator.
   *
   * <pre>{@code
   * } catch (RuntimeException e) {
   *   bulkhead.onError(bulkhead.config().ticker().nanos() - start, e);
   *   throw e;
   * }
   * }</pre>
   *
   * @param rttNanos how long the call ran before it failed, in nanoseconds of {@code config().ticker()}
   * @param error the call's exception: a drop when {@code dropWhen} matches it, else no latency sample
   * @throws NullPointerException if {@code error} is null
   * @throws RuntimeException what {@code dropWhen} throws, once the permit has been given back
   */
  void onError(long rttNanos, Throwable error);

  /**
   * Subscribes to this bulkhead's events. Per-call events are built only while somebody listens and are
   * delivered on the calling thread; limit changes reach a listener one at a time, in the order they
   * happened. A listener that throws is logged and never disturbs the bulkhead or the caller.
   *
   * @param listener receives the events
   * @return the subscription; closing it removes the listener
   */
  Subscription onEvent(Consumer<? super BulkheadEvent> listener);
}
