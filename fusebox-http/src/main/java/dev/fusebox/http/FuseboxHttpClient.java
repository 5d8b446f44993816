package dev.fusebox.http;

import dev.fusebox.circuitbreaker.CallNotPermittedException;
import dev.fusebox.circuitbreaker.CircuitBreaker;
import dev.fusebox.circuitbreaker.CircuitBreakerConfig;
import dev.fusebox.circuitbreaker.CircuitBreakerRegistry;
import dev.fusebox.retry.Retry;
import dev.fusebox.retry.RetryConfig;
import dev.fusebox.retry.RetryEvent;
import java.io.IOException;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * An {@link HttpClient} that sends every request through circuit breakers, and retries idempotent requests
 * when asked to: a drop-in for the client it wraps.
 *
 * <pre>{@code
 * HttpClient client = FuseboxHttpClient.builder(HttpClient.newHttpClient())
 *     .registry(registry)                                   // where the breakers live: metrics, dashboard
 *     .serviceKey(HttpBreakerKey.host())                    // a breaker per host (the default)
 *     .instanceKey(HttpBreakerKey.hostAndPort())            // and one per instance
 *     .retry(RetryConfig.ofDefaults())                      // retries, for idempotent requests only
 *     .build();
 * HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
 * }</pre>
 *
 * <h2>Breakers</h2>
 * Each request goes through up to two breakers of the {@linkplain Builder#registry registry}, created on
 * first use: a <em>service</em> breaker chosen by the {@linkplain Builder#serviceKey service key} (by
 * default one per host), named {@code http:<key>} ({@code http:api.example.com}), and, if an
 * {@linkplain Builder#instanceKey instance key} is set, an <em>instance</em> breaker named
 * {@code http:<service key>@<instance key>} ({@code http:payments@10.0.0.5:8080}). A call runs only if both
 * admit it, and its outcome is recorded in both; a call the instance breaker rejects counts for nothing in
 * the service breaker. So one bad instance opens its own breaker, and the service breaker opens when the
 * service as a whole fails.
 *
 * <p>The {@linkplain Builder#classifier classifier} decides what each outcome means: by default 5xx, 429,
 * connection failures and timeouts are failures, other statuses successes, and an interrupt or a request
 * the client refused is not recorded (see {@link HttpOutcomeClassifier}). A failure response is recorded
 * as a {@link FailureResponseException}; the caller still gets the response.
 *
 * <h2>Retry-After</h2>
 * A failure response with status 429 or 503 and a {@code Retry-After} header (seconds or an HTTP-date,
 * read with the {@linkplain Builder#wallClock wall clock}) lengthens the open wait of every breaker that
 * recorded it and is open afterwards (because of this response, or already): if the server asks for more
 * than the breaker's next trial, the breaker is re-opened for the server's wait
 * ({@link CircuitBreaker#transitionToOpenStateFor}), capped by
 * {@link Builder#maxOpenWaitFromRetryAfter(Duration) maxOpenWaitFromRetryAfter}, so that no server can
 * silence a client for a day. A shorter wait changes nothing.
 *
 * <h2>Retries</h2>
 * Off by default; {@link Builder#retry(RetryConfig)} turns them on. The retry wraps the breakers (the
 * project's order: fallback, retry, circuit breaker, the call), so each attempt is recorded, and a
 * rejection ({@link CallNotPermittedException}) ends the call at once, never retried. Only idempotent
 * requests are retried: methods GET, HEAD, OPTIONS, PUT, DELETE and TRACE, and any request carrying an
 * {@linkplain Builder#idempotencyKeyHeader Idempotency-Key} header, or every request under
 * {@link Builder#retryNonIdempotent(boolean)}. What is retried is what the classifier calls a failure;
 * the wait is the retry's backoff or the response's {@code Retry-After} when longer, and a response that
 * asks for more than {@link Builder#maxRetryWaitFromRetryAfter(Duration) maxRetryWaitFromRetryAfter} is
 * returned at once instead. The body of a response that is retried is discarded (closed, for streaming
 * handlers such as {@code ofInputStream}), so no connection is leaked; the request's body publisher must
 * be able to publish again, as the JDK's own publishers can.
 *
 * <h2>What the caller sees</h2>
 * {@link #send} returns the response, or throws exactly the exception the wrapped client threw
 * ({@link IOException} subtypes, {@link InterruptedException}, unchanged; earlier attempts' failures are
 * attached as suppressed). A rejected call throws {@link CallNotPermittedException}, unchecked, which names
 * the breaker and its next trial; with {@link Builder#serviceUnavailableOnRejection(boolean)} it returns a
 * synthetic {@code 503} instead, with {@code Retry-After} and a {@code Fusebox-Circuit-Breaker} header.
 * {@link #sendAsync} never throws for a call's outcome: a rejection fails the future. Cancelling the future
 * cancels the exchange and the retries. A push promise handler sees the promises of every attempt.
 *
 * <p>WebSockets ({@link #newWebSocketBuilder()}) and the client's settings are the wrapped client's, and
 * are not guarded. On Java 21 and later, {@code shutdown}, {@code shutdownNow}, {@code awaitTermination},
 * {@code isTerminated} and so {@code close} act on the wrapped client.
 *
 * <p>This class is threadsafe.
 */
public final class FuseboxHttpClient extends HttpClient {

  /** The methods that are idempotent by RFC 9110, section 9.2.2. */
  static final Set<String> IDEMPOTENT_METHODS = Set.of("GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE");

  private final HttpClient delegate;
  private final CircuitBreakerRegistry registry;
  private final HttpOutcomeClassifier classifier;
  private final RequestBreakers routing;
  private final GuardedAttempt callPath;
  private final Retry retry;
  private final boolean retryNonIdempotent;
  private final String idempotencyKeyHeader;
  private final boolean rejectionAsResponse;

  private FuseboxHttpClient(Builder b, CircuitBreakerRegistry registry) {
    this.delegate = b.delegate;
    this.registry = registry;
    this.classifier = b.classifier;
    this.routing = new RequestBreakers(registry, b.serviceKey, b.instanceKey, b.circuitBreakerConfig,
        b.instanceCircuitBreakerConfig != null ? b.instanceCircuitBreakerConfig : b.circuitBreakerConfig);
    this.callPath = new GuardedAttempt(b.classifier, b.wallClock, b.maxOpenWaitFromRetryAfter);
    this.retryNonIdempotent = b.retryNonIdempotent;
    this.idempotencyKeyHeader = b.idempotencyKeyHeader;
    this.rejectionAsResponse = b.serviceUnavailableOnRejection;
    this.retry = b.retryConfig == null ? null : Retry.of("http", httpRetryConfig(b.retryConfig, b.maxRetryWaitFromRetryAfter));
    if (retry != null) {
      retry.onEvent(event -> {
        if (event instanceof RetryEvent.Retrying retrying) {
          UnseenBodies.discard(retrying.result());
        }
      });
    }
  }

  private RetryConfig httpRetryConfig(RetryConfig config, Duration maxRetryWait) {
    return config.toBuilder()
        .retryExceptions()
        .retryOnException(error -> classifier.classifyException(error) == HttpOutcome.FAILURE)
        .retryOnResult(result -> result instanceof HttpResponse<?> response
            && classifier.classifyStatus(response.statusCode()) == HttpOutcome.FAILURE
            && callPath.retryAfter(response).map(wait -> wait.compareTo(maxRetryWait) <= 0).orElse(true))
        .retryAfterFromResult(result -> result instanceof HttpResponse<?> response
            ? callPath.retryAfter(response)
            : Optional.empty())
        .build();
  }

  /**
   * Returns a builder of a client that wraps {@code delegate}.
   *
    * @param delegate the client that sends the requests
    * @return a builder with every option at its default
   * @throws NullPointerException if {@code delegate} is null
   */
  public static Builder builder(HttpClient delegate) {
    return new Builder(delegate);
  }

  /**
   * Returns a client wrapping {@code delegate} with every option at its default: a breaker per host.
   *
   * @param delegate the client that sends the requests
   * @return the decorated client
   */
  public static FuseboxHttpClient of(HttpClient delegate) {
    return builder(delegate).build();
  }

  /**
   * Returns the wrapped client.
   *
   * @return the client that sends the requests
   */
  public HttpClient delegate() {
    return delegate;
  }

  /**
   * Returns the registry that holds this client's breakers.
   *
   * @return the registry of the breakers, the one given to {@link Builder#registry} or this client's own
   */
  public CircuitBreakerRegistry registry() {
    return registry;
  }

  /**
   * Returns the classifier of outcomes.
   *
   * @return the classifier that decides what a response or an exception counts as
   */
  public HttpOutcomeClassifier classifier() {
    return classifier;
  }

  /**
   * Returns the retry of idempotent requests, if retries are on; its configuration is the one given to
   * {@link Builder#retry(RetryConfig)} with the HTTP rules in place of its exception, result and
   * server-hint rules. Subscribe to its events or read its metrics here.
    *
    * @return the retry, or empty when no {@link Builder#retry(RetryConfig)} was given
   */
  public Optional<Retry> retry() {
    return Optional.ofNullable(retry);
  }

  /**
   * Returns the breakers a request goes through, outermost (service) first, creating them if needed.
   *
    * @param request the request whose breakers are wanted
    * @return the service breaker, then the instance breaker, each only if its key function gives a key
   * @throws RuntimeException whatever a key function throws
   */
  public List<CircuitBreaker> circuitBreakers(HttpRequest request) {
    Objects.requireNonNull(request, "request must not be null");
    return List.of(routing.breakersFor(request));
  }

  /** Returns whether this client would retry {@code request}, retries being on. */
  boolean retries(HttpRequest request) {
    return retry != null
        && (retryNonIdempotent
            || IDEMPOTENT_METHODS.contains(request.method())
            || request.headers().firstValue(idempotencyKeyHeader).isPresent());
  }

  // ---------------------------------------------------------------------------------------------------
  // Sending

  @Override
  public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> responseBodyHandler)
      throws IOException, InterruptedException {
    Objects.requireNonNull(request, "request must not be null");
    Objects.requireNonNull(responseBodyHandler, "responseBodyHandler must not be null");
    CircuitBreaker[] breakers = routing.breakersFor(request);
    try {
      Object response = retries(request)
          ? retry.executeCallable(() -> attemptNow(breakers, request, responseBodyHandler))
          : attemptNow(breakers, request, responseBodyHandler);
      @SuppressWarnings("unchecked")
      HttpResponse<T> typed = (HttpResponse<T>) response;
      return typed;
    } catch (CallNotPermittedException rejection) {
      if (!rejectionAsResponse) {
        throw rejection;
      }
      return await(RejectionResponse.of(request, responseBodyHandler, rejection));
    } catch (IOException | InterruptedException | RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IOException(e);
    }
  }

  /** One attempt on the calling thread: every stage of it is complete when the breakers return. */
  private Object attemptNow(CircuitBreaker[] breakers, HttpRequest request, HttpResponse.BodyHandler<?> handler)
      throws IOException, InterruptedException {
    CompletableFuture<Object> outcome = callPath.attempt(breakers, request, () -> {
      try {
        return CompletableFuture.completedFuture(delegate.send(request, handler));
      } catch (Throwable e) {
        return CompletableFuture.failedFuture(e);
      }
    });
    return await(outcome);
  }

  private static <V> V await(CompletableFuture<V> stage) throws IOException, InterruptedException {
    try {
      return stage.get();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IOException io) {
        throw io;
      }
      if (cause instanceof InterruptedException interrupted) {
        throw interrupted;
      }
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw new IOException(cause);
    }
  }

  @Override
  public <T> CompletableFuture<HttpResponse<T>> sendAsync(
      HttpRequest request, HttpResponse.BodyHandler<T> responseBodyHandler) {
    return sendAsync(request, responseBodyHandler, null);
  }

  @Override
  public <T> CompletableFuture<HttpResponse<T>> sendAsync(
      HttpRequest request,
      HttpResponse.BodyHandler<T> responseBodyHandler,
      HttpResponse.PushPromiseHandler<T> pushPromiseHandler) {
    Objects.requireNonNull(request, "request must not be null");
    Objects.requireNonNull(responseBodyHandler, "responseBodyHandler must not be null");
    AsyncExchange<T> exchange = new AsyncExchange<>(request, responseBodyHandler, rejectionAsResponse);
    try {
      CircuitBreaker[] breakers = routing.breakersFor(request);
      Supplier<CompletableFuture<Object>> attempt = () -> exchange.track(callPath.attempt(breakers, request,
          () -> pushPromiseHandler == null
              ? delegate.sendAsync(request, responseBodyHandler)
              : delegate.sendAsync(request, responseBodyHandler, pushPromiseHandler)));
      CompletionStage<Object> outcome = retries(request) ? retry.executeCompletionStage(attempt) : attempt.get();
      exchange.follow(outcome);
    } catch (RuntimeException | Error e) {
      exchange.completeExceptionally(e);
    }
    return exchange;
  }

  // ---------------------------------------------------------------------------------------------------
  // The wrapped client's settings

  @Override
  public Optional<CookieHandler> cookieHandler() {
    return delegate.cookieHandler();
  }

  @Override
  public Optional<Duration> connectTimeout() {
    return delegate.connectTimeout();
  }

  @Override
  public Redirect followRedirects() {
    return delegate.followRedirects();
  }

  @Override
  public Optional<ProxySelector> proxy() {
    return delegate.proxy();
  }

  @Override
  public SSLContext sslContext() {
    return delegate.sslContext();
  }

  @Override
  public SSLParameters sslParameters() {
    return delegate.sslParameters();
  }

  @Override
  public Optional<Authenticator> authenticator() {
    return delegate.authenticator();
  }

  @Override
  public Version version() {
    return delegate.version();
  }

  @Override
  public Optional<Executor> executor() {
    return delegate.executor();
  }

  /** Returns the wrapped client's WebSocket builder: WebSockets are not guarded by the breakers. */
  @Override
  public WebSocket.Builder newWebSocketBuilder() {
    return delegate.newWebSocketBuilder();
  }

  // ---------------------------------------------------------------------------------------------------
  // The lifecycle of Java 21 and later, forwarded without naming it, so that the bytecode stays Java 17's

  /**
   * Shuts the wrapped client down (Java 21 and later; it overrides {@code HttpClient.shutdown()} there).
   * On Java 17 an {@code HttpClient} has no lifecycle, and this does nothing.
   */
  public void shutdown() {
    ShutdownHandles.shutdown(delegate);
  }

  /**
   * Shuts the wrapped client down now (Java 21 and later); does nothing on Java 17.
   */
  public void shutdownNow() {
    ShutdownHandles.shutdownNow(delegate);
  }

  /**
   * Waits for the wrapped client to terminate after a shutdown (Java 21 and later); on Java 17 returns
   * {@code true} at once, as {@code HttpClient}'s default does.
   *
    * @param duration how long to wait at most
    * @return true if the wrapped client terminated within {@code duration}
   * @throws InterruptedException if interrupted while waiting
   */
  public boolean awaitTermination(Duration duration) throws InterruptedException {
    Objects.requireNonNull(duration, "duration must not be null");
    return ShutdownHandles.awaitTermination(delegate, duration);
  }

  /**
   * Returns whether the wrapped client has terminated after a shutdown (Java 21 and later); {@code false}
   * on Java 17.
    *
    * @return true once the wrapped client has terminated
   */
  public boolean isTerminated() {
    return ShutdownHandles.isTerminated(delegate);
  }

  @Override
  public String toString() {
    return "FuseboxHttpClient[" + delegate + ", " + registry + (retry != null ? ", retrying" : "") + "]";
  }

  /**
   * Builds a {@link FuseboxHttpClient}. Setters reject {@code null} at once with a
   * {@link NullPointerException} naming the option; {@link #build()} checks every range and reports all
   * violations in one {@link IllegalArgumentException}.
   *
   * <table>
   *   <caption>Options and their defaults</caption>
   *   <tr><th>Option</th><th>Default</th></tr>
   *   <tr><td>{@link #registry(CircuitBreakerRegistry) registry}</td><td>a new
   *       {@link CircuitBreakerRegistry#ofDefaults()}</td></tr>
   *   <tr><td>{@link #circuitBreakerConfig(CircuitBreakerConfig) circuitBreakerConfig}</td><td>the
   *       registry's default configuration</td></tr>
   *   <tr><td>{@link #instanceCircuitBreakerConfig(CircuitBreakerConfig) instanceCircuitBreakerConfig}</td>
   *       <td>{@code circuitBreakerConfig}</td></tr>
   *   <tr><td>{@link #serviceKey(HttpBreakerKey) serviceKey}</td><td>{@link HttpBreakerKey#host()}</td></tr>
   *   <tr><td>{@link #instanceKey(HttpBreakerKey) instanceKey}</td><td>none: no instance breakers</td></tr>
   *   <tr><td>{@link #classifier(HttpOutcomeClassifier) classifier}</td>
   *       <td>{@link HttpOutcomeClassifier#ofDefaults()}</td></tr>
   *   <tr><td>{@link #maxOpenWaitFromRetryAfter(Duration) maxOpenWaitFromRetryAfter}</td><td>5 min</td></tr>
   *   <tr><td>{@link #wallClock(Clock) wallClock}</td><td>{@link Clock#systemUTC()}</td></tr>
   *   <tr><td>{@link #retry(RetryConfig) retry}</td><td>off</td></tr>
   *   <tr><td>{@link #retryNonIdempotent(boolean) retryNonIdempotent}</td><td>false</td></tr>
   *   <tr><td>{@link #idempotencyKeyHeader(String) idempotencyKeyHeader}</td><td>{@code Idempotency-Key}</td></tr>
   *   <tr><td>{@link #maxRetryWaitFromRetryAfter(Duration) maxRetryWaitFromRetryAfter}</td><td>30 s</td></tr>
   *   <tr><td>{@link #serviceUnavailableOnRejection(boolean) serviceUnavailableOnRejection}</td>
   *       <td>false: a rejection throws</td></tr>
   * </table>
   *
   * <p>Not threadsafe; build once and share the client.
   */
  public static final class Builder {
    static final Duration DEFAULT_MAX_OPEN_WAIT = Duration.ofMinutes(5);
    static final Duration DEFAULT_MAX_RETRY_WAIT = Duration.ofSeconds(30);
    static final String DEFAULT_IDEMPOTENCY_KEY_HEADER = "Idempotency-Key";

    private final HttpClient delegate;
    private CircuitBreakerRegistry registry;
    private CircuitBreakerConfig circuitBreakerConfig;
    private CircuitBreakerConfig instanceCircuitBreakerConfig;
    private HttpBreakerKey serviceKey = HttpBreakerKey.host();
    private HttpBreakerKey instanceKey;
    private HttpOutcomeClassifier classifier = HttpOutcomeClassifier.ofDefaults();
    private Duration maxOpenWaitFromRetryAfter = DEFAULT_MAX_OPEN_WAIT;
    private Clock wallClock = Clock.systemUTC();
    private RetryConfig retryConfig;
    private boolean retryNonIdempotent;
    private String idempotencyKeyHeader = DEFAULT_IDEMPOTENCY_KEY_HEADER;
    private Duration maxRetryWaitFromRetryAfter = DEFAULT_MAX_RETRY_WAIT;
    private boolean serviceUnavailableOnRejection;

    private Builder(HttpClient delegate) {
      this.delegate = Objects.requireNonNull(delegate, "delegate must not be null");
    }

    /**
     * Sets the registry the breakers are created in and found by name, so that monitoring
     * ({@code fusebox-micrometer}, the dashboard) sees them, and so that clients sharing a registry share
     * the breakers of the same name. Default: a registry of this client's own.
      *
      * @param registry where the breakers are created and found
      * @return this builder
     */
    public Builder registry(CircuitBreakerRegistry registry) {
      this.registry = Objects.requireNonNull(registry, "registry must not be null");
      return this;
    }

    /**
     * Sets the configuration of the service breakers this client creates (a breaker already in the
     * registry keeps its own). Leave its exception rules at their defaults so that the classifier decides.
     * Default: the registry's default configuration.
      *
      * @param config the service breakers' configuration
      * @return this builder
     */
    public Builder circuitBreakerConfig(CircuitBreakerConfig config) {
      this.circuitBreakerConfig = Objects.requireNonNull(config, "circuitBreakerConfig must not be null");
      return this;
    }

    /**
     * Sets the configuration of the instance breakers this client creates. Default: the service breakers'.
     *
     * @param config the instance breakers' configuration
     * @return this builder
     */
    public Builder instanceCircuitBreakerConfig(CircuitBreakerConfig config) {
      this.instanceCircuitBreakerConfig =
          Objects.requireNonNull(config, "instanceCircuitBreakerConfig must not be null");
      return this;
    }

    /**
     * Sets how requests are grouped into service breakers, named {@code http:<key>}: per host (the default),
     * per route ({@link HttpBreakerKey#hostAndPath}), per logical service ({@link HttpBreakerKey#named}), or
     * any function of the request; a key function returning {@code null} leaves a request without a service
     * breaker.
      *
      * @param serviceKey the function from a request to its service breaker's key
      * @return this builder
     */
    public Builder serviceKey(HttpBreakerKey serviceKey) {
      this.serviceKey = Objects.requireNonNull(serviceKey, "serviceKey must not be null");
      return this;
    }

    /**
     * Adds a breaker per instance, named {@code http:<service key>@<instance key>}, consulted inside the
     * service breaker: usually {@link HttpBreakerKey#hostAndPort()}. Default: none.
      *
      * @param instanceKey the function from a request to its instance breaker's key
      * @return this builder
     */
    public Builder instanceKey(HttpBreakerKey instanceKey) {
      this.instanceKey = Objects.requireNonNull(instanceKey, "instanceKey must not be null");
      return this;
    }

    /**
     * Sets what counts as a failure, a success or nothing; see {@link HttpOutcomeClassifier}.
     *
     * @param classifier the rules of failure, success and ignored outcomes
     * @return this builder
     */
    public Builder classifier(HttpOutcomeClassifier classifier) {
      this.classifier = Objects.requireNonNull(classifier, "classifier must not be null");
      return this;
    }

    /**
     * Sets the longest open wait a {@code Retry-After} header can impose on a breaker; a server asking for
     * more gets this much. Positive; default 5 minutes.
      *
      * @param max the longest open wait a server can ask for
      * @return this builder
     */
    public Builder maxOpenWaitFromRetryAfter(Duration max) {
      this.maxOpenWaitFromRetryAfter = Objects.requireNonNull(max, "maxOpenWaitFromRetryAfter must not be null");
      return this;
    }

    /**
     * Sets the wall clock that turns a {@code Retry-After} HTTP-date into a wait; used for nothing else.
     * Tests pass a fixed clock. Default {@link Clock#systemUTC()}.
      *
      * @param wallClock the clock that reads the current date for {@code Retry-After} dates
      * @return this builder
     */
    public Builder wallClock(Clock wallClock) {
      this.wallClock = Objects.requireNonNull(wallClock, "wallClock must not be null");
      return this;
    }

    /**
     * Retries idempotent requests that fail, with this configuration's attempts, backoff, jitter,
     * {@code maxDuration}, budget, sleeper and scheduler. Its exception and result rules and its server-hint
     * extractors are replaced by the HTTP ones: a failure by the classifier is retried, and a
     * {@code Retry-After} is honoured. Default: no retries.
      *
      * @param config the retry's attempts, backoff and limits
      * @return this builder
     */
    public Builder retry(RetryConfig config) {
      this.retryConfig = Objects.requireNonNull(config, "retry must not be null");
      return this;
    }

    /**
     * When true, retries requests of every method, POST and PATCH included; do this only when the server
     * deduplicates them. Default false: only idempotent methods, and requests carrying the
     * {@linkplain #idempotencyKeyHeader idempotency key header}, are retried.
      *
      * @param retryNonIdempotent true to retry requests of every method
      * @return this builder
     */
    public Builder retryNonIdempotent(boolean retryNonIdempotent) {
      this.retryNonIdempotent = retryNonIdempotent;
      return this;
    }

    /**
     * Sets the request header whose presence makes a request of any method retryable: the caller opts a
     * single POST in by sending an idempotency key the server deduplicates on. Default
     * {@code Idempotency-Key}.
      *
      * @param headerName the header's name, matched without regard to case
      * @return this builder
     */
    public Builder idempotencyKeyHeader(String headerName) {
      this.idempotencyKeyHeader = Objects.requireNonNull(headerName, "idempotencyKeyHeader must not be null");
      return this;
    }

    /**
     * Sets the longest {@code Retry-After} a retry waits for: a failure response asking for more is returned
     * to the caller at once rather than holding it that long. Zero or positive; default 30 seconds.
      *
      * @param max the longest wait a retry honours
      * @return this builder
     */
    public Builder maxRetryWaitFromRetryAfter(Duration max) {
      this.maxRetryWaitFromRetryAfter =
          Objects.requireNonNull(max, "maxRetryWaitFromRetryAfter must not be null");
      return this;
    }

    /**
     * When true, a rejected call returns a synthetic {@code 503 Service Unavailable} response, with a
     * {@code Retry-After} when the breaker knows its next trial and a {@code Fusebox-Circuit-Breaker} header
     * naming it, instead of throwing {@link CallNotPermittedException}: for callers that handle statuses
     * rather than exceptions, such as a proxy. Default false.
      *
      * @param serviceUnavailableOnRejection true for a 503 response, false for the exception
      * @return this builder
     */
    public Builder serviceUnavailableOnRejection(boolean serviceUnavailableOnRejection) {
      this.serviceUnavailableOnRejection = serviceUnavailableOnRejection;
      return this;
    }

    /**
     * Validates every option and builds the client.
     *
      * @return the client
     * @throws IllegalArgumentException naming every option whose value is out of range
     */
    public FuseboxHttpClient build() {
      List<String> problems = new ArrayList<>();
      check(problems, positive(maxOpenWaitFromRetryAfter) && fitsNanos(maxOpenWaitFromRetryAfter),
          "maxOpenWaitFromRetryAfter", "must be positive and at most " + Duration.ofNanos(Long.MAX_VALUE),
          maxOpenWaitFromRetryAfter);
      check(problems, !maxRetryWaitFromRetryAfter.isNegative() && fitsNanos(maxRetryWaitFromRetryAfter),
          "maxRetryWaitFromRetryAfter", "must be zero or positive and at most " + Duration.ofNanos(Long.MAX_VALUE),
          maxRetryWaitFromRetryAfter);
      check(problems, isToken(idempotencyKeyHeader), "idempotencyKeyHeader",
          "must be an HTTP header name (letters, digits and !#$%&'*+-.^_`|~)", "'" + idempotencyKeyHeader + "'");
      if (!problems.isEmpty()) {
        throw new IllegalArgumentException(
            problems.size() == 1
                ? "Invalid FuseboxHttpClient: " + problems.get(0)
                : "Invalid FuseboxHttpClient (" + problems.size() + " problems): " + String.join("; ", problems));
      }
      return new FuseboxHttpClient(this, registry != null ? registry : CircuitBreakerRegistry.ofDefaults());
    }

    private static void check(List<String> problems, boolean ok, String option, String rule, Object value) {
      if (!ok) {
        problems.add(option + " " + rule + ", was " + value);
      }
    }

    private static boolean positive(Duration d) {
      return !d.isNegative() && !d.isZero();
    }

    private static boolean fitsNanos(Duration d) {
      try {
        d.toNanos();
        return true;
      } catch (ArithmeticException e) {
        return false;
      }
    }

    private static boolean isToken(String name) {
      if (name.isEmpty()) {
        return false;
      }
      for (int i = 0; i < name.length(); i++) {
        char c = name.charAt(i);
        boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
            || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
        if (!ok) {
          return false;
        }
      }
      return true;
    }
  }
}
