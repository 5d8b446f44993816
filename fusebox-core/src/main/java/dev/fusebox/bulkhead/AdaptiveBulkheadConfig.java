package dev.fusebox.bulkhead;

import dev.fusebox.Ticker;
import dev.fusebox.internal.Validation;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * The immutable configuration of an {@link AdaptiveBulkhead}, built by a validating {@link Builder}.
 *
 * <p>The limit moves within {@code [minLimit, maxLimit]}, starting at {@code initialLimit}. Once per
 * {@code sampleWindowSize} completed calls it compares the window's average latency with the no-load
 * latency and estimates how many calls are queueing at the dependency: {@code queue = limit × (1 −
 * noLoadRtt / rtt)}. After a slow start that doubles the limit until queueing shows, a queue below
 * {@code alpha} (with the limit in use) grows the limit by one and a queue above {@code beta} shrinks it by
 * one; a window with a dropped call multiplies it by {@code backoffRatio}. Every {@code probeInterval} the
 * limit is halved for a while so that the no-load latency is measured afresh. See {@link AdaptiveBulkhead}
 * for the whole story.
 *
 * <table>
 *   <caption>Options and their defaults</caption>
 *   <tr><th>Option</th><th>Default</th><th>Meaning</th></tr>
 *   <tr><td>{@link Builder#initialLimit(int) initialLimit}</td><td>20</td>
 *       <td>the limit to start from; in [minLimit, maxLimit]</td></tr>
 *   <tr><td>{@link Builder#minLimit(int) minLimit}</td><td>1</td><td>the lowest limit (at least 1)</td></tr>
 *   <tr><td>{@link Builder#maxLimit(int) maxLimit}</td><td>200</td><td>the highest limit</td></tr>
 *   <tr><td>{@link Builder#alpha(double) alpha}</td><td>3</td>
 *       <td>estimated queue below which the limit grows</td></tr>
 *   <tr><td>{@link Builder#beta(double) beta}</td><td>6</td>
 *       <td>estimated queue above which the limit shrinks; greater than alpha</td></tr>
 *   <tr><td>{@link Builder#backoffRatio(double) backoffRatio}</td><td>0.9</td>
 *       <td>factor applied to the limit after a drop; in (0, 1)</td></tr>
 *   <tr><td>{@link Builder#sampleWindowSize(int) sampleWindowSize}</td><td>10</td>
 *       <td>completed calls per limit update</td></tr>
 *   <tr><td>{@link Builder#probeInterval(Duration) probeInterval}</td><td>60 s</td>
 *       <td>how often the no-load latency is re-measured; 0 never</td></tr>
 *   <tr><td>{@link Builder#dropWhen(Predicate) dropWhen}</td><td>timeouts</td>
 *       <td>which exceptions count as drops</td></tr>
 *   <tr><td>{@link Builder#ticker(Ticker) ticker}</td><td>{@link Ticker#system()}</td>
 *       <td>the clock latencies are measured on</td></tr>
 * </table>
 *
 * <pre>{@code
 * AdaptiveBulkheadConfig config = AdaptiveBulkheadConfig.builder()
 *     .initialLimit(10)
 *     .maxLimit(100)
 *     .dropWhen(e -> e instanceof TimeoutException || e instanceof ServiceUnavailableException)
 *     .build();
 * }</pre>
 *
 * <p>Instances are immutable and threadsafe; one configuration can serve any number of bulkheads.
 */
public final class AdaptiveBulkheadConfig {

  static final int DEFAULT_INITIAL_LIMIT = 20;
  static final int DEFAULT_MIN_LIMIT = 1;
  static final int DEFAULT_MAX_LIMIT = 200;
  static final double DEFAULT_ALPHA = 3;
  static final double DEFAULT_BETA = 6;
  static final double DEFAULT_BACKOFF_RATIO = 0.9;
  static final int DEFAULT_SAMPLE_WINDOW_SIZE = 10;
  static final Duration DEFAULT_PROBE_INTERVAL = Duration.ofSeconds(60);

  private static final Predicate<Throwable> TIMEOUTS = new Predicate<>() {
    @Override
    public boolean test(Throwable e) {
      return e instanceof TimeoutException || e instanceof SocketTimeoutException;
    }

    @Override
    public String toString() {
      return "timeouts";
    }
  };

  private static final AdaptiveBulkheadConfig DEFAULTS = builder().build();

  private final int initialLimit;
  private final int minLimit;
  private final int maxLimit;
  private final double alpha;
  private final double beta;
  private final double backoffRatio;
  private final int sampleWindowSize;
  private final Duration probeInterval;
  private final Predicate<Throwable> dropWhen;
  private final Ticker ticker;

  private AdaptiveBulkheadConfig(Builder b) {
    this.initialLimit = b.initialLimit;
    this.minLimit = b.minLimit;
    this.maxLimit = b.maxLimit;
    this.alpha = b.alpha;
    this.beta = b.beta;
    this.backoffRatio = b.backoffRatio;
    this.sampleWindowSize = b.sampleWindowSize;
    this.probeInterval = b.probeInterval;
    this.dropWhen = b.dropWhen;
    this.ticker = b.ticker;
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
  public static AdaptiveBulkheadConfig ofDefaults() {
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
   * See {@link Builder#initialLimit(int)}.
   *
   * @return the limit a new bulkhead starts with (default 20; within [minLimit, maxLimit])
   */
  public int initialLimit() {
    return initialLimit;
  }

  /**
   * See {@link Builder#minLimit(int)}.
   *
   * @return the lowest limit (at least 1; default 1)
   */
  public int minLimit() {
    return minLimit;
  }

  /**
   * See {@link Builder#maxLimit(int)}.
   *
   * @return the highest limit (at least minLimit; default 200)
   */
  public int maxLimit() {
    return maxLimit;
  }

  /**
   * See {@link Builder#alpha(double)}.
   *
   * @return the estimated number of queued calls below which the limit grows by one (positive; default 3)
   */
  public double alpha() {
    return alpha;
  }

  /**
   * See {@link Builder#beta(double)}.
   *
   * @return the estimated number of queued calls above which the limit shrinks by one (greater than alpha;
   *     default 6)
   */
  public double beta() {
    return beta;
  }

  /**
   * See {@link Builder#backoffRatio(double)}.
   *
   * @return the factor by which a window containing a dropped call multiplies the limit (in (0, 1); default
   *     0.9)
   */
  public double backoffRatio() {
    return backoffRatio;
  }

  /**
   * See {@link Builder#sampleWindowSize(int)}.
   *
   * @return how many completed calls make one window (at least 1; default 10)
   */
  public int sampleWindowSize() {
    return sampleWindowSize;
  }

  /**
   * See {@link Builder#probeInterval(Duration)}; {@link Duration#ZERO} when probing is off.
   *
   * @return how often the no-load latency is re-measured; {@link Duration#ZERO} when probing is off
   */
  public Duration probeInterval() {
    return probeInterval;
  }

  /**
   * See {@link Builder#dropWhen(Predicate)}.
   *
   * @return which exceptions count as drops: a sign of overload that backs the limit off multiplicatively
   */
  public Predicate<Throwable> dropWhen() {
    return dropWhen;
  }

  /**
   * See {@link Builder#ticker(Ticker)}.
   *
   * @return the clock latencies are measured on (default {@link Ticker#system()})
   */
  public Ticker ticker() {
    return ticker;
  }

  @Override
  public String toString() {
    return "AdaptiveBulkheadConfig{initialLimit=" + initialLimit
        + ", minLimit=" + minLimit
        + ", maxLimit=" + maxLimit
        + ", alpha=" + alpha
        + ", beta=" + beta
        + ", backoffRatio=" + backoffRatio
        + ", sampleWindowSize=" + sampleWindowSize
        + ", probeInterval=" + probeInterval
        + ", dropWhen=" + dropWhen
        + ", ticker=" + ticker
        + '}';
  }

  /**
   * Builds an {@link AdaptiveBulkheadConfig}. Setters reject {@code null} at once with a
   * {@link NullPointerException}; {@link #build()} checks every range, and how the options relate to each
   * other, and reports all violations in one {@link IllegalArgumentException}. Nothing is clamped.
   *
   * <p>Not threadsafe; build the configuration once and share it.
   */
  public static final class Builder {
    private int initialLimit = DEFAULT_INITIAL_LIMIT;
    private int minLimit = DEFAULT_MIN_LIMIT;
    private int maxLimit = DEFAULT_MAX_LIMIT;
    private double alpha = DEFAULT_ALPHA;
    private double beta = DEFAULT_BETA;
    private double backoffRatio = DEFAULT_BACKOFF_RATIO;
    private int sampleWindowSize = DEFAULT_SAMPLE_WINDOW_SIZE;
    private Duration probeInterval = DEFAULT_PROBE_INTERVAL;
    private Predicate<Throwable> dropWhen = TIMEOUTS;
    private Ticker ticker = Ticker.system();

    private Builder() {}

    private Builder(AdaptiveBulkheadConfig c) {
      this.initialLimit = c.initialLimit;
      this.minLimit = c.minLimit;
      this.maxLimit = c.maxLimit;
      this.alpha = c.alpha;
      this.beta = c.beta;
      this.backoffRatio = c.backoffRatio;
      this.sampleWindowSize = c.sampleWindowSize;
      this.probeInterval = c.probeInterval;
      this.dropWhen = c.dropWhen;
      this.ticker = c.ticker;
    }

    /**
     * Sets the limit a new bulkhead starts with (default 20; within [minLimit, maxLimit]). From there slow
     * start doubles it each round trip until the dependency starts queueing, then sets it to the measured
     * capacity plus alpha; a start above the capacity comes down to it on the first judged window.
     *
     * @param limit the limit a new bulkhead starts with (default 20; within [minLimit, maxLimit])
     * @return this builder
     */
    public Builder initialLimit(int limit) {
      this.initialLimit = limit;
      return this;
    }

    /**
     * Sets the lowest limit (at least 1; default 1). Drops and probes never go below it.
     *
     * @param limit the lowest limit (at least 1; default 1)
     * @return this builder
     */
    public Builder minLimit(int limit) {
      this.minLimit = limit;
      return this;
    }

    /**
     * Sets the highest limit (at least minLimit; default 200).
     *
     * @param limit the highest limit (at least minLimit; default 200)
     * @return this builder
     */
    public Builder maxLimit(int limit) {
      this.maxLimit = limit;
      return this;
    }

    /**
     * Sets the estimated number of queued calls below which the limit grows by one (positive; default 3).
     * The limit grows only while at least half of it is in use, so an idle bulkhead does not inflate it.
     *
     * @param queue the estimated number of queued calls below which the limit grows by one (positive; default
     *     3)
     * @return this builder
     */
    public Builder alpha(double queue) {
      this.alpha = queue;
      return this;
    }

    /**
     * Sets the estimated number of queued calls above which the limit shrinks by one (greater than alpha;
     * default 6). In steady overload the limit settles where the dependency's own queue holds between
     * alpha and beta calls: just enough to keep it busy.
     *
     * @param queue the estimated number of queued calls above which the limit shrinks by one (greater than
     *     alpha; default 6)
     * @return this builder
     */
    public Builder beta(double queue) {
      this.beta = queue;
      return this;
    }

    /**
     * Sets the factor by which a window containing a dropped call multiplies the limit (in (0, 1); default
     * 0.9). The limit backs off once per window, however many calls in it were dropped.
     *
     * @param ratio the factor by which a window containing a dropped call multiplies the limit (in (0, 1);
     *     default 0.9)
     * @return this builder
     */
    public Builder backoffRatio(double ratio) {
      this.backoffRatio = ratio;
      return this;
    }

    /**
     * Sets how many completed calls make one window (at least 1; default 10). The limit is re-evaluated once
     * per window, on its average latency, which smooths single outliers.
     *
     * @param calls how many completed calls make one window (at least 1; default 10)
     * @return this builder
     */
    public Builder sampleWindowSize(int calls) {
      this.sampleWindowSize = calls;
      return this;
    }

    /**
     * Sets how often the no-load latency is re-measured (zero or positive; default 60 s; zero never). A
     * probe halves the limit (not below minLimit) until one window of calls started during the probe has
     * completed, takes that window's fastest call as the new no-load latency, then restores the limit.
     * Without probes the no-load latency could only ever fall, so a dependency that became slower for good
     * (moved further away, say) would be seen as permanently congested.
     *
     * @param interval how often the no-load latency is re-measured (zero or positive; default 60 s; zero
     *     never)
     * @return this builder
     */
    public Builder probeInterval(Duration interval) {
      this.probeInterval = Objects.requireNonNull(interval, "probeInterval must not be null");
      return this;
    }

    /**
     * Sets which exceptions count as drops: a sign of overload that backs the limit off multiplicatively.
     * By default {@link TimeoutException} and {@link SocketTimeoutException}. Other exceptions give the
     * permit back without a latency sample, since a fast failure says nothing about queueing.
     *
     * @param predicate which exceptions count as drops: a sign of overload that backs the limit off
     *     multiplicatively
     * @return this builder
     */
    public Builder dropWhen(Predicate<Throwable> predicate) {
      this.dropWhen = Objects.requireNonNull(predicate, "dropWhen must not be null");
      return this;
    }

    /**
     * Sets the clock latencies are measured on (default {@link Ticker#system()}). A coarse ticker suits
     * only dependencies whose latency is many milliseconds.
     *
     * @param ticker the clock latencies are measured on (default {@link Ticker#system()})
     * @return this builder
     */
    public Builder ticker(Ticker ticker) {
      this.ticker = Objects.requireNonNull(ticker, "ticker must not be null");
      return this;
    }

    /**
     * Validates every option and builds the configuration.
     *
     * @return the configuration
     * @throws IllegalArgumentException naming every option whose value is out of range
     */
    public AdaptiveBulkheadConfig build() {
      Validation v = new Validation("AdaptiveBulkheadConfig");
      // A value is checked against another option only when that option is valid, so that one mistake is
      // reported once.
      v.atLeast("minLimit", minLimit, 1);
      int floor = Math.max(1, minLimit);
      v.check(maxLimit >= floor, "maxLimit", "must be at least minLimit " + floor, maxLimit);
      if (maxLimit >= floor) {
        v.check(
            initialLimit >= minLimit && initialLimit <= maxLimit,
            "initialLimit",
            "must be in [minLimit, maxLimit] = [" + minLimit + ", " + maxLimit + "]",
            initialLimit);
      }
      boolean alphaValid = alpha > 0 && Double.isFinite(alpha);
      v.check(alphaValid, "alpha", "must be a finite number above 0", alpha);
      if (alphaValid) {
        v.check(
            beta > alpha && Double.isFinite(beta), "beta", "must be a finite number above alpha " + alpha, beta);
      } else {
        v.check(beta > 0 && Double.isFinite(beta), "beta", "must be a finite number above 0", beta);
      }
      v.check(backoffRatio > 0 && backoffRatio < 1, "backoffRatio", "must be in (0, 1)", backoffRatio);
      v.atLeast("sampleWindowSize", sampleWindowSize, 1);
      v.notNegative("probeInterval", probeInterval).fitsNanos("probeInterval", probeInterval);
      v.throwIfInvalid();
      return new AdaptiveBulkheadConfig(this);
    }
  }
}
