package dev.fusebox.fallback;

import dev.fusebox.Subscription;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Answers for a call that failed: with the last value the call returned for the same key (stale, and said
 * to be), or with an alternative value, call or function of the failure. {@link FallbackConfig} describes
 * what is handled and the order of the answers.
 *
 * <h2>The caller's own outcome is never lost</h2>
 * A failure the fallback does not handle reaches the caller unchanged. A handled failure with nothing to
 * answer (a cache miss and no alternative) is rethrown unchanged, and a rejected result with nothing to
 * replace it is returned. If the alternative itself throws, the caller gets the alternative's exception
 * with the call's failure attached as suppressed.
 *
 * <h2>Staleness</h2>
 * A value served from the last-known-good cache is older than the request. Callers that must say so (an
 * HTTP {@code Warning: 110} or {@code X-Cache: stale} header, a "last updated" label) use the
 * {@code ...ForResult} methods, whose {@link FallbackResult} tells the source and age; or configure
 * {@link FallbackConfig.Builder#markStale markStale} to tag the value itself, which then works through
 * every method and any pipeline.
 *
 * <pre>{@code
 * Fallback<Price> prices = Fallback.of("prices", FallbackConfig.<Price>builder()
 *     .lastKnownGood(Duration.ofMinutes(10), 50_000)
 *     .fallbackValue(Price.UNKNOWN)
 *     .build());
 *
 * Function<String, Price> priceOf = prices.decorateFunction(sku -> priceService.fetch(sku)); // keyed by sku
 * FallbackResult<Price> answer = prices.executeSupplierForResult(sku, () -> priceService.fetch(sku));
 * if (answer.isStale()) {
 *   response.setHeader("X-Cache", "stale");
 * }
 * }</pre>
 *
 * <p>A successful call costs one {@code ConcurrentHashMap} write when the cache is on, and nothing else
 * beyond a counter; no other lock is taken. This interface is sealed: obtain instances from
 * {@link #of(String, FallbackConfig)} or a {@link FallbackRegistry}. Implementations are threadsafe.
 *
 * @param <T> the type of the call's values
 */
public sealed interface Fallback<T> permits FallbackImpl {

  /**
   * Cumulative counts since the fallback was created. Every call counts in exactly one of the call counts:
   * successful, stale value served, alternative used, failed alternative, or unhandled.
   *
   * <pre>{@code
   * Fallback.Metrics m = prices.metrics();
   * double staleShare = (double) m.numberOfStaleValuesServed() / Math.max(1, m.numberOfSuccessfulCalls());
   * }</pre>
   */
  sealed interface Metrics permits FallbackMetricsSnapshot {

    /**
     * Returns the number of calls whose own answer was used.
     *
     * @return the number of calls whose own answer was used
     */
    long numberOfSuccessfulCalls();

    /**
     * Returns the number of calls answered from the last-known-good cache.
     *
     * @return the number of calls answered from the last-known-good cache
     */
    long numberOfStaleValuesServed();

    /**
     * Returns the number of lookups in the last-known-good cache that found nothing young enough.
     *
     * @return the number of lookups in the last-known-good cache that found nothing young enough
     */
    long numberOfCacheMisses();

    /**
     * Returns the number of calls answered by the alternative.
     *
     * @return the number of calls answered by the alternative
     */
    long numberOfFallbackCalls();

    /**
     * Returns the number of calls whose alternative threw.
     *
     * @return the number of calls whose alternative threw
     */
    long numberOfFailedFallbacks();

    /**
     * Returns the number of calls whose own failure or rejected result reached the caller.
     *
     * @return the number of calls whose own failure or rejected result reached the caller
     */
    long numberOfUnhandledCalls();

    /**
     * Returns the number of keys in the last-known-good cache; 0 when it is off.
     *
     * @return the number of keys in the last-known-good cache; 0 when it is off
     */
    int lastKnownGoodSize();

    /**
     * Returns the share of the calls that needed the fallback which it answered (from the alternative or the
     * last-known-good cache), in percent; -1 before any call needed it. What the on-call reads: below 100,
     * the fallback itself fails.
     *
     * @return the share of the calls that needed the fallback which it answered (from the alternative or the
     *     last-known-good cache), in percent; -1 before any call needed it
     */
    default float fallbackSuccessRate() {
      long answered = numberOfFallbackCalls() + numberOfStaleValuesServed();
      long needed = answered + numberOfFailedFallbacks();
      return needed == 0 ? -1f : answered * 100f / needed;
    }
  }

  /**
   * Creates a fallback.
   *
   * @param <T> the type of the values the fallback answers with
   * @param name identifies the fallback in metrics and events; must not be blank
   * @param config the fallback's options
   * @return a new fallback, not registered anywhere
   */
  static <T> Fallback<T> of(String name, FallbackConfig<T> config) {
    return new FallbackImpl<>(name, config);
  }

  /**
   * Creates a fallback with {@link FallbackConfig#ofDefaults() the default configuration}.
   *
   * @param <T> the type of the values the fallback answers with
   * @param name identifies the fallback in metrics, events and exceptions; must not be blank
   * @return a new fallback, not registered anywhere
   */
  static <T> Fallback<T> ofDefaults(String name) {
    return new FallbackImpl<>(name, FallbackConfig.ofDefaults());
  }

  /**
   * Returns the name.
   *
   * @return the name
   */
  String name();

  /**
   * Returns the configuration.
   *
   * @return the configuration
   */
  FallbackConfig<T> config();

  /**
   * Returns a snapshot of the cumulative counts.
   *
   * @return a snapshot of the cumulative counts
   */
  Metrics metrics();

  /**
   * Runs the supplier; answers for it if it fails. Key-less calls share one cache entry.
   *
   * @param supplier the call
   * @return the call's value, or the fallback's answer
   */
  T executeSupplier(Supplier<? extends T> supplier);

  /**
   * Runs the supplier; answers for it if it fails, from the cache entry of {@code key}.
   *
   * @param key the cache entry the call's answer is kept in and served from
   * @param supplier the call
   * @return the call's value, or the fallback's answer
   */
  T executeSupplier(Object key, Supplier<? extends T> supplier);

  /**
   * Runs the callable; answers for it if it fails. Key-less calls share one cache entry.
   *
   * @param callable the call
   * @return the call's value, or the fallback's answer
   * @throws Exception the call's own checked exception, when nothing answers for it
   */
  T executeCallable(Callable<? extends T> callable) throws Exception;

  /**
   * Runs the runnable; when it fails with a handled exception, runs the strategies and discards the value.
   *
   * @param runnable the call
   */
  void executeRunnable(Runnable runnable);

  /**
   * Starts the asynchronous call; the returned stage completes with its value, or with the fallback's
   * answer if it fails. A supplier that throws is a failed call. Cancelling the returned stage cancels
   * the call's stage. Key-less calls share one cache entry.
   *
   * @param supplier starts the call and returns its stage
   * @return a stage completing with the call's value or the fallback's answer
   */
  CompletionStage<T> executeCompletionStage(Supplier<? extends CompletionStage<? extends T>> supplier);

  /**
   * Like {@link #executeCompletionStage(Supplier)}, with the cache entry of {@code key}.
   *
   * @param key the cache entry the call's answer is kept in and served from
   * @param supplier starts the call and returns its stage
   * @return a stage completing with the call's value or the fallback's answer
   */
  CompletionStage<T> executeCompletionStage(Object key, Supplier<? extends CompletionStage<? extends T>> supplier);

  /**
   * Like {@link #executeSupplier(Supplier)}, and says where the answer came from.
   *
   * @param supplier the call
   * @return the answer and where it came from
   */
  FallbackResult<T> executeSupplierForResult(Supplier<? extends T> supplier);

  /**
   * Like {@link #executeSupplier(Object, Supplier)}, and says where the answer came from.
   *
   * @param key the cache entry the call's answer is kept in and served from
   * @param supplier the call
   * @return the answer and where it came from
   */
  FallbackResult<T> executeSupplierForResult(Object key, Supplier<? extends T> supplier);

  /**
   * Like {@link #executeCompletionStage(Object, Supplier)}, and says where the answer came from.
   *
   * @param key the cache entry the call's answer is kept in and served from
   * @param supplier starts the call and returns its stage
   * @return a stage completing with the answer and where it came from
   */
  CompletionStage<FallbackResult<T>> executeCompletionStageForResult(
      Object key, Supplier<? extends CompletionStage<? extends T>> supplier);

  /**
   * Returns a supplier that runs {@code supplier} through this fallback on each call.
   *
   * @param supplier the call to guard
   * @return a supplier that runs {@code supplier} through this fallback on each call
   */
  Supplier<T> decorateSupplier(Supplier<? extends T> supplier);

  /**
   * Returns a callable that runs {@code callable} through this fallback on each call.
   *
   * @param callable the call to guard
   * @return a callable that runs {@code callable} through this fallback on each call
   */
  Callable<T> decorateCallable(Callable<? extends T> callable);

  /**
   * Returns a runnable that runs {@code runnable} through this fallback on each call.
   *
   * @param runnable the call to guard
   * @return a runnable that runs {@code runnable} through this fallback on each call
   */
  Runnable decorateRunnable(Runnable runnable);

  /**
   * Returns a function that applies {@code function} through this fallback on each call, with the cache
   * key derived from the argument by {@link FallbackConfig.Builder#keyFunction keyFunction}.
   *
   * @param <A> the type of the function's argument
   * @param function the call to guard
   * @return a function that applies {@code function} through this fallback on each call, with the cache key
   *     derived from the argument by {@link FallbackConfig.Builder#keyFunction keyFunction}
   */
  <A> Function<A, T> decorateFunction(Function<? super A, ? extends T> function);

  /**
   * Returns a supplier that starts each asynchronous call through this fallback.
   *
   * @param supplier starts each call and returns its stage
   * @return a supplier that starts each asynchronous call through this fallback
   */
  Supplier<CompletionStage<T>> decorateCompletionStage(Supplier<? extends CompletionStage<? extends T>> supplier);

  /**
   * Subscribes to this fallback's events. Events are built only while somebody listens. A listener that
   * throws is logged and never disturbs the call.
   *
   * @param listener receives the events
   * @return the subscription; closing it removes the listener
   */
  Subscription onEvent(Consumer<? super FallbackEvent> listener);
}
