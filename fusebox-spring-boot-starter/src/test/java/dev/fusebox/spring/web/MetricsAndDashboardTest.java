package dev.fusebox.spring.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusebox.bulkhead.BulkheadRegistry;
import dev.fusebox.circuitbreaker.CircuitBreaker;
import dev.fusebox.circuitbreaker.CircuitBreakerRegistry;
import dev.fusebox.retry.RetryRegistry;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The Prometheus scrape shows the breakers; the dashboard answers at its path and keeps needing its token. */
class MetricsAndDashboardTest extends WebTest {

  private static final String TOKEN = "X-Fusebox-Token";

  @Autowired
  CircuitBreakerRegistry registry;

  @Autowired
  BulkheadRegistry bulkheads;

  @Autowired
  RetryRegistry retries;

  @AfterEach
  void closeAgain() {
    registry.all().forEach(CircuitBreaker::endDeployMode); // an operator's switch, which reset leaves on
    registry.all().forEach(CircuitBreaker::reset);
  }

  @Test
  void thePrometheusScrapeHasEveryBreakersState() throws Exception {
    registry.circuitBreaker("payments").transitionToForcedOpenState();
    HttpResponse<String> scrape = get("/actuator/prometheus");
    assertThat(scrape.statusCode()).isEqualTo(200);
    assertThat(scrape.body())
        .contains("fusebox_circuitbreaker_state{name=\"inventory\",state=\"closed\"} 1.0")
        .contains("fusebox_circuitbreaker_state{name=\"payments\",state=\"forced_open\"} 1.0")
        .contains("fusebox_circuitbreaker_calls_total{kind=\"successful\",name=\"inventory\"}");
  }

  @Test
  void thePrometheusScrapeHasEveryOtherPolicyToo() throws Exception {
    bulkheads.bulkhead("reports").executeSupplier(() -> "ok");
    retries.retry("pricing").executeSupplier(() -> "ok");
    String body = get("/actuator/prometheus").body();
    assertThat(body)
        .contains("fusebox_bulkhead_calls_total{kind=\"permitted\",name=\"reports\"} 1.0")
        .contains("fusebox_retry_calls_total{kind=\"successful_without_retry\",name=\"pricing\"} 1.0")
        .contains("fusebox_bulkhead_available_concurrent_calls{name=\"reports\"}");
    bulkheads.remove("reports");
    assertThat(get("/actuator/prometheus").body()).doesNotContain("name=\"reports\"");
  }

  @Test
  void servesThePageAtItsPathWithoutTheToken() throws Exception {
    HttpResponse<String> page = get("/ops/fusebox/");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
    assertThat(page.headers().firstValue("Content-Security-Policy")).isPresent();
    assertThat(get("/ops/fusebox").statusCode()).isEqualTo(308);
  }

  @Test
  void readsNeedTheToken() throws Exception {
    assertThat(get("/ops/fusebox/api/snapshot").statusCode()).isEqualTo(401);
    assertThat(get("/ops/fusebox/api/snapshot", TOKEN, "wrong-token-0123456789").statusCode()).isEqualTo(403);
    HttpResponse<String> snapshot = get("/ops/fusebox/api/snapshot", TOKEN, "test-token-0123456789");
    assertThat(snapshot.statusCode()).isEqualTo(200);
    assertThat(snapshot.body()).contains("\"name\":\"inventory\"").contains("\"kind\":\"circuitbreaker\"");
    // The application's registries of the other policies are on the page too.
    assertThat(snapshot.body()).contains("\"kind\":\"retry\"").contains("\"kind\":\"bulkhead\"")
        .contains("\"kind\":\"adaptivebulkhead\"").contains("\"kind\":\"ratelimiter\"")
        .contains("\"kind\":\"timelimiter\"");
  }

  @Test
  void streamsLiveSnapshotsThroughTheApplicationsServer() throws Exception {
    java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(
            java.net.URI.create("http://127.0.0.1:" + port + "/ops/fusebox/api/stream"))
        .header(TOKEN, "test-token-0123456789").GET().build();
    HttpResponse<java.io.InputStream> stream = HTTP.send(request, HttpResponse.BodyHandlers.ofInputStream());
    assertThat(stream.statusCode()).isEqualTo(200);
    assertThat(stream.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/event-stream"));
    try (java.io.BufferedReader lines = new java.io.BufferedReader(
        new java.io.InputStreamReader(stream.body(), java.nio.charset.StandardCharsets.UTF_8))) {
      String line;
      int snapshots = 0;
      // Two snapshots: the one a new stream starts with, and one pushed by the sampler (every 100 ms here).
      while (snapshots < 2 && (line = lines.readLine()) != null) {
        if (line.equals("event: snapshot")) {
          snapshots++;
        }
      }
      assertThat(snapshots).isEqualTo(2);
    }
  }

  @Test
  void controlsNeedTheTokenAndMoveTheApplicationsBreaker() throws Exception {
    assertThat(post("/ops/fusebox/api/circuitbreaker/inventory/force-open", null).statusCode()).isEqualTo(401);
    assertThat(registry.circuitBreaker("inventory").state()).isEqualTo(CircuitBreaker.State.CLOSED);
    HttpResponse<String> forced =
        post("/ops/fusebox/api/circuitbreaker/inventory/force-open", null, TOKEN, "test-token-0123456789");
    assertThat(forced.statusCode()).isEqualTo(200);
    assertThat(forced.body()).contains("\"state\":\"FORCED_OPEN\"");
    assertThat(registry.circuitBreaker("inventory").state()).isEqualTo(CircuitBreaker.State.FORCED_OPEN);
  }

  @Test
  void deployModeGoesThroughTheApplicationsDashboardWithItsDuration() throws Exception {
    HttpResponse<String> on = post("/ops/fusebox/api/circuitbreaker/inventory/deploy-mode",
        "{\"durationMillis\": 120000}", TOKEN, "test-token-0123456789");
    assertThat(on.statusCode()).isEqualTo(200);
    assertThat(on.body()).contains("\"deployModeRemainingMillis\":").contains("\"type\":\"DEPLOY_MODE_CHANGED\"");
    assertThat(registry.circuitBreaker("inventory").deployModeRemaining()).hasValueSatisfying(left -> assertThat(left)
        .isBetween(java.time.Duration.ofSeconds(100), java.time.Duration.ofMinutes(2)));

    HttpResponse<String> off =
        post("/ops/fusebox/api/circuitbreaker/inventory/end-deploy-mode", null, TOKEN, "test-token-0123456789");
    assertThat(off.statusCode()).isEqualTo(200);
    assertThat(off.body()).contains("\"deployModeRemainingMillis\":null");
    assertThat(registry.circuitBreaker("inventory").deployModeRemaining()).isEmpty();
  }
}
