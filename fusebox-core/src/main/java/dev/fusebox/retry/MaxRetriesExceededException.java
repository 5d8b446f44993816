package dev.fusebox.retry;

/**
 * Thrown by a {@link Retry} configured with {@link RetryConfig.Builder#failAfterMaxAttempts(boolean)
 * failAfterMaxAttempts(true)} when it stops retrying while the last attempt still returned a result that
 * {@link RetryConfig.Builder#retryOnResult retryOnResult} accepts for a retry. Named as in Resilience4j.
 * Failures of earlier attempts, if any, are attached as suppressed exceptions.
 *
 * <pre>{@code
 * try {
 *   return retry.executeSupplier(() -> client.get(url));
 * } catch (MaxRetriesExceededException e) {
 *   Response last = (Response) e.lastResult();
 *   return Response.status(502).entity("upstream kept answering " + last.status()).build();
 * }
 * }</pre>
 */
public final class MaxRetriesExceededException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** The name of the retry that gave up. */
  private final String retryName;
  /** How many attempts were made, the first included. */
  private final int attempts;
  private final transient Object lastResult;

  MaxRetriesExceededException(String retryName, int attempts, Object lastResult, String why) {
    super("Retry '" + retryName + "' " + why + " after " + attempts + (attempts == 1 ? " attempt" : " attempts")
        + " with a result still to retry");
    this.retryName = retryName;
    this.attempts = attempts;
    this.lastResult = lastResult;
  }

  /**
   * Returns the name of the retry that gave up.
   *
   * @return the name of the retry that gave up
   */
  public String retryName() {
    return retryName;
  }

  /**
   * Returns how many attempts were made.
   *
   * @return how many attempts were made
   */
  public int attempts() {
    return attempts;
  }

  /**
   * Returns the result of the last attempt (not serialised).
   *
   * @return the result of the last attempt (not serialised)
   */
  public Object lastResult() {
    return lastResult;
  }
}
