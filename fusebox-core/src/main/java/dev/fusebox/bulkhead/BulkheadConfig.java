package dev.fusebox.bulkhead;

import dev.fusebox.Ticker;
import dev.fusebox.internal.Validation;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;

/**
 * The immutable configuration of a {@link Bulkhead}, built by a validating {@link Builder}.
 *
 * <table>
 *   <caption>Options and their defaults</caption>
 *   <tr><th>Option</th><th>Default</th><th>Meaning</th></tr>
 *   <tr><td>{@link Builder#maxConcurrentCalls(int) maxConcurrentCalls}</td><td>25</td>
 *       <td>how many calls may run at once (at least 1)</td></tr>
 *   <tr><td>{@link Builder#maxWaitDuration(Duration) maxWaitDuration}</td><td>0</td>
 *       <td>how long a synchronous caller may wait for a permit; 0 rejects at once</td></tr>
 *   <tr><td>{@link Builder#ticker(Ticker) ticker}</td><td>{@link Ticker#system()}</td>
 *       <td>the clock of the waiting deadlines</td></tr>
 *   <tr><td>{@link Builder#parker(Parker) parker}</td><td>{@link Parker#system()}</td>
 *       <td>how a waiting caller blocks; tests replace it</td></tr>
 * </table>
 *
 * <pre>{@code
 * BulkheadConfig config = BulkheadConfig.builder()
 *     .maxConcurrentCalls(10)
 *     .maxWaitDuration(Duration.ofMillis(50))
 *     .build();
 * }</pre>
 *
 * <p>Instances are immutable and threadsafe; one configuration can serve any number of bulkheads.
 */
public final class BulkheadConfig {

  static final int DEFAULT_MAX_CONCURRENT_CALLS = 25;

  private static final BulkheadConfig DEFAULTS = builder().build();

  /**
   * Blocks a caller that waits for a permit, until it is unparked, its time is up, or it returns
   * spuriously; the bulkhead re-checks its own state after every return, so an early or spurious return is
   * always safe. Waiters are woken with {@link LockSupport#unpark(Thread)}.
   *
   * <p>{@link #system()} parks for real, which never pins a virtual thread's carrier. Tests pass a parker
   * that moves their hand-driven ticker instead, so waiting for a deadline takes no time:
   *
   * <pre>{@code
   * ManualTicker ticker = new ManualTicker();
   * Parker parker = (blocker, nanos) -> ticker.advanceNanos(nanos);
   * }</pre>
   *
   * <p>Implementations must be threadsafe.
   */
  @FunctionalInterface
  public interface Parker {

    /**
     * Blocks the calling thread for at most {@code nanos} nanoseconds, or less.
     *
     * @param blocker the object the thread waits for, shown in thread dumps
     * @param nanos the longest wait, always positive
     */
    void park(Object blocker, long nanos);

    /**
     * Returns the parker that blocks with {@link LockSupport#parkNanos(Object, long)}.
     *
     * @return the parker that blocks with {@link LockSupport#parkNanos(Object, long)}
     */
    static Parker system() {
      return SystemParker.INSTANCE;
    }
  }

  private enum SystemParker implements Parker {
    INSTANCE;

    @Override
    public void park(Object blocker, long nanos) {
      LockSupport.parkNanos(blocker, nanos);
    }

    @Override
    public String toString() {
      return "Parker.system()";
    }
  }

  private final int maxConcurrentCalls;
  private final Duration maxWaitDuration;
  private final Ticker ticker;
  private final Parker parker;

  private BulkheadConfig(Builder b) {
    this.maxConcurrentCalls = b.maxConcurrentCalls;
    this.maxWaitDuration = b.maxWaitDuration;
    this.ticker = b.ticker;
    this.parker = b.parker;
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
   * Returns the configuration with every option at its default.
   *
   * @return the configuration with every option at its default
   */
  public static BulkheadConfig ofDefaults() {
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
   * See {@link Builder#maxConcurrentCalls(int)}.
   *
   * @return how many calls may run at the same time (at least 1; default 25)
   */
  public int maxConcurrentCalls() {
    return maxConcurrentCalls;
  }

  /**
   * See {@link Builder#maxWaitDuration(Duration)}.
   *
   * @return how long a synchronous caller waits for a permit; zero rejects at once
   */
  public Duration maxWaitDuration() {
    return maxWaitDuration;
  }

  /**
   * See {@link Builder#ticker(Ticker)}.
   *
   * @return the clock that waiting deadlines are measured on (default {@link Ticker#system()})
   */
  public Ticker ticker() {
    return ticker;
  }

  /**
   * See {@link Builder#parker(Parker)}.
   *
   * @return how a waiting caller blocks (default {@link Parker#system()}); tests pass their own
   */
  public Parker parker() {
    return parker;
  }

  @Override
  public String toString() {
    return "BulkheadConfig{maxConcurrentCalls=" + maxConcurrentCalls
        + ", maxWaitDuration=" + maxWaitDuration
        + ", ticker=" + ticker
        + ", parker=" + parker
        + '}';
  }

  /**
   * Builds a {@link BulkheadConfig}. Setters reject {@code null} at once with a
   * {@link NullPointerException}; {@link #build()} checks every range and reports all violations in one
   * {@link IllegalArgumentException}. Nothing is clamped or replaced silently.
   *
   * <p>Not threadsafe; build the configuration once and share it.
   */
  public static final class Builder {
    private int maxConcurrentCalls = DEFAULT_MAX_CONCURRENT_CALLS;
    private Duration maxWaitDuration = Duration.ZERO;
    private Ticker ticker = Ticker.system();
    private Parker parker = Parker.system();

    private Builder() {}

    private Builder(BulkheadConfig c) {
      this.maxConcurrentCalls = c.maxConcurrentCalls;
      this.maxWaitDuration = c.maxWaitDuration;
      this.ticker = c.ticker;
      this.parker = c.parker;
    }

    /**
     * Sets how many calls may run at the same time (at least 1; default 25).
     *
     * @param calls how many calls may run at the same time (at least 1; default 25)
     * @return this builder
     */
    public Builder maxConcurrentCalls(int calls) {
      this.maxConcurrentCalls = calls;
      return this;
    }

    /**
     * Sets how long a synchronous caller waits for a permit when all are taken (zero or positive; default
     * 0, which rejects at once). Waiters are served first come, first served. Asynchronous calls never
     * wait: they are rejected when the bulkhead is full, since waiting would block the caller's thread.
     *
     * @param wait how long to wait for a permit; zero or positive, default 0
     * @return this builder
     */
    public Builder maxWaitDuration(Duration wait) {
      this.maxWaitDuration = Objects.requireNonNull(wait, "maxWaitDuration must not be null");
      return this;
    }

    /**
     * Sets the clock that waiting deadlines are measured on (default {@link Ticker#system()}).
     *
     * @param ticker the clock that waiting deadlines are measured on (default {@link Ticker#system()})
     * @return this builder
     */
    public Builder ticker(Ticker ticker) {
      this.ticker = Objects.requireNonNull(ticker, "ticker must not be null");
      return this;
    }

    /**
     * Sets how a waiting caller blocks (default {@link Parker#system()}); tests pass their own.
     *
     * @param parker how a waiting caller blocks (default {@link Parker#system()}); tests pass their own
     * @return this builder
     */
    public Builder parker(Parker parker) {
      this.parker = Objects.requireNonNull(parker, "parker must not be null");
      return this;
    }

    /**
     * Validates every option and builds the configuration.
     *
     * @return the configuration
     * @throws IllegalArgumentException naming every option whose value is out of range
     */
    public BulkheadConfig build() {
      new Validation("BulkheadConfig")
          .atLeast("maxConcurrentCalls", maxConcurrentCalls, 1)
          .notNegative("maxWaitDuration", maxWaitDuration)
          .fitsNanos("maxWaitDuration", maxWaitDuration)
          .throwIfInvalid();
      return new BulkheadConfig(this);
    }
  }
}
