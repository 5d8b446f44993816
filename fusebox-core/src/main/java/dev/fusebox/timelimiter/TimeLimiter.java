package dev.fusebox.timelimiter;

import dev.fusebox.Policy;
import dev.fusebox.Subscription;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Bounds how long a caller waits for a call: past {@link TimeLimiterConfig#timeoutDuration()
 * timeoutDuration} the caller gets a {@link java.util.concurrent.TimeoutException}, and the call is
 * cancelled if {@link TimeLimiterConfig#cancelRunningFuture() cancelRunningFuture} is set.
 *
 * <h2>Asynchronous calls</h2>
 * {@link #executeCompletionStage} returns a stage that completes like the call's stage, or fails with a
 * {@code TimeoutException} when the timeout, scheduled on the configuration's
 * {@link dev.fusebox.Scheduler}, fires first; then the call's future is cancelled when so configured. No
 * thread waits.
 *
 * <h2>Blocking calls</h2>
 * {@link #executeCallable} and its siblings run the call on another thread and wait for it: on a new
 * virtual thread when the JVM has them (Java 21 and later, found at run time), else on the configured
 * {@link TimeLimiterConfig.Builder#executor executor}; with neither, they throw an
 * {@link IllegalStateException} saying so. On timeout the worker is interrupted (when
 * {@code cancelRunningFuture}) and the caller gets a {@code TimeoutException}. The call's own exceptions
 * reach the caller unchanged. The {@code Supplier}, {@code Runnable} and {@code Function} variants throw
 * that {@code TimeoutException} too, although those interfaces cannot declare it: catch {@code Exception},
 * or use {@link #executeCallable}, to catch it by type. If the caller is interrupted while waiting, the call
 * is cancelled; {@link #executeCallable} throws {@link InterruptedException}, the other variants restore
 * the interrupt flag and throw a {@link java.util.concurrent.CancellationException}.
 *
 * <pre>{@code
 * TimeLimiter limiter = TimeLimiter.of("search", TimeLimiterConfig.builder()
 *     .timeoutDuration(Duration.ofMillis(300))
 *     .build());
 * CompletionStage<Hits> hits = limiter.executeCompletionStage(() -> search.queryAsync(q));
 * Hits now = limiter.executeCallable(() -> search.query(q));   // Java 21+, or with an executor
 * }</pre>
 *
 * <p>A timed-out call is a failure for a circuit breaker around the limiter, which records the
 * {@code TimeoutException} like any other exception: {@code breaker.decorateCallable(limiter.decorateCallable(call))}.
 *
 * <p>No lock is taken on any path. This interface is sealed: obtain instances from
 * {@link #of(String, TimeLimiterConfig)} or a {@link TimeLimiterRegistry}. Implementations are threadsafe.
 *
 * <h2>Calls</h2>
 * {@link #executeCallable} runs the call on another thread and waits at most the timeout for it: it throws
 * a {@link java.util.concurrent.TimeoutException} if the call did not finish in time, an
 * {@link InterruptedException} if the caller was interrupted while waiting, and an
 * {@link IllegalStateException} if there is neither a virtual thread nor an executor to run it on. The
 * other synchronous forms do the same and throw a time-out as an undeclared {@code TimeoutException}. The
 * asynchronous form returns a stage that fails with a {@code TimeoutException} if the call's stage has not
 * completed within the timeout; cancelling it cancels the call's stage too.
 */
public sealed interface TimeLimiter extends Policy permits TimeLimiterImpl {

  /**
   * Cumulative counts since the time limiter was created.
   *
   * <pre>{@code
   * long timeouts = limiter.metrics().numberOfTimedOutCalls();
   * }</pre>
   */
  sealed interface Metrics permits TimeLimiterMetricsSnapshot {

    /**
     * Returns the number of calls that finished in time with a result.
     *
     * @return the number of calls that finished in time with a result
     */
    long numberOfSuccessfulCalls();

    /**
     * Returns the number of calls that finished in time with an exception.
     *
     * @return the number of calls that finished in time with an exception
     */
    long numberOfFailedCalls();

    /**
     * Returns the number of calls that timed out.
     *
     * @return the number of calls that timed out
     */
    long numberOfTimedOutCalls();
  }

  /**
   * Creates a time limiter.
   *
   * @param name identifies the time limiter in metrics, events and exceptions; must not be blank
   * @param config the time limiter's options
   * @return a new time limiter, not registered anywhere
   */
  static TimeLimiter of(String name, TimeLimiterConfig config) {
    return new TimeLimiterImpl(name, config);
  }

  /**
   * Creates a time limiter with {@link TimeLimiterConfig#ofDefaults() the default configuration}.
   *
   * @param name identifies the time limiter in metrics, events and exceptions; must not be blank
   * @return a new time limiter, not registered anywhere
   */
  static TimeLimiter ofDefaults(String name) {
    return new TimeLimiterImpl(name, TimeLimiterConfig.ofDefaults());
  }

  /** Returns the name. */
  String name();

  /**
   * Returns the configuration: the one built with, or the latest {@link #reconfigure} gave.
   *
   * @return the configuration: the one built with, or the latest {@link #reconfigure} gave
   */
  TimeLimiterConfig config();

  /**
   * Changes the time limiter's options live, from the next call on: a call already running keeps the
   * timeout, scheduler and cancellation it started with. Publishes {@link TimeLimiterEvent.ConfigurationChanged}.
   *
   * <pre>{@code
   * limiter.reconfigure(limiter.config().toBuilder().timeoutDuration(Duration.ofSeconds(2)).build());
   * }</pre>
   *
   * @param config the new options
   * @throws NullPointerException if {@code config} is null
   */
  void reconfigure(TimeLimiterConfig config);

  /**
   * Returns a snapshot of the cumulative counts.
   *
   * @return a snapshot of the cumulative counts
   */
  Metrics metrics();

  /**
   * Returns whether blocking calls can be timed here: true when an executor is configured or the JVM has
   * virtual threads.
   *
   * @return whether blocking calls can be timed here: true when an executor is configured or the JVM has
   *     virtual threads
   */
  boolean supportsBlockingCalls();

  /**
   * Records a call that finished in time with a result, for code that enforces the timeout itself (manual
   * API): a reactive operator racing the call against a timer, a coroutine under {@code withTimeout}. It
   * counts and publishes like a call of {@link #executeCompletionStage} that completed in time.
   *
   * <pre>{@code
   * Mono<Quote> quote = client.quote(order)
   *     .timeout(limiter.config().timeoutDuration(), Mono.error(() -> limiter.onTimeout(true)))
   *     .doOnSuccess(q -> limiter.onSuccess())
   *     .doOnError(e -> { if (!(e instanceof TimeoutException)) limiter.onError(e); });
   * }</pre>
   */
  void onSuccess();

  /**
   * Records a call that finished in time with {@code error} (manual API); see {@link #onSuccess()}.
   *
   * @param error the call's exception
   * @throws NullPointerException if {@code error} is null
   */
  void onError(Throwable error);

  /**
   * Records a call whose timeout, {@link TimeLimiterConfig#timeoutDuration() timeoutDuration} enforced by
   * the caller, fired before it finished (manual API), and returns the exception to hand to its caller:
   * the same {@link TimeoutException}, message included, as
   * {@link #executeCompletionStage} fails with. See {@link #onSuccess()}.
   *
   * @param cancelled whether the call was cancelled, as {@link TimeLimiterEvent.Timeout#cancelled()} reports
   * @return a new exception for this time-out
   */
  TimeoutException onTimeout(boolean cancelled);

  /**
   * Subscribes to this time limiter's events. Events are built only while somebody listens; the timeout of an
   * asynchronous call is published on the scheduler's thread. A listener that throws is logged and never disturbs the
   * call.
   *
   * @param listener receives the events
   * @return the subscription; closing it removes the listener
   */
  Subscription onEvent(Consumer<? super TimeLimiterEvent> listener);
}
