package dev.fusebox.http;

import static dev.fusebox.http.Fixtures.JDK;
import static dev.fusebox.http.Fixtures.failures;
import static dev.fusebox.http.Fixtures.get;
import static dev.fusebox.http.Fixtures.successes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fusebox.circuitbreaker.CallNotPermittedException;
import dev.fusebox.circuitbreaker.CircuitBreaker;
import dev.fusebox.circuitbreaker.CircuitBreaker.State;
import dev.fusebox.circuitbreaker.CircuitBreakerRegistry;
import dev.fusebox.testing.ManualTicker;
import java.net.URI;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Which breakers a request goes through, how they are named, and what a rejection looks like. */
class BreakerLevelsTest {

  private final ManualTicker ticker = new ManualTicker();
  private final CircuitBreakerRegistry registry = CircuitBreakerRegistry.of(Fixtures.window(4, ticker));
  private final Upstream a = Upstream.start();
  private final Upstream b = Upstream.start();
  private final Upstream c = Upstream.start();

  @AfterEach
  void stop() {
    a.close();
    b.close();
    c.close();
  }

  private static void sendTimes(FuseboxHttpClient client, URI uri, int times) throws Exception {
    for (int i = 0; i < times; i++) {
      client.send(get(uri), BodyHandlers.discarding());
    }
  }

  private CircuitBreaker breaker(String name) {
    return registry.find(name).orElseThrow(() -> new AssertionError("no breaker " + name + " in " + names()));
  }

  private List<String> names() {
    return registry.all().stream().map(CircuitBreaker::name).sorted().toList();
  }

  @Test
  void oneFailingHostDoesNotOpenAnotherHostsBreaker() throws Exception {
    FuseboxHttpClient client = FuseboxHttpClient.builder(JDK).registry(registry).build();
    a.always(Upstream.Reply.status(503));

    sendTimes(client, a.uri("/x"), 4);
    sendTimes(client, b.uri("/x"), 4);

    assertThat(breaker("http:127.0.0.1:" + a.port()).state()).isEqualTo(State.OPEN);
    assertThat(breaker("http:127.0.0.1:" + b.port()).state()).isEqualTo(State.CLOSED);
    assertThatThrownBy(() -> client.send(get(a.uri("/x")), BodyHandlers.discarding()))
        .isInstanceOf(CallNotPermittedException.class);
    assertThat(client.send(get(b.uri("/x")), BodyHandlers.discarding()).statusCode()).isEqualTo(200);
  }

  @Test
  void theDefaultPortIsLeftOutOfTheHostKey() {
    FuseboxHttpClient client = FuseboxHttpClient.of(JDK);

    List<CircuitBreaker> breakers = client.circuitBreakers(get(URI.create("https://API.example.com/users/42")));

    assertThat(breakers).extracting(CircuitBreaker::name).containsExactly("http:api.example.com");
    assertThat(client.registry().find("http:api.example.com")).isPresent();
  }

  @Test
  void pathTemplatesGroupIdsIntoOneBreakerPerRoute() throws Exception {
    FuseboxHttpClient client = FuseboxHttpClient.builder(JDK).registry(registry)
        .serviceKey(HttpBreakerKey.hostAndPath("/users/{id}", "/orders/{id}/items"))
        .build();
    a.always(Upstream.Reply.status(500));
    String host = "http:127.0.0.1:" + a.port();

    sendTimes(client, a.uri("/users/1"), 2);
    sendTimes(client, a.uri("/users/2?verbose=true"), 2);
    sendTimes(client, a.uri("/orders/7/items"), 1);
    sendTimes(client, a.uri("/health"), 1);

    assertThat(names()).containsExactlyInAnyOrder(host + "/users/{id}", host + "/orders/{id}/items", host);
    assertThat(breaker(host + "/users/{id}").state()).isEqualTo(State.OPEN);
    assertThat(failures(breaker(host + "/orders/{id}/items"))).isEqualTo(1);
    assertThat(breaker(host + "/orders/{id}/items").state()).isEqualTo(State.CLOSED);
    assertThat(failures(breaker(host))).isEqualTo(1);
  }

  @Test
  void aNamedServiceHasOneBreakerForEveryHost() throws Exception {
    FuseboxHttpClient client = FuseboxHttpClient.builder(JDK).registry(registry)
        .serviceKey(HttpBreakerKey.named("inventory"))
        .build();

    sendTimes(client, a.uri("/x"), 1);
    sendTimes(client, b.uri("/y"), 1);

    assertThat(names()).containsExactly("http:inventory");
    assertThat(successes(breaker("http:inventory"))).isEqualTo(2);
  }

  @Test
  void oneBadInstanceOpensOnlyItsInstanceBreaker() throws Exception {
    FuseboxHttpClient client = FuseboxHttpClient.builder(JDK).registry(registry)
        .serviceKey(HttpBreakerKey.named("users"))
        .instanceKey(HttpBreakerKey.hostAndPort())
        .circuitBreakerConfig(Fixtures.window(12, ticker))
        .instanceCircuitBreakerConfig(Fixtures.window(4, ticker))
        .build();
    b.always(Upstream.Reply.status(503));

    for (int round = 0; round < 4; round++) {
      for (Upstream instance : List.of(a, b, c)) {
        client.send(get(instance.uri("/users/1")), BodyHandlers.discarding());
      }
    }

    CircuitBreaker service = breaker("http:users");
    CircuitBreaker bad = breaker("http:users@127.0.0.1:" + b.port());
    assertThat(bad.state()).isEqualTo(State.OPEN);
    assertThat(breaker("http:users@127.0.0.1:" + a.port()).state()).isEqualTo(State.CLOSED);
    assertThat(breaker("http:users@127.0.0.1:" + c.port()).state()).isEqualTo(State.CLOSED);
    assertThat(service.state()).isEqualTo(State.CLOSED);

    long serviceCallsBefore = failures(service) + successes(service);
    assertThatThrownBy(() -> client.send(get(b.uri("/users/1")), BodyHandlers.discarding()))
        .isInstanceOfSatisfying(CallNotPermittedException.class,
            rejection -> assertThat(rejection.breakerName()).isEqualTo(bad.name()));
    assertThat(failures(service) + successes(service)).as("a rejection by the instance breaker counts for nothing")
        .isEqualTo(serviceCallsBefore);
    assertThat(b.requests()).isEqualTo(4);
  }

  @Test
  void everyInstanceBadOpensTheServiceBreaker() throws Exception {
    FuseboxHttpClient client = FuseboxHttpClient.builder(JDK).registry(registry)
        .serviceKey(HttpBreakerKey.named("users"))
        .instanceKey(HttpBreakerKey.hostAndPort())
        .build();
    for (Upstream instance : List.of(a, b, c)) {
      instance.always(Upstream.Reply.status(500));
    }

    for (Upstream instance : List.of(a, b, c, a)) {
      client.send(get(instance.uri("/users/1")), BodyHandlers.discarding());
    }

    assertThat(breaker("http:users").state()).isEqualTo(State.OPEN);
    assertThat(breaker("http:users@127.0.0.1:" + a.port()).state()).isEqualTo(State.CLOSED);
    assertThatThrownBy(() -> client.send(get(c.uri("/users/1")), BodyHandlers.discarding()))
        .isInstanceOfSatisfying(CallNotPermittedException.class,
            rejection -> assertThat(rejection.breakerName()).isEqualTo("http:users"));
    assertThat(c.requests()).isEqualTo(1);
  }

  @Test
  void aKeyOfNullLeavesTheLevelOut() {
    FuseboxHttpClient client = FuseboxHttpClient.builder(JDK).registry(registry)
        .serviceKey(request -> null)
        .instanceKey(HttpBreakerKey.hostAndPort())
        .build();

    assertThat(client.circuitBreakers(get(URI.create("http://10.0.0.5:8080/x"))))
        .extracting(CircuitBreaker::name).containsExactly("http:10.0.0.5:8080");
    assertThat(FuseboxHttpClient.builder(JDK).serviceKey(request -> " ").build()
        .circuitBreakers(get(URI.create("http://10.0.0.5:8080/x")))).isEmpty();
  }

  @Test
  void aHalfOpenServiceBreakerGetsItsTrialBackWhenTheInstanceRejects() throws Exception {
    FuseboxHttpClient client = FuseboxHttpClient.builder(JDK).registry(registry)
        .serviceKey(HttpBreakerKey.named("users"))
        .instanceKey(HttpBreakerKey.hostAndPort())
        .build();
    CircuitBreaker service = client.circuitBreakers(get(a.uri("/"))).get(0);
    CircuitBreaker instanceA = client.circuitBreakers(get(a.uri("/"))).get(1);
    service.transitionToHalfOpenState();
    instanceA.transitionToForcedOpenState();

    assertThatThrownBy(() -> client.send(get(a.uri("/")), BodyHandlers.discarding()))
        .isInstanceOf(CallNotPermittedException.class);
    HttpResponse<Void> trial = client.send(get(b.uri("/")), BodyHandlers.discarding());

    assertThat(trial.statusCode()).isEqualTo(200);
    assertThat(service.state()).as("the one permitted trial went to b and succeeded").isEqualTo(State.CLOSED);
  }

  @Test
  void anAsyncRejectionFailsTheFutureAndNeverThrows() throws Exception {
    FuseboxHttpClient client = FuseboxHttpClient.builder(JDK).registry(registry).build();
    client.circuitBreakers(get(a.uri("/"))).get(0).transitionToOpenState();

    CompletableFuture<HttpResponse<String>> future = client.sendAsync(get(a.uri("/")), BodyHandlers.ofString());

    assertThatThrownBy(future::get).isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(CallNotPermittedException.class);
    assertThat(a.requests()).isZero();
  }

  @Test
  void aRejectionCanBeASynthetic503WithRetryAfterAndTheBreakersName() throws Exception {
    FuseboxHttpClient client = FuseboxHttpClient.builder(JDK).registry(registry)
        .serviceUnavailableOnRejection(true)
        .build();
    CircuitBreaker breaker = client.circuitBreakers(get(a.uri("/"))).get(0);
    breaker.transitionToOpenState();
    ticker.advance(Duration.ofMillis(30_500));

    HttpResponse<String> sync = client.send(get(a.uri("/")), BodyHandlers.ofString());
    HttpResponse<String> async = client.sendAsync(get(a.uri("/")), BodyHandlers.ofString()).get();

    for (HttpResponse<String> response : List.of(sync, async)) {
      assertThat(response.statusCode()).isEqualTo(503);
      assertThat(response.body()).isEmpty();
      assertThat(response.headers().firstValue("Retry-After")).contains("30");
      assertThat(response.headers().firstValue("Fusebox-Circuit-Breaker")).contains(breaker.name());
      assertThat(response.uri()).isEqualTo(a.uri("/"));
    }
    assertThat(a.requests()).isZero();
  }

  @Test
  void aForcedOpenBreakersSynthetic503HasNoRetryAfter() throws Exception {
    FuseboxHttpClient client = FuseboxHttpClient.builder(JDK).registry(registry)
        .serviceUnavailableOnRejection(true)
        .build();
    client.circuitBreakers(get(a.uri("/"))).get(0).transitionToForcedOpenState();

    HttpResponse<byte[]> response = client.send(get(a.uri("/")), BodyHandlers.ofByteArray());

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.headers().firstValue("Retry-After")).isEmpty();
  }
}
