package dev.fusebox.http;

import static dev.fusebox.http.Fixtures.JDK;
import static dev.fusebox.http.Fixtures.failures;
import static dev.fusebox.http.Fixtures.get;
import static dev.fusebox.http.Fixtures.post;
import static dev.fusebox.http.Fixtures.successes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fusebox.circuitbreaker.CallNotPermittedException;
import dev.fusebox.circuitbreaker.CircuitBreaker;
import dev.fusebox.circuitbreaker.CircuitBreakerRegistry;
import dev.fusebox.retry.RetryConfig;
import dev.fusebox.testing.ManualScheduler;
import dev.fusebox.testing.ManualSleeper;
import dev.fusebox.testing.ManualTicker;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Retries: idempotent requests only, failures only, Retry-After honoured, rejections never retried. */
class RetryTest {

  private final ManualTicker ticker = new ManualTicker();
  private final ManualSleeper sleeper = new ManualSleeper(ticker);
  private final ManualScheduler scheduler = new ManualScheduler(ticker);
  private final CircuitBreakerRegistry registry = CircuitBreakerRegistry.of(Fixtures.window(100, ticker));
  private final Upstream upstream = Upstream.start();
  private final URI uri = upstream.uri("/orders");

  @AfterEach
  void stop() {
    upstream.close();
  }

  private FuseboxHttpClient.Builder retrying() {
    return FuseboxHttpClient.builder(JDK)
        .registry(registry)
        .retry(RetryConfig.builder().ticker(ticker).sleeper(sleeper).scheduler(scheduler).build());
  }

  private CircuitBreaker breaker(FuseboxHttpClient client) {
    return client.circuitBreakers(get(uri)).get(0);
  }

  @ParameterizedTest
  @ValueSource(strings = {"GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE"})
  void idempotentMethodsAreRetriedUntilTheySucceed(String method) throws Exception {
    FuseboxHttpClient client = retrying().build();
    upstream.then(Upstream.Reply.status(503), Upstream.Reply.status(502));
    HttpRequest request = HttpRequest.newBuilder(uri).method(method, HttpRequest.BodyPublishers.noBody()).build();

    HttpResponse<Void> response = client.send(request, BodyHandlers.discarding());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(upstream.received()).extracting(Upstream.Received::method).containsExactly(method, method, method);
    assertThat(sleeper.sleeps()).containsExactly(Duration.ofMillis(500), Duration.ofMillis(500));
    assertThat(failures(breaker(client))).as("every attempt is recorded").isEqualTo(2);
    assertThat(successes(breaker(client))).isEqualTo(1);
    assertThat(client.retry().orElseThrow().metrics().numberOfSuccessfulCallsWithRetryAttempt()).isEqualTo(1);
  }

  @Test
  void theLastFailureResponseReachesTheCallerWhenAttemptsRunOut() throws Exception {
    FuseboxHttpClient client = retrying().build();
    upstream.always(Upstream.Reply.status(503));

    HttpResponse<String> response = client.send(get(uri), BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.body()).isEqualTo("status 503");
    assertThat(upstream.requests()).isEqualTo(3);
  }

  @Test
  void postIsNotRetried() throws Exception {
    FuseboxHttpClient client = retrying().build();
    upstream.always(Upstream.Reply.status(503));

    HttpResponse<Void> response = client.send(post(uri), BodyHandlers.discarding());

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(upstream.requests()).isEqualTo(1);
    assertThat(sleeper.sleeps()).isEmpty();
  }

  @Test
  void patchIsNotRetriedEitherAsync() throws Exception {
    FuseboxHttpClient client = retrying().build();
    upstream.always(Upstream.Reply.status(503));
    HttpRequest patch = HttpRequest.newBuilder(uri).method("PATCH", HttpRequest.BodyPublishers.ofString("{}")).build();

    HttpResponse<Void> response = client.sendAsync(patch, BodyHandlers.discarding()).get();

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(upstream.requests()).isEqualTo(1);
    assertThat(scheduler.pending()).isZero();
  }

  @Test
  void aPostWithAnIdempotencyKeyIsRetriedWithItsBody() throws Exception {
    FuseboxHttpClient client = retrying().build();
    upstream.then(Upstream.Reply.status(503));
    HttpRequest request = HttpRequest.newBuilder(uri).header("Idempotency-Key", "order-1")
        .POST(HttpRequest.BodyPublishers.ofString("{\"order\": 1}")).build();

    HttpResponse<Void> response = client.send(request, BodyHandlers.discarding());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(upstream.received()).extracting(r -> r.headers().getFirst("Idempotency-Key"))
        .containsExactly("order-1", "order-1");
  }

  @Test
  void theIdempotencyKeyHeaderCanBeRenamed() throws Exception {
    FuseboxHttpClient client = retrying().idempotencyKeyHeader("X-Request-Id").build();
    upstream.then(Upstream.Reply.status(503));
    HttpRequest request = HttpRequest.newBuilder(uri).header("X-Request-Id", "r-1")
        .POST(HttpRequest.BodyPublishers.ofString("{}")).build();

    assertThat(client.send(request, BodyHandlers.discarding()).statusCode()).isEqualTo(200);
    assertThat(upstream.requests()).isEqualTo(2);
  }

  @Test
  void everyMethodIsRetriedWhenTheBuilderSaysSo() throws Exception {
    FuseboxHttpClient client = retrying().retryNonIdempotent(true).build();
    upstream.then(Upstream.Reply.status(503));

    assertThat(client.send(post(uri), BodyHandlers.discarding()).statusCode()).isEqualTo(200);
    assertThat(upstream.requests()).isEqualTo(2);
  }

  @Test
  void retryAfterIsTheWaitWhenLongerThanTheBackoff() throws Exception {
    FuseboxHttpClient client = retrying().build();
    upstream.then(Upstream.Reply.status(503, "Retry-After", "3"), Upstream.Reply.status(429, "Retry-After", "0"));

    assertThat(client.send(get(uri), BodyHandlers.discarding()).statusCode()).isEqualTo(200);
    assertThat(sleeper.sleeps()).containsExactly(Duration.ofSeconds(3), Duration.ofMillis(500));
  }

  @Test
  void aRetryAfterLongerThanTheRetryMayWaitIsReturnedAtOnce() throws Exception {
    FuseboxHttpClient client = retrying().maxRetryWaitFromRetryAfter(Duration.ofSeconds(10)).build();
    upstream.then(Upstream.Reply.status(503, "Retry-After", "11"));

    HttpResponse<Void> response = client.send(get(uri), BodyHandlers.discarding());

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(upstream.requests()).isEqualTo(1);
    assertThat(sleeper.sleeps()).isEmpty();
  }

  @Test
  void aRejectionIsNeverRetried() {
    CircuitBreakerRegistry tight = CircuitBreakerRegistry.of(Fixtures.window(1, ticker));
    FuseboxHttpClient client = retrying().registry(tight).build();
    upstream.always(Upstream.Reply.status(503));

    assertThatThrownBy(() -> client.send(get(uri), BodyHandlers.discarding()))
        .isInstanceOf(CallNotPermittedException.class);
    assertThat(upstream.requests()).isEqualTo(1);
    assertThat(sleeper.sleeps()).hasSize(1);
  }

  @Test
  void clientErrorsAreNotRetried() throws Exception {
    FuseboxHttpClient client = retrying().build();
    upstream.then(Upstream.Reply.status(404));

    assertThat(client.send(get(uri), BodyHandlers.discarding()).statusCode()).isEqualTo(404);
    assertThat(upstream.requests()).isEqualTo(1);
  }

  @Test
  void connectFailuresAreRetriedAndTheLastIsThrownWithTheEarlierAttached() {
    FuseboxHttpClient client = retrying().build();
    URI closed = URI.create("http://127.0.0.1:" + Upstream.closedPort() + "/orders");

    assertThatThrownBy(() -> client.send(get(closed), BodyHandlers.discarding()))
        .isInstanceOf(ConnectException.class)
        .satisfies(e -> assertThat(e.getSuppressed()).hasSize(2).allMatch(ConnectException.class::isInstance));
    assertThat(sleeper.sleeps()).hasSize(2);
  }

  @Test
  void asyncRetriesWaitOnTheSchedulerAndHonourRetryAfter() throws Exception {
    FuseboxHttpClient client = retrying().build();
    upstream.then(Upstream.Reply.status(503, "Retry-After", "2"));

    CompletableFuture<HttpResponse<String>> future = client.sendAsync(get(uri), BodyHandlers.ofString());
    Fixtures.awaitTrue("the retry is scheduled", () -> scheduler.pending() == 1);
    assertThat(scheduler.pendingDelays()).containsExactly(Duration.ofSeconds(2));
    scheduler.advance(Duration.ofSeconds(2));
    Fixtures.awaitDone(future);

    assertThat(future.get().statusCode()).isEqualTo(200);
    assertThat(upstream.requests()).isEqualTo(2);
  }

  @Test
  void anAsyncRejectionIsNeverRetried() {
    CircuitBreakerRegistry tight = CircuitBreakerRegistry.of(Fixtures.window(1, ticker));
    FuseboxHttpClient client = retrying().registry(tight).build();
    upstream.always(Upstream.Reply.status(503));

    CompletableFuture<HttpResponse<Void>> future = client.sendAsync(get(uri), BodyHandlers.discarding());
    Fixtures.awaitTrue("the retry is scheduled", () -> scheduler.pending() == 1);
    scheduler.advance(Duration.ofMillis(500));
    Fixtures.awaitDone(future);

    assertThatThrownBy(future::get).hasCauseInstanceOf(CallNotPermittedException.class);
    assertThat(scheduler.pending()).isZero();
    assertThat(upstream.requests()).isEqualTo(1);
  }

  @Test
  void theRetrysOwnRulesForExceptionsAndResultsAreReplacedByTheHttpOnes() {
    FuseboxHttpClient client = FuseboxHttpClient.builder(JDK)
        .retry(RetryConfig.builder().retryExceptions(IllegalStateException.class).retryOnResult(r -> true).build())
        .build();

    RetryConfig config = client.retry().orElseThrow().config();

    assertThat(config.retryExceptions()).isEmpty();
    assertThat(config.retryOnException()).isPresent();
    assertThat(config.retryAfterFromResult()).isPresent();
    assertThat(List.of(config.maxAttempts())).containsExactly(3);
  }

  @Test
  void withoutARetryConfigNothingIsRetried() throws Exception {
    FuseboxHttpClient client = FuseboxHttpClient.builder(JDK).registry(registry).build();
    upstream.then(Upstream.Reply.status(503));

    assertThat(client.send(get(uri), BodyHandlers.discarding()).statusCode()).isEqualTo(503);
    assertThat(client.retry()).isEmpty();
    assertThat(upstream.requests()).isEqualTo(1);
  }
}
