package dev.fusebox.throttle;

/**
 * Thrown, or used to fail a stage, when an adaptive throttle rejects a call locally, without sending it:
 * the dependency has accepted too few of the recent requests, and this one drew a rejection at the
 * throttle's current {@link AdaptiveThrottle.Metrics#rejectionProbability() rejection probability}.
 *
 * <p>While a dependency is overloaded most calls may end here, so this exception has no stack trace and no
 * suppressed exceptions, and a throttle builds its one instance when it is created and throws that same
 * immutable instance for every rejection. The message is composed only when asked for.
 *
 * <pre>{@code
 * try {
 *   return throttle.executeSupplier(() -> search.query(terms));
 * } catch (CallThrottledException e) {
 *   return Response.status(503).entity("search is overloaded, try again shortly").build();
 * }
 * }</pre>
 */
public final class CallThrottledException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** The name of the throttle that shed the request. */
  private final String throttleName;

  CallThrottledException(String throttleName) {
    super(null, null, false, false);
    this.throttleName = throttleName;
  }

  /**
   * Returns the name of the throttle that rejected the call.
   *
   * @return the name of the throttle that rejected the call
   */
  public String throttleName() {
    return throttleName;
  }

  @Override
  public String getMessage() {
    return "AdaptiveThrottle '" + throttleName + "' rejected the call locally: the dependency accepted too few "
        + "of the recent requests";
  }
}
