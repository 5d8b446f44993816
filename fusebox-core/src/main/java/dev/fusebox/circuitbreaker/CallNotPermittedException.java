package dev.fusebox.circuitbreaker;

import dev.fusebox.Ticker;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Thrown, or used to fail a stage, when a circuit breaker rejects a call without running it.
 *
 * <p>Rejection must be cheap, so this exception has no stack trace and no suppressed exceptions, and a
 * breaker builds one instance per state it enters and throws that same immutable instance for every call
 * it rejects in that state. The message is composed only when asked for; {@link #retryAfter()} is computed
 * from the breaker's ticker when called.
 *
 * <pre>{@code
 * try {
 *   return breaker.executeSupplier(backend::fetch);
 * } catch (CallNotPermittedException e) {
 *   return ResponseEntity.status(503)
 *       .header("Retry-After", e.retryAfter().map(d -> String.valueOf(d.toSeconds())).orElse("60"))
 *       .build();
 * }
 * }</pre>
 */
public final class CallNotPermittedException extends RuntimeException {

  private static final long serialVersionUID = 1L;
  static final long UNKNOWN = Long.MIN_VALUE;

  private final String breakerName;
  private final CircuitBreaker.State state;
  private final String reason;
  private final transient Ticker ticker;
  private final long nextTrialAt;

  CallNotPermittedException(
      String breakerName, CircuitBreaker.State state, String reason, Ticker ticker, long nextTrialAt) {
    super(null, null, false, false);
    this.breakerName = breakerName;
    this.state = state;
    this.reason = reason;
    this.ticker = ticker;
    this.nextTrialAt = nextTrialAt;
  }

  /**
   * Creates an exception for integrations that reject on behalf of a breaker they manage (a shared
   * breaker whose fleet is open, for instance).
   *
   * @param breakerName the breaker's name
   * @param state the state that rejects
   * @param retryAfter how long until a trial may run, or {@code null} if unknown
   */
  public static CallNotPermittedException of(
      String breakerName, CircuitBreaker.State state, Duration retryAfter) {
    Objects.requireNonNull(breakerName, "breakerName must not be null");
    Objects.requireNonNull(state, "state must not be null");
    Ticker ticker = Ticker.system();
    long at = retryAfter == null ? UNKNOWN : ticker.nanos() + retryAfter.toNanos();
    return new CallNotPermittedException(breakerName, state, null, ticker, at);
  }

  /** Returns the name of the breaker that rejected the call. */
  public String breakerName() {
    return breakerName;
  }

  /** Returns the state that rejected the call. */
  public CircuitBreaker.State state() {
    return state;
  }

  /**
   * Returns how long until the breaker lets a trial call through, when that is known (an open breaker);
   * zero once that moment has passed. Empty for a forced-open breaker, a half-open breaker whose trials are
   * all taken, or a breaker ramping up after recovery.
   */
  public Optional<Duration> retryAfter() {
    if (nextTrialAt == UNKNOWN || ticker == null) {
      return Optional.empty();
    }
    return Optional.of(Duration.ofNanos(Math.max(0, nextTrialAt - ticker.nanos())));
  }

  @Override
  public String getMessage() {
    StringBuilder s = new StringBuilder("CircuitBreaker '").append(breakerName).append("' ");
    if (reason != null) {
      s.append(reason);
    } else {
      s.append("is ").append(state).append(" and does not permit further calls");
    }
    retryAfter().ifPresent(d -> s.append("; next trial in ").append(d.toMillis()).append(" ms"));
    return s.toString();
  }
}
