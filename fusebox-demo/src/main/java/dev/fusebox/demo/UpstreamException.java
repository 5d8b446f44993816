package dev.fusebox.demo;

/**
 * The upstream failed: an error status, a reset connection, a timeout of the HTTP client. A breaker
 * records it as a failure, and the protected route's retry tries again after it; a timeout of the time
 * limiter or a full bulkhead is not this exception, and is not retried.
 */
final class UpstreamException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  UpstreamException(String message) {
    super(message, null, false, false);
  }

  UpstreamException(String message, Throwable cause) {
    super(message, cause, false, false);
  }
}
