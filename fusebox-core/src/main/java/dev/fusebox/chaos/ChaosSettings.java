package dev.fusebox.chaos;

import dev.fusebox.internal.Validation;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What a {@link Chaos} policy injects, and how often: the part of its configuration that can change while
 * it runs. Immutable: every {@code with...} method returns a new, validated instance, and
 * {@link Chaos#update} swaps the whole of it atomically, so a call never sees half of a change.
 *
 * <p>Each call of an enabled policy rolls, independently: latency with {@link #latencyRate()}, then a fault
 * with {@link #faultRate()}, then, if no fault was injected, an error result with {@link #resultRate()}.
 * Rates are probabilities in [0, 1].
 *
 * <pre>{@code
 * chaos.update(s -> s.withFaultRate(0.2));                       // 20% of calls fail
 * chaos.update(s -> s.withLatency(0.5, Duration.ofMillis(800))); // half the calls take 800 ms longer
 * chaos.update(ChaosSettings::outage);                           // every call fails
 * chaos.update(ChaosSettings::healthy);                          // back to normal
 * }</pre>
 */
public final class ChaosSettings {

  private static final ChaosSettings NONE = new ChaosSettings(true, 0, null, 0, null, 0, Duration.ZERO);

  private final boolean enabled;
  private final double faultRate;
  private final Supplier<? extends Throwable> fault;
  private final double resultRate;
  private final Supplier<?> result;
  private final double latencyRate;
  private final Duration latency;

  private ChaosSettings(
      boolean enabled,
      double faultRate,
      Supplier<? extends Throwable> fault,
      double resultRate,
      Supplier<?> result,
      double latencyRate,
      Duration latency) {
    this.enabled = enabled;
    this.faultRate = faultRate;
    this.fault = fault;
    this.resultRate = resultRate;
    this.result = result;
    this.latencyRate = latencyRate;
    this.latency = latency;
  }

  /**
   * Returns settings that inject nothing: enabled, every rate 0.
   *
   * @return settings that inject nothing: enabled, every rate 0
   */
  public static ChaosSettings none() {
    return NONE;
  }

  static ChaosSettings of(
      boolean enabled,
      double faultRate,
      Supplier<? extends Throwable> fault,
      double resultRate,
      Supplier<?> result,
      double latencyRate,
      Duration latency) {
    Validation v = new Validation("ChaosSettings");
    check(v, faultRate, resultRate, result, latencyRate, latency);
    v.throwIfInvalid();
    return new ChaosSettings(enabled, faultRate, fault, resultRate, result, latencyRate, latency);
  }

  static void check(
      Validation v,
      double faultRate,
      double resultRate,
      Supplier<?> result,
      double latencyRate,
      Duration latency) {
    rate(v, "faultRate", faultRate);
    rate(v, "resultRate", resultRate);
    rate(v, "latencyRate", latencyRate);
    v.notNegative("latency", latency).fitsNanos("latency", latency);
    v.require(
        resultRate == 0 || result != null,
        "resultRate " + resultRate + " needs a result to inject: set one with result(Supplier)");
  }

  private static void rate(Validation v, String option, double rate) {
    v.check(rate >= 0 && rate <= 1, option, "must be in [0, 1]", rate);
  }

  private ChaosSettings copy(
      boolean enabled,
      double faultRate,
      Supplier<? extends Throwable> fault,
      double resultRate,
      Supplier<?> result,
      double latencyRate,
      Duration latency) {
    return of(enabled, faultRate, fault, resultRate, result, latencyRate, latency);
  }

  /**
   * Returns whether the policy injects anything at all; a disabled policy only passes calls through.
   *
   * @return whether the policy injects anything at all; a disabled policy only passes calls through
   */
  public boolean enabled() {
    return enabled;
  }

  /**
   * Returns the probability that a call fails with an injected fault instead of running.
   *
   * @return the probability that a call fails with an injected fault instead of running
   */
  public double faultRate() {
    return faultRate;
  }

  /**
   * Returns the supplier of injected faults, if one was set; otherwise an {@link InjectedFaultException}
   * is thrown.
   *
   * @return the supplier of injected faults, if one was set; otherwise an {@link InjectedFaultException} is
   *     thrown
   */
  public Optional<Supplier<? extends Throwable>> fault() {
    return Optional.ofNullable(fault);
  }

  /**
   * Returns the probability that a call returns an injected result instead of running.
   *
   * @return the probability that a call returns an injected result instead of running
   */
  public double resultRate() {
    return resultRate;
  }

  /**
   * Returns the supplier of injected results, if one was set.
   *
   * @return the supplier of injected results, if one was set
   */
  public Optional<Supplier<?>> result() {
    return Optional.ofNullable(result);
  }

  /**
   * Returns the probability that a call is delayed by {@link #latency()} before it runs.
   *
   * @return the probability that a call is delayed by {@link #latency()} before it runs
   */
  public double latencyRate() {
    return latencyRate;
  }

  /**
   * Returns the delay added to the calls chosen by {@link #latencyRate()}.
   *
   * @return the delay added to the calls chosen by {@link #latencyRate()}
   */
  public Duration latency() {
    return latency;
  }

  Supplier<? extends Throwable> faultOrNull() {
    return fault;
  }

  Supplier<?> resultOrNull() {
    return result;
  }

  /**
   * Returns these settings, enabled or disabled.
   *
   * @param enabled whether the policy injects anything
   * @return these settings, enabled or disabled
   */
  public ChaosSettings withEnabled(boolean enabled) {
    return copy(enabled, faultRate, fault, resultRate, result, latencyRate, latency);
  }

  /**
   * Returns these settings with another fault rate.
   *
   * @param faultRate the share of calls that fail, in [0, 1]
   * @return these settings with another fault rate
   * @throws IllegalArgumentException if the rate is not in [0, 1]
   */
  public ChaosSettings withFaultRate(double faultRate) {
    return copy(enabled, faultRate, fault, resultRate, result, latencyRate, latency);
  }

  /**
   * Returns these settings injecting the given faults at the given rate.
   *
   * @param faultRate the share of calls that fail, in [0, 1]
   * @param fault makes the exception each injected failure throws
   * @return these settings injecting the given faults at the given rate
   */
  public ChaosSettings withFault(double faultRate, Supplier<? extends Throwable> fault) {
    Objects.requireNonNull(fault, "fault must not be null");
    return copy(enabled, faultRate, fault, resultRate, result, latencyRate, latency);
  }

  /**
   * Returns these settings with another result rate.
   *
   * @param resultRate the share of calls whose result is replaced, in [0, 1]
   * @return these settings with another result rate
   * @throws IllegalArgumentException if the rate is not in [0, 1], or positive with no result to inject
   */
  public ChaosSettings withResultRate(double resultRate) {
    return copy(enabled, faultRate, fault, resultRate, result, latencyRate, latency);
  }

  /**
   * Returns these settings injecting the given results (an HTTP 500 response, say) at the given rate.
   *
   * @param resultRate the share of calls whose result is replaced, in [0, 1]
   * @param result makes the result returned instead of the call's
   * @return these settings injecting the given results (an HTTP 500 response, say) at the given rate
   */
  public ChaosSettings withResult(double resultRate, Supplier<?> result) {
    Objects.requireNonNull(result, "result must not be null");
    return copy(enabled, faultRate, fault, resultRate, result, latencyRate, latency);
  }

  /**
   * Returns these settings with another latency rate.
   *
   * @param latencyRate the share of calls delayed, in [0, 1]
   * @return these settings with another latency rate
   * @throws IllegalArgumentException if the rate is not in [0, 1]
   */
  public ChaosSettings withLatencyRate(double latencyRate) {
    return copy(enabled, faultRate, fault, resultRate, result, latencyRate, latency);
  }

  /**
   * Returns these settings delaying calls by {@code latency} at the given rate.
   *
   * @param latencyRate the share of calls delayed, in [0, 1]
   * @param latency how long each delayed call waits before it runs
   * @return these settings delaying calls by {@code latency} at the given rate
   */
  public ChaosSettings withLatency(double latencyRate, Duration latency) {
    Objects.requireNonNull(latency, "latency must not be null");
    return copy(enabled, faultRate, fault, resultRate, result, latencyRate, latency);
  }

  /**
   * Returns these settings, enabled, failing every call: a full outage of the dependency.
   *
   * @return these settings, enabled, failing every call: a full outage of the dependency
   */
  public ChaosSettings outage() {
    return copy(true, 1, fault, resultRate, result, latencyRate, latency);
  }

  /**
   * Returns these settings, enabled, delaying every call by {@code latency}: a slowed-down dependency.
   *
   * @param latency how long every call waits before it runs
   * @return these settings, enabled, delaying every call by {@code latency}: a slowed-down dependency
   */
  public ChaosSettings slowdown(Duration latency) {
    Objects.requireNonNull(latency, "latency must not be null");
    return copy(true, faultRate, fault, resultRate, result, 1, latency);
  }

  /**
   * Returns these settings with every rate at 0, keeping the suppliers and the latency for later.
   *
   * @return these settings with every rate at 0, keeping the suppliers and the latency for later
   */
  public ChaosSettings healthy() {
    return copy(enabled, 0, fault, 0, result, 0, latency);
  }

  @Override
  public String toString() {
    return "ChaosSettings{enabled=" + enabled
        + ", faultRate=" + faultRate
        + ", resultRate=" + resultRate
        + ", latencyRate=" + latencyRate
        + ", latency=" + latency
        + '}';
  }
}
