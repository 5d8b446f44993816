package dev.fusebox.http;

/**
 * What an HTTP call means for the health of the server it went to, as an {@link HttpOutcomeClassifier}
 * decides it.
 *
 * <pre>{@code
 * CircuitBreaker.Permit permit = breaker.tryAcquirePermit();   // null: rejected
 * // ... send the request, time it ...
 * switch (classifier.classifyStatus(response.statusCode())) {
 *   case FAILURE -> permit.onError(nanos, new IOException("HTTP " + response.statusCode()));
 *   case SUCCESS -> permit.onSuccess(nanos);
 *   case IGNORED -> permit.release();
 * }
 * }</pre>
 *
 * <p>The permit, not the breaker's anonymous {@code onError}/{@code onSuccess}/{@code releasePermission},
 * because a permit's outcome reaches only the state that issued it: a response that arrives after the
 * breaker moved on can never count as a half-open trial.
 */
public enum HttpOutcome {
  /** The server did its job: recorded as a success, never retried. */
  SUCCESS,
  /** The server failed or could not be reached: recorded as a failure, and retried where retries apply. */
  FAILURE,
  /**
   * Says nothing about the server (the caller was interrupted, or built a bad request): not recorded at
   * all, the breaker's permit is given back, never retried.
   */
  IGNORED
}
