package dev.fusebox.fallback;

/**
 * Stands for a result that {@link FallbackConfig.Builder#fallbackOnResult fallbackOnResult} rejected (an
 * HTTP 503 response, say), wherever the fallback hands on the cause of a fallback: to a
 * {@link FallbackConfig.Builder#fallbackFunction fallback function}, in events, in a {@link FallbackResult}.
 * It is never thrown by a {@link Fallback} itself: when there is nothing to replace a rejected result with,
 * the caller gets that result.
 *
 * <pre>{@code
 * FallbackConfig.<Response>builder()
 *     .fallbackOnResult(r -> r.status() == 503)
 *     .fallbackFunction(cause -> cause instanceof RejectedResultException rejected
 *         ? Response.cached((Response) rejected.result())
 *         : Response.error(cause))
 *     .build();
 * }</pre>
 *
 * <p>Carries no stack trace: it describes a value, not a place in the code.
 */
public final class RejectedResultException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final transient Object result;

  RejectedResultException(String fallbackName, Object result) {
    super("Fallback '" + fallbackName + "': the call returned a result to replace", null, false, false);
    this.result = result;
  }

  /**
   * Returns the rejected result (not serialised).
   *
   * @return the rejected result (not serialised)
   */
  public Object result() {
    return result;
  }
}
