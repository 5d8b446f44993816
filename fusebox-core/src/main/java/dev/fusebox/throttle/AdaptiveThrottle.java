package dev.fusebox.throttle;

import dev.fusebox.Policy;
import dev.fusebox.Subscription;
import java.util.Set;
import java.util.function.Consumer;

/**
 * An adaptive throttle: client-side throttling as Google's SRE book describes it (chapter "Handling
 * Overload"), the load shedding of Envoy's admission control and failsafe-go's adaptive throttler. It
 * sheds part of the load on a dependency that accepts too few requests, in proportion to how few, instead
 * of all or nothing as a circuit breaker does.
 *
 * <h2>The rule</h2>
 * Over the last {@link AdaptiveThrottleConfig#samplingWindow() samplingWindow} (2 minutes by default) the
 * throttle counts {@code requests}, every request its callers made, those it rejected locally included,
 * and {@code accepts}, the requests the dependency accepted. It rejects a new request locally, without
 * sending it, with probability
 *
 * <pre>{@code
 * min(maxRejectionProbability, max(0, (requests - k * accepts) / (requests + 1)))
 * }</pre>
 *
 * <p>With {@link AdaptiveThrottleConfig#k() k} = 2 (the book's value) nothing is rejected while the
 * dependency accepts at least half the requests; below that, the dependency keeps receiving about
 * {@code k} requests per accept and the rest is rejected here, at no cost to it. Because local rejections
 * count as requests, the probability keeps rising while the dependency stays down, up to
 * {@link AdaptiveThrottleConfig#maxRejectionProbability() maxRejectionProbability} (0.9), so that some
 * requests always find out when it is back. Accepts then outweigh the rejections left in the window only
 * gradually: after a full outage the probability is back to zero within about two windows (four minutes
 * with the defaults; a lower cap or a shorter window recovers sooner). Nothing is rejected while the
 * window holds fewer than
 * {@link AdaptiveThrottleConfig#minimumNumberOfRequests() minimumNumberOfRequests} (0 by default).
 *
 * <p>What "accepted" means is the configuration's record rules, which read like a breaker's: by default
 * every exception is a failure and every result accepted; {@code recordExceptions},
 * {@code recordException} and {@code recordResult} narrow or widen that (a 4xx answer was accepted, a
 * 503 was not), and {@code ignoreExceptions} makes calls count for nothing. The rejection of a Fusebox
 * policy inside the throttle (a bulkhead, a rate limiter) and a cancellation always count for nothing. A
 * request counts when its outcome is known, a local rejection at once.
 *
 * <h2>Use</h2>
 * <pre>{@code
 * AdaptiveThrottle throttle = AdaptiveThrottle.of("search", AdaptiveThrottleConfig.builder()
 *     .recordResult(r -> ((SearchResponse) r).status() >= 500)
 *     .build());
 * SearchResponse response = throttle.executeSupplier(() -> search.query(terms));
 * CompletionStage<SearchResponse> later = throttle.executeCompletionStage(() -> search.queryAsync(terms));
 * }</pre>
 *
 * <p>In a {@link dev.fusebox.pipeline.Pipeline} it sits right inside the circuit breaker and outside the
 * rate limiter: it judges every attempt the breaker lets through (a retry's included, which is what
 * keeps retries from piling onto an overloaded dependency), and a request it rejects spends no rate-limiter
 * permit.
 *
 * <h2>Calls</h2>
 * Every call form of {@link Policy} decides the request, then runs it and records its outcome, or throws
 * (or, asynchronously, returns a stage failed with) the throttle's one {@link CallThrottledException}
 * without running it. Code that cannot hand the call over asks {@link #tryAcquirePermission()} and reports
 * the outcome with {@link #onSuccess()}, {@link #onResult(Object)} or {@link #onError(Throwable)}.
 *
 * <p>Deciding reads the ticker once and draws a random number only while the rejection probability is
 * above zero; deciding and recording take no lock and allocate nothing, and a rejection allocates nothing
 * either. This interface is sealed: obtain instances from {@link #of(String, AdaptiveThrottleConfig)} or an
 * {@link AdaptiveThrottleRegistry}. Implementations are threadsafe.
 */
public sealed interface AdaptiveThrottle extends Policy permits AdaptiveThrottleImpl {

  /**
   * A snapshot of a throttle's numbers, taken by {@link AdaptiveThrottle#metrics()}. The window figures are
   * what the formula works on now; the {@code total...} figures are cumulative since the throttle was
   * created and never decrease, which is what monitoring counters need. Read while calls run, the figures
   * may differ by the calls that ended between two readings.
   *
   * <pre>{@code
   * AdaptiveThrottle.Metrics m = throttle.metrics();
   * log.info("{} of {} requests accepted; rejecting {}%", m.numberOfAccepts(), m.numberOfRequests(),
   *     100 * m.rejectionProbability());
   * }</pre>
   */
  sealed interface Metrics permits AdaptiveThrottleMetricsSnapshot {

    /**
     * Returns the probability with which a request made now would be rejected locally.
     *
     * @return the probability with which a request made now would be rejected locally
     */
    double rejectionProbability();

    /**
     * Returns the requests in the window, local rejections included: the formula's {@code requests}.
     *
     * @return the requests in the window, local rejections included: the formula's {@code requests}
     */
    long numberOfRequests();

    /**
     * Returns the requests in the window that the dependency accepted: the formula's {@code accepts}.
     *
     * @return the requests in the window that the dependency accepted: the formula's {@code accepts}
     */
    long numberOfAccepts();

    /**
     * Returns every request since the throttle was created: accepted, not accepted or rejected locally.
     *
     * @return every request since the throttle was created: accepted, not accepted or rejected locally
     */
    long totalRequests();

    /**
     * Returns the requests the dependency accepted since the throttle was created.
     *
     * @return the requests the dependency accepted since the throttle was created
     */
    long totalAccepts();

    /**
     * Returns the requests the dependency did not accept since the throttle was created.
     *
     * @return the requests the dependency did not accept since the throttle was created
     */
    long totalFailedRequests();

    /**
     * Returns the requests the throttle rejected locally since it was created.
     *
     * @return the requests the throttle rejected locally since it was created
     */
    long totalRejectedRequests();

    /**
     * Returns the calls whose outcome counted for nothing since the throttle was created.
     *
     * @return the calls whose outcome counted for nothing since the throttle was created
     */
    long totalIgnoredCalls();
  }

  /**
   * Creates a throttle.
   *
   * @param name identifies the throttle in metrics, events and exceptions; must not be blank
   * @param config the throttle's options
   * @return a new throttle, not registered anywhere
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if the name is blank
   */
  static AdaptiveThrottle of(String name, AdaptiveThrottleConfig config) {
    return new AdaptiveThrottleImpl(name, config);
  }

  /**
   * Creates a throttle with {@link AdaptiveThrottleConfig#ofDefaults() the default configuration}.
   *
   * @param name identifies the throttle in metrics, events and exceptions; must not be blank
   * @return a new throttle, not registered anywhere
   */
  static AdaptiveThrottle ofDefaults(String name) {
    return new AdaptiveThrottleImpl(name, AdaptiveThrottleConfig.ofDefaults());
  }

  /** Returns the name. */
  String name();

  /**
   * Returns the configuration.
   *
   * @return the configuration
   */
  AdaptiveThrottleConfig config();

  /**
   * Returns a snapshot of the throttle's numbers.
   *
   * @return a snapshot of the throttle's numbers
   */
  Metrics metrics();

  /**
   * Decides a request for code that cannot hand the call over (manual API). On {@code true} the caller
   * makes the call and reports its outcome with exactly one of {@link #onSuccess()},
   * {@link #onResult(Object)} or {@link #onError(Throwable)}; a call that was not made reports nothing. On
   * {@code false} the request was rejected locally and is already counted.
   *
   * <pre>{@code
   * if (!throttle.tryAcquirePermission()) {
   *   return Response.status(503).build();
   * }
   * try {
   *   Response r = client.send(request);
   *   throttle.onResult(r);
   *   return r;
   * } catch (IOException e) {
   *   throttle.onError(e);
   *   throw e;
   * }
   * }</pre>
   *
   * @return whether the call may be made
   */
  boolean tryAcquirePermission();

  /**
   * Like {@link #tryAcquirePermission()}, but throws on rejection.
   *
   * @throws CallThrottledException if the request is rejected locally
   */
  void acquirePermission();

  /** Records a request the dependency accepted (manual API). */
  void onSuccess();

  /**
   * Records a request that returned {@code result}: not accepted if the result matches
   * {@link AdaptiveThrottleConfig#recordResult() recordResult}, else accepted (manual API).
   *
   * @param result the request's result, judged by {@link AdaptiveThrottleConfig#recordResult() recordResult}
   */
  void onResult(Object result);

  /**
   * Records a request that threw {@code error}, classified as the configuration says: not accepted,
   * accepted, or ignored (manual API).
   *
   * @param error the request's exception, judged by the configured exception rules
   */
  void onError(Throwable error);

  /**
   * Subscribes to every event of this throttle. Events are built only while somebody listens and are
   * delivered on the calling thread; a listener that throws is logged and never disturbs the throttle or
   * the caller.
   *
   * @param listener receives the events
   * @return the subscription; closing it removes the listener
   */
  Subscription onEvent(Consumer<? super AdaptiveThrottleEvent> listener);

  /**
   * Subscribes to the events of the given types only. A throttle builds an event only if some listener
   * wants its type, so a listener of rejections costs accepted calls nothing.
   *
   * @param types the event types to receive
   * @param listener receives the events
   * @return the subscription; closing it removes the listener
   */
  Subscription onEvent(Set<AdaptiveThrottleEvent.Type> types, Consumer<? super AdaptiveThrottleEvent> listener);
}
