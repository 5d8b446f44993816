package dev.fusebox.spring.webclient;

import dev.fusebox.circuitbreaker.CallNotPermittedException;
import dev.fusebox.circuitbreaker.CircuitBreaker;
import dev.fusebox.circuitbreaker.CircuitBreakerRegistry;
import dev.fusebox.http.HttpBreakerKey;
import dev.fusebox.http.HttpOutcomeClassifier;
import java.net.http.HttpRequest.BodyPublishers;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.ExchangeFunction;
import reactor.core.publisher.Mono;

/**
 * Puts each {@code WebClient} exchange through the circuit breaker of its host (breaker
 * {@code http:<host>}, configured under {@code fusebox.circuitbreaker.instances."[http:<host>]"}), with
 * fusebox-http's classification: a status or an exception the classifier calls a failure counts against
 * the breaker, an ignored one counts nothing. The response reaches the caller as it came, error statuses
 * included; an open breaker fails the exchange with a {@link CallNotPermittedException} before any
 * request is sent. Each subscription is one call; a cancelled one gives its permit back.
 *
 * <pre>{@code
 * WebClient client = builder.baseUrl("https://inventory.internal").build();   // the filter is on every builder
 * WebClient own = WebClient.builder().filter(fuseboxWebClientFilter).build(); // or add it yourself
 * }</pre>
 */
public final class FuseboxWebClientFilter implements ExchangeFilterFunction {

  private final CircuitBreakerRegistry registry;
  private final HttpOutcomeClassifier classifier;
  private final HttpBreakerKey key;

  /**
   * Creates the filter.
   *
   * @param registry where the breakers live
   * @param classifier judges statuses and exceptions
   * @param key names the breaker of a request: its host, by default
   * @throws NullPointerException if an argument is null
   */
  public FuseboxWebClientFilter(CircuitBreakerRegistry registry, HttpOutcomeClassifier classifier, HttpBreakerKey key) {
    this.registry = Objects.requireNonNull(registry, "registry must not be null");
    this.classifier = Objects.requireNonNull(classifier, "classifier must not be null");
    this.key = Objects.requireNonNull(key, "key must not be null");
  }

  /**
   * Runs the exchange through the breaker of its host.
   *
   * @param request the request
   * @param next the rest of the exchange
   * @return the response, or a {@link CallNotPermittedException} when the breaker is open
   */
  @Override
  public Mono<ClientResponse> filter(ClientRequest request, ExchangeFunction next) {
    String name = key.keyOf(asJdkRequest(request));
    if (name == null || name.isBlank()) {
      return next.exchange(request);
    }
    CircuitBreaker breaker = registry.circuitBreaker("http:" + name);
    return Mono.defer(() -> {
      CircuitBreaker.Permit permit = breaker.tryAcquirePermit();
      if (permit == null) {
        return Mono.error(CallNotPermittedException.of(
            breaker.name(), breaker.state(), breaker.metrics().nextTrialIn().orElse(null)));
      }
      long start = breaker.config().ticker().nanos();
      // Exactly one report per permit, whichever signal comes first: a response, an error, a cancel.
      AtomicBoolean reported = new AtomicBoolean();
      return next.exchange(request)
          .doOnNext(response -> {
            if (reported.compareAndSet(false, true)) {
              int status = response.statusCode().value();
              long took = breaker.config().ticker().nanos() - start;
              switch (classifier.classifyStatus(status)) {
                case SUCCESS -> permit.onSuccess(took);
                case IGNORED -> permit.release();
                case FAILURE -> permit.onError(took, new FailedStatus(status, request));
              }
            }
          })
          .doOnError(error -> {
            if (reported.compareAndSet(false, true)) {
              long took = breaker.config().ticker().nanos() - start;
              switch (classifier.classifyException(error)) {
                case SUCCESS -> permit.onSuccess(took);
                case IGNORED -> permit.release();
                case FAILURE -> permit.onError(took, error);
              }
            }
          })
          .doFinally(signal -> {
            if (reported.compareAndSet(false, true)) {
              permit.release();
            }
          });
    });
  }

  private static java.net.http.HttpRequest asJdkRequest(ClientRequest request) {
    java.net.http.HttpRequest.Builder b =
        java.net.http.HttpRequest.newBuilder(request.url()).method(request.method().name(), BodyPublishers.noBody());
    for (Map.Entry<String, List<String>> header : request.headers().headerSet()) {
      for (String value : header.getValue()) {
        try {
          b.header(header.getKey(), value);
        } catch (IllegalArgumentException restricted) {
          // A header the JDK client reserves for itself; no breaker key reads it.
        }
      }
    }
    return b.build();
  }

  /** The failure a breaker records for an error status; the caller still gets the response. */
  static final class FailedStatus extends RuntimeException {
    private static final long serialVersionUID = 1L;

    FailedStatus(int status, ClientRequest request) {
      super(request.method().name() + " " + request.url() + " answered " + status, null, false, false);
    }
  }

  @Override
  public String toString() {
    return "FuseboxWebClientFilter{" + key + '}';
  }
}
