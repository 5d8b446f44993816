package dev.fusebox.http;

import static dev.fusebox.http.Fixtures.JDK;
import static dev.fusebox.http.Fixtures.get;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fusebox.circuitbreaker.CircuitBreaker;
import dev.fusebox.circuitbreaker.CircuitBreaker.State;
import dev.fusebox.circuitbreaker.CircuitBreakerRegistry;
import dev.fusebox.testing.ManualTicker;
import java.net.URI;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A 503 or 429 with Retry-After lengthens the open wait when the server asks for more, within the cap. */
class RetryAfterOpenWaitTest {

  private static final Instant NOW = Instant.parse("2026-10-21T07:26:00Z");

  private final ManualTicker ticker = new ManualTicker();
  private final CircuitBreakerRegistry registry = CircuitBreakerRegistry.of(Fixtures.window(1, ticker));
  private final Upstream upstream = Upstream.start();
  private final URI uri = upstream.uri("/quotes");
  private final FuseboxHttpClient client = FuseboxHttpClient.builder(JDK)
      .registry(registry)
      .wallClock(Clock.fixed(NOW, ZoneOffset.UTC))
      .maxOpenWaitFromRetryAfter(Duration.ofMinutes(10))
      .build();
  private final CircuitBreaker breaker = client.circuitBreakers(get(uri)).get(0);

  @AfterEach
  void stop() {
    upstream.close();
  }

  private void answer(int status, String retryAfter) throws Exception {
    upstream.then(Upstream.Reply.status(status, "Retry-After", retryAfter));
    client.send(get(uri), BodyHandlers.discarding());
  }

  @Test
  void aLongerDeltaSecondsBecomesTheOpenWait() throws Exception {
    answer(503, "120");

    assertThat(breaker.state()).isEqualTo(State.OPEN);
    assertThat(breaker.metrics().nextTrialIn()).contains(Duration.ofSeconds(120));
  }

  @Test
  void aLongerHttpDateBecomesTheOpenWait() throws Exception {
    answer(429, "Wed, 21 Oct 2026 07:31:00 GMT");

    assertThat(breaker.metrics().nextTrialIn()).contains(Duration.ofMinutes(5));
  }

  @Test
  void aShorterWaitLeavesTheBreakersOwn() throws Exception {
    answer(503, "5");

    assertThat(breaker.metrics().nextTrialIn()).contains(Duration.ofSeconds(60));
  }

  @Test
  void aWaitBeyondTheCapIsCutToIt() throws Exception {
    answer(503, "86400");

    assertThat(breaker.metrics().nextTrialIn()).contains(Duration.ofMinutes(10));
  }

  @Test
  void otherStatusesRetryAfterIsNotAnOpenWait() throws Exception {
    answer(500, "120");

    assertThat(breaker.state()).isEqualTo(State.OPEN);
    assertThat(breaker.metrics().nextTrialIn()).contains(Duration.ofSeconds(60));
  }

  @Test
  void aClosedBreakerIsNotOpenedByRetryAfterAlone() throws Exception {
    CircuitBreakerRegistry roomy = CircuitBreakerRegistry.of(Fixtures.window(10, ticker));
    FuseboxHttpClient patient = FuseboxHttpClient.builder(JDK).registry(roomy).build();
    upstream.then(Upstream.Reply.status(503, "Retry-After", "120"));

    patient.send(get(uri), BodyHandlers.discarding());

    assertThat(patient.circuitBreakers(get(uri)).get(0).state()).isEqualTo(State.CLOSED);
  }

  @Test
  void aResponseArrivingWhileTheBreakerIsAlreadyOpenLengthensItsWait() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    upstream.then(Upstream.Reply.status(503, "Retry-After", "300").after(release));
    CompletableFuture<HttpResponse<Void>> inFlight = client.sendAsync(get(uri), BodyHandlers.discarding());
    Fixtures.awaitTrue("the request reached the server", () -> upstream.requests() == 1);
    breaker.transitionToOpenState();
    ticker.advance(Duration.ofSeconds(20));

    release.countDown();
    Fixtures.awaitDone(inFlight);

    assertThat(inFlight.get().statusCode()).isEqualTo(503);
    assertThat(breaker.metrics().nextTrialIn()).contains(Duration.ofSeconds(300));
  }

  @Test
  void aLaterAndShorterRetryAfterDoesNotShortenTheWait() throws Exception {
    answer(503, "300");
    breaker.transitionToHalfOpenState();
    answer(503, "10");

    assertThat(breaker.state()).isEqualTo(State.OPEN);
    assertThat(breaker.metrics().nextTrialIn().orElseThrow()).isGreaterThanOrEqualTo(Duration.ofSeconds(60));
  }
}
