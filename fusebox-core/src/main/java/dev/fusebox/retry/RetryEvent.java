package dev.fusebox.retry;

import java.time.Duration;
import java.time.Instant;

/**
 * Something that happened to a call made through a {@link Retry}. Events are records; switch over them:
 *
 * <pre>{@code
 * retry.onEvent(event -> {
 *   if (event instanceof RetryEvent.Retrying r) {
 *     log.info("attempt {} failed, retrying in {} ms", r.attempt(), r.waitDuration().toMillis());
 *   }
 * });
 * }</pre>
 *
 * <p>Every call ends with at most one of {@link Success}, {@link Failure}, {@link IgnoredError} and
 * {@link BudgetExhausted}; a call that succeeds at its first attempt publishes nothing, as in
 * Resilience4j. The {@link #timestamp()} is wall-clock time, for display only.
 */
public sealed interface RetryEvent
    permits RetryEvent.Retrying,
        RetryEvent.Success,
        RetryEvent.Failure,
        RetryEvent.IgnoredError,
        RetryEvent.BudgetExhausted,
        RetryEvent.ConfigurationChanged {

  /** The kinds of events, named as Resilience4j names them where it has them. */
  enum Type {
    /** An attempt failed and another will follow after a wait. */
    RETRY,
    /** A call succeeded after at least one retry. */
    SUCCESS,
    /** A call failed: it stopped retrying with the failure (or result) of its last attempt. */
    ERROR,
    /** An attempt threw an exception the configuration does not retry; the call ended with it. */
    IGNORED_ERROR,
    /** The retry budget refused a retry; the call ended with the failure (or result) it had. */
    BUDGET_EXHAUSTED,
    /** The retry was {@linkplain Retry#reconfigure reconfigured}. */
    CONFIGURATION_CHANGED
  }

  /** Why a call stopped retrying while its last outcome was still one to retry. */
  enum StopReason {
    /** {@link RetryConfig#maxAttempts()} attempts were made. */
    MAX_ATTEMPTS,
    /** The next attempt could not start within {@link RetryConfig#maxDuration()}. */
    MAX_DURATION,
    /** The calling thread was interrupted. */
    INTERRUPTED
  }

  /**
   * Returns the name of the retry.
   *
   * @return the name of the retry
   */
  String name();

  /**
   * Returns when the event happened, by the wall clock.
   *
   * @return when the event happened, by the wall clock
   */
  Instant timestamp();

  /**
   * Returns the kind of event.
   *
   * @return the kind of event
   */
  Type type();

  /**
   * An attempt failed and the next one starts after {@code waitDuration}.
   *
   * @param attempt the number of the attempt that failed, from 1
   * @param waitDuration the wait before the next attempt: the backoff, or a longer server hint
   * @param error the exception of the failed attempt, or {@code null} if it returned a result to retry
   * @param result the result to retry, or {@code null} if the attempt threw
   */
  record Retrying(
      String name, Instant timestamp, int attempt, Duration waitDuration, Throwable error, Object result)
      implements RetryEvent {
    @Override
    public Type type() {
      return Type.RETRY;
    }
  }

  /**
   * A call succeeded after at least one retry.
   *
   * @param attempts the number of attempts made, the successful one included
   */
  record Success(String name, Instant timestamp, int attempts) implements RetryEvent {
    @Override
    public Type type() {
      return Type.SUCCESS;
    }
  }

  /**
   * A call stopped retrying with a failure, or with a result still to retry.
   *
   * @param attempts the number of attempts made
   * @param reason why it stopped
   * @param error the exception handed to the caller, or {@code null} if the last attempt returned a result
   * @param result the last result, or {@code null} if the last attempt threw
   */
  record Failure(
      String name, Instant timestamp, int attempts, StopReason reason, Throwable error, Object result)
      implements RetryEvent {
    @Override
    public Type type() {
      return Type.ERROR;
    }
  }

  /**
   * An attempt threw an exception that is never retried (not matched by the configuration, ignored, or a
   * circuit breaker's rejection); the call ended with it.
   *
   * @param attempts the number of attempts made
   */
  record IgnoredError(String name, Instant timestamp, int attempts, Throwable error) implements RetryEvent {
    @Override
    public Type type() {
      return Type.IGNORED_ERROR;
    }
  }

  /**
   * The shared {@link RetryBudget} refused the retry; the call ended with the outcome of its last attempt.
   *
   * @param attempts the number of attempts made
   * @param error the exception handed to the caller, or {@code null} if the last attempt returned a result
   * @param result the last result, or {@code null} if the last attempt threw
   */
  record BudgetExhausted(String name, Instant timestamp, int attempts, Throwable error, Object result)
      implements RetryEvent {
    @Override
    public Type type() {
      return Type.BUDGET_EXHAUSTED;
    }
  }

  /**
   * The retry was {@linkplain Retry#reconfigure reconfigured}; calls already running finish by the options
   * they started with.
   *
   * @param previous the configuration before the change
   * @param current the configuration the next calls run by
   */
  record ConfigurationChanged(String name, Instant timestamp, RetryConfig previous, RetryConfig current)
      implements RetryEvent {
    @Override
    public Type type() {
      return Type.CONFIGURATION_CHANGED;
    }
  }
}
