package dev.fusebox.ratelimiter;

import dev.fusebox.Policy;
import dev.fusebox.Subscription;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A rate limiter: at most {@link RateLimiterConfig#limitForPeriod() limitForPeriod} permits per
 * {@link RateLimiterConfig#limitRefreshPeriod() limitRefreshPeriod}, counted by a token bucket, a fixed
 * window or a sliding window ({@link RateLimiterConfig.Algorithm}). A call takes one permit.
 *
 * <p>A request either gets its permits at once, or, when it may wait (the
 * {@link RateLimiterConfig#timeoutDuration() timeoutDuration}, or a timeout passed to
 * {@link #tryAcquirePermission(int, Duration)}), reserves the permits due soonest and sleeps until they
 * are due, through the configured {@link dev.fusebox.Sleeper}. The wait is computed from the limiter's
 * state, not polled for: a request whose permits would come after its timeout is refused at once, takes
 * nothing, and never sleeps. Reservations queue in arrival order. Whatever the contention, no algorithm
 * grants more than it promises (see {@link RateLimiterConfig.Algorithm}); there is no background thread:
 * permits are computed from the {@link dev.fusebox.Ticker} when asked for.
 *
 * <pre>{@code
 * RateLimiter limiter = RateLimiter.of("partner-api", RateLimiterConfig.builder()
 *     .limitForPeriod(10)
 *     .limitRefreshPeriod(Duration.ofSeconds(1))
 *     .timeoutDuration(Duration.ofMillis(100))
 *     .build());
 * Quote quote = limiter.executeSupplier(() -> partnerApi.quote(order));
 *
 * if (limiter.tryAcquirePermission(5)) {
 *   partnerApi.sendBatch(fiveItems);
 * }
 * }</pre>
 *
 * <p>An asynchronous call never blocks its caller: if its permit is due later, the call is started then
 * through the configured {@link dev.fusebox.Scheduler}. Limits can be changed and permits drained at run
 * time. The call path takes no lock; the token bucket and the fixed window allocate nothing. This
 * interface is sealed: obtain instances from {@link #of(String, RateLimiterConfig)} or a
 * {@link RateLimiterRegistry}. Implementations are threadsafe.
 *
 * <h2>Calls</h2>
 * The synchronous call forms of {@link Policy} run the call once a permit is granted, waiting up to the
 * configured timeout, and throw {@link RequestNotPermittedException} without running it otherwise. The
 * asynchronous form never blocks the caller: a permit due within the timeout is reserved and the call is
 * started when it is due, through the configured scheduler. Cancelling the returned stage before the call
 * started prevents it from starting (its permit stays spent), and afterwards tries to cancel the call's
 * stage.
 */
public sealed interface RateLimiter extends Policy permits RateLimiterImpl {

  /**
   * A snapshot of a limiter's numbers, taken by {@link RateLimiter#metrics()}.
   *
   * <pre>{@code
   * RateLimiter.Metrics m = limiter.metrics();
   * gauge("available").set(m.availablePermissions());
   * gauge("waiting").set(m.numberOfWaitingThreads());
   * }</pre>
   */
  sealed interface Metrics permits RateLimiterMetricsSnapshot {

    /**
     * Returns how many permits a request could take now without waiting; negative when that many permits
     * are already reserved by waiting callers (as in Resilience4j). A sliding window reports at most
     * {@code limitForPeriod} reserved permits, the most its log holds.
     *
     * @return how many permits a request could take now without waiting; negative when that many permits are
     *     already reserved by waiting callers (as in Resilience4j)
     */
    long availablePermissions();

    /**
     * Returns how many threads are sleeping until their reserved permits are due.
     *
     * @return how many threads are sleeping until their reserved permits are due
     */
    int numberOfWaitingThreads();

    /**
     * Returns the limit in force, run-time changes included.
     *
     * @return the limit in force, run-time changes included
     */
    int limitForPeriod();

    /**
     * Returns how many permits were granted since the limiter was created.
     *
     * @return how many permits were granted since the limiter was created
     */
    long totalPermittedPermits();

    /**
     * Returns how many requests were granted since the limiter was created.
     *
     * @return how many requests were granted since the limiter was created
     */
    long totalSuccessfulAcquisitions();

    /**
     * Returns how many requests were refused since the limiter was created.
     *
     * @return how many requests were refused since the limiter was created
     */
    long totalFailedAcquisitions();
  }

  /**
   * Creates a rate limiter.
   *
   * @param name identifies the limiter in metrics, events and exceptions; must not be blank
   * @param config the limiter's options
   * @return a new limiter, not registered anywhere
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if the name is blank
   */
  static RateLimiter of(String name, RateLimiterConfig config) {
    return new RateLimiterImpl(name, config);
  }

  /**
   * Creates a rate limiter with {@link RateLimiterConfig#ofDefaults() the default configuration}.
   *
   * @param name identifies the limiter in metrics, events and exceptions; must not be blank
   * @return a new limiter, not registered anywhere
   */
  static RateLimiter ofDefaults(String name) {
    return new RateLimiterImpl(name, RateLimiterConfig.ofDefaults());
  }

  /** Returns the name. */
  String name();

  /**
   * Returns the configuration in force: the one created with, with run-time changes applied.
   *
   * @return the configuration in force: the one created with, with run-time changes applied
   */
  RateLimiterConfig config();

  /**
   * Returns a snapshot of the limiter's numbers.
   *
   * @return a snapshot of the limiter's numbers
   */
  Metrics metrics();

  /**
   * Takes one permit if it is available now; never waits. Same as {@code tryAcquirePermission(1)}.
   *
   * @return whether the permits were taken
   */
  boolean tryAcquirePermission();

  /**
   * Takes {@code permits} permits if they are all available now; never waits. A refusal takes nothing.
   *
   * @param permits how many permits; at least 1
   * @return whether the permits were taken
   * @throws IllegalArgumentException if {@code permits} is below 1 or above what one request can ever get
   *     ({@code limitForPeriod}, or {@code burstCapacity} for a token bucket)
   */
  boolean tryAcquirePermission(int permits);

  /**
   * Takes {@code permits} permits, waiting up to {@code timeout} for them if they are due within it.
   *
   * @param permits how many permits; at least 1
   * @param timeout the longest wait; zero or positive
   * @return whether the permits were granted; {@code false} also when the thread was interrupted while
   *     waiting (its interrupt status is then set again, and the reserved permits stay spent)
   * @throws IllegalArgumentException if {@code permits} is out of range, or {@code timeout} is negative
   */
  boolean tryAcquirePermission(int permits, Duration timeout);

  /**
   * Takes one permit, waiting up to the configured timeout (manual API).
   *
   * @throws RequestNotPermittedException if it was not granted
   */
  void acquirePermission();

  /**
   * Takes {@code permits} permits, waiting up to the configured timeout.
   *
   * @param permits how many permits; at least 1
   * @throws RequestNotPermittedException if they were not granted
   * @throws IllegalArgumentException if {@code permits} is out of range
   */
  void acquirePermission(int permits);

  /**
   * Reserves {@code permits} permits due within the configured timeout, without waiting, for callers that
   * wait on their own terms (an event loop, say). The caller must not proceed before the returned delay.
   *
   * @param permits how many permits; at least 1
   * @return the nanoseconds until the permits are due (0: now), or -1 if they were refused
   * @throws IllegalArgumentException if {@code permits} is out of range
   */
  long reservePermission(int permits);

  /** Takes away every permit available now; reservations already made stay. */
  void drainPermissions();

  /**
   * Changes {@code limitForPeriod} from now on; {@link #config()} then shows the new value. The current
   * period's consumption carries over: permits already granted or reserved stay granted, and count against
   * the new limit. A token bucket whose {@code burstCapacity} was not set follows the new limit.
   *
   * @param limitForPeriod the permits per period from now on; at least 1
   * @throws IllegalArgumentException if the resulting configuration is invalid
   */
  void changeLimitForPeriod(int limitForPeriod);

  /**
   * Changes the limiter's options live. A new {@code limitForPeriod} or {@code burstCapacity} is put in force
   * as {@link #changeLimitForPeriod} does: what the current period already granted or reserved stays granted
   * and counts against it, and it sets how many permits each following period grants; a new
   * {@code timeoutDuration} applies to the next request. The algorithm and the refresh period shape every
   * permit already counted, so they cannot change on a running limiter; the limiter keeps its ticker,
   * sleeper and scheduler. Publishes {@link RateLimiterEvent.ConfigurationChanged}.
   *
   * <pre>{@code
   * limiter.reconfigure(limiter.config().toBuilder().limitForPeriod(200).build());
   * }</pre>
   *
   * @param config the new options
   * @throws NullPointerException if {@code config} is null
   * @throws IllegalArgumentException if it asks for another algorithm or refresh period, naming the option
   */
  void reconfigure(RateLimiterConfig config);

  /**
   * Changes the timeout of requests made from now on.
   *
   * @param timeoutDuration how long later requests wait for permits; zero or positive
   * @throws IllegalArgumentException if it is negative
   */
  void changeTimeoutDuration(Duration timeoutDuration);

  /**
   * Subscribes to this limiter's events. Events are built only while somebody listens and are delivered
   * on the calling thread; a listener that throws is logged and never disturbs the limiter or the caller.
   *
   * @param listener receives the events
   * @return the subscription; closing it removes the listener
   */
  Subscription onEvent(Consumer<? super RateLimiterEvent> listener);
}
