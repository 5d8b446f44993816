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
 *       {@link dev.fusebox.circuitbreaker.CallNotPermittedException}, an {@link InterruptedException} or a
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

    /** Returns the number of calls that succeeded at their first attempt. */
    long numberOfSuccessfulCallsWithoutRetryAttempt();

    /** Returns the number of calls that succeeded after at least one retry. */
    long numberOfSuccessfulCallsWithRetryAttempt();

    /** Returns the number of calls that failed without being retried. */
    long numberOfFailedCallsWithoutRetryAttempt();

    /** Returns the number of calls that failed after at least one retry. */
    long numberOfFailedCallsWithRetryAttempt();

    /** Returns the number of retries made: attempts beyond each call's first. */
    long numberOfTotalRetryAttempts();

    /** Returns the number of calls that ended because the retry budget refused a retry. */
    long numberOfBudgetExhaustedCalls();
  }

  /**
   * Creates a retry.
   *
   * @param name identifies the retry in metrics, events and exceptions; must not be blank
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if the name is blank
   */
  static Retry of(String name, RetryConfig config) {
    return new RetryImpl(name, config);
  }

  /** Creates a retry with {@link RetryConfig#ofDefaults() the default configuration}. */
  static Retry ofDefaults(String name) {
    return new RetryImpl(name, RetryConfig.ofDefaults());
  }

  /** Returns the name. */
  String name();

  /** Returns the configuration. */
  RetryConfig config();

  /** Returns a snapshot of the cumulative counts. */
  Metrics metrics();

  /**
   * Subscribes to this retry's events. Events are built only while somebody listens, and are delivered on
   * the thread that decided them. A listener that throws is logged and never disturbs the call.
   */
  Subscription onEvent(Consumer<? super RetryEvent> listener);
}
