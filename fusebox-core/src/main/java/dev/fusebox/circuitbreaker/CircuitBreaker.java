package dev.fusebox.circuitbreaker;

import dev.fusebox.Policy;
import dev.fusebox.Subscription;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A circuit breaker: it watches the outcomes of the calls to one dependency and, when too many fail or are
 * slow, stops calling it for a while so that callers fail fast instead of piling up.
 *
 * <h2>States</h2>
 * <ul>
 *   <li>{@link State#CLOSED}: calls go through and their outcomes are recorded in a sliding window (the
 *       last N calls, or the calls of the last span of time). Once the window holds at least
 *       {@link CircuitBreakerConfig#minimumNumberOfCalls() minimumNumberOfCalls} outcomes, a failure rate or
 *       slow-call rate at or above its threshold opens the breaker; so do
 *       {@link CircuitBreakerConfig#consecutiveFailureThreshold() consecutiveFailureThreshold} failures in a
 *       row, when set.</li>
 *   <li>{@link State#OPEN}: every call is rejected with a {@link CallNotPermittedException} without running.
 *       The first call attempted once {@link CircuitBreakerConfig#waitDurationInOpenState() the wait} has
 *       elapsed moves the breaker to half-open and runs as a trial. Consecutive openings can wait longer
 *       ({@link CircuitBreakerConfig.Builder#openStateBackoff backoff}) and be spread by jitter.</li>
 *   <li>{@link State#HALF_OPEN}: at most {@link CircuitBreakerConfig#permittedNumberOfCallsInHalfOpenState()
 *       permittedNumberOfCallsInHalfOpenState} trials run; when all have reported, rates at or above a
 *       threshold re-open the breaker, otherwise it closes with an empty window, optionally through a
 *       {@link CircuitBreakerConfig#recoveryRamp() recovery ramp} that admits 10%, 25%, then 50% of calls.</li>
 *   <li>{@link State#FORCED_OPEN}, {@link State#DISABLED}, {@link State#METRICS_ONLY}: set by hand; they
 *       reject everything, admit everything without recording, or admit and record without ever
 *       opening.</li>
 * </ul>
 *
 * <p>A call admitted before a transition never counts towards the newer state: a slow call let in while
 * closed that ends while half-open is not a trial. Time is read only from the configured
 * {@link dev.fusebox.Ticker}.
 *
 * <h2>Use</h2>
 * <pre>{@code
 * CircuitBreaker breaker = CircuitBreaker.of("inventory", CircuitBreakerConfig.ofDefaults());
 * String stock = breaker.executeSupplier(() -> inventory.fetch(sku), failure -> "unknown");
 *
 * Supplier<String> guarded = breaker.decorateSupplier(() -> inventory.fetch(sku));
 * CompletionStage<String> later = breaker.executeCompletionStage(() -> inventory.fetchAsync(sku));
 * }</pre>
 *
 * <p>The call path takes no lock. A synchronous call allocates nothing, whether it succeeds, fails or is
 * rejected (the rejection is built once per state), and neither does the manual API; an asynchronous call
 * allocates nothing when rejected (the failed stage is shared too) or when its stage is already complete,
 * and 104 bytes for a stage still running: a stage of its own, which completes once the outcome is
 * recorded, and the registration {@code whenComplete} makes. Listeners of per-call events cost an event
 * each. {@code AllocationTest} counts these bytes. This interface is sealed: obtain instances from
 * {@link #of(String, CircuitBreakerConfig)} or a {@link CircuitBreakerRegistry}. Implementations are
 * threadsafe.
 *
 * <h2>Calls</h2>
 * Every call form of {@link Policy} runs the call if the breaker admits it and records its outcome; a
 * rejected synchronous call throws {@link CallNotPermittedException} without running, a rejected
 * asynchronous call returns a stage failed with it. Cancelling the returned stage, or the call's own stage
 * completing with a {@link java.util.concurrent.CancellationException}, gives the permit back without
 * recording an outcome; cancelling the returned stage also tries to cancel the call's stage.
 */
public sealed interface CircuitBreaker extends Policy permits CircuitBreakerImpl {

  /** The states of a breaker. */
  enum State {
    /** Calls run and their outcomes are recorded. */
    CLOSED,
    /** Calls are rejected until the wait has elapsed. */
    OPEN,
    /** A limited number of trial calls run to decide between closing and re-opening. */
    HALF_OPEN,
    /** Calls are rejected until the breaker is moved by hand. */
    FORCED_OPEN,
    /** Calls run and nothing is recorded until the breaker is moved by hand. */
    DISABLED,
    /** Calls run and are recorded, but the breaker never opens by itself. */
    METRICS_ONLY;

    /**
     * Returns whether calls are admitted in this state (half-open admits a limited number).
     *
     * @return whether calls are admitted in this state (half-open admits a limited number)
     */
    public boolean allowsCalls() {
      return this != OPEN && this != FORCED_OPEN;
    }
  }

  /**
   * A consistent snapshot of a breaker's numbers, taken by {@link CircuitBreaker#metrics()}.
   *
   * <p>The window figures describe the current state's window: in {@link State#OPEN} the window that opened
   * the breaker, in {@link State#HALF_OPEN} the trial calls. The {@code total...} figures are cumulative
   * since the breaker was created and never decrease, which is what monitoring counters need.
   *
   * <pre>{@code
   * CircuitBreaker.Metrics m = breaker.metrics();
   * if (m.failureRate() >= 0) {
   *   log.info("{}% of the last {} calls failed", m.failureRate(), m.numberOfBufferedCalls());
   * }
   * }</pre>
   */
  sealed interface Metrics permits CircuitBreakerMetricsSnapshot {

    /**
     * Returns the state the breaker was in when this snapshot was taken.
     *
     * @return the state the breaker was in when this snapshot was taken
     */
    State state();

    /**
     * Returns the failure rate in percent, or -1 while the window holds fewer than the minimum calls.
     *
     * @return the failure rate in percent, or -1 while the window holds fewer than the minimum calls
     */
    double failureRate();

    /**
     * Returns the slow-call rate in percent, or -1 while the window holds fewer than the minimum calls.
     *
     * @return the slow-call rate in percent, or -1 while the window holds fewer than the minimum calls
     */
    double slowCallRate();

    /**
     * Returns the number of outcomes in the window.
     *
     * @return the number of outcomes in the window
     */
    int numberOfBufferedCalls();

    /**
     * Returns the number of failed calls in the window, slow or not.
     *
     * @return the number of failed calls in the window, slow or not
     */
    int numberOfFailedCalls();

    /**
     * Returns the number of slow calls in the window, failed or not.
     *
     * @return the number of slow calls in the window, failed or not
     */
    int numberOfSlowCalls();

    /**
     * Returns the number of successful calls in the window, slow or not.
     *
     * @return the number of successful calls in the window, slow or not
     */
    int numberOfSuccessfulCalls();

    /**
     * Returns the number of slow successful calls in the window.
     *
     * @return the number of slow successful calls in the window
     */
    int numberOfSlowSuccessfulCalls();

    /**
     * Returns the number of slow failed calls in the window.
     *
     * @return the number of slow failed calls in the window
     */
    int numberOfSlowFailedCalls();

    /**
     * Returns the number of calls rejected since the breaker was created or last {@link #reset() reset}.
     *
     * @return the number of calls rejected since the breaker was created or last {@link #reset() reset}
     */
    long numberOfNotPermittedCalls();

    /**
     * Returns the number of successful calls since the breaker was created, slow ones included.
     *
     * @return the number of successful calls since the breaker was created, slow ones included
     */
    long totalSuccessfulCalls();

    /**
     * Returns the number of failed calls since the breaker was created, slow ones included.
     *
     * @return the number of failed calls since the breaker was created, slow ones included
     */
    long totalFailedCalls();

    /**
     * Returns the number of slow successful calls since the breaker was created.
     *
     * @return the number of slow successful calls since the breaker was created
     */
    long totalSlowSuccessfulCalls();

    /**
     * Returns the number of slow failed calls since the breaker was created.
     *
     * @return the number of slow failed calls since the breaker was created
     */
    long totalSlowFailedCalls();

    /**
     * Returns the number of calls whose exception was ignored, since the breaker was created.
     *
     * @return the number of calls whose exception was ignored, since the breaker was created
     */
    long totalIgnoredCalls();

    /**
     * Returns the number of rejected calls since the breaker was created.
     *
     * @return the number of rejected calls since the breaker was created
     */
    long totalNotPermittedCalls();

    /**
     * Returns the summed duration of the recorded calls (successful and failed) since the breaker was
     * created; zero when the breaker does not time calls ({@link CircuitBreakerConfig#slowCallDetection()
     * slow-call detection} off). With the total counts this makes a timer's mean.
     *
     * @return the summed duration of the recorded calls (successful and failed) since the breaker was
     *     created; zero when the breaker does not time calls ({@link CircuitBreakerConfig#slowCallDetection()
     *     slow-call detection} off)
     */
    Duration totalCallDuration();

    /**
     * Returns the percentage of calls the recovery ramp admits now: 10, 25 or 50 while the breaker ramps up
     * after closing, 100 otherwise.
     *
     * @return the percentage of calls the recovery ramp admits now: 10, 25 or 50 while the breaker ramps up
     *     after closing, 100 otherwise
     */
    double rampPercentage();

    /**
     * Returns how long until the next trial call may run, while the breaker is {@link State#OPEN}: zero
     * once the wait has elapsed. Empty in every other state.
     *
     * @return how long until the next trial call may run, while the breaker is {@link State#OPEN}: zero once
     *     the wait has elapsed
     */
    Optional<Duration> nextTrialIn();

    /**
     * Returns how long the breaker has been in its current state.
     *
     * @return how long the breaker has been in its current state
     */
    Duration timeInState();

    /**
     * Returns how many {@linkplain HealthProbe health probes} succeeded since the breaker was created.
     *
     * @return how many {@linkplain HealthProbe health probes} succeeded since the breaker was created
     */
    long totalSuccessfulProbes();

    /**
     * Returns how many health probes failed or ran out of time since the breaker was created.
     *
     * @return how many health probes failed or ran out of time since the breaker was created
     */
    long totalFailedProbes();
  }

  /**
   * A permission to make one call, from {@link CircuitBreaker#tryAcquirePermit()}. Report exactly one of
   * {@link #onSuccess}, {@link #onResult}, {@link #onError} or {@link #release}; durations are read from the
   * breaker's {@link CircuitBreakerConfig#ticker() ticker}. The outcome counts in the state that issued the
   * permit, whatever the breaker's state is when it is reported. A permit identifies a stay of the breaker,
   * not a call: several calls may hold equal permits, so reporting twice through one permit counts twice.
   */
  sealed interface Permit permits Stay {

    /** Gives the permit back: the call was not made, or its outcome is not to be judged. */
    void release();

    /**
     * Records a successful call.
     *
     * @param durationNanos how long the call took, in the ticker's nanoseconds
     */
    void onSuccess(long durationNanos);

    /**
     * Records a call that returned {@code result}: a failure if the result matches
     * {@link CircuitBreakerConfig#recordResult() recordResult}, else a success.
     *
     * @param durationNanos how long the call took
     * @param result what it returned
     */
    void onResult(long durationNanos, Object result);

    /**
     * Records a call that threw {@code error}, classified as the configuration says: a failure, an ignored
     * exception (which gives the permit back), or a success.
     *
     * @param durationNanos how long the call took
     * @param error what it threw
     */
    void onError(long durationNanos, Throwable error);
  }

  /**
   * Creates a breaker.
   *
   * @param name identifies the breaker in metrics, events and exceptions; must not be blank
   * @param config the breaker's options
   * @return a new breaker, not registered anywhere
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if the name is blank
   */
  static CircuitBreaker of(String name, CircuitBreakerConfig config) {
    return new CircuitBreakerImpl(name, config);
  }

  /**
   * Creates a breaker with tags, as Resilience4j's {@code CircuitBreaker.of(name, config, tags)}: pairs
   * such as a team or a dependency's tier that integrations publish with its metrics (the Micrometer binding
   * as meter tags).
   *
   * @param name identifies the breaker in metrics, events and exceptions; must not be blank
   * @param config the breaker's options
   * @param tags the breaker's tags, copied
   * @return a new breaker, not registered anywhere
   * @throws NullPointerException if an argument, a tag key or a tag value is null
   * @throws IllegalArgumentException if the name is blank
   */
  static CircuitBreaker of(String name, CircuitBreakerConfig config, Map<String, String> tags) {
    return new CircuitBreakerImpl(name, config, tags);
  }

  /**
   * Creates a breaker with {@link CircuitBreakerConfig#ofDefaults() the default configuration}.
   *
   * @param name identifies the breaker in metrics, events and exceptions; must not be blank
   * @return a new breaker, not registered anywhere
   */
  static CircuitBreaker ofDefaults(String name) {
    return new CircuitBreakerImpl(name, CircuitBreakerConfig.ofDefaults());
  }

  /** Returns the name. */
  String name();

  /**
   * Returns the configuration: the one built with, or the latest {@link #reconfigure} gave.
   *
   * @return the configuration: the one built with, or the latest {@link #reconfigure} gave
   */
  CircuitBreakerConfig config();

  /**
   * Changes the breaker's options live, keeping its state. A closed breaker keeps its window's outcomes as
   * far as the new window holds them (a count window the newest, a time window the buckets inside the new
   * span) and applies the new thresholds at the next recorded outcome; an open one keeps its deadline and
   * backoff level (which meets the new base wait at the next opening); a half-open one keeps its trials in
   * flight, their number, and decides with the new thresholds; a manual state ({@code FORCED_OPEN},
   * {@code DISABLED}, {@code METRICS_ONLY}) stays until an operator moves it. Calls in flight finish against
   * the stay that admitted them, which hands their outcomes on. The breaker keeps the {@link
   * CircuitBreakerConfig#ticker() ticker} it was built with. Publishes {@link
   * CircuitBreakerEvent.ConfigurationChanged}.
   *
   * <pre>{@code
   * breaker.reconfigure(breaker.config().toBuilder().failureRateThreshold(25).build());
   * }</pre>
   *
   * @param config the new options
   * @throws NullPointerException if {@code config} is null
   */
  void reconfigure(CircuitBreakerConfig config);

  /**
   * Returns the breaker's tags: those it was created with, over its registry's when a registry created it
   * (the breaker's value wins for a key both have). Empty when none were given. Immutable.
   *
   * @return the breaker's tags: those it was created with, over its registry's when a registry created it
   *     (the breaker's value wins for a key both have)
   */
  Map<String, String> tags();

  /**
   * Returns the current state. An open breaker whose wait has elapsed says OPEN until a call arrives.
   *
   * @return the current state
   */
  State state();

  /**
   * Returns a consistent snapshot of the breaker's numbers.
   *
   * @return a consistent snapshot of the breaker's numbers
   */
  Metrics metrics();

  /**
   * Runs the supplier if admitted; on rejection or on any exception returns the fallback's answer for that
   * exception instead. If the fallback throws, its exception propagates with the original attached as
   * suppressed (at most eight attached in all, should the
   * fallback throw one shared instance every time).
   *
   * @param <T> the call's result type
   * @param supplier the call
   * @param fallback answers with the rejection or the call's exception
   * @return the call's result, or the fallback's
   */
  <T> T executeSupplier(Supplier<T> supplier, Function<? super Throwable, ? extends T> fallback);

  /**
   * Asks for permission to make one call, for code that cannot hand the call over (manual API). On
   * {@code true} the caller must later report exactly one of {@link #onSuccess}, {@link #onResult},
   * {@link #onError}, or {@link #releasePermission()}; durations must be read from
   * {@code config().ticker()}. A rejection is counted.
   *
   * <pre>{@code
   * if (breaker.tryAcquirePermission()) {
   *   long start = breaker.config().ticker().nanos();
   *   try {
   *     Response r = client.call();
   *     breaker.onResult(breaker.config().ticker().nanos() - start, r);
   *   } catch (IOException e) {
   *     breaker.onError(breaker.config().ticker().nanos() - start, e);
   *   }
   * }
   * }</pre>
   *
   * <p>What this anonymous form guarantees, exactly. A report ({@link #onSuccess}, {@link #onResult},
   * {@link #onError}, {@link #releasePermission()}) does not say which permission it is for, so it goes to
   * the state current when it is reported: a call admitted while closed and reported after the breaker
   * opened counts in the cumulative totals only, one reported after the breaker closed again counts in the
   * new window. A half-open state takes an anonymous report for one of its trials only while a trial it
   * admitted through this anonymous form has not reported; otherwise the report counts in the totals only
   * and frees no trial slot (nor a coordinator's lease). That is all it can do: with two anonymous callers,
   * a stale report arriving while the other caller's trial runs takes that trial's place, and the trial
   * slot it frees lets one trial more run than permitted (ModelCheckedBreakerTest shows both races). Use
   * {@link #tryAcquirePermit()}, whose permits carry the state that issued them, wherever permissions can
   * outlive a transition; the {@code execute} and {@code decorate} methods always do.
   *
   * @return whether the call may proceed
   */
  boolean tryAcquirePermission();

  /**
   * Asks for permission to make one call and returns the permit, or {@code null} when the breaker rejects
   * the call (the rejection is counted): the manual API for code that cannot hand the call over, such as
   * a reactive operator or an HTTP client interceptor. The caller must later report exactly one outcome
   * through the permit; the permit's outcome reaches only the stay that issued it, so a permit taken while
   * closed and reported after the breaker moved on never counts as a trial of a later half-open stay, and
   * giving it back never frees one of that stay's trial slots. Taking a permit allocates nothing.
   *
   * <pre>{@code
   * CircuitBreaker.Permit permit = breaker.tryAcquirePermit();
   * if (permit == null) {
   *   return fallback();
   * }
   * long start = breaker.config().ticker().nanos();
   * try {
   *   Response r = client.call();
   *   permit.onResult(breaker.config().ticker().nanos() - start, r);
   *   return r;
   * } catch (IOException e) {
   *   permit.onError(breaker.config().ticker().nanos() - start, e);
   *   throw e;
   * }
   * }</pre>
   *
   * @return the permit, or {@code null} if the call is rejected
   */
  Permit tryAcquirePermit();

  /**
   * Like {@link #tryAcquirePermission()}, with the same guarantees, but throws on rejection.
   *
   * @throws CallNotPermittedException if the breaker rejects the call
   */
  void acquirePermission();

  /** Gives back a permit whose call was not made, so that it counts for nothing (manual API). */
  void releasePermission();

  /**
   * Records a successful call that took {@code durationNanos} (manual API).
   *
   * @param durationNanos how long the call took, in nanoseconds of the configured ticker; judged against the
   *     slow-call threshold
   */
  void onSuccess(long durationNanos);

  /**
   * Records a call that returned {@code result}: a failure if the result matches
   * {@link CircuitBreakerConfig#recordResult() recordResult}, else a success (manual API).
   *
   * @param durationNanos how long the call took, in nanoseconds of the configured ticker; judged against the
   *     slow-call threshold
   * @param result the call's result, recorded as a failure if {@code recordResult} matches it
   */
  void onResult(long durationNanos, Object result);

  /**
   * Records a call that threw {@code error}, classified as the configuration says: a failure, an ignored
   * exception (which gives the permit back), or a success (manual API).
   *
   * @param durationNanos how long the call ran, in nanoseconds of the configured ticker
   * @param error the call's exception, recorded, ignored or counted as a success as the configuration says
   */
  void onError(long durationNanos, Throwable error);

  /**
   * Moves to {@link State#CLOSED} with an empty window, no ramp and the backoff at its base. Like every move
   * out of {@link State#OPEN}, it cancels the pending automatic transition to half-open, if any.
   */
  void transitionToClosedState();

  /** Moves to {@link State#OPEN}, waiting the open-state wait of the next backoff level. */
  void transitionToOpenState();

  /**
   * Moves to {@link State#OPEN} for exactly {@code wait}, without backoff or jitter: for when the
   * dependency said how long it needs, such as an HTTP 503 with a {@code Retry-After} header. The next
   * automatic opening backs off from this one.
   *
   * @param wait how long to stay open before a trial call is let through; positive
   * @throws IllegalArgumentException if {@code wait} is not positive
   */
  void transitionToOpenStateFor(Duration wait);

  /** Moves to {@link State#HALF_OPEN} with a fresh set of trial permits. */
  void transitionToHalfOpenState();

  /** Moves to {@link State#FORCED_OPEN}: every call is rejected until the breaker is moved again. */
  void transitionToForcedOpenState();

  /** Moves to {@link State#DISABLED}: every call runs and nothing is recorded. */
  void transitionToDisabledState();

  /** Moves to {@link State#METRICS_ONLY}: every call runs and is recorded, and the breaker never opens. */
  void transitionToMetricsOnlyState();

  /**
   * Returns to {@link State#CLOSED} with empty metrics (the cumulative totals excepted), no ramp and the
   * backoff at its base, and publishes a reset event. A latency baseline
   * ({@link CircuitBreakerConfig.Builder#slowCallDurationPercentile}) is forgotten and learnt again; deploy
   * mode, an operator's switch, stays as it was.
   */
  void reset();

  /**
   * Puts the breaker in deploy mode for {@code duration}: a heightened sensitivity for while a new version of
   * the caller or the dependency rolls out. Meanwhile a closed breaker opens on its
   * {@linkplain CircuitBreakerConfig#deployModeFailureThreshold() first failures} (one by default), whatever
   * its window holds and its minimum number of calls; its other rules still apply. The count starts again at
   * each opening, so a breaker that recovers within the stretch is as sensitive as before. It ends by itself
   * when {@code duration} is over, by the breaker's ticker; starting it again replaces the stretch. Publishes
   * {@link CircuitBreakerEvent.DeployModeChanged}. The starter's actuator and the dashboard switch it too.
   *
   * <pre>{@code
   * breaker.startDeployMode(Duration.ofMinutes(10));   // from the deploy pipeline, before the rollout
   * }</pre>
   *
   * @param duration how long deploy mode lasts
   * @throws NullPointerException if {@code duration} is null
   * @throws IllegalArgumentException if {@code duration} is not positive or exceeds 292 years
   */
  void startDeployMode(Duration duration);

  /** Ends deploy mode now, if it is on; publishes {@link CircuitBreakerEvent.DeployModeChanged} if it was. */
  void endDeployMode();

  /**
   * Returns how long deploy mode still lasts, or empty when it is off.
   *
   * @return the time left, by the breaker's ticker
   */
  Optional<Duration> deployModeRemaining();

  /**
   * Returns the duration over which a call counts as slow now: the configured
   * {@link CircuitBreakerConfig#slowCallDurationThreshold()}, or, with
   * {@link CircuitBreakerConfig.Builder#slowCallDurationPercentile}, the one learnt from the breaker's own
   * latency once a period has taught it.
   *
   * @return the slow-call threshold in force
   */
  Duration slowCallDurationThreshold();

  /**
   * Subscribes to state transitions. Transitions of one breaker reach a listener one at a time and in the
   * order they happened. A listener that throws is logged and never disturbs the breaker or the caller.
   *
   * @param listener receives each transition, one at a time
   * @return the subscription; closing it removes the listener
   */
  Subscription onStateTransition(Consumer<? super StateTransition> listener);

  /**
   * Subscribes to every event of this breaker, per-call events included. Per-call events are built only
   * while somebody listens, and are delivered on the calling thread.
   *
   * @param listener receives the events
   * @return the subscription; closing it removes the listener
   */
  Subscription onEvent(Consumer<? super CircuitBreakerEvent> listener);

  /**
   * Subscribes to the events of the given types only. A breaker builds an event only if some listener
   * wants its type, so a listener of transitions costs successful calls nothing:
   *
   * <pre>{@code
   * breaker.onEvent(EnumSet.of(Type.STATE_TRANSITION, Type.NOT_PERMITTED), event -> audit.record(event));
   * }</pre>
   *
   * @param types the event types to receive
   * @param listener receives the events
   * @return the subscription; closing it removes the listener
   */
  Subscription onEvent(Set<CircuitBreakerEvent.Type> types, Consumer<? super CircuitBreakerEvent> listener);
}
