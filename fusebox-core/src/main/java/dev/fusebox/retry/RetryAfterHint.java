package dev.fusebox.retry;

import java.time.Duration;
import java.util.Optional;

/**
 * Implemented by an exception, or by a result type, that knows how long the server asked the client to
 * wait before trying again: an HTTP {@code Retry-After} header, a gRPC {@code RetryInfo}, a rate limiter's
 * refill time. A {@link Retry} then waits at least that long before the next attempt: the larger of its own
 * backoff and the hint, and it gives up at once if that wait would cross
 * {@link RetryConfig#maxDuration() maxDuration}.
 *
 * <pre>{@code
 * final class ThrottledException extends IOException implements RetryAfterHint {
 *   private final Duration retryAfter;
 *   ThrottledException(Duration retryAfter) {
 *     super("throttled, retry after " + retryAfter);
 *     this.retryAfter = retryAfter;
 *   }
 *   public Optional<Duration> retryAfter() {
 *     return Optional.of(retryAfter);
 *   }
 * }
 * }</pre>
 *
 * <p>For types you cannot change, such as an HTTP client's response class, configure an extractor instead:
 * {@link RetryConfig.Builder#retryAfterFromResult} and {@link RetryConfig.Builder#retryAfterFromException}.
 * Negative durations are treated as no hint.
 */
@FunctionalInterface
public interface RetryAfterHint {

  /**
   * Returns how long the server asked to wait before the next attempt, if it said so.
   *
   * @return how long the server asked to wait before the next attempt, if it said so
   */
  Optional<Duration> retryAfter();
}
