package dev.fusebox.ratelimiter;

import java.util.Objects;

/**
 * Thrown, or used to fail a stage, when a rate limiter refuses a call: its permits would not be due within
 * the {@link RateLimiterConfig#timeoutDuration() timeout}, or its caller was interrupted while waiting for
 * them, in which case the interrupt status is set again before this is thrown. Named as in Resilience4j.
 *
 * <p>Refusals are the common case under load, so this exception has no stack trace and no suppressed
 * exceptions, and a limiter builds its instances once and throws the same immutable ones every time. The
 * message is composed only when asked for.
 *
 * <pre>{@code
 * try {
 *   return limiter.executeSupplier(() -> partnerApi.quote(order));
 * } catch (RequestNotPermittedException e) {
 *   return Response.status(429).header("Retry-After", "1").build();
 * }
 * }</pre>
 */
public final class RequestNotPermittedException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** The name of the rate limiter that rejected the request. */
  private final String rateLimiterName;
  /** Whether the wait for a permit ended because the caller was interrupted. */
  private final boolean interrupted;

  RequestNotPermittedException(String rateLimiterName, boolean interrupted) {
    super(null, null, false, false);
    this.rateLimiterName = rateLimiterName;
    this.interrupted = interrupted;
  }

  /**
   * Creates the refusal of a limiter, for integrations that refuse on behalf of a limiter whose permit
   * they asked for with {@link RateLimiter#reservePermission(int)} (a reactive operator, say): the same
   * message and flags as the limiter's own refusal, and likewise without a stack trace.
   *
   * @param rateLimiterName the limiter's name
   * @return a new exception
   * @throws NullPointerException if the name is null
   */
  public static RequestNotPermittedException of(String rateLimiterName) {
    return new RequestNotPermittedException(
        Objects.requireNonNull(rateLimiterName, "rateLimiterName must not be null"), false);
  }

  /**
   * Returns the name of the limiter that refused the call.
   *
   * @return the name of the limiter that refused the call
   */
  public String rateLimiterName() {
    return rateLimiterName;
  }

  /**
   * Returns whether the caller was interrupted while it waited for its permits, rather than refused.
   *
   * @return whether the caller was interrupted while it waited for its permits, rather than refused
   */
  public boolean interrupted() {
    return interrupted;
  }

  @Override
  public String getMessage() {
    return interrupted
        ? "RateLimiter '" + rateLimiterName + "' refused a call: the caller was interrupted while waiting for permits"
        : "RateLimiter '" + rateLimiterName + "' does not permit further calls";
  }
}
