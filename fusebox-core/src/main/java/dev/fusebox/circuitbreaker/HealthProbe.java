package dev.fusebox.circuitbreaker;

import dev.fusebox.internal.DaemonThreads;
import dev.fusebox.internal.Validation;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * A check of the dependency that a breaker runs by itself, so that recovery does not wait for the open
 * state's whole wait and an outage can be seen before users pay for it.
 *
 * <p>While the breaker is OPEN the probe runs every {@linkplain Builder#interval(Duration) interval}; the
 * first success moves the breaker to HALF_OPEN at once, where real calls decide as usual. While it is
 * CLOSED the probe runs only if {@linkplain Builder#failuresToOpen(int) failuresToOpen} is set: that many
 * failed probes in a row open it, as a tripped threshold would. HALF_OPEN and the manual states run no
 * probe. A probe never runs on a caller's thread: a {@linkplain #of(Callable) blocking check} runs on the
 * probe's executor (by default a daemon thread of its own), an {@linkplain #ofAsync(Supplier) asynchronous}
 * one is started from the breaker's scheduler. At most one probe of a breaker is in flight; one that takes
 * longer than its {@linkplain Builder#timeout(Duration) timeout} counts as failed, and the next starts only
 * once it has returned. Probes are counted in {@link CircuitBreaker.Metrics#totalSuccessfulProbes()} and
 * {@link CircuitBreaker.Metrics#totalFailedProbes()} and published as {@link CircuitBreakerEvent.Probe}
 * events.
 *
 * <pre>{@code
 * CircuitBreakerConfig config = CircuitBreakerConfig.builder()
 *     .waitDurationInOpenState(Duration.ofMinutes(1))
 *     .healthProbe(HealthProbe.of(() -> inventory.ping())
 *         .interval(Duration.ofSeconds(5))
 *         .failuresToOpen(3)
 *         .build())
 *     .build();
 * }</pre>
 *
 * <p>Instances are immutable and may be shared by several configurations; each breaker runs its own probes.
 */
public final class HealthProbe {

  private final Callable<?> check;
  private final Supplier<? extends CompletionStage<?>> asyncCheck;
  private final Duration interval;
  private final Duration timeout;
  private final int failuresToOpen;
  private final Executor executor;

  private HealthProbe(Builder b) {
    this.check = b.check;
    this.asyncCheck = b.asyncCheck;
    this.interval = b.interval;
    this.timeout = b.timeout != null ? b.timeout : b.interval;
    this.failuresToOpen = b.failuresToOpen;
    this.executor = b.executor;
  }

  /**
   * Starts a probe that calls {@code check}: it succeeds when the check returns, whatever it returns, and
   * fails when it throws.
   *
   * @param check the blocking check, a ping of the dependency say
   * @return a builder
   */
  public static Builder of(Callable<?> check) {
    return new Builder(Objects.requireNonNull(check, "check must not be null"), null);
  }

  /**
   * Starts a probe whose check completes a stage: it succeeds when the stage completes normally and fails
   * when the supplier throws or the stage completes exceptionally.
   *
   * @param check supplies the stage of one check
   * @return a builder
   */
  public static Builder ofAsync(Supplier<? extends CompletionStage<?>> check) {
    return new Builder(null, Objects.requireNonNull(check, "check must not be null"));
  }

  /**
   * Returns how long the breaker waits between the end of one probe and the start of the next.
   *
   * @return how long the breaker waits between the end of one probe and the start of the next
   */
  public Duration interval() {
    return interval;
  }

  /**
   * Returns how long a probe may take before it counts as failed.
   *
   * @return how long a probe may take before it counts as failed
   */
  public Duration timeout() {
    return timeout;
  }

  /**
   * Returns how many failed probes in a row open a closed breaker; 0 when probes run only while open.
   *
   * @return how many failed probes in a row open a closed breaker; 0 when probes run only while open
   */
  public int failuresToOpen() {
    return failuresToOpen;
  }

  /** Starts one check; its stage completes with the check's outcome. */
  CompletionStage<?> start() {
    if (asyncCheck != null) {
      try {
        CompletionStage<?> stage = asyncCheck.get();
        return stage != null ? stage : CompletableFuture.failedFuture(
            new NullPointerException("the health probe's check returned a null stage"));
      } catch (Throwable e) {
        return CompletableFuture.failedFuture(e);
      }
    }
    CompletableFuture<Object> outcome = new CompletableFuture<>();
    Runnable run = () -> {
      try {
        outcome.complete(check.call());
      } catch (Throwable e) {
        outcome.completeExceptionally(e);
      }
    };
    try {
      if (executor != null) {
        executor.execute(run);
      } else {
        DaemonThreads.create("fusebox-health-probe", run).start();
      }
    } catch (RuntimeException rejected) {
      outcome.completeExceptionally(rejected);
    }
    return outcome;
  }

  @Override
  public String toString() {
    return "HealthProbe[interval=" + interval + ", timeout=" + timeout + ", failuresToOpen=" + failuresToOpen
        + (asyncCheck != null ? ", async" : "") + "]";
  }

  /** Options of a {@link HealthProbe}; {@link #build()} validates them. */
  public static final class Builder {

    private final Callable<?> check;
    private final Supplier<? extends CompletionStage<?>> asyncCheck;
    private Duration interval = Duration.ofSeconds(5);
    private Duration timeout;
    private int failuresToOpen;
    private Executor executor;

    private Builder(Callable<?> check, Supplier<? extends CompletionStage<?>> asyncCheck) {
      this.check = check;
      this.asyncCheck = asyncCheck;
    }

    /**
     * Sets the pause between the end of one probe and the start of the next (default 5 s), measured on the
     * breaker's scheduler.
     *
     * @param interval a positive duration
     * @return this builder
     */
    public Builder interval(Duration interval) {
      this.interval = Objects.requireNonNull(interval, "interval must not be null");
      return this;
    }

    /**
     * Sets how long a probe may take before it counts as failed (default: the interval).
     *
     * @param timeout a positive duration
     * @return this builder
     */
    public Builder timeout(Duration timeout) {
      this.timeout = Objects.requireNonNull(timeout, "timeout must not be null");
      return this;
    }

    /**
     * Sets how many failed probes in a row open a closed breaker (default 0: probes run only while it is
     * open).
     *
     * @param failures zero or more
     * @return this builder
     */
    public Builder failuresToOpen(int failures) {
      this.failuresToOpen = failures;
      return this;
    }

    /**
     * Sets where a blocking check runs (default: a new daemon thread per probe). Ignored by an
     * asynchronous check, whose supplier is called from the breaker's scheduler and must not block.
     *
     * @param executor the executor
     * @return this builder
     */
    public Builder executor(Executor executor) {
      this.executor = Objects.requireNonNull(executor, "executor must not be null");
      return this;
    }

    /**
     * Builds the probe.
     *
     * @return the probe
     * @throws IllegalArgumentException if an option is out of range, naming it and its value
     */
    public HealthProbe build() {
      Validation validation = new Validation("HealthProbe")
          .positive("interval", interval)
          .fitsNanos("interval", interval)
          .atLeast("failuresToOpen", failuresToOpen, 0);
      if (timeout != null) {
        validation.positive("timeout", timeout).fitsNanos("timeout", timeout);
      }
      validation.throwIfInvalid();
      return new HealthProbe(this);
    }
  }
}
