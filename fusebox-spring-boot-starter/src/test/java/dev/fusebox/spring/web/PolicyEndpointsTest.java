package dev.fusebox.spring.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusebox.bulkhead.AdaptiveBulkheadRegistry;
import dev.fusebox.bulkhead.BulkheadRegistry;
import dev.fusebox.ratelimiter.RateLimiterRegistry;
import dev.fusebox.retry.RetryRegistry;
import dev.fusebox.timelimiter.TimeLimiterRegistry;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The read-only {@code retries}, {@code bulkheads}, {@code ratelimiters} and {@code timelimiters} endpoints over HTTP. */
class PolicyEndpointsTest extends WebTest {

  @Autowired
  RetryRegistry retries;

  @Autowired
  BulkheadRegistry bulkheads;

  @Autowired
  AdaptiveBulkheadRegistry adaptiveBulkheads;

  @Autowired
  RateLimiterRegistry rateLimiters;

  @Autowired
  TimeLimiterRegistry timeLimiters;

  @SuppressWarnings("unchecked")
  private static Map<String, Object> section(String body, String key) {
    return (Map<String, Object>) json(body).get(key);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> config(Map<String, Object> details) {
    return (Map<String, Object>) details.get("config");
  }

  @Test
  void retriesListTheirCountsAndOneShowsItsConfiguration() throws Exception {
    retries.retry("endpoint-pricing").executeSupplier(() -> "ok");
    HttpResponse<String> list = get("/actuator/retries");
    assertThat(list.statusCode()).isEqualTo(200);
    assertThat(section(list.body(), "retries").get("endpoint-pricing"))
        .isEqualTo(Map.of("successfulCallsWithoutRetry", 1, "successfulCallsWithRetry", 0,
            "failedCallsWithoutRetry", 0, "failedCallsWithRetry", 0, "retryAttempts", 0, "budgetExhaustedCalls", 0));
    Map<String, Object> one = json(get("/actuator/retries/endpoint-pricing").body());
    assertThat(one).containsEntry("name", "endpoint-pricing");
    assertThat(config(one)).containsEntry("maxAttempts", 3).containsEntry("waitDuration", "PT0.5S");
    assertThat(get("/actuator/retries/nobody").statusCode()).isEqualTo(404);
  }

  @Test
  void bulkheadsListBothKindsAndTellThemApart() throws Exception {
    bulkheads.bulkhead("endpoint-reports").tryAcquirePermission();
    adaptiveBulkheads.bulkhead("endpoint-search");
    HttpResponse<String> list = get("/actuator/bulkheads");
    assertThat(list.statusCode()).isEqualTo(200);
    @SuppressWarnings("unchecked")
    Map<String, Object> reports = (Map<String, Object>) section(list.body(), "bulkheads").get("endpoint-reports");
    assertThat(reports).containsEntry("concurrentCalls", 1).containsEntry("availableConcurrentCalls", 24)
        .containsEntry("permittedCalls", 1);
    @SuppressWarnings("unchecked")
    Map<String, Object> search = (Map<String, Object>) section(list.body(), "adaptiveBulkheads").get("endpoint-search");
    assertThat(search).containsEntry("limit", 20).containsEntry("probing", false).doesNotContainKey("noLoadRttMicros");
    assertThat(json(get("/actuator/bulkheads/endpoint-reports").body())).containsEntry("type", "semaphore");
    Map<String, Object> adaptive = json(get("/actuator/bulkheads/endpoint-search").body());
    assertThat(adaptive).containsEntry("type", "adaptive");
    assertThat(config(adaptive)).containsEntry("maxLimit", 200).containsEntry("probeInterval", "PT1M");
    assertThat(get("/actuator/bulkheads/nobody").statusCode()).isEqualTo(404);
    bulkheads.bulkhead("endpoint-reports").onComplete();
  }

  @Test
  void rateLimitersAndTimeLimitersListTheirFigures() throws Exception {
    rateLimiters.rateLimiter("endpoint-partner").tryAcquirePermission();
    timeLimiters.timeLimiter("endpoint-slow").executeCompletionStage(() -> CompletableFuture.completedFuture("ok"))
        .toCompletableFuture().join();
    @SuppressWarnings("unchecked")
    Map<String, Object> partner =
        (Map<String, Object>) section(get("/actuator/ratelimiters").body(), "rateLimiters").get("endpoint-partner");
    assertThat(partner).containsEntry("successfulAcquisitions", 1).containsEntry("limitForPeriod", 50);
    assertThat(config(json(get("/actuator/ratelimiters/endpoint-partner").body())))
        .containsEntry("algorithm", "FIXED_WINDOW");
    @SuppressWarnings("unchecked")
    Map<String, Object> slow =
        (Map<String, Object>) section(get("/actuator/timelimiters").body(), "timeLimiters").get("endpoint-slow");
    assertThat(slow).isEqualTo(Map.of("successfulCalls", 1, "failedCalls", 0, "timedOutCalls", 0));
    assertThat(config(json(get("/actuator/timelimiters/endpoint-slow").body())))
        .containsEntry("timeoutDuration", "PT1S");
    assertThat(get("/actuator/ratelimiters/nobody").statusCode()).isEqualTo(404);
    assertThat(get("/actuator/timelimiters/nobody").statusCode()).isEqualTo(404);
  }
}
