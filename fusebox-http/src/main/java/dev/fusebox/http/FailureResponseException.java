package dev.fusebox.http;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What a circuit breaker records for a response that its {@link HttpOutcomeClassifier} counts as a
 * failure (a 503, say): the breaker's failure events and the dashboard show it, with the status, method
 * and URI in its message. The caller never sees it: a call through {@link FuseboxHttpClient} returns the
 * response itself.
 *
 * <p>It is an {@link IOException} so that a breaker configured to record only I/O errors
 * ({@code recordExceptions(IOException.class)}) still counts failure responses. It carries no stack trace,
 * since it is built for every failure response and never thrown to code that could use one.
 *
 * <pre>{@code
 * breaker.onEvent(event -> {
 *   if (event instanceof CircuitBreakerEvent.Failure failed
 *       && failed.error() instanceof FailureResponseException failure) {
 *     log.warn("{} answered {}", failure.uri(), failure.statusCode());
 *   }
 * });
 * }</pre>
 */
public final class FailureResponseException extends IOException {

  private static final long serialVersionUID = 1L;

  /** The failure response's HTTP status code. */
  private final int statusCode;
  /** The request's method, such as {@code GET}. */
  private final String method;
  /** The request's URI. */
  private final URI uri;
  /** The wait the response's {@code Retry-After} asked for, or null when it had no readable one. */
  private final Duration retryAfter;

  /**
   * The response, until the call path hands it to the caller: breaker events (and an event history) keep
   * this exception, and must not keep a response body alive with it. Written and taken by one call,
   * whose stage completions order the two.
   */
  private transient HttpResponse<?> response;

  /**
   * Creates the exception for a failure response, for integrations that record responses of other HTTP
   * clients the same way.
   *
   * @param statusCode the response's status
   * @param method the request's method
   * @param uri the request's URI
   * @param retryAfter the wait the response's {@code Retry-After} asked for, or {@code null} if none
   */
  public FailureResponseException(int statusCode, String method, URI uri, Duration retryAfter) {
    this(statusCode, method, uri, retryAfter, null);
  }

  FailureResponseException(int statusCode, String method, URI uri, Duration retryAfter, HttpResponse<?> response) {
    super("HTTP " + statusCode + " from " + Objects.requireNonNull(method, "method must not be null") + ' '
        + Objects.requireNonNull(uri, "uri must not be null"));
    this.statusCode = statusCode;
    this.method = method;
    this.uri = uri;
    this.retryAfter = retryAfter;
    this.response = response;
  }

  /** Builds no stack trace: see the class comment. */
  @Override
  public Throwable fillInStackTrace() {
    return this;
  }

  /**
   * Returns the response's status code.
   *
   * @return the status code, such as 503
   */
  public int statusCode() {
    return statusCode;
  }

  /**
   * Returns the request's method.
   *
   * @return the method, such as {@code GET}
   */
  public String method() {
    return method;
  }

  /**
   * Returns the request's URI.
   *
   * @return the URI the request was sent to
   */
  public URI uri() {
    return uri;
  }

  /**
   * Returns the wait the response's {@code Retry-After} header asked for, if it had a readable one.
   *
   * @return the wait, or empty when the response had no {@code Retry-After} or an unreadable one
   */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }

  /** Returns the response for the caller and forgets it; null if taken already or never held. */
  HttpResponse<?> takeResponse() {
    HttpResponse<?> taken = response;
    response = null;
    return taken;
  }
}
