package dev.fusebox.ratelimiter;

import dev.fusebox.Scheduler;
import dev.fusebox.Sleeper;
import dev.fusebox.Ticker;
import dev.fusebox.internal.Validation;
import java.math.BigInteger;
import java.time.Duration;
import java.util.Objects;

/**
 * The immutable configuration of a {@link RateLimiter}, built by a validating {@link Builder}.
 *
 * <p>A limiter lets {@code limitForPeriod} permits through per {@code limitRefreshPeriod} (Resilience4j's
 * names), counted by one of three {@link Algorithm algorithms}:
 *
 * <table>
 *   <caption>Options and their defaults</caption>
 *   <tr><th>Option</th><th>Default</th><th>Meaning</th></tr>
 *   <tr><td>{@link Builder#algorithm(Algorithm) algorithm}</td><td>{@link Algorithm#FIXED_WINDOW}</td>
 *       <td>how permits are counted</td></tr>
 *   <tr><td>{@link Builder#limitForPeriod(int) limitForPeriod}</td><td>50</td>
 *       <td>permits per period (at least 1)</td></tr>
 *   <tr><td>{@link Builder#limitRefreshPeriod(Duration) limitRefreshPeriod}</td><td>1 s</td>
 *       <td>the period</td></tr>
 *   <tr><td>{@link Builder#timeoutDuration(Duration) timeoutDuration}</td><td>0</td>
 *       <td>how long a call may wait for permits; 0 rejects at once</td></tr>
 *   <tr><td>{@link Builder#burstCapacity(int) burstCapacity}</td><td>limitForPeriod</td>
 *       <td>token bucket only: the most tokens the bucket holds</td></tr>
 *   <tr><td>{@link Builder#ticker(Ticker) ticker}</td><td>{@link Ticker#coarse()}, or {@link Ticker#system()}
 *       when the period is under 100 ms</td><td>the clock of every decision</td></tr>
 *   <tr><td>{@link Builder#sleeper(Sleeper) sleeper}</td><td>{@link Sleeper#system()}</td>
 *       <td>how a synchronous caller waits</td></tr>
 *   <tr><td>{@link Builder#scheduler(Scheduler) scheduler}</td><td>{@link Scheduler#system()}</td>
 *       <td>how an asynchronous call is started later</td></tr>
 * </table>
 *
 * <pre>{@code
 * RateLimiterConfig config = RateLimiterConfig.builder()
 *     .algorithm(RateLimiterConfig.Algorithm.TOKEN_BUCKET)
 *     .limitForPeriod(100)
 *     .limitRefreshPeriod(Duration.ofSeconds(1))
 *     .burstCapacity(20)
 *     .timeoutDuration(Duration.ofMillis(250))
 *     .build();
 * }</pre>
 *
 * <p>Instances are immutable and threadsafe; one configuration can serve any number of limiters.
 */
public final class RateLimiterConfig {

  /** How a limiter counts its permits. Each is exact: it never lets more through than it promises. */
  public enum Algorithm {
    /**
     * A bucket of up to {@code burstCapacity} tokens, refilled continuously at {@code limitForPeriod} per
     * {@code limitRefreshPeriod}; each permit takes a token. Smooth (with a capacity of 1, permits are
     * spaced by at least one period over the limit), and allows a burst after a quiet spell. Over any span
     * {@code t}, wherever it starts, at most {@code burstCapacity + rate × t} permits are granted. Constant
     * memory, no allocation per call.
     */
    TOKEN_BUCKET,
    /**
     * At most {@code limitForPeriod} permits in each period, periods aligned on the limiter's creation (as
     * Resilience4j's default limiter). Up to twice the limit can pass within one period's length across a
     * boundary. Constant memory, no allocation per call.
     */
    FIXED_WINDOW,
    /**
     * At most {@code limitForPeriod} permits in any span of {@code limitRefreshPeriod}, wherever it starts:
     * the strictest. Keeps the time of each of the last {@code limitForPeriod} permits (8 bytes each, so
     * {@code limitForPeriod} is capped at {@value #MAX_SLIDING_WINDOW_LIMIT}) and allocates one small
     * record per granted request.
     */
    SLIDING_WINDOW
  }

  /** The highest {@code limitForPeriod} of a {@link Algorithm#SLIDING_WINDOW}: 8 MiB of timestamps. */
  public static final int MAX_SLIDING_WINDOW_LIMIT = 1 << 20;

  static final int DEFAULT_LIMIT_FOR_PERIOD = 50;
  static final Duration DEFAULT_LIMIT_REFRESH_PERIOD = Duration.ofSeconds(1);
  /** Below this period the coarse ticker's millisecond would be more than 1% of it. */
  static final Duration PRECISE_TICKER_BELOW = Duration.ofMillis(100);

  private static final RateLimiterConfig DEFAULTS = builder().build();

  private final Algorithm algorithm;
  private final int limitForPeriod;
  private final Duration limitRefreshPeriod;
  private final Duration timeoutDuration;
  private final Integer burstCapacity;
  private final Ticker ticker;
  private final boolean tickerSet;
  private final Sleeper sleeper;
  private final Scheduler scheduler;

  private RateLimiterConfig(Builder b) {
    this.algorithm = b.algorithm;
    this.limitForPeriod = b.limitForPeriod;
    this.limitRefreshPeriod = b.limitRefreshPeriod;
    this.timeoutDuration = b.timeoutDuration;
    this.burstCapacity = b.burstCapacity;
    this.tickerSet = b.ticker != null;
    this.ticker =
        b.ticker != null
            ? b.ticker
            : b.limitRefreshPeriod.compareTo(PRECISE_TICKER_BELOW) < 0 ? Ticker.system() : Ticker.coarse();
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
   * Returns the configuration with every option at its default.
   *
   * @return the configuration with every option at its default
   */
  public static RateLimiterConfig ofDefaults() {
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
   * See {@link Builder#algorithm(Algorithm)}.
   *
   * @return how permits are counted
   */
  public Algorithm algorithm() {
    return algorithm;
  }

  /**
   * See {@link Builder#limitForPeriod(int)}.
   *
   * @return how many permits pass per {@link Builder#limitRefreshPeriod(Duration) period} (at least 1;
   *     default 50; at most one per nanosecond of the period, and at most {@value #MAX_SLIDING_WINDOW_LIMIT}
   *     for a sliding window)
   */
  public int limitForPeriod() {
    return limitForPeriod;
  }

  /**
   * See {@link Builder#limitRefreshPeriod(Duration)}.
   *
   * @return the period that {@link Builder#limitForPeriod(int) limitForPeriod} applies to (positive; default
   *     1 s)
   */
  public Duration limitRefreshPeriod() {
    return limitRefreshPeriod;
  }

  /**
   * See {@link Builder#timeoutDuration(Duration)}.
   *
   * @return how long a call may wait for its permits (zero or positive; default 0, which rejects at once
   *     where Resilience4j would wait 5 s: blocking request threads by default is how outages spread)
   */
  public Duration timeoutDuration() {
    return timeoutDuration;
  }

  /**
   * Returns the token bucket's capacity: the value set, or {@link #limitForPeriod()} when none was set (it
   * then follows the limit through {@link RateLimiter#changeLimitForPeriod}). Irrelevant to the windows.
   *
   * @return the token bucket's capacity: the value set, or {@link #limitForPeriod()} when none was set (it
   *     then follows the limit through {@link RateLimiter#changeLimitForPeriod})
   */
  public int burstCapacity() {
    return burstCapacity != null ? burstCapacity : limitForPeriod;
  }

  /**
   * Returns the ticker: the configured one, or the default described above.
   *
   * @return the ticker: the configured one, or the default described above
   */
  public Ticker ticker() {
    return ticker;
  }

  /**
   * See {@link Builder#sleeper(Sleeper)}.
   *
   * @return how a synchronous caller waits for reserved permits (default {@link Sleeper#system()})
   */
  public Sleeper sleeper() {
    return sleeper;
  }

  /**
   * See {@link Builder#scheduler(Scheduler)}.
   *
   * @return how an asynchronous call whose permits are due later is started then, without blocking a thread
   *     meanwhile (default {@link Scheduler#system()})
   */
  public Scheduler scheduler() {
    return scheduler;
  }

  /** The most permits one request may ask for: more could never be granted. */
  int maxPermitsPerRequest() {
    return algorithm == Algorithm.TOKEN_BUCKET ? burstCapacity() : limitForPeriod;
  }

  @Override
  public String toString() {
    return "RateLimiterConfig{algorithm=" + algorithm
        + ", limitForPeriod=" + limitForPeriod
        + ", limitRefreshPeriod=" + limitRefreshPeriod
        + ", timeoutDuration=" + timeoutDuration
        + (algorithm == Algorithm.TOKEN_BUCKET ? ", burstCapacity=" + burstCapacity() : "")
        + ", ticker=" + ticker
        + ", sleeper=" + sleeper
        + ", scheduler=" + scheduler
        + '}';
  }

  /**
   * Builds a {@link RateLimiterConfig}. Setters reject {@code null} at once with a
   * {@link NullPointerException}; {@link #build()} checks every range and reports all violations in one
   * {@link IllegalArgumentException}. Nothing is clamped or replaced silently.
   *
   * <p>Not threadsafe; build the configuration once and share it.
   */
  public static final class Builder {
    private Algorithm algorithm = Algorithm.FIXED_WINDOW;
    private int limitForPeriod = DEFAULT_LIMIT_FOR_PERIOD;
    private Duration limitRefreshPeriod = DEFAULT_LIMIT_REFRESH_PERIOD;
    private Duration timeoutDuration = Duration.ZERO;
    private Integer burstCapacity;
    private Ticker ticker;
    private Sleeper sleeper = Sleeper.system();
    private Scheduler scheduler = Scheduler.system();

    private Builder() {}

    private Builder(RateLimiterConfig c) {
      this.algorithm = c.algorithm;
      this.limitForPeriod = c.limitForPeriod;
      this.limitRefreshPeriod = c.limitRefreshPeriod;
      this.timeoutDuration = c.timeoutDuration;
      this.burstCapacity = c.burstCapacity;
      this.ticker = c.tickerSet ? c.ticker : null;
      this.sleeper = c.sleeper;
      this.scheduler = c.scheduler;
    }

    /**
     * Chooses how permits are counted (default {@link Algorithm#FIXED_WINDOW}, as in Resilience4j).
     *
     * @param algorithm how permits are counted
     * @return this builder
     */
    public Builder algorithm(Algorithm algorithm) {
      this.algorithm = Objects.requireNonNull(algorithm, "algorithm must not be null");
      return this;
    }

    /**
     * Sets how many permits pass per {@link #limitRefreshPeriod(Duration) period} (at least 1; default 50;
     * at most one per nanosecond of the period, and at most {@value #MAX_SLIDING_WINDOW_LIMIT} for a
     * sliding window).
     *
     * @param permits how many permits pass per {@link #limitRefreshPeriod(Duration) period} (at least 1;
     *     default 50; at most one per nanosecond of the period, and at most {@value
     *     #MAX_SLIDING_WINDOW_LIMIT} for a sliding window)
     * @return this builder
     */
    public Builder limitForPeriod(int permits) {
      this.limitForPeriod = permits;
      return this;
    }

    /**
     * Sets the period that {@link #limitForPeriod(int) limitForPeriod} applies to (positive; default 1 s).
     *
     * @param period the period that {@link #limitForPeriod(int) limitForPeriod} applies to (positive; default
     *     1 s)
     * @return this builder
     */
    public Builder limitRefreshPeriod(Duration period) {
      this.limitRefreshPeriod = Objects.requireNonNull(period, "limitRefreshPeriod must not be null");
      return this;
    }

    /**
     * Sets how long a call may wait for its permits (zero or positive; default 0, which rejects at once
     * where Resilience4j would wait 5 s: blocking request threads by default is how outages spread). A
     * caller that may wait reserves the permits due soonest and sleeps until they are due; one whose
     * permits would come later than this is rejected at once, without waiting and without taking anything.
     *
     * @param timeout how long a call may wait for its permits (zero or positive; default 0, which rejects at
     *     once where Resilience4j would wait 5 s: blocking request threads by default is how outages spread)
     * @return this builder
     */
    public Builder timeoutDuration(Duration timeout) {
      this.timeoutDuration = Objects.requireNonNull(timeout, "timeoutDuration must not be null");
      return this;
    }

    /**
     * Sets how many tokens a {@link Algorithm#TOKEN_BUCKET} holds at most, and so the largest burst after
     * a quiet spell (at least 1; default {@code limitForPeriod}). The bucket starts full. Rejected for the
     * window algorithms, which have no bucket.
     *
     * @param tokens how many tokens a {@link Algorithm#TOKEN_BUCKET} holds at most, and so the largest burst
     *     after a quiet spell (at least 1; default {@code limitForPeriod})
     * @return this builder
     */
    public Builder burstCapacity(int tokens) {
      this.burstCapacity = tokens;
      return this;
    }

    /**
     * Sets the time source of every decision. Tests pass a hand-driven ticker. By default
     * {@link Ticker#coarse()}, which reads up to a millisecond behind and so errs on the safe side, or
     * {@link Ticker#system()} when the period is under 100 ms.
     *
     * @param ticker the time source of every decision
     * @return this builder
     */
    public Builder ticker(Ticker ticker) {
      this.ticker = Objects.requireNonNull(ticker, "ticker must not be null");
      return this;
    }

    /**
     * Sets how a synchronous caller waits for reserved permits (default {@link Sleeper#system()}).
     *
     * @param sleeper how a synchronous caller waits for reserved permits (default {@link Sleeper#system()})
     * @return this builder
     */
    public Builder sleeper(Sleeper sleeper) {
      this.sleeper = Objects.requireNonNull(sleeper, "sleeper must not be null");
      return this;
    }

    /**
     * Sets how an asynchronous call whose permits are due later is started then, without blocking a thread
     * meanwhile (default {@link Scheduler#system()}).
     *
     * @param scheduler how an asynchronous call whose permits are due later is started then, without blocking
     *     a thread meanwhile (default {@link Scheduler#system()})
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
    public RateLimiterConfig build() {
      Validation v = new Validation("RateLimiterConfig");
      v.atLeast("limitForPeriod", limitForPeriod, 1);
      v.positive("limitRefreshPeriod", limitRefreshPeriod).fitsNanos("limitRefreshPeriod", limitRefreshPeriod);
      v.notNegative("timeoutDuration", timeoutDuration).fitsNanos("timeoutDuration", timeoutDuration);
      boolean periodValid = !limitRefreshPeriod.isNegative() && !limitRefreshPeriod.isZero()
          && limitRefreshPeriod.compareTo(Duration.ofNanos(Long.MAX_VALUE)) <= 0;
      if (periodValid && limitForPeriod >= 1) {
        long periodNanos = limitRefreshPeriod.toNanos();
        v.check(
            limitForPeriod <= periodNanos,
            "limitForPeriod",
            "must be at most one permit per nanosecond of limitRefreshPeriod " + limitRefreshPeriod,
            limitForPeriod);
        if (algorithm == Algorithm.TOKEN_BUCKET) {
          // The bucket counts tokens as floor(nanos × limit / period), exactly, in longs: see TokenBucket.
          long gcd = BigInteger.valueOf(limitForPeriod).gcd(BigInteger.valueOf(periodNanos)).longValue();
          boolean fits = Math.multiplyHigh(limitForPeriod / gcd, periodNanos / gcd) == 0
              && (limitForPeriod / gcd) * (periodNanos / gcd) >= 0;
          v.check(
              fits,
              "limitForPeriod",
              "times limitRefreshPeriod in nanoseconds, divided by their greatest common divisor, must be "
                  + "below 2^63 for a token bucket (a rate of " + limitForPeriod + " per " + limitRefreshPeriod
                  + " cannot be computed exactly)",
              limitForPeriod);
          if (burstCapacity == null || burstCapacity >= 1) {
            // The time an empty bucket takes to fill must leave room for sums of times.
            BigInteger fill = BigInteger.valueOf(burstCapacity != null ? burstCapacity : limitForPeriod)
                .multiply(BigInteger.valueOf(periodNanos))
                .divide(BigInteger.valueOf(limitForPeriod));
            v.check(
                fill.compareTo(BigInteger.valueOf(Long.MAX_VALUE / 4)) <= 0,
                "burstCapacity",
                "must refill within " + Duration.ofNanos(Long.MAX_VALUE / 4) + " at " + limitForPeriod + " per "
                    + limitRefreshPeriod,
                burstCapacity != null ? burstCapacity : limitForPeriod);
          }
        }
      }
      if (algorithm == Algorithm.SLIDING_WINDOW) {
        v.check(
            limitForPeriod <= MAX_SLIDING_WINDOW_LIMIT,
            "limitForPeriod",
            "must be at most " + MAX_SLIDING_WINDOW_LIMIT + " for a sliding window, which keeps one timestamp "
                + "per permit",
            limitForPeriod);
      }
      if (burstCapacity != null) {
        if (algorithm == Algorithm.TOKEN_BUCKET) {
          v.atLeast("burstCapacity", burstCapacity, 1);
        } else {
          v.require(false, "burstCapacity applies to TOKEN_BUCKET only, was set to " + burstCapacity
              + " with algorithm " + algorithm);
        }
      }
      v.throwIfInvalid();
      return new RateLimiterConfig(this);
    }
  }
}
