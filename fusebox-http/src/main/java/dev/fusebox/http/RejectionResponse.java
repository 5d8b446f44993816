package dev.fusebox.http;

import dev.fusebox.circuitbreaker.CallNotPermittedException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import javax.net.ssl.SSLSession;

/**
 * The response a {@link FuseboxHttpClient} answers a rejected call with when asked to
 * ({@link FuseboxHttpClient.Builder#serviceUnavailableOnRejection(boolean)}): {@code 503 Service
 * Unavailable}, a {@code Retry-After} in whole seconds (rounded up) when the breaker knows its next trial,
 * and a {@value #BREAKER_HEADER} header naming the breaker. The body is what the caller's handler makes of
 * an empty body.
 */
final class RejectionResponse<T> implements HttpResponse<T> {

  static final String BREAKER_HEADER = "Fusebox-Circuit-Breaker";

  private final HttpRequest request;
  private final HttpHeaders headers;
  private final T body;

  private RejectionResponse(HttpRequest request, HttpHeaders headers, T body) {
    this.request = request;
    this.headers = headers;
    this.body = body;
  }

  /** Builds the response; the stage fails if the handler's subscriber fails on an empty body. */
  static <T> CompletableFuture<HttpResponse<T>> of(
      HttpRequest request, BodyHandler<T> handler, CallNotPermittedException rejection) {
    Map<String, List<String>> values = new LinkedHashMap<>();
    rejection.retryAfter().ifPresent(wait -> values.put(RetryAfter.HEADER, List.of(String.valueOf(seconds(wait)))));
    values.put(BREAKER_HEADER, List.of(rejection.breakerName()));
    HttpHeaders headers = HttpHeaders.of(values, (name, value) -> true);
    ResponseInfo info = new Info(headers);
    BodySubscriber<T> subscriber;
    try {
      subscriber = handler.apply(info);
      subscriber.onSubscribe(NoData.INSTANCE);
      subscriber.onComplete();
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    return subscriber.getBody().toCompletableFuture()
        .thenApply(body -> new RejectionResponse<>(request, headers, body));
  }

  private static long seconds(Duration wait) {
    long seconds = wait.getSeconds();
    return wait.getNano() > 0 ? seconds + 1 : seconds;
  }

  @Override
  public int statusCode() {
    return 503;
  }

  @Override
  public HttpRequest request() {
    return request;
  }

  @Override
  public Optional<HttpResponse<T>> previousResponse() {
    return Optional.empty();
  }

  @Override
  public HttpHeaders headers() {
    return headers;
  }

  @Override
  public T body() {
    return body;
  }

  @Override
  public Optional<SSLSession> sslSession() {
    return Optional.empty();
  }

  @Override
  public URI uri() {
    return request.uri();
  }

  @Override
  public HttpClient.Version version() {
    return HttpClient.Version.HTTP_1_1;
  }

  @Override
  public String toString() {
    return "(" + request.method() + " " + request.uri() + ") 503 rejected by " + headers.firstValue(BREAKER_HEADER).orElse("");
  }

  private record Info(HttpHeaders headers) implements ResponseInfo {
    @Override
    public int statusCode() {
      return 503;
    }

    @Override
    public HttpClient.Version version() {
      return HttpClient.Version.HTTP_1_1;
    }
  }

  /** The subscription of an empty body: there is nothing to request, and nothing to cancel. */
  private enum NoData implements Flow.Subscription {
    INSTANCE;

    @Override
    public void request(long n) {}

    @Override
    public void cancel() {}
  }
}
