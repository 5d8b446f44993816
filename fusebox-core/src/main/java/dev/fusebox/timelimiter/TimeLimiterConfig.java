package dev.fusebox.timelimiter;

import dev.fusebox.Scheduler;
import dev.fusebox.internal.Validation;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * The immutable configuration of a {@link TimeLimiter}, built by a validating {@link Builder}. Option names
 * are Resilience4j's.
 *
 * <table>
 *   <caption>Options and their defaults</caption>
 *   <tr><th>Option</th><th>Default</th></tr>
 *   <tr><td>{@link Builder#timeoutDuration(Duration) timeoutDuration}</td><td>1 s</td></tr>
 *   <tr><td>{@link Builder#cancelRunningFuture(boolean) cancelRunningFuture}</td><td>true</td></tr>
 *   <tr><td>{@link Builder#scheduler(Scheduler) scheduler}</td><td>{@link Scheduler#system()}</td></tr>
 *   <tr><td>{@link Builder#executor(Executor) executor}</td><td>none: blocking calls run on a new virtual
 *       thread each (Java 21 and later)</td></tr>
 * </table>
 *
 * <pre>{@code
 * TimeLimiterConfig config = TimeLimiterConfig.builder()
 *     .timeoutDuration(Duration.ofMillis(800))
 *     .executor(blockingCallPool)   // needed on Java 17 for executeCallable and friends
 *     .build();
 * }</pre>
 *
 * <p>Instances are immutable and threadsafe; one configuration can serve any number of time limiters.
 */
public final class TimeLimiterConfig {

  static final Duration DEFAULT_TIMEOUT_DURATION = Duration.ofSeconds(1);

  private static final TimeLimiterConfig DEFAULTS = builder().build();

  private final Duration timeoutDuration;
  private final boolean cancelRunningFuture;
  private final Scheduler scheduler;
  private final Executor executor;

  private TimeLimiterConfig(Builder b) {
    this.timeoutDuration = b.timeoutDuration;
    this.cancelRunningFuture = b.cancelRunningFuture;
    this.scheduler = b.scheduler;
    this.executor = b.executor;
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
  public static TimeLimiterConfig ofDefaults() {
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
   * See {@link Builder#timeoutDuration(Duration)}.
   *
   * @return how long a call may take before the caller gets a {@code TimeoutException} (positive; default 1
   *     s)
   */
  public Duration timeoutDuration() {
    return timeoutDuration;
  }

  /**
   * See {@link Builder#cancelRunningFuture(boolean)}.
   *
   * @return whether a call that times out is cancelled, its thread interrupted
   */
  public boolean cancelRunningFuture() {
    return cancelRunningFuture;
  }

  /**
   * Returns the scheduler that fires timeouts.
   *
   * @return the scheduler that fires timeouts
   */
  public Scheduler scheduler() {
    return scheduler;
  }

  /**
   * Returns the executor that runs blocking calls, if one was set.
   *
   * @return the executor that runs blocking calls, if one was set
   */
  public Optional<Executor> executor() {
    return Optional.ofNullable(executor);
  }

  Executor executorOrNull() {
    return executor;
  }

  @Override
  public String toString() {
    return "TimeLimiterConfig{timeoutDuration=" + timeoutDuration
        + ", cancelRunningFuture=" + cancelRunningFuture
        + ", scheduler=" + scheduler
        + ", executor=" + (executor != null ? executor : "virtual threads")
        + '}';
  }

  /**
   * Builds a {@link TimeLimiterConfig}. Setters reject {@code null} at once with a
   * {@link NullPointerException} naming the option; {@link #build()} checks every range and reports all
   * violations in one {@link IllegalArgumentException}.
   *
   * <p>Not threadsafe; build the configuration once and share it.
   */
  public static final class Builder {
    private Duration timeoutDuration = DEFAULT_TIMEOUT_DURATION;
    private boolean cancelRunningFuture = true;
    private Scheduler scheduler = Scheduler.system();
    private Executor executor;

    private Builder() {}

    private Builder(TimeLimiterConfig c) {
      this.timeoutDuration = c.timeoutDuration;
      this.cancelRunningFuture = c.cancelRunningFuture;
      this.scheduler = c.scheduler;
      this.executor = c.executor;
    }

    /**
     * Sets how long a call may take before the caller gets a {@code TimeoutException} (positive; default 1 s).
     *
     * @param timeoutDuration how long a call may take before the caller gets a {@code TimeoutException}
     *     (positive; default 1 s)
     * @return this builder
     */
    public Builder timeoutDuration(Duration timeoutDuration) {
      this.timeoutDuration = Objects.requireNonNull(timeoutDuration, "timeoutDuration must not be null");
      return this;
    }

    /**
     * Whether a call that times out is cancelled: its future is cancelled, and a blocking call's thread is
     * interrupted. When false, the call runs on and its outcome is discarded. Default true.
     *
     * @param cancelRunningFuture whether a call that times out is cancelled and its thread interrupted
     * @return this builder
     */
    public Builder cancelRunningFuture(boolean cancelRunningFuture) {
      this.cancelRunningFuture = cancelRunningFuture;
      return this;
    }

    /**
     * Sets the scheduler that fires timeouts; tests pass one driven by a hand-moved ticker.
     *
     * @param scheduler the scheduler that fires timeouts; tests pass one driven by a hand-moved ticker
     * @return this builder
     */
    public Builder scheduler(Scheduler scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler must not be null");
      return this;
    }

    /**
     * Runs blocking calls ({@code executeCallable}, {@code executeSupplier}, ...) on this executor instead
     * of a new virtual thread each. Required on Java 17 to 20, which have no virtual threads, for blocking
     * calls; asynchronous calls never need it. The executor should clear a thread's interrupt flag between
     * tasks, as {@link java.util.concurrent.ThreadPoolExecutor} does, since a timed-out call's thread is
     * interrupted.
     *
     * @param executor runs the blocking calls
     * @return this builder
     */
    public Builder executor(Executor executor) {
      this.executor = Objects.requireNonNull(executor, "executor must not be null");
      return this;
    }

    /**
     * Validates every option and builds the configuration.
     *
     * @return the configuration
     * @throws IllegalArgumentException naming every option whose value is out of range
     */
    public TimeLimiterConfig build() {
      Validation v = new Validation("TimeLimiterConfig");
      v.positive("timeoutDuration", timeoutDuration).fitsNanos("timeoutDuration", timeoutDuration);
      v.throwIfInvalid();
      return new TimeLimiterConfig(this);
    }
  }
}
