package dev.fusebox.chaos;

import dev.fusebox.Policy;
import dev.fusebox.Subscription;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * Injects faults, error results and latency into calls at configured rates, in the spirit of Polly's
 * chaos strategies, so that teams can check in tests and staging that their breakers, timeouts, retries
 * and fallbacks act as intended. Put it innermost, next to the call, where the real failures happen.
 *
 * <h2>Run-time control</h2>
 * What is injected is a {@link ChaosSettings} value that can be swapped while calls run, atomically and
 * without rebuilding anything; each call reads it once, so it sees either the old settings or the new ones.
 * <pre>{@code
 * Chaos chaos = Chaos.of("inventory", ChaosConfig.ofDefaults());   // injects nothing yet
 * Supplier<Stock> call = chaos.decorateSupplier(() -> inventory.fetch(sku));
 *
 * chaos.update(s -> s.withFaultRate(0.5));                        // error rate 50%
 * chaos.update(s -> s.withLatency(1.0, Duration.ofSeconds(2)));   // slow-down
 * chaos.update(ChaosSettings::outage);                            // full outage
 * chaos.disable();                                                // experiment over
 * }</pre>
 *
 * <h2>Behaviour</h2>
 * On each call of an enabled policy: with probability {@code latencyRate} the call is delayed by
 * {@code latency} (through the configuration's {@link dev.fusebox.Sleeper} for synchronous calls, on its
 * {@link dev.fusebox.Scheduler} for asynchronous ones, so no thread waits); then with probability
 * {@code faultRate} it fails with the configured fault without running; otherwise with probability
 * {@code resultRate} it returns the configured result without running; otherwise it runs. If the thread is
 * interrupted during an injected delay, {@link #executeCallable} throws {@link InterruptedException}; the
 * other synchronous methods restore the interrupt flag and throw a
 * {@link java.util.concurrent.CancellationException}.
 *
 * <p>The call path takes no lock: one volatile read of the settings, at most three random draws. This
 * interface is sealed: obtain instances from {@link #of(String, ChaosConfig)} or a {@link ChaosRegistry}.
 * Implementations are threadsafe.
 *
 * <h2>Calls</h2>
 * Every call form of {@link Policy} runs the call, or injects instead, as the settings say (a runnable gets
 * faults and latency only, results do not apply). Asynchronously, a fault yields a failed stage and
 * latency delays the start of the call on the scheduler; cancelling the returned stage during injected
 * latency means the call never starts.
 */
public sealed interface Chaos extends Policy permits ChaosImpl {

  /**
   * Cumulative counts since the policy was created.
   *
   * <pre>{@code
   * Chaos.Metrics m = chaos.metrics();
   * double injectedShare = (double) m.numberOfInjectedFaults() / Math.max(1, m.numberOfCalls());
   * }</pre>
   */
  sealed interface Metrics permits ChaosMetricsSnapshot {

    /**
     * Returns the number of calls made through the policy, injected or not.
     *
     * @return the number of calls made through the policy, injected or not
     */
    long numberOfCalls();

    /**
     * Returns the number of calls failed with an injected fault.
     *
     * @return the number of calls failed with an injected fault
     */
    long numberOfInjectedFaults();

    /**
     * Returns the number of calls answered with an injected result.
     *
     * @return the number of calls answered with an injected result
     */
    long numberOfInjectedResults();

    /**
     * Returns the number of calls delayed by injected latency.
     *
     * @return the number of calls delayed by injected latency
     */
    long numberOfInjectedLatencies();
  }

  /**
   * Creates a chaos policy.
   *
   * @param name identifies the policy in metrics, events and injected faults; must not be blank
   * @param config the policy's options
   * @return a new policy, not registered anywhere
   */
  static Chaos of(String name, ChaosConfig config) {
    return new ChaosImpl(name, config);
  }

  /**
   * Creates a chaos policy that injects nothing until its settings are changed.
   *
   * @param name identifies the policy in metrics, events and exceptions; must not be blank
   * @return a new policy, not registered anywhere
   */
  static Chaos ofDefaults(String name) {
    return new ChaosImpl(name, ChaosConfig.ofDefaults());
  }

  /** Returns the name. */
  String name();

  /**
   * Returns the configuration; its settings are the initial ones, see {@link #settings()} for the current.
   *
   * @return the configuration; its settings are the initial ones, see {@link #settings()} for the current
   */
  ChaosConfig config();

  /**
   * Returns the settings in force now.
   *
   * @return the settings in force now
   */
  ChaosSettings settings();

  /**
   * Replaces the settings atomically with {@code update}'s answer for the current ones, and returns the new
   * settings. Under contention {@code update} may be called more than once, so it must be free of side
   * effects; it throws {@link IllegalArgumentException} for invalid values through the {@code with...}
   * methods, in which case nothing changes.
   *
   * @param update computes the new settings from the current ones; free of side effects, as it may run more
   *     than once
   * @return the settings now in force
   */
  ChaosSettings update(UnaryOperator<ChaosSettings> update);

  /**
   * Replaces the settings with {@code settings}.
   *
   * @param settings the settings from now on
   */
  void set(ChaosSettings settings);

  /** Starts injecting, with the current rates. */
  void enable();

  /** Stops injecting; calls pass through untouched until {@link #enable()}. The rates are kept. */
  void disable();

  /**
   * Returns a snapshot of the cumulative counts.
   *
   * @return a snapshot of the cumulative counts
   */
  Metrics metrics();

  /**
   * Subscribes to this policy's injections. Events are built only while somebody listens. A listener that
   * throws is logged and never disturbs the call.
   *
   * @param listener receives the events
   * @return the subscription; closing it removes the listener
   */
  Subscription onEvent(Consumer<? super ChaosEvent> listener);
}
