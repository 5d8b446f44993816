package dev.fusebox.circuitbreaker;

import dev.fusebox.Ticker;
import dev.fusebox.internal.Nanos;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

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

  /** The name of the breaker that rejected the call. */
  private final String breakerName;
  /** The breaker's state when it rejected the call. */
  private final CircuitBreaker.State state;
  /** What the message says in place of the state; null for the standard wording. */
  private final String reason;
  /** The ticker {@link #nextTrialAt} is a reading of; null when the next trial is unknown (or deserialised). */
  private final transient Ticker ticker;
  /** Compared with the ticker by the sign of a difference: every long is a valid reading, no sentinel. */
  private final long nextTrialAt;
  /** The failed stage the asynchronous API hands out for this rejection, built on first use. */
  private transient volatile RejectedStage failedStage;

  /** An exception whose next trial is at {@code nextTrialAt} by {@code ticker}, or unknown if it is null. */
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
   * @param retryAfter how long until a trial may run, or {@code null} if unknown; a negative one means now,
   *     one longer than 292 years is held at 292 years
   * @return the exception, to throw
   */
  public static CallNotPermittedException of(
      String breakerName, CircuitBreaker.State state, Duration retryAfter) {
    Objects.requireNonNull(breakerName, "breakerName must not be null");
    Objects.requireNonNull(state, "state must not be null");
    Ticker ticker = Ticker.system();
    if (retryAfter == null) {
      return new CallNotPermittedException(breakerName, state, null, null, 0);
    }
    long wait = Nanos.saturated(retryAfter);
    return new CallNotPermittedException(breakerName, state, null, ticker, ticker.nanos() + Math.max(0, wait));
  }

  /**
   * Returns a stage failed with this exception, the same one every time (a racing first use may build two,
   * equally good): what the asynchronous API returns for a rejection, so that rejecting allocates no more
   * than throwing. See {@link RejectedStage} for why sharing it is safe.
   */
  @SuppressWarnings("unchecked")
  <T> CompletionStage<T> asFailedStage() {
    RejectedStage stage = failedStage;
    if (stage == null) {
      stage = new RejectedStage(this);
      failedStage = stage;
    }
    return (CompletionStage<T>) (CompletionStage<?>) stage;
  }

  /**
   * Returns the name of the breaker that rejected the call.
   *
   * @return the name of the breaker that rejected the call
   */
  public String breakerName() {
    return breakerName;
  }

  /**
   * Returns the state that rejected the call.
   *
   * @return the state that rejected the call
   */
  public CircuitBreaker.State state() {
    return state;
  }

  /**
   * Returns how long until the breaker lets a trial call through, when that is known (an open breaker);
   * zero once that moment has passed. Empty for a forced-open breaker, a half-open breaker whose trials are
   * all taken, or a breaker ramping up after recovery.
   *
   * @return how long until the breaker lets a trial call through, when that is known (an open breaker); zero
   *     once that moment has passed
   */
  public Optional<Duration> retryAfter() {
    if (ticker == null) {
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
