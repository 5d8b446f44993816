package dev.fusebox.spring.restclient;

import dev.fusebox.circuitbreaker.CallNotPermittedException;
import dev.fusebox.circuitbreaker.CircuitBreaker;
import dev.fusebox.circuitbreaker.CircuitBreakerRegistry;
import dev.fusebox.http.FailureResponseException;
import dev.fusebox.http.HttpBreakerKey;
import dev.fusebox.http.HttpOutcomeClassifier;
import dev.fusebox.http.RetryAfter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest.BodyPublishers;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import org.springframework.http.HttpRequest;
import org.springframework.http.client.ClientHttpRequestExecution;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.http.client.ClientHttpResponse;

/**
 * Puts the calls of a Spring {@code RestClient} through circuit breakers, judged the way fusebox-http
 * judges them: one breaker per host by default, named as fusebox-http names them ({@code http:} and the
 * key, such as {@code http:inventory.internal:8080}), in the application's {@link CircuitBreakerRegistry},
 * so that the actuator, the metrics and the dashboard show them.
 *
 * <p>Outcomes are classified by fusebox-http's {@link HttpOutcomeClassifier}: by default a 5xx or 429
 * response, a refused connection and a timeout are failures, any other answer (a 404 included) a success,
 * and an interrupt or a cancellation is not recorded. A failure response still reaches the caller, and
 * {@code RestClient}'s own status handling (an {@code HttpServerErrorException} from {@code retrieve()})
 * applies as before; a 429 or 503 with a {@code Retry-After} longer than the breaker's wait keeps it open
 * that long, up to a maximum. While a breaker is open, calls fail at once with its
 * {@link CallNotPermittedException}, which a {@code @CircuitBreaker} fallback can answer.
 *
 * <pre>{@code
 * RestClient client = RestClient.builder()
 *     .requestInterceptor(new FuseboxRestClientInterceptor(
 *         registry, HttpOutcomeClassifier.ofDefaults(), HttpBreakerKey.host(), Duration.ofMinutes(5)))
 *     .build();
 * }</pre>
 *
 * <p>The starter adds one to every {@code RestClient.Builder} of the application when fusebox-http is on the
 * class path. Breaker keys are computed from the request's method, URI and headers, as fusebox-http's
 * {@link HttpBreakerKey} reads them. This class is threadsafe.
 */
public final class FuseboxRestClientInterceptor implements ClientHttpRequestInterceptor {

  private final CircuitBreakerRegistry registry;
  private final HttpOutcomeClassifier classifier;
  private final HttpBreakerKey key;
  private final Duration maxOpenWait;
  private final Clock wallClock;

  /**
   * Creates the interceptor.
   *
   * @param registry where the breakers are created and found
   * @param classifier what counts as a failure
   * @param key which breaker a request goes through; {@code null} or blank: none
   * @param maxOpenWait the longest open wait a server's {@code Retry-After} may ask for
   */
  public FuseboxRestClientInterceptor(
      CircuitBreakerRegistry registry, HttpOutcomeClassifier classifier, HttpBreakerKey key, Duration maxOpenWait) {
    this(registry, classifier, key, maxOpenWait, Clock.systemUTC());
  }

  FuseboxRestClientInterceptor(
      CircuitBreakerRegistry registry,
      HttpOutcomeClassifier classifier,
      HttpBreakerKey key,
      Duration maxOpenWait,
      Clock wallClock) {
    this.registry = Objects.requireNonNull(registry, "registry must not be null");
    this.classifier = Objects.requireNonNull(classifier, "classifier must not be null");
    this.key = Objects.requireNonNull(key, "key must not be null");
    this.maxOpenWait = Objects.requireNonNull(maxOpenWait, "maxOpenWait must not be null");
    this.wallClock = wallClock;
  }

  @Override
  public ClientHttpResponse intercept(HttpRequest request, byte[] body, ClientHttpRequestExecution execution)
      throws IOException {
    String name = key.keyOf(asJdkRequest(request));
    if (name == null || name.isBlank()) {
      return execution.execute(request, body);
    }
    CircuitBreaker breaker = registry.circuitBreaker("http:" + name);
    ClientHttpResponse[] response = new ClientHttpResponse[1];
    // The completion-stage entry point, run synchronously, ties the outcome to the state that admitted
    // the call and gives a permit back on a cancellation: how an ignored outcome is signalled.
    CompletionStage<Object> stage = breaker.executeCompletionStage(() -> {
      int status;
      try {
        response[0] = execution.execute(request, body);
        status = response[0].getStatusCode().value();
      } catch (IOException | RuntimeException e) {
        if (response[0] != null) {
          response[0].close();
          response[0] = null;
        }
        return switch (classifier.classifyException(e)) {
          case FAILURE -> CompletableFuture.failedFuture(e);
          case IGNORED -> CompletableFuture.failedFuture(new Passed(e));
          case SUCCESS -> CompletableFuture.completedFuture(new Passed(e));
        };
      }
      return switch (classifier.classifyStatus(status)) {
        case SUCCESS -> CompletableFuture.completedFuture(response[0]);
        case IGNORED -> CompletableFuture.failedFuture(new Passed(null));
        case FAILURE -> CompletableFuture.failedFuture(new FailureResponseException(
            status, request.getMethod().name(), request.getURI(), retryAfter(status, response[0]).orElse(null)));
      };
    });
    Object outcome;
    try {
      outcome = stage.toCompletableFuture().get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } catch (ExecutionException | CompletionException e) {
      return failed(breaker, unwrap(e), response[0]);
    } catch (CancellationException e) {
      // A future failed with a cancellation rethrows it as it is, not wrapped.
      return failed(breaker, e, response[0]);
    }
    if (outcome instanceof Passed passed && passed.error != null) {
      throw rethrow(passed.error);
    }
    return response[0];
  }

  private ClientHttpResponse failed(CircuitBreaker breaker, Throwable error, ClientHttpResponse response)
      throws IOException {
    if (error instanceof FailureResponseException failure) {
      failure.retryAfter().ifPresent(wait -> lengthenOpenWait(breaker, wait));
      return response;
    }
    if (error instanceof Passed passed) {
      if (passed.error != null) {
        throw rethrow(passed.error);
      }
      return response;
    }
    throw rethrow(error);
  }

  private Optional<Duration> retryAfter(int status, ClientHttpResponse response) {
    if (status != 429 && status != 503) {
      return Optional.empty();
    }
    String value = response.getHeaders().getFirst(RetryAfter.HEADER);
    return value == null ? Optional.empty() : RetryAfter.parse(value, wallClock.instant());
  }

  private void lengthenOpenWait(CircuitBreaker breaker, Duration asked) {
    Duration wait = asked.compareTo(maxOpenWait) > 0 ? maxOpenWait : asked;
    if (wait.isZero() || breaker.state() != CircuitBreaker.State.OPEN) {
      return;
    }
    Optional<Duration> nextTrialIn = breaker.metrics().nextTrialIn();
    if (nextTrialIn.isPresent() && wait.compareTo(nextTrialIn.get()) > 0) {
      breaker.transitionToOpenStateFor(wait);
    }
  }

  /** The request as fusebox-http's key functions read it: method, URI and headers, without a body. */
  private static java.net.http.HttpRequest asJdkRequest(HttpRequest request) {
    java.net.http.HttpRequest.Builder b =
        java.net.http.HttpRequest.newBuilder(request.getURI()).method(request.getMethod().name(), BodyPublishers.noBody());
    for (Map.Entry<String, List<String>> header : request.getHeaders().headerSet()) {
      for (String value : header.getValue()) {
        try {
          b.header(header.getKey(), value);
        } catch (IllegalArgumentException restricted) {
          // Host, Connection and the like: the JDK's client sets them itself, and no key needs them.
        }
      }
    }
    return b.build();
  }

  private static Throwable unwrap(Throwable t) {
    while ((t instanceof ExecutionException || t instanceof CompletionException) && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  private static IOException rethrow(Throwable error) {
    if (error instanceof IOException io) {
      return io;
    }
    if (error instanceof RuntimeException runtime) {
      throw runtime;
    }
    if (error instanceof Error fatal) {
      throw fatal;
    }
    throw new UncheckedIOException(new IOException(error));
  }

  /**
   * An outcome the breaker must not record as a failure: a cancellation (permit given back) when ignored, a
   * value (a success) when classified so; carries the exception the caller gets, if any.
   */
  private static final class Passed extends CancellationException {
    private static final long serialVersionUID = 1L;
    final transient Throwable error;

    Passed(Throwable error) {
      this.error = error;
    }

    @Override
    public Throwable fillInStackTrace() {
      return this;
    }
  }
}
