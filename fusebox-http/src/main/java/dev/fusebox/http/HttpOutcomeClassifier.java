package dev.fusebox.http;

import java.io.UncheckedIOException;
import java.nio.channels.UnresolvedAddressException;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.IntPredicate;
import java.util.function.Predicate;

/**
 * Decides what an HTTP call's outcome means for the server's health: a {@link HttpOutcome#FAILURE failure}
 * that counts towards opening a breaker and may be retried, a {@link HttpOutcome#SUCCESS success}, or
 * {@link HttpOutcome#IGNORED ignored} (not the server's doing, not recorded).
 *
 * <p>It works on a status code and on an exception, not on a client's response type, so that every HTTP
 * client integration shares it: {@link FuseboxHttpClient} for {@code java.net.http}, and any other client
 * that can report a status code or the exception of a call.
 *
 * <table>
 *   <caption>Defaults</caption>
 *   <tr><th>Outcome of the call</th><th>Classified as</th></tr>
 *   <tr><td>status 500 to 599 (server errors)</td><td>{@code FAILURE}</td></tr>
 *   <tr><td>status 429 (too many requests)</td><td>{@code FAILURE}</td></tr>
 *   <tr><td>any other status: 1xx, 2xx, 3xx, 4xx other than 429</td><td>{@code SUCCESS}: the server
 *       answered, the request was at fault</td></tr>
 *   <tr><td>{@link InterruptedException}, {@link CancellationException}, {@link SecurityException},
 *       {@link IllegalArgumentException} other than {@link UnresolvedAddressException}</td><td>{@code IGNORED}:
 *       the caller's doing</td></tr>
 *   <tr><td>any other exception: {@link java.net.ConnectException},
 *       {@link java.net.http.HttpConnectTimeoutException}, {@link java.net.http.HttpTimeoutException},
 *       {@link UnresolvedAddressException}, a reset connection, a TLS failure...</td><td>{@code FAILURE}</td></tr>
 * </table>
 *
 * <p>Ignoring wins over failing: a status or exception matched by {@link Builder#ignoreStatus} or
 * {@link Builder#ignoreException} is ignored whatever the failure rules say. Exceptions wrapped in a
 * {@link CompletionException} or an {@link ExecutionException} are classified by their cause.
 *
 * <pre>{@code
 * HttpOutcomeClassifier classifier = HttpOutcomeClassifier.builder()
 *     .failOnStatus(HttpOutcomeClassifier.DEFAULT_FAILURE_STATUS.or(status -> status == 408))
 *     .ignoreStatus(status -> status == 429)          // our own quota, not the server's health
 *     .build();
 * HttpOutcome outcome = classifier.classifyStatus(503);   // FAILURE
 * }</pre>
 *
 * <p>Instances are immutable and threadsafe, provided the predicates are.
 */
public final class HttpOutcomeClassifier {

  /** The default failure statuses: every server error (500 to 599) and 429 Too Many Requests. */
  public static final IntPredicate DEFAULT_FAILURE_STATUS = status -> status >= 500 && status <= 599 || status == 429;

  /** The default failure exceptions: every exception that the defaults do not ignore. */
  public static final Predicate<Throwable> DEFAULT_FAILURE_EXCEPTION = error -> true;

  /**
   * The default ignored exceptions, the caller's doing rather than the server's: an interrupt, a
   * cancellation, a {@link SecurityException}, and an {@link IllegalArgumentException} (a request the client
   * refused to send) except {@link UnresolvedAddressException}, which is a host that cannot be resolved.
   */
  public static final Predicate<Throwable> DEFAULT_IGNORED_EXCEPTION =
      error -> error instanceof InterruptedException
          || error instanceof CancellationException
          || error instanceof SecurityException
          || error instanceof IllegalArgumentException && !(error instanceof UnresolvedAddressException);

  private static final IntPredicate NO_STATUS = status -> false;
  private static final HttpOutcomeClassifier DEFAULTS = builder().build();

  private final IntPredicate failOnStatus;
  private final IntPredicate ignoreStatus;
  private final Predicate<Throwable> failOnException;
  private final Predicate<Throwable> ignoreException;

  private HttpOutcomeClassifier(Builder b) {
    this.failOnStatus = b.failOnStatus;
    this.ignoreStatus = b.ignoreStatus;
    this.failOnException = b.failOnException;
    this.ignoreException = b.ignoreException;
  }

  /**
   * Returns a builder with every rule at its default.
   *
   * @return a builder with every rule at its default
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns the classifier with every rule at its default.
   *
   * @return the shared classifier with the default rules
   */
  public static HttpOutcomeClassifier ofDefaults() {
    return DEFAULTS;
  }

  /**
   * Returns a builder holding this classifier's rules, to derive a variant from it.
   *
   * @return a builder holding this classifier's rules
   */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /**
   * Returns what a response with this status code means: ignored, a failure, or else a success.
   *
   * @param statusCode the response's status code
   * @return {@link HttpOutcome#IGNORED}, {@link HttpOutcome#FAILURE} or {@link HttpOutcome#SUCCESS}
   */
  public HttpOutcome classifyStatus(int statusCode) {
    if (ignoreStatus.test(statusCode)) {
      return HttpOutcome.IGNORED;
    }
    return failOnStatus.test(statusCode) ? HttpOutcome.FAILURE : HttpOutcome.SUCCESS;
  }

  /**
   * Returns what a call that ended with this exception means: ignored, a failure, or else a success. A
   * {@link CompletionException} or {@link ExecutionException} is classified by its cause.
   *
    * @param error what the call ended with
    * @return {@link HttpOutcome#IGNORED}, {@link HttpOutcome#FAILURE} or {@link HttpOutcome#SUCCESS}
   * @throws NullPointerException if {@code error} is null
   */
  public HttpOutcome classifyException(Throwable error) {
    Throwable cause = unwrap(Objects.requireNonNull(error, "error must not be null"));
    if (ignoreException.test(cause)) {
      return HttpOutcome.IGNORED;
    }
    return failOnException.test(cause) ? HttpOutcome.FAILURE : HttpOutcome.SUCCESS;
  }

  static Throwable unwrap(Throwable error) {
    Throwable current = error;
    while ((current instanceof CompletionException || current instanceof ExecutionException)
        && current.getCause() != null) {
      current = current.getCause();
    }
    return current;
  }

  /**
   * Returns the rule of failure statuses; see {@link Builder#failOnStatus(IntPredicate)}.
   *
   * @return the predicate of failure statuses
   */
  public IntPredicate failOnStatus() {
    return failOnStatus;
  }

  /**
   * Returns the rule of ignored statuses; see {@link Builder#ignoreStatus(IntPredicate)}.
   *
   * @return the predicate of ignored statuses
   */
  public IntPredicate ignoreStatus() {
    return ignoreStatus;
  }

  /**
   * Returns the rule of failure exceptions; see {@link Builder#failOnException(Predicate)}.
   *
   * @return the predicate of failure exceptions
   */
  public Predicate<Throwable> failOnException() {
    return failOnException;
  }

  /**
   * Returns the rule of ignored exceptions; see {@link Builder#ignoreException(Predicate)}.
   *
   * @return the predicate of ignored exceptions
   */
  public Predicate<Throwable> ignoreException() {
    return ignoreException;
  }

  @Override
  public String toString() {
    return "HttpOutcomeClassifier{failOnStatus=" + describe(failOnStatus, DEFAULT_FAILURE_STATUS)
        + ", ignoreStatus=" + describe(ignoreStatus, NO_STATUS)
        + ", failOnException=" + describe(failOnException, DEFAULT_FAILURE_EXCEPTION)
        + ", ignoreException=" + describe(ignoreException, DEFAULT_IGNORED_EXCEPTION)
        + '}';
  }

  private static String describe(Object rule, Object defaultRule) {
    return rule == defaultRule ? "default" : "custom";
  }

  /**
   * Builds an {@link HttpOutcomeClassifier}. Each rule replaces the one before it, so that what a
   * classifier does reads from its builder calls alone; combine with the {@code DEFAULT_...} constants to
   * extend a default. Setters reject {@code null} at once with a {@link NullPointerException} naming the
   * option.
   *
   * <p>Not threadsafe; build once and share the classifier.
   */
  public static final class Builder {
    private IntPredicate failOnStatus = DEFAULT_FAILURE_STATUS;
    private IntPredicate ignoreStatus = NO_STATUS;
    private Predicate<Throwable> failOnException = DEFAULT_FAILURE_EXCEPTION;
    private Predicate<Throwable> ignoreException = DEFAULT_IGNORED_EXCEPTION;

    private Builder() {}

    private Builder(HttpOutcomeClassifier c) {
      this.failOnStatus = c.failOnStatus;
      this.ignoreStatus = c.ignoreStatus;
      this.failOnException = c.failOnException;
      this.ignoreException = c.ignoreException;
    }

    /**
     * Sets which statuses are failures; every other status not ignored is a success. Default
     * {@link #DEFAULT_FAILURE_STATUS}: 500 to 599 and 429.
      *
      * @param failOnStatus true for the status codes that are failures
      * @return this builder
     */
    public Builder failOnStatus(IntPredicate failOnStatus) {
      this.failOnStatus = Objects.requireNonNull(failOnStatus, "failOnStatus must not be null");
      return this;
    }

    /**
     * Sets which statuses are ignored: not recorded, not retried, returned to the caller as they are. Wins
     * over {@link #failOnStatus}. Default: none.
      *
      * @param ignoreStatus true for the status codes that are ignored
      * @return this builder
     */
    public Builder ignoreStatus(IntPredicate ignoreStatus) {
      this.ignoreStatus = Objects.requireNonNull(ignoreStatus, "ignoreStatus must not be null");
      return this;
    }

    /**
     * Sets which exceptions are failures; every other exception not ignored is a success (and still thrown
     * to the caller). Default {@link #DEFAULT_FAILURE_EXCEPTION}: every exception.
      *
      * @param failOnException true for the exceptions that are failures
      * @return this builder
     */
    public Builder failOnException(Predicate<Throwable> failOnException) {
      this.failOnException = Objects.requireNonNull(failOnException, "failOnException must not be null");
      return this;
    }

    /**
     * Sets which exceptions are ignored: not recorded, not retried, thrown to the caller as they are. Wins
     * over {@link #failOnException}. Default {@link #DEFAULT_IGNORED_EXCEPTION}.
      *
      * @param ignoreException true for the exceptions that are ignored
      * @return this builder
     */
    public Builder ignoreException(Predicate<Throwable> ignoreException) {
      this.ignoreException = Objects.requireNonNull(ignoreException, "ignoreException must not be null");
      return this;
    }

    /**
     * Builds the classifier; every rule is valid once set, so this never fails.
     *
     * @return the classifier
     */
    public HttpOutcomeClassifier build() {
      return new HttpOutcomeClassifier(this);
    }
  }
}
