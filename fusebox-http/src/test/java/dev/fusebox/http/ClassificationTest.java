package dev.fusebox.http;

import static dev.fusebox.http.Fixtures.JDK;
import static dev.fusebox.http.Fixtures.failures;
import static dev.fusebox.http.Fixtures.get;
import static dev.fusebox.http.Fixtures.successes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.fusebox.circuitbreaker.CircuitBreaker;
import dev.fusebox.circuitbreaker.CircuitBreakerConfig;
import dev.fusebox.circuitbreaker.CircuitBreakerEvent;
import dev.fusebox.circuitbreaker.CircuitBreakerRegistry;
import dev.fusebox.testing.ManualTicker;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What each outcome of a real HTTP call counts as, in the breaker, and what the caller gets. */
class ClassificationTest {

  private final ManualTicker ticker = new ManualTicker();
  private final CircuitBreakerRegistry registry = CircuitBreakerRegistry.of(Fixtures.window(100, ticker));
  private final Upstream upstream = Upstream.start();
  private final CountDownLatch release = new CountDownLatch(1);

  @AfterEach
  void stop() {
    release.countDown();
    upstream.close();
  }

  private FuseboxHttpClient client() {
    return FuseboxHttpClient.builder(JDK).registry(registry).build();
  }

  private CircuitBreaker breakerOf(URI uri) {
    return registry.find("http:" + uri.getHost() + ":" + uri.getPort()).orElseThrow();
  }

  @ParameterizedTest
  @ValueSource(ints = {500, 502, 503, 504, 599, 429})
  void serverErrorsAndTooManyRequestsAreFailuresAndReachTheCallerAsResponses(int status) throws Exception {
    upstream.always(Upstream.Reply.status(status));
    URI uri = upstream.uri("/stock");

    HttpResponse<String> response = client().send(get(uri), BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(status);
    assertThat(response.body()).isEqualTo("status " + status);
    assertThat(failures(breakerOf(uri))).isEqualTo(1);
    assertThat(successes(breakerOf(uri))).isZero();
  }

  @ParameterizedTest
  @ValueSource(ints = {200, 201, 204, 301, 304, 400, 401, 403, 404, 409, 422})
  void otherStatusesAreSuccesses(int status) throws Exception {
    upstream.always(Upstream.Reply.status(status));
    URI uri = upstream.uri("/stock");

    HttpResponse<String> response = client().send(get(uri), BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(status);
    assertThat(successes(breakerOf(uri))).isEqualTo(1);
    assertThat(failures(breakerOf(uri))).isZero();
  }

  @Test
  void aFailureResponseIsRecordedAsFailureResponseExceptionNamingStatusMethodAndUri() throws Exception {
    upstream.always(Upstream.Reply.status(503, "Retry-After", "7"));
    URI uri = upstream.uri("/stock?sku=42");
    FuseboxHttpClient client = client();
    CircuitBreaker breaker = client.circuitBreakers(get(uri)).get(0);
    List<Throwable> recorded = new CopyOnWriteArrayList<>();
    breaker.onEvent(event -> {
      if (event instanceof CircuitBreakerEvent.Failure failure) {
        recorded.add(failure.error());
      }
    });

    client.send(get(uri), BodyHandlers.discarding());

    assertThat(recorded).singleElement().isInstanceOfSatisfying(FailureResponseException.class, failure -> {
      assertThat(failure.statusCode()).isEqualTo(503);
      assertThat(failure.method()).isEqualTo("GET");
      assertThat(failure.uri()).isEqualTo(uri);
      assertThat(failure.retryAfter()).contains(Duration.ofSeconds(7));
      assertThat(failure).hasMessage("HTTP 503 from GET " + uri);
      assertThat(failure.getStackTrace()).isEmpty();
      assertThat(failure.takeResponse()).as("the recorded exception no longer holds the caller's response").isNull();
    });
  }

  @Test
  void aRefusedConnectionIsAFailureAndTheCallerGetsTheClientsOwnExceptionType() {
    URI uri = URI.create("http://127.0.0.1:" + Upstream.closedPort() + "/stock");
    Throwable plain = catchThrowable(() -> JDK.send(get(uri), BodyHandlers.ofString()));

    Throwable guarded = catchThrowable(() -> client().send(get(uri), BodyHandlers.ofString()));

    assertThat(plain).isInstanceOf(ConnectException.class);
    assertThat(guarded).isExactlyInstanceOf(plain.getClass());
    assertThat(failures(breakerOf(uri))).isEqualTo(1);
  }

  @Test
  void aTimeoutIsAFailureAndTheCallerGetsTheHttpTimeoutException() {
    upstream.always(Upstream.Reply.status(200).after(release));
    URI uri = upstream.uri("/slow");
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofMillis(200)).build();

    assertThatThrownBy(() -> client().send(request, BodyHandlers.ofString()))
        .isInstanceOf(HttpTimeoutException.class);
    assertThat(failures(breakerOf(uri))).isEqualTo(1);
  }

  @Test
  void anInterruptedCallIsNotRecordedAndThrowsInterruptedException() {
    upstream.always(Upstream.Reply.status(200).after(release));
    URI uri = upstream.uri("/slow");
    FuseboxHttpClient client = client();
    CircuitBreaker breaker = client.circuitBreakers(get(uri)).get(0);

    Thread.currentThread().interrupt();
    Throwable thrown = catchThrowable(() -> client.send(get(uri), BodyHandlers.ofString()));
    Thread.interrupted();

    assertThat(thrown).isInstanceOf(InterruptedException.class);
    assertThat(breaker.metrics().totalFailedCalls() + breaker.metrics().totalSuccessfulCalls()).isZero();
  }

  @Test
  void anIgnoredStatusIsNeitherRecordedNorHidden() throws Exception {
    upstream.always(Upstream.Reply.status(503));
    URI uri = upstream.uri("/stock");
    FuseboxHttpClient client = FuseboxHttpClient.builder(JDK).registry(registry)
        .classifier(HttpOutcomeClassifier.builder().ignoreStatus(status -> status == 503).build())
        .build();

    HttpResponse<String> response = client.send(get(uri), BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(failures(breakerOf(uri)) + successes(breakerOf(uri))).isZero();
  }

  @Test
  void customRulesDecide() throws Exception {
    URI uri = upstream.uri("/stock");
    FuseboxHttpClient client = FuseboxHttpClient.builder(JDK).registry(registry)
        .classifier(HttpOutcomeClassifier.builder().failOnStatus(status -> status == 404).build())
        .build();

    upstream.then(Upstream.Reply.status(404), Upstream.Reply.status(500));
    client.send(get(uri), BodyHandlers.discarding());
    client.send(get(uri), BodyHandlers.discarding());

    assertThat(failures(breakerOf(uri))).isEqualTo(1);
    assertThat(successes(breakerOf(uri))).isEqualTo(1);
  }

  @Test
  void anExceptionCountedAsSuccessIsRecordedAsSuccessAndStillThrown() {
    URI uri = URI.create("http://127.0.0.1:" + Upstream.closedPort() + "/stock");
    FuseboxHttpClient client = FuseboxHttpClient.builder(JDK).registry(registry)
        .classifier(HttpOutcomeClassifier.builder().failOnException(e -> false).build())
        .build();

    assertThatThrownBy(() -> client.send(get(uri), BodyHandlers.ofString())).isInstanceOf(ConnectException.class);
    assertThat(successes(breakerOf(uri))).isEqualTo(1);
    assertThat(failures(breakerOf(uri))).isZero();
  }

  @Test
  void asyncCallsAreClassifiedTheSameWay() throws Exception {
    URI uri = upstream.uri("/stock");
    FuseboxHttpClient client = client();
    upstream.then(Upstream.Reply.status(503), Upstream.Reply.status(404), Upstream.Reply.status(200));

    for (int i = 0; i < 3; i++) {
      client.sendAsync(get(uri), BodyHandlers.ofString()).get();
    }

    assertThat(failures(breakerOf(uri))).isEqualTo(1);
    assertThat(successes(breakerOf(uri))).isEqualTo(2);
  }

  @Test
  void anAsyncConnectFailureFailsTheFutureWithTheClientsException() {
    URI uri = URI.create("http://127.0.0.1:" + Upstream.closedPort() + "/stock");

    CompletableFuture<HttpResponse<String>> future = client().sendAsync(get(uri), BodyHandlers.ofString());

    assertThatThrownBy(future::get).isInstanceOf(ExecutionException.class).hasCauseInstanceOf(ConnectException.class);
    assertThat(failures(breakerOf(uri))).isEqualTo(1);
  }

  @Test
  void anAsyncTimeoutFailsTheFutureWithHttpTimeoutException() {
    upstream.always(Upstream.Reply.status(200).after(release));
    URI uri = upstream.uri("/slow");
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofMillis(200)).build();

    CompletableFuture<HttpResponse<String>> future = client().sendAsync(request, BodyHandlers.ofString());

    assertThatThrownBy(future::get).hasCauseInstanceOf(HttpTimeoutException.class);
    assertThat(failures(breakerOf(uri))).isEqualTo(1);
  }

  @Test
  void aBreakerThatRecordsOnlyIoErrorsStillCountsFailureResponses() throws Exception {
    upstream.always(Upstream.Reply.status(500));
    URI uri = upstream.uri("/stock");
    FuseboxHttpClient client = FuseboxHttpClient.builder(JDK).registry(registry)
        .circuitBreakerConfig(CircuitBreakerConfig.builder().recordExceptions(IOException.class).build())
        .build();

    client.send(get(uri), BodyHandlers.discarding());

    assertThat(failures(breakerOf(uri))).isEqualTo(1);
  }
}
