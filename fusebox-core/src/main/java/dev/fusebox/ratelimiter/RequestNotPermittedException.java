package dev.fusebox.ratelimiter;

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

  private final String rateLimiterName;
  private final boolean interrupted;

  RequestNotPermittedException(String rateLimiterName, boolean interrupted) {
    super(null, null, false, false);
    this.rateLimiterName = rateLimiterName;
    this.interrupted = interrupted;
  }

  /** Returns the name of the limiter that refused the call. */
  public String rateLimiterName() {
    return rateLimiterName;
  }

  /** Returns whether the caller was interrupted while it waited for its permits, rather than refused. */
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
