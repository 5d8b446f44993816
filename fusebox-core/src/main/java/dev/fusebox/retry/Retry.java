package dev.fusebox.retry;

import dev.fusebox.Policy;
import dev.fusebox.Subscription;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Runs a call again when it fails with a transient error, waiting a little longer each time.
 *
 * <h2>Behaviour</h2>
 * A call is attempted up to {@link RetryConfig#maxAttempts() maxAttempts} times. After a failed attempt the
 * retry decides, in this order:
 * <ol>
 *   <li>an exception that is not to be retried ends the call at once ({@link RetryEvent.IgnoredError}): one
 *       the configuration does not retry, and always a
 *       {@link dev.fusebox.circuitbreaker.CallNotPermittedException}, a
 *       {@link dev.fusebox.throttle.CallThrottledException}, an {@link InterruptedException} or a
 *       {@link VirtualMachineError};</li>
 *   <li>after the last attempt the call ends ({@link RetryEvent.Failure}, {@code MAX_ATTEMPTS});</li>
 *   <li>the wait is the configured backoff, or the server's {@link RetryAfterHint hint} when that is
 *       longer; if the next attempt could not start within {@link RetryConfig#maxDuration() maxDuration}, the
 *       call ends now ({@code MAX_DURATION}) instead of waiting in vain;</li>
 *   <li>if a {@link RetryBudget} is configured and refuses, the call ends now
 *       ({@link RetryEvent.BudgetExhausted});</li>
 *   <li>otherwise it waits ({@link RetryEvent.Retrying}) and tries again.</li>
 * </ol>
 * A call that ends hands back exactly what its last attempt produced: the exception, with the failures of
 * earlier attempts attached as suppressed (at most 8), or the result. A
 * result to retry becomes a {@link MaxRetriesExceededException} only when
 * {@link RetryConfig#failAfterMaxAttempts() failAfterMaxAttempts} is set.
 *
 * <p>Synchronous calls wait through the configuration's {@link dev.fusebox.Sleeper}; if the thread is
 * interrupted, the retry restores the interrupt flag and ends the call at once ({@code INTERRUPTED}).
 * Asynchronous calls schedule each next attempt on the configuration's {@link dev.fusebox.Scheduler} and
 * never block a thread; cancelling the returned stage stops the retries and cancels the attempt in flight.
 *
 * <h2>Use</h2>
 * <pre>{@code
 * Retry retry = Retry.of("inventory", RetryConfig.builder()
 *     .maxAttempts(4)
 *     .exponentialBackoff(2.0, Duration.ofSeconds(2))
 *     .jitter(RetryConfig.Jitter.FULL)
 *     .build());
 * Stock stock = retry.executeSupplier(() -> inventory.fetch(sku));
 * CompletionStage<Stock> later = retry.executeCompletionStage(() -> inventory.fetchAsync(sku));
 * }</pre>
 *
 * <p>To put a breaker in the loop, decorate the breaker's call: {@code
 * retry.decorateSupplier(breaker.decorateSupplier(call))} retries each failure the breaker lets through and
 * stops as soon as the breaker rejects.
 *
 * <p>The success path allocates nothing and takes no lock. This interface is sealed: obtain instances from
 * {@link #of(String, RetryConfig)} or a {@link RetryRegistry}. Implementations are threadsafe.
 *
 * <h2>Calls</h2>
 * Every call form of {@link Policy} retries as configured and returns the last attempt's result or throws
 * its exception. The asynchronous form schedules each next attempt instead of blocking; a supplier that
 * throws counts as a failed attempt; cancelling the returned stage stops the retries and tries to cancel
 * the attempt in flight.
 */
public sealed interface Retry extends Policy permits RetryImpl {

  /**
   * Cumulative counts since the retry was created, named as in Resilience4j. Every call counts in exactly
   * one of the four call counts.
   *
   * <pre>{@code
   * Retry.Metrics m = retry.metrics();
   * long rescued = m.numberOfSuccessfulCallsWithRetryAttempt();
   * }</pre>
   */
  sealed interface Metrics permits RetryMetricsSnapshot {

    /**
     * Returns the number of calls that succeeded at their first attempt.
     *
     * @return the number of calls that succeeded at their first attempt
     */
    long numberOfSuccessfulCallsWithoutRetryAttempt();

    /**
     * Returns the number of calls that succeeded after at least one retry.
     *
     * @return the number of calls that succeeded after at least one retry
     */
    long numberOfSuccessfulCallsWithRetryAttempt();

    /**
     * Returns the number of calls that failed without being retried.
     *
     * @return the number of calls that failed without being retried
     */
    long numberOfFailedCallsWithoutRetryAttempt();

    /**
     * Returns the number of calls that failed after at least one retry.
     *
     * @return the number of calls that failed after at least one retry
     */
    long numberOfFailedCallsWithRetryAttempt();

    /**
     * Returns the number of retries made: attempts beyond each call's first.
     *
     * @return the number of retries made: attempts beyond each call's first
     */
    long numberOfTotalRetryAttempts();

    /**
     * Returns the number of calls that ended because the retry budget refused a retry.
     *
     * @return the number of calls that ended because the retry budget refused a retry
     */
    long numberOfBudgetExhaustedCalls();
  }

  /**
   * Creates a retry.
   *
   * @param name identifies the retry in metrics, events and exceptions; must not be blank
   * @param config the retry's options
   * @return a new retry, not registered anywhere
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if the name is blank
   */
  static Retry of(String name, RetryConfig config) {
    return new RetryImpl(name, config);
  }

  /**
   * Creates a retry with {@link RetryConfig#ofDefaults() the default configuration}.
   *
   * @param name identifies the retry in metrics, events and exceptions; must not be blank
   * @return a new retry, not registered anywhere
   */
  static Retry ofDefaults(String name) {
    return new RetryImpl(name, RetryConfig.ofDefaults());
  }

  /** Returns the name. */
  String name();

  /**
   * Returns the configuration: the one built with, or the latest {@link #reconfigure} gave.
   *
   * @return the configuration: the one built with, or the latest {@link #reconfigure} gave
   */
  RetryConfig config();

  /**
   * Changes the retry's options live, from the next call on: a call already running (and a
   * {@link #context()} already taken) finishes by the options it started with. Counters and listeners stay.
   * Publishes {@link RetryEvent.ConfigurationChanged}.
   *
   * <pre>{@code
   * retry.reconfigure(retry.config().toBuilder().maxAttempts(5).build());
   * }</pre>
   *
   * @param config the new options
   * @throws NullPointerException if {@code config} is null
   */
  void reconfigure(RetryConfig config);

  /**
   * Returns a snapshot of the cumulative counts.
   *
   * @return a snapshot of the cumulative counts
   */
  Metrics metrics();

  /**
   * Starts one call whose attempts the caller makes itself, and returns the retry's decisions for it: the
   * form for code that cannot hand a call over, such as a reactive operator that re-subscribes or a
   * coroutine that waits with {@code delay}. The context counts the call, publishes its events and spends
   * the {@link RetryBudget} exactly as {@link #executeCompletionStage} does; only the waiting is the
   * caller's.
   *
   * <pre>{@code
   * Retry.Context context = retry.context();
   * for (;;) {
   *   long wait;
   *   try {
   *     Quote quote = client.quote(order);
   *     wait = context.onResult(quote);
   *     if (wait == Retry.Context.STOP) {
   *       if (context.failure() != null) {
   *         throw context.failure();             // a MaxRetriesExceededException, if so configured
   *       }
   *       return quote;
   *     }
   *   } catch (IOException e) {
   *     wait = context.onError(e);
   *     if (wait == Retry.Context.STOP) {
   *       throw context.failure();               // e, with the earlier attempts' failures suppressed
   *     }
   *   }
   *   waitNanos(wait);                           // however the caller waits without blocking
   * }
   * }</pre>
   *
   * @return the decisions of a new call; the budget, if any, counts the call's request now
   */
  Context context();

  /**
   * The retry decisions of one call whose attempts the caller makes itself, from {@link Retry#context()}.
   * Report the outcome of each attempt, in order, with exactly one of {@link #onSuccess()},
   * {@link #onResult(Object)} or {@link #onError(Throwable)}: each answers {@link #STOP} when the call ends
   * (then {@link #failure()} says with what), or the nanoseconds to wait before the next attempt. The rules
   * are those of the {@link Retry} itself: which exceptions and results are retried, backoff and
   * {@code Retry-After} hints, {@code maxDuration}, the budget, and the exception the caller gets, with the
   * earlier attempts' failures attached as suppressed.
   *
   * <p>A retry is counted, and its {@link RetryEvent.Retrying} published, when it is decided; a call whose
   * caller gives up while waiting (a cancelled subscription) is counted in none of the call counts, as a
   * cancelled asynchronous call is not. If a predicate or extractor of the configuration throws, the
   * report throws that exception and the call should end with it.
   *
   * <p>A context belongs to one call and is not threadsafe: its reports must be made one at a time, each
   * ordered after the previous one by happens-before (a scheduler hand-off or a reactive signal between
   * attempts does this). It allocates nothing until an attempt fails.
   */
  sealed interface Context permits RetryContext {

    /** The answer of a report that ends the call. */
    long STOP = -1L;

    /**
     * Reports an attempt that succeeded with no result to judge (a call without a value, an empty
     * publisher): the call ends, counted as a success, and the result predicate is not consulted.
     */
    void onSuccess();

    /**
     * Reports an attempt that returned {@code result} ({@code null} included, for a call whose value is
     * {@code null}).
     *
     * @param result what the attempt returned
     * @return the nanoseconds to wait before the next attempt, when the configuration retries this result
     *     and a retry is left; otherwise {@link #STOP}: the call ends with this result, or with
     *     {@link #failure()} when it is not {@code null} (a {@link MaxRetriesExceededException} when
     *     {@link RetryConfig#failAfterMaxAttempts() failAfterMaxAttempts} is set)
     */
    long onResult(Object result);

    /**
     * Reports an attempt that failed with {@code error}.
     *
     * @param error what the attempt threw or signalled
     * @return the nanoseconds to wait before the next attempt, when the configuration retries this
     *     exception and a retry is left; otherwise {@link #STOP}: the call ends with {@link #failure()}
     * @throws NullPointerException if {@code error} is null
     */
    long onError(Throwable error);

    /**
     * Returns the exception the call ends with, after a report answered {@link #STOP}: the last attempt's
     * own exception (the same instance) with the earlier ones suppressed, or a
     * {@link MaxRetriesExceededException}; {@code null} when the call ends with the last result, or has not
     * ended.
     *
     * @return the exception the call ends with, after a report answered {@link #STOP}: the last attempt's own
     *     exception (the same instance) with the earlier ones suppressed, or a {@link
     *     MaxRetriesExceededException}; {@code null} when the call ends with the last result, or has not
     *     ended
     */
    Throwable failure();

    /**
     * Returns the number of attempts reported so far.
     *
     * @return the number of attempts reported so far
     */
    int attempts();
  }

  /**
   * Subscribes to this retry's events. Events are built only while somebody listens, and are delivered on
   * the thread that decided them. A listener that throws is logged and never disturbs the call.
   *
   * @param listener receives the events
   * @return the subscription; closing it removes the listener
   */
  Subscription onEvent(Consumer<? super RetryEvent> listener);
}
