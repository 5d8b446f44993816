package dev.fusebox.http;

/**
 * What an HTTP call means for the health of the server it went to, as an {@link HttpOutcomeClassifier}
 * decides it.
 *
 * <pre>{@code
 * switch (classifier.classifyStatus(response.statusCode())) {
 *   case FAILURE -> breaker.onError(nanos, new IOException("HTTP " + response.statusCode()));
 *   case SUCCESS -> breaker.onSuccess(nanos);
 *   case IGNORED -> breaker.releasePermission();
 * }
 * }</pre>
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
