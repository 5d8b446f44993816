package dev.fusebox.chaos;

import dev.fusebox.Scheduler;
import dev.fusebox.Sleeper;
import dev.fusebox.internal.Validation;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * The immutable configuration of a {@link Chaos} policy: its {@link #initialSettings() initial settings},
 * which can be changed while it runs, and the fixed machinery (random source, sleeper, scheduler). Built by
 * a validating {@link Builder}.
 *
 * <table>
 *   <caption>Options and their defaults</caption>
 *   <tr><th>Option</th><th>Default</th></tr>
 *   <tr><td>{@link Builder#enabled(boolean) enabled}</td><td>true</td></tr>
 *   <tr><td>{@link Builder#faultRate(double) faultRate}</td><td>0</td></tr>
 *   <tr><td>{@link Builder#fault(Supplier) fault}</td><td>an {@link InjectedFaultException}</td></tr>
 *   <tr><td>{@link Builder#resultRate(double) resultRate}</td><td>0</td></tr>
 *   <tr><td>{@link Builder#result(Supplier) result}</td><td>none (needed for a positive resultRate)</td></tr>
 *   <tr><td>{@link Builder#latencyRate(double) latencyRate}</td><td>0</td></tr>
 *   <tr><td>{@link Builder#latency(Duration) latency}</td><td>0</td></tr>
 *   <tr><td>{@link Builder#random(RandomGenerator) random}</td><td>{@link
 *       java.util.concurrent.ThreadLocalRandom}</td></tr>
 *   <tr><td>{@link Builder#sleeper(Sleeper) sleeper}</td><td>{@link Sleeper#system()}</td></tr>
 *   <tr><td>{@link Builder#scheduler(Scheduler) scheduler}</td><td>{@link Scheduler#system()}</td></tr>
 * </table>
 *
 * <pre>{@code
 * ChaosConfig config = ChaosConfig.builder()
 *     .faultRate(0.05)
 *     .fault(() -> new SocketTimeoutException("injected"))
 *     .latencyRate(0.1)
 *     .latency(Duration.ofMillis(500))
 *     .build();
 * }</pre>
 *
 * <p>Instances are immutable and threadsafe.
 */
public final class ChaosConfig {

  private static final ChaosConfig DEFAULTS = builder().build();

  private final ChaosSettings initialSettings;
  private final RandomGenerator random;
  private final Sleeper sleeper;
  private final Scheduler scheduler;

  private ChaosConfig(Builder b, ChaosSettings initialSettings) {
    this.initialSettings = initialSettings;
    this.random = b.random;
    this.sleeper = b.sleeper;
    this.scheduler = b.scheduler;
  }

  /**
   * Returns a builder with every option at its default.
   *
   * @return a builder with every option at its default
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns the configuration that injects nothing until its settings are changed.
   *
   * @return the configuration that injects nothing until its settings are changed
   */
  public static ChaosConfig ofDefaults() {
    return DEFAULTS;
  }

  /**
   * Returns a builder holding this configuration's options, to derive a variant from it.
   *
   * @return a builder holding this configuration's options, to derive a variant from it
   */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /**
   * Returns the settings a new policy starts with.
   *
   * @return the settings a new policy starts with
   */
  public ChaosSettings initialSettings() {
    return initialSettings;
  }

  /**
   * Returns the random source of the rolls, if one was set; else each thread's own is used.
   *
   * @return the random source of the rolls, if one was set; else each thread's own is used
   */
  public Optional<RandomGenerator> random() {
    return Optional.ofNullable(random);
  }

  /**
   * Returns the sleeper that delays synchronous calls.
   *
   * @return the sleeper that delays synchronous calls
   */
  public Sleeper sleeper() {
    return sleeper;
  }

  /**
   * Returns the scheduler that delays asynchronous calls.
   *
   * @return the scheduler that delays asynchronous calls
   */
  public Scheduler scheduler() {
    return scheduler;
  }

  RandomGenerator randomOrNull() {
    return random;
  }

  @Override
  public String toString() {
    return "ChaosConfig{initialSettings=" + initialSettings
        + ", random=" + (random != null ? random : "ThreadLocalRandom")
        + ", sleeper=" + sleeper
        + ", scheduler=" + scheduler
        + '}';
  }

  /**
   * Builds a {@link ChaosConfig}. Setters reject {@code null} at once with a {@link NullPointerException}
   * naming the option; {@link #build()} checks every range and reports all violations in one
   * {@link IllegalArgumentException}.
   *
   * <p>Not threadsafe.
   */
  public static final class Builder {
    private boolean enabled = true;
    private double faultRate;
    private Supplier<? extends Throwable> fault;
    private double resultRate;
    private Supplier<?> result;
    private double latencyRate;
    private Duration latency = Duration.ZERO;
    private RandomGenerator random;
    private Sleeper sleeper = Sleeper.system();
    private Scheduler scheduler = Scheduler.system();

    private Builder() {}

    private Builder(ChaosConfig c) {
      ChaosSettings s = c.initialSettings;
      this.enabled = s.enabled();
      this.faultRate = s.faultRate();
      this.fault = s.faultOrNull();
      this.resultRate = s.resultRate();
      this.result = s.resultOrNull();
      this.latencyRate = s.latencyRate();
      this.latency = s.latency();
      this.random = c.random;
      this.sleeper = c.sleeper;
      this.scheduler = c.scheduler;
    }

    /**
     * Whether the policy starts injecting at once (default true); see {@link Chaos#disable()}.
     *
     * @param enabled whether the policy injects anything; default {@code false}
     * @return this builder
     */
    public Builder enabled(boolean enabled) {
      this.enabled = enabled;
      return this;
    }

    /**
     * Sets the probability, in [0, 1], that a call fails with an injected fault; default 0.
     *
     * @param rate the probability, in [0, 1], that a call fails with an injected fault; default 0
     * @return this builder
     */
    public Builder faultRate(double rate) {
      this.faultRate = rate;
      return this;
    }

    /**
     * Sets what an injected fault is: called once per injection, so it should build a fresh exception.
     * Checked exceptions are thrown as they are. By default an {@link InjectedFaultException}.
     *
     * @param fault what an injected fault is: called once per injection, so it should build a fresh exception
     * @return this builder
     */
    public Builder fault(Supplier<? extends Throwable> fault) {
      this.fault = Objects.requireNonNull(fault, "fault must not be null");
      return this;
    }

    /**
     * Sets the probability, in [0, 1], that a call returns an injected result; default 0.
     *
     * @param rate the probability, in [0, 1], that a call returns an injected result; default 0
     * @return this builder
     */
    public Builder resultRate(double rate) {
      this.resultRate = rate;
      return this;
    }

    /**
     * Sets the injected result (an HTTP 500 response, say). It must be of the type the decorated calls
     * return: it is handed to the caller as that type.
     *
     * @param result the injected result (an HTTP 500 response, say)
     * @return this builder
     */
    public Builder result(Supplier<?> result) {
      this.result = Objects.requireNonNull(result, "result must not be null");
      return this;
    }

    /**
     * Sets the probability, in [0, 1], that a call is delayed by {@link #latency(Duration)}; default 0.
     *
     * @param rate the probability, in [0, 1], that a call is delayed by {@link #latency(Duration)}; default 0
     * @return this builder
     */
    public Builder latencyRate(double rate) {
      this.latencyRate = rate;
      return this;
    }

    /**
     * Sets the delay added to the calls chosen by {@link #latencyRate(double)}; zero or positive, default 0.
     *
     * @param latency the delay added to the calls chosen by {@link #latencyRate(double)}; zero or positive,
     *     default 0
     * @return this builder
     */
    public Builder latency(Duration latency) {
      this.latency = Objects.requireNonNull(latency, "latency must not be null");
      return this;
    }

    /**
     * Sets the random source of the rolls; it must be threadsafe if the policy is shared
     * ({@link java.util.Random} is). Tests pass a seeded one. By default each thread uses its
     * {@link java.util.concurrent.ThreadLocalRandom}.
     *
     * @param random the random source of the rolls; it must be threadsafe if the policy is shared ({@link
     *     java.util.Random} is)
     * @return this builder
     */
    public Builder random(RandomGenerator random) {
      this.random = Objects.requireNonNull(random, "random must not be null");
      return this;
    }

    /**
     * Sets how synchronous calls are delayed; tests pass one that moves their ticker.
     *
     * @param sleeper how synchronous calls are delayed; tests pass one that moves their ticker
     * @return this builder
     */
    public Builder sleeper(Sleeper sleeper) {
      this.sleeper = Objects.requireNonNull(sleeper, "sleeper must not be null");
      return this;
    }

    /**
     * Sets where delayed asynchronous calls are started; no thread waits.
     *
     * @param scheduler where delayed asynchronous calls are started; no thread waits
     * @return this builder
     */
    public Builder scheduler(Scheduler scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler must not be null");
      return this;
    }

    /**
     * Validates every option and builds the configuration.
     *
     * @return the configuration
     * @throws IllegalArgumentException naming every option whose value is out of range
     */
    public ChaosConfig build() {
      Validation v = new Validation("ChaosConfig");
      ChaosSettings.check(v, faultRate, resultRate, result, latencyRate, latency);
      v.throwIfInvalid();
      return new ChaosConfig(
          this, ChaosSettings.of(enabled, faultRate, fault, resultRate, result, latencyRate, latency));
    }
  }
}
