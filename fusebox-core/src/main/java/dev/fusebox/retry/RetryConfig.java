package dev.fusebox.retry;

import dev.fusebox.Scheduler;
import dev.fusebox.Sleeper;
import dev.fusebox.Ticker;
import dev.fusebox.internal.Validation;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/**
 * The immutable configuration of a {@link Retry}, built by a validating {@link Builder}. Option names are
 * Resilience4j's where the meaning is the same.
 *
 * <table>
 *   <caption>Options and their defaults</caption>
 *   <tr><th>Option</th><th>Default</th></tr>
 *   <tr><td>{@link Builder#maxAttempts(int) maxAttempts}</td><td>3 (the first call and two retries)</td></tr>
 *   <tr><td>{@link Builder#waitDuration(Duration) waitDuration}</td><td>500 ms</td></tr>
 *   <tr><td>{@link Builder#exponentialBackoff(double, Duration) exponentialBackoff}</td><td>off: every wait
 *       is {@code waitDuration}</td></tr>
 *   <tr><td>{@link Builder#jitter(Jitter) jitter}</td><td>{@link Jitter#NONE}</td></tr>
 *   <tr><td>{@link Builder#maxDuration(Duration) maxDuration}</td><td>off</td></tr>
 *   <tr><td>{@link Builder#retryExceptions retryExceptions}, {@link Builder#retryOnException
 *       retryOnException}</td><td>every {@link Exception}</td></tr>
 *   <tr><td>{@link Builder#ignoreExceptions ignoreExceptions}</td><td>none</td></tr>
 *   <tr><td>{@link Builder#retryOnResult(Predicate) retryOnResult}</td><td>no result is retried</td></tr>
 *   <tr><td>{@link Builder#failAfterMaxAttempts(boolean) failAfterMaxAttempts}</td><td>false: return the last
 *       result</td></tr>
 *   <tr><td>{@link Builder#retryAfterFromException retryAfterFromException},
 *       {@link Builder#retryAfterFromResult retryAfterFromResult}</td><td>only {@link RetryAfterHint}</td></tr>
 *   <tr><td>{@link Builder#retryBudget(RetryBudget) retryBudget}</td><td>none</td></tr>
 *   <tr><td>{@link Builder#random(RandomGenerator) random}</td><td>{@link
 *       java.util.concurrent.ThreadLocalRandom}</td></tr>
 *   <tr><td>{@link Builder#ticker(Ticker) ticker}</td><td>{@link Ticker#system()}</td></tr>
 *   <tr><td>{@link Builder#sleeper(Sleeper) sleeper}</td><td>{@link Sleeper#system()}</td></tr>
 *   <tr><td>{@link Builder#scheduler(Scheduler) scheduler}</td><td>{@link Scheduler#system()}</td></tr>
 * </table>
 *
 * <p>Whatever the configuration says, a {@link dev.fusebox.circuitbreaker.CallNotPermittedException}, a
 * {@link dev.fusebox.throttle.CallThrottledException}, an {@link InterruptedException} and a
 * {@link VirtualMachineError} are never retried: retrying a breaker's rejection only hammers the breaker, a
 * throttle sheds a call to take load off its dependency, which a retry would put straight back, and the
 * other two mean the thread or the JVM must stop.
 *
 * <pre>{@code
 * RetryConfig config = RetryConfig.builder()
 *     .maxAttempts(5)
 *     .waitDuration(Duration.ofMillis(100))
 *     .exponentialBackoff(2.0, Duration.ofSeconds(5))
 *     .jitter(RetryConfig.Jitter.FULL)
 *     .maxDuration(Duration.ofSeconds(10))
 *     .retryExceptions(IOException.class)
 *     .retryOnResult(response -> ((Response) response).status() == 503)
 *     .build();
 * }</pre>
 *
 * <p>Instances are immutable and threadsafe; one configuration can serve any number of retries. A
 * {@link RetryBudget} set here is shared by every retry built with the configuration, which is the point.
 */
public final class RetryConfig {

  /**
   * How the wait before each retry is spread at random, as defined in the AWS Architecture Blog's
   * "Exponential Backoff And Jitter". With {@code c = min(maxWaitDuration, waitDuration * multiplier^(n-1))}
   * the exponential ceiling for the n-th retry:
   */
  public enum Jitter {
    /** Waits exactly {@code c}. */
    NONE,
    /** Waits uniformly between 0 and {@code c}: the best spread, at the price of some very short waits. */
    FULL,
    /** Waits {@code c / 2} plus uniformly between 0 and {@code c / 2}. */
    EQUAL,
    /**
     * Waits {@code min(maxWaitDuration, uniform between waitDuration and previous wait * multiplier)},
     * starting from a previous wait of {@code waitDuration}; AWS's formula uses a multiplier of 3. Needs
     * {@link Builder#exponentialBackoff(double, Duration) exponentialBackoff} for its multiplier and cap.
     */
    DECORRELATED
  }

  static final int DEFAULT_MAX_ATTEMPTS = 3;
  static final Duration DEFAULT_WAIT_DURATION = Duration.ofMillis(500);

  private static final RetryConfig DEFAULTS = builder().build();

  private final int maxAttempts;
  private final Duration waitDuration;
  private final double exponentialBackoffMultiplier;
  private final Duration exponentialMaxWaitDuration;
  private final boolean exponentialBackoff;
  private final Jitter jitter;
  private final Duration maxDuration;
  private final List<Class<? extends Throwable>> retryExceptions;
  private final List<Class<? extends Throwable>> ignoreExceptions;
  private final Predicate<Throwable> retryOnException;
  private final Predicate<Object> retryOnResult;
  private final boolean failAfterMaxAttempts;
  private final Function<? super Throwable, Optional<Duration>> retryAfterFromException;
  private final Function<Object, Optional<Duration>> retryAfterFromResult;
  private final RetryBudget retryBudget;
  private final RandomGenerator random;
  private final Ticker ticker;
  private final Sleeper sleeper;
  private final Scheduler scheduler;

  private RetryConfig(Builder b) {
    this.maxAttempts = b.maxAttempts;
    this.waitDuration = b.waitDuration;
    this.exponentialBackoff = b.exponentialMaxWaitDuration != null;
    this.exponentialBackoffMultiplier = exponentialBackoff ? b.exponentialBackoffMultiplier : 1;
    this.exponentialMaxWaitDuration =
        b.exponentialMaxWaitDuration != null ? b.exponentialMaxWaitDuration : b.waitDuration;
    this.jitter = b.jitter;
    this.maxDuration = b.maxDuration;
    this.retryExceptions = b.retryExceptions;
    this.ignoreExceptions = b.ignoreExceptions;
    this.retryOnException = b.retryOnException;
    this.retryOnResult = b.retryOnResult;
    this.failAfterMaxAttempts = b.failAfterMaxAttempts;
    this.retryAfterFromException = b.retryAfterFromException;
    this.retryAfterFromResult = b.retryAfterFromResult;
    this.retryBudget = b.retryBudget;
    this.random = b.random;
    this.ticker = b.ticker;
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
  public static RetryConfig ofDefaults() {
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
   * See {@link Builder#maxAttempts(int)}.
   *
   * @return the number of attempts, the first call included (at least 1; default 3). 1 means no retry
   */
  public int maxAttempts() {
    return maxAttempts;
  }

  /**
   * See {@link Builder#waitDuration(Duration)}.
   *
   * @return the wait before the first retry, and before every retry when backoff is off (zero or positive;
   *     default 500 ms)
   */
  public Duration waitDuration() {
    return waitDuration;
  }

  /**
   * Returns the backoff multiplier; 1 when exponential backoff is off.
   *
   * @return the backoff multiplier; 1 when exponential backoff is off
   */
  public double exponentialBackoffMultiplier() {
    return exponentialBackoffMultiplier;
  }

  /**
   * Returns the longest backoff wait; {@link #waitDuration()} when exponential backoff is off.
   *
   * @return the longest backoff wait; {@link #waitDuration()} when exponential backoff is off
   */
  public Duration exponentialMaxWaitDuration() {
    return exponentialMaxWaitDuration;
  }

  /**
   * See {@link Builder#jitter(Jitter)}.
   *
   * @return how the waits are spread at random; {@link Jitter#NONE} when not at all
   */
  public Jitter jitter() {
    return jitter;
  }

  /**
   * Returns the limit on a call's total time, attempts and waits together; {@link Duration#ZERO} when off.
   *
   * @return the limit on a call's total time, attempts and waits together; {@link Duration#ZERO} when off
   */
  public Duration maxDuration() {
    return maxDuration;
  }

  /**
   * Returns the exception types retried; empty means every exception, unless a predicate is set.
   *
   * @return the exception types retried; empty means every exception, unless a predicate is set
   */
  public List<Class<? extends Throwable>> retryExceptions() {
    return retryExceptions;
  }

  /**
   * Returns the exception types never retried.
   *
   * @return the exception types never retried
   */
  public List<Class<? extends Throwable>> ignoreExceptions() {
    return ignoreExceptions;
  }

  /**
   * Returns the predicate of exceptions to retry, if one was set.
   *
   * @return the predicate of exceptions to retry, if one was set
   */
  public Optional<Predicate<Throwable>> retryOnException() {
    return Optional.ofNullable(retryOnException);
  }

  /**
   * Returns the predicate of results to retry, if one was set.
   *
   * @return the predicate of results to retry, if one was set
   */
  public Optional<Predicate<Object>> retryOnResult() {
    return Optional.ofNullable(retryOnResult);
  }

  /**
   * See {@link Builder#failAfterMaxAttempts(boolean)}.
   *
   * @return whether a call that runs out of attempts on a result to retry throws {@link
   *     MaxRetriesExceededException} instead of returning it
   */
  public boolean failAfterMaxAttempts() {
    return failAfterMaxAttempts;
  }

  /**
   * Returns the extra extractor of server wait hints from exceptions, if one was set.
   *
   * @return the extra extractor of server wait hints from exceptions, if one was set
   */
  public Optional<Function<? super Throwable, Optional<Duration>>> retryAfterFromException() {
    return Optional.ofNullable(retryAfterFromException);
  }

  /**
   * Returns the extractor of server wait hints from results, if one was set.
   *
   * @return the extractor of server wait hints from results, if one was set
   */
  public Optional<Function<Object, Optional<Duration>>> retryAfterFromResult() {
    return Optional.ofNullable(retryAfterFromResult);
  }

  /**
   * Returns the shared retry budget, if one was set.
   *
   * @return the shared retry budget, if one was set
   */
  public Optional<RetryBudget> retryBudget() {
    return Optional.ofNullable(retryBudget);
  }

  /**
   * Returns the random source of the jitter, if one was set; else each thread's own is used.
   *
   * @return the random source of the jitter, if one was set; else each thread's own is used
   */
  public Optional<RandomGenerator> random() {
    return Optional.ofNullable(random);
  }

  /**
   * Returns the ticker that {@link #maxDuration()} is measured on.
   *
   * @return the ticker that {@link #maxDuration()} is measured on
   */
  public Ticker ticker() {
    return ticker;
  }

  /**
   * Returns the sleeper that synchronous calls wait through between attempts.
   *
   * @return the sleeper that synchronous calls wait through between attempts
   */
  public Sleeper sleeper() {
    return sleeper;
  }

  /**
   * Returns the scheduler that asynchronous calls schedule their next attempt on.
   *
   * @return the scheduler that asynchronous calls schedule their next attempt on
   */
  public Scheduler scheduler() {
    return scheduler;
  }

  Predicate<Throwable> retryOnExceptionOrNull() {
    return retryOnException;
  }

  Predicate<Object> retryOnResultOrNull() {
    return retryOnResult;
  }

  Function<? super Throwable, Optional<Duration>> retryAfterFromExceptionOrNull() {
    return retryAfterFromException;
  }

  Function<Object, Optional<Duration>> retryAfterFromResultOrNull() {
    return retryAfterFromResult;
  }

  RetryBudget retryBudgetOrNull() {
    return retryBudget;
  }

  RandomGenerator randomOrNull() {
    return random;
  }

  @Override
  public String toString() {
    return "RetryConfig{maxAttempts=" + maxAttempts
        + ", waitDuration=" + waitDuration
        + ", exponentialBackoff=" + exponentialBackoffMultiplier + '/' + exponentialMaxWaitDuration
        + ", jitter=" + jitter
        + ", maxDuration=" + maxDuration
        + ", retryExceptions=" + names(retryExceptions)
        + ", ignoreExceptions=" + names(ignoreExceptions)
        + ", retryOnException=" + (retryOnException != null ? "set" : "none")
        + ", retryOnResult=" + (retryOnResult != null ? "set" : "none")
        + ", failAfterMaxAttempts=" + failAfterMaxAttempts
        + ", retryAfterFromException=" + (retryAfterFromException != null ? "set" : "none")
        + ", retryAfterFromResult=" + (retryAfterFromResult != null ? "set" : "none")
        + ", retryBudget=" + retryBudget
        + ", ticker=" + ticker
        + '}';
  }

  private static String names(List<Class<? extends Throwable>> types) {
    return types.stream().map(Class::getName).toList().toString();
  }

  /**
   * Builds a {@link RetryConfig}. Setters reject {@code null} at once with a {@link NullPointerException}
   * naming the option; {@link #build()} checks every range and reports all violations in one
   * {@link IllegalArgumentException}. Nothing is clamped or replaced silently.
   *
   * <p>Not threadsafe; build the configuration once and share it.
   */
  public static final class Builder {
    private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
    private Duration waitDuration = DEFAULT_WAIT_DURATION;
    private double exponentialBackoffMultiplier = 1;
    private Duration exponentialMaxWaitDuration;
    private Jitter jitter = Jitter.NONE;
    private Duration maxDuration = Duration.ZERO;
    private List<Class<? extends Throwable>> retryExceptions = List.of();
    private List<Class<? extends Throwable>> ignoreExceptions = List.of();
    private Predicate<Throwable> retryOnException;
    private Predicate<Object> retryOnResult;
    private boolean failAfterMaxAttempts;
    private Function<? super Throwable, Optional<Duration>> retryAfterFromException;
    private Function<Object, Optional<Duration>> retryAfterFromResult;
    private RetryBudget retryBudget;
    private RandomGenerator random;
    private Ticker ticker = Ticker.system();
    private Sleeper sleeper = Sleeper.system();
    private Scheduler scheduler = Scheduler.system();

    private Builder() {}

    private Builder(RetryConfig c) {
      this.maxAttempts = c.maxAttempts;
      this.waitDuration = c.waitDuration;
      this.exponentialBackoffMultiplier = c.exponentialBackoffMultiplier;
      this.exponentialMaxWaitDuration = c.exponentialBackoff ? c.exponentialMaxWaitDuration : null;
      this.jitter = c.jitter;
      this.maxDuration = c.maxDuration;
      this.retryExceptions = c.retryExceptions;
      this.ignoreExceptions = c.ignoreExceptions;
      this.retryOnException = c.retryOnException;
      this.retryOnResult = c.retryOnResult;
      this.failAfterMaxAttempts = c.failAfterMaxAttempts;
      this.retryAfterFromException = c.retryAfterFromException;
      this.retryAfterFromResult = c.retryAfterFromResult;
      this.retryBudget = c.retryBudget;
      this.random = c.random;
      this.ticker = c.ticker;
      this.sleeper = c.sleeper;
      this.scheduler = c.scheduler;
    }

    /**
     * Sets the number of attempts, the first call included (at least 1; default 3). 1 means no retry.
     *
     * @param maxAttempts the number of attempts, the first call included (at least 1; default 3). 1 means no
     *     retry
     * @return this builder
     */
    public Builder maxAttempts(int maxAttempts) {
      this.maxAttempts = maxAttempts;
      return this;
    }

    /**
     * Sets the wait before the first retry, and before every retry when backoff is off (zero or positive;
     * default 500 ms).
     *
     * @param waitDuration the wait before the first retry, and before every retry when backoff is off (zero
     *     or positive; default 500 ms)
     * @return this builder
     */
    public Builder waitDuration(Duration waitDuration) {
      this.waitDuration = Objects.requireNonNull(waitDuration, "waitDuration must not be null");
      return this;
    }

    /**
     * Multiplies the wait by {@code multiplier} after each retry, up to {@code maxWaitDuration}: with 100 ms,
     * 2.0 and 1 s, the waits are 100, 200, 400, 800, 1000, 1000 ms. The multiplier must be a finite number of
     * at least 1, and {@code maxWaitDuration} at least {@link #waitDuration(Duration) waitDuration}. Off by
     * default.
     *
     * @param multiplier what each retry multiplies the wait by
     * @param maxWaitDuration the longest wait the backoff reaches
     * @return this builder
     */
    public Builder exponentialBackoff(double multiplier, Duration maxWaitDuration) {
      this.exponentialBackoffMultiplier = multiplier;
      this.exponentialMaxWaitDuration =
          Objects.requireNonNull(maxWaitDuration, "exponentialBackoff maxWaitDuration must not be null");
      return this;
    }

    /**
     * Spreads the waits at random, as {@link Jitter} describes; default {@link Jitter#NONE}.
     *
     * @param jitter how the waits are spread
     * @return this builder
     */
    public Builder jitter(Jitter jitter) {
      this.jitter = Objects.requireNonNull(jitter, "jitter must not be null");
      return this;
    }

    /**
     * Limits the total time of a call, its attempts and the waits between them, measured on the
     * {@link #ticker(Ticker) ticker} from the start of the first attempt: no attempt starts once the limit is
     * reached, and the retry gives up at once, with the outcome it has, when the next wait would reach it.
     * An attempt in progress is not interrupted (that is a {@code TimeLimiter}'s job). Zero (the default)
     * switches the limit off.
     *
     * @param maxDuration the longest a call may take, its attempts and waits included
     * @return this builder
     */
    public Builder maxDuration(Duration maxDuration) {
      this.maxDuration = Objects.requireNonNull(maxDuration, "maxDuration must not be null");
      return this;
    }

    /**
     * Retries only exceptions of these types and their subtypes (and those matched by
     * {@link #retryOnException}); other exceptions end the call at once. By default every {@link Exception}
     * is retried, and no {@link Error}. Replaces the types set before.
     *
     * @param types the exception types retried
     * @return this builder
     */
    @SafeVarargs
    public final Builder retryExceptions(Class<? extends Throwable>... types) {
      this.retryExceptions = copyTypes("retryExceptions", types);
      return this;
    }

    /**
     * Never retries exceptions of these types and their subtypes; wins over every retry rule.
     *
     * @param types the exception types to ignore
     * @return this builder
     */
    @SafeVarargs
    public final Builder ignoreExceptions(Class<? extends Throwable>... types) {
      this.ignoreExceptions = copyTypes("ignoreExceptions", types);
      return this;
    }

    /**
     * Retries exceptions matching this predicate, in addition to {@link #retryExceptions}; once either is
     * set, only matching exceptions are retried.
     *
     * @param predicate true for an exception to retry
     * @return this builder
     */
    public Builder retryOnException(Predicate<Throwable> predicate) {
      this.retryOnException = Objects.requireNonNull(predicate, "retryOnException predicate must not be null");
      return this;
    }

    /**
     * Retries when a call returns a result matching this predicate (an HTTP 503, say); the predicate receives
     * {@code null} results too. When the retry stops on such a result, the caller gets that last result,
     * unless {@link #failAfterMaxAttempts(boolean)} asks for an exception.
     *
     * @param predicate true for a result to retry; receives {@code null} results too
     * @return this builder
     */
    public Builder retryOnResult(Predicate<Object> predicate) {
      this.retryOnResult = Objects.requireNonNull(predicate, "retryOnResult predicate must not be null");
      return this;
    }

    /**
     * When true, a call that stops retrying on a result still to retry throws a
     * {@link MaxRetriesExceededException} instead of returning that result. Default false.
     *
     * @param failAfterMaxAttempts whether running out of attempts on a result throws
     * @return this builder
     */
    public Builder failAfterMaxAttempts(boolean failAfterMaxAttempts) {
      this.failAfterMaxAttempts = failAfterMaxAttempts;
      return this;
    }

    /**
     * Reads a server's wait hint from exceptions that do not implement {@link RetryAfterHint} (those that
     * do are always read). The wait before the next attempt is the larger of the backoff and the hint.
     *
     * @param extractor reads the wait hint from an exception, or answers empty
     * @return this builder
     */
    public Builder retryAfterFromException(Function<? super Throwable, Optional<Duration>> extractor) {
      this.retryAfterFromException =
          Objects.requireNonNull(extractor, "retryAfterFromException extractor must not be null");
      return this;
    }

    /**
     * Reads a server's wait hint from results to retry, such as an HTTP response's {@code Retry-After}
     * header. Results implementing {@link RetryAfterHint} are always read.
     *
     * @param extractor reads the wait hint from a result, or answers empty
     * @return this builder
     */
    public Builder retryAfterFromResult(Function<Object, Optional<Duration>> extractor) {
      this.retryAfterFromResult =
          Objects.requireNonNull(extractor, "retryAfterFromResult extractor must not be null");
      return this;
    }

    /**
     * Spends retries from this budget, shared with every other retry that uses it: when it refuses, the call
     * ends at once with the outcome of its last attempt. None by default.
     *
     * @param budget the budget retries are spent from, shared with the other retries that use it
     * @return this builder
     */
    public Builder retryBudget(RetryBudget budget) {
      this.retryBudget = Objects.requireNonNull(budget, "retryBudget must not be null");
      return this;
    }

    /**
     * Sets the random source of the jitter; it must be threadsafe if the configuration is shared
     * ({@link java.util.Random} is). Tests pass a seeded one. By default each thread uses its
     * {@link java.util.concurrent.ThreadLocalRandom}.
     *
     * @param random the random source of the jitter; it must be threadsafe if the configuration is shared
     *     ({@link java.util.Random} is)
     * @return this builder
     */
    public Builder random(RandomGenerator random) {
      this.random = Objects.requireNonNull(random, "random must not be null");
      return this;
    }

    /**
     * Sets the ticker that {@link #maxDuration(Duration) maxDuration} is measured on.
     *
     * @param ticker the ticker that {@link #maxDuration(Duration) maxDuration} is measured on
     * @return this builder
     */
    public Builder ticker(Ticker ticker) {
      this.ticker = Objects.requireNonNull(ticker, "ticker must not be null");
      return this;
    }

    /**
     * Sets how synchronous calls wait between attempts; tests pass one that moves their ticker.
     *
     * @param sleeper how synchronous calls wait between attempts; tests pass one that moves their ticker
     * @return this builder
     */
    public Builder sleeper(Sleeper sleeper) {
      this.sleeper = Objects.requireNonNull(sleeper, "sleeper must not be null");
      return this;
    }

    /**
     * Sets where asynchronous calls schedule their next attempt; no thread waits in between.
     *
     * @param scheduler where asynchronous calls schedule their next attempt; no thread waits in between
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
    public RetryConfig build() {
      Validation v = new Validation("RetryConfig");
      v.atLeast("maxAttempts", maxAttempts, 1);
      v.notNegative("waitDuration", waitDuration).fitsNanos("waitDuration", waitDuration);
      if (exponentialMaxWaitDuration != null) {
        v.check(
            exponentialBackoffMultiplier >= 1 && Double.isFinite(exponentialBackoffMultiplier),
            "exponentialBackoff multiplier",
            "must be a finite number of at least 1",
            exponentialBackoffMultiplier);
        v.check(
            exponentialMaxWaitDuration.compareTo(waitDuration) >= 0,
            "exponentialBackoff maxWaitDuration",
            "must be at least waitDuration " + waitDuration,
            exponentialMaxWaitDuration);
        v.fitsNanos("exponentialBackoff maxWaitDuration", exponentialMaxWaitDuration);
      } else {
        v.require(
            jitter != Jitter.DECORRELATED,
            "jitter DECORRELATED needs exponentialBackoff(multiplier, maxWaitDuration) for its growth and cap");
      }
      v.notNegative("maxDuration", maxDuration).fitsNanos("maxDuration", maxDuration);
      v.throwIfInvalid();
      return new RetryConfig(this);
    }

    private static List<Class<? extends Throwable>> copyTypes(String option, Class<? extends Throwable>[] types) {
      Objects.requireNonNull(types, option + " must not be null");
      for (int i = 0; i < types.length; i++) {
        if (types[i] == null) {
          throw new NullPointerException(option + " must not contain null, found one at index " + i);
        }
      }
      return List.copyOf(Arrays.asList(types));
    }
  }
}
