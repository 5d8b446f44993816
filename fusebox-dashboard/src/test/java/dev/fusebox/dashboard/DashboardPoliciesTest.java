package dev.fusebox.dashboard;

import static dev.fusebox.dashboard.Requests.json;
import static dev.fusebox.dashboard.Requests.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fusebox.bulkhead.AdaptiveBulkheadConfig;
import dev.fusebox.bulkhead.AdaptiveBulkheadRegistry;
import dev.fusebox.bulkhead.Bulkhead;
import dev.fusebox.bulkhead.BulkheadConfig;
import dev.fusebox.bulkhead.BulkheadRegistry;
import dev.fusebox.chaos.Chaos;
import dev.fusebox.chaos.ChaosConfig;
import dev.fusebox.chaos.ChaosRegistry;
import dev.fusebox.chaos.ChaosSettings;
import dev.fusebox.ratelimiter.RateLimiterConfig;
import dev.fusebox.ratelimiter.RateLimiterRegistry;
import dev.fusebox.retry.Retry;
import dev.fusebox.retry.RetryConfig;
import dev.fusebox.retry.RetryRegistry;
import dev.fusebox.timelimiter.TimeLimiterConfig;
import dev.fusebox.timelimiter.TimeLimiterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The sections of the policies other than breakers, and the chaos controls, through the transport-neutral handler. */
class DashboardPoliciesTest {

  private static final String TOKEN = "policies-test-token-01234";

  private final Breakers breakers = new Breakers();
  private final RetryRegistry retries = RetryRegistry.of(RetryConfig.builder().maxAttempts(3).waitDuration(Duration.ZERO).build());
  private final BulkheadRegistry bulkheads = BulkheadRegistry.of(BulkheadConfig.builder().maxConcurrentCalls(2).build());
  private final AdaptiveBulkheadRegistry adaptive =
      AdaptiveBulkheadRegistry.of(AdaptiveBulkheadConfig.builder().initialLimit(12).maxLimit(50).build());
  private final RateLimiterRegistry rateLimiters =
      RateLimiterRegistry.of(RateLimiterConfig.builder().limitForPeriod(5).ticker(breakers.ticker).build());
  private final TimeLimiterRegistry timeLimiters =
      TimeLimiterRegistry.of(TimeLimiterConfig.builder().timeoutDuration(Duration.ofMillis(800)).build());
  private final ChaosRegistry chaos = ChaosRegistry.ofDefaults();
  private DashboardHandler handler;

  @AfterEach
  void close() {
    if (handler != null) {
      handler.close();
    }
  }

  private DashboardHandler handler() {
    handler =
        Dashboard.builder(breakers.registry)
            .rateLimiterRegistry(rateLimiters)
            .chaosRegistry(chaos)
            .adaptiveBulkheadRegistry(adaptive)
            .retryRegistry(retries)
            .bulkheadRegistry(bulkheads)
            .timeLimiterRegistry(timeLimiters)
            .status(() -> StatusCard.of("Fleet", "SHARED", StatusCard.Tone.GOOD).withFact("Instance", "demo-1").withNote("joined"))
            .ticker(breakers.ticker)
            .token(TOKEN)
            .manualSampling()
            .buildHandler();
    return handler;
  }

  private Map<String, Object> snapshot() {
    return json(handler.handle(request("GET", "/api/snapshot", "X-Fusebox-Token", TOKEN)));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> section(Map<String, Object> snapshot, String kind) {
    for (Map<String, Object> section : (List<Map<String, Object>>) snapshot.get("sections")) {
      if (section.get("kind").equals(kind)) {
        return section;
      }
    }
    throw new AssertionError("no section " + kind);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> instance(Map<String, Object> snapshot, String kind, String name) {
    for (Map<String, Object> instance : (List<Map<String, Object>>) section(snapshot, kind).get("instances")) {
      if (instance.get("name").equals(name)) {
        return instance;
      }
    }
    throw new AssertionError("no " + kind + " " + name);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object value) {
    return (Map<String, Object>) value;
  }

  private DashboardResponse post(String path, String body, String... headers) {
    return handler.handle(request("POST", path, body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8), headers));
  }

  private DashboardResponse act(String path, String body) {
    return post(path, body, "X-Fusebox-Token", TOKEN, "Content-Type", "application/json");
  }

  private void tick() {
    breakers.ticker.advance(Duration.ofSeconds(1));
    handler.sampleNow();
  }

  @Test
  void aDashboardOfBreakersAloneHasTheirSectionAlone() {
    handler = Dashboard.builder(breakers.registry).token(TOKEN).manualSampling().buildHandler();

    @SuppressWarnings("unchecked")
    List<Map<String, Object>> sections = (List<Map<String, Object>>) snapshot().get("sections");

    assertThat(sections).extracting(s -> s.get("kind")).containsExactly("circuitbreaker");
    assertThat(handler.handle(request("GET", "/api/chaos/upstream", "X-Fusebox-Token", TOKEN)).status()).isEqualTo(404);
  }

  @Test
  void listsEveryKindInTheOrderOfThePageWhateverOrderTheOptionsCameIn() {
    handler();

    @SuppressWarnings("unchecked")
    List<Map<String, Object>> sections = (List<Map<String, Object>>) snapshot().get("sections");

    assertThat(sections)
        .extracting(s -> s.get("kind"))
        .containsExactly(
            "circuitbreaker", "status", "chaos", "retry", "timelimiter", "bulkhead", "adaptivebulkhead", "ratelimiter");
    assertThat(section(snapshot(), "chaos").get("actions")).isEqualTo(List.of("outage", "slowdown", "healthy", "set", "enable", "disable"));
    assertThat(section(snapshot(), "retry").get("actions")).isEqualTo(List.of());
  }

  @Test
  void showsEachPolicysFiguresAndRatesPerSecond() {
    handler();
    Retry retry = retries.retry("upstream");
    Bulkhead bulkhead = bulkheads.bulkhead("upstream");
    adaptive.bulkhead("search");
    rateLimiters.rateLimiter("partner");
    timeLimiters.timeLimiter("upstream");
    tick();

    int[] attempts = {0};
    retry.executeSupplier(() -> {
      if (attempts[0]++ < 2) {
        throw new IllegalStateException("flaky");
      }
      return "ok";
    });
    retry.executeSupplier(() -> "ok");
    assertThat(bulkhead.tryAcquirePermission()).isTrue();
    assertThat(rateLimiters.rateLimiter("partner").tryAcquirePermission(5)).isTrue();
    assertThat(rateLimiters.rateLimiter("partner").tryAcquirePermission()).isFalse();
    tick();

    Map<String, Object> snapshot = snapshot();
    Map<String, Object> r = instance(snapshot, "retry", "upstream");
    assertThat(r.get("maxAttempts")).isEqualTo(3.0);
    assertThat(map(r.get("totals"))).containsEntry("successfulWithRetry", 1.0).containsEntry("retryAttempts", 2.0);
    assertThat(map(r.get("rates"))).containsEntry("calls", 2.0).containsEntry("retries", 2.0).containsEntry("failed", 0.0);
    assertThat(map(r.get("history"))).containsEntry("calls", List.of(2.0));

    Map<String, Object> b = instance(snapshot, "bulkhead", "upstream");
    assertThat(b).containsEntry("state", "AVAILABLE").containsEntry("concurrentCalls", 1.0).containsEntry("maxConcurrentCalls", 2.0);
    assertThat(map(b.get("rates"))).containsEntry("permitted", 1.0).containsEntry("concurrent", 1.0);
    assertThat(bulkhead.tryAcquirePermission()).isTrue();
    assertThat(instance(snapshot(), "bulkhead", "upstream")).containsEntry("state", "FULL");

    Map<String, Object> a = instance(snapshot, "adaptivebulkhead", "search");
    assertThat(a).containsEntry("limit", 12.0).containsEntry("minLimit", 1.0).containsEntry("maxLimit", 50.0);
    assertThat(map(a.get("history"))).containsEntry("limit", List.of(12.0));

    Map<String, Object> l = instance(snapshot, "ratelimiter", "partner");
    // A new period began with the tick.
    assertThat(l).containsEntry("state", "AVAILABLE").containsEntry("limitForPeriod", 5.0).containsEntry("algorithm", "FIXED_WINDOW");
    assertThat(map(l.get("rates"))).containsEntry("acquired", 1.0).containsEntry("refused", 1.0);
    assertThat(rateLimiters.rateLimiter("partner").tryAcquirePermission(5)).isTrue();
    assertThat(instance(snapshot(), "ratelimiter", "partner")).containsEntry("state", "EXHAUSTED").containsEntry("availablePermissions", 0.0);

    assertThat(instance(snapshot, "timelimiter", "upstream")).containsEntry("timeoutMillis", 800.0);
    assertThat(instance(snapshot, "status", "Fleet")).containsEntry("state", "SHARED").containsEntry("tone", "good");
  }

  @Test
  void chaosControlsNeedTheToken() {
    handler();
    Chaos upstream = chaos.chaos("upstream");

    assertThat(post("/api/chaos/upstream/outage", null).status()).isEqualTo(401);
    assertThat(post("/api/chaos/upstream/outage", null, "X-Fusebox-Token", "wrong-token-0123456789").status()).isEqualTo(403);
    assertThat(post("/api/chaos/upstream/set", "{\"faultRate\": 1}", "Content-Type", "application/json").status()).isEqualTo(401);
    assertThat(upstream.settings().faultRate()).isZero();
    // Read-only kinds have no actions at all.
    assertThat(act("/api/retry/upstream/reset", null).status()).isIn(400, 404);
  }

  @Test
  void chaosControlsChangeTheSettingsAndAnswerThePolicyAsItIsNow() {
    handler();
    Chaos upstream = chaos.chaos("upstream");

    Map<String, Object> outage = json(act("/api/chaos/upstream/outage", null));
    assertThat(outage).containsEntry("state", "OUTAGE").containsEntry("faultRate", 1.0);
    assertThat(upstream.settings().faultRate()).isEqualTo(1.0);

    assertThat(json(act("/api/chaos/upstream/healthy", null))).containsEntry("state", "HEALTHY").containsEntry("faultRate", 0.0);

    Map<String, Object> slow = json(act("/api/chaos/upstream/slowdown", "{\"latencyMillis\": 800}"));
    assertThat(slow).containsEntry("state", "SLOW").containsEntry("latencyRate", 1.0).containsEntry("latencyMillis", 800.0);
    assertThat(upstream.settings().latency()).isEqualTo(Duration.ofMillis(800));

    Map<String, Object> set = json(act("/api/chaos/upstream/set", "{\"faultRate\": 0.25, \"latencyRate\": 0.5, \"latencyMillis\": 120}"));
    assertThat(set).containsEntry("state", "FAULTY").containsEntry("faultRate", 0.25).containsEntry("latencyRate", 0.5)
        .containsEntry("latencyMillis", 120.0);

    assertThat(json(act("/api/chaos/upstream/disable", null))).containsEntry("state", "DISABLED").containsEntry("enabled", false);
    assertThat(json(act("/api/chaos/upstream/enable", null))).containsEntry("state", "FAULTY");
    assertThat(json(act("/api/chaos/upstream/healthy", null))).containsEntry("state", "HEALTHY");
  }

  @Test
  void chaosControlsValidateTheirInputAndChangeNothingWhenItIsWrong() {
    handler();
    Chaos upstream = chaos.chaos("upstream");
    ChaosSettings before = upstream.settings();

    Map<String, String> refused = new java.util.LinkedHashMap<>();
    refused.put("{\"faultRate\": 1.5}", "faultRate must be in [0, 1], was 1.5");
    refused.put("{\"faultRate\": -0.1}", "faultRate must be in [0, 1], was -0.1");
    refused.put("{\"latencyRate\": 2}", "latencyRate must be in [0, 1], was 2");
    refused.put("{\"latencyMillis\": 60001}", "latencyMillis must be a whole number in [0, 60000], was 60001");
    refused.put("{\"latencyMillis\": -5}", "latencyMillis must be a whole number in [0, 60000], was -5");
    refused.put("{\"latencyMillis\": 12.5}", "latencyMillis must be a whole number in [0, 60000], was 12.5");
    refused.put("{\"faultRate\": \"half\"}", "faultRate must be a number, was a string");
    refused.put("{\"faultRate\": 0.5, \"fautlRate\": 1}", "unknown member fautlRate");
    refused.put("{\"faultRate\": {\"value\": 1}}", "flat object");
    refused.put("{\"faultRate\": 0.5", "ends too early");
    refused.put("[0.5]", "not a flat JSON object");
    refused.put("{\"faultRate\": 1e999}", "out of range");
    refused.put("{\"faultRate\": 0.5, \"faultRate\": 0.1}", "twice");
    refused.put("{}", "set needs at least one of");
    refused.put("{\"resultRate\": 0.5}", "needs a result to inject");
    for (Map.Entry<String, String> entry : refused.entrySet()) {
      DashboardResponse response = act("/api/chaos/upstream/set", entry.getKey());
      assertThat(response.status()).as(entry.getKey()).isEqualTo(400);
      assertThat(json(response).get("error").toString()).as(entry.getKey()).contains(entry.getValue());
    }
    assertThat(act("/api/chaos/upstream/slowdown", "{\"latencyMillis\": 3600000}").status()).isEqualTo(400);
    assertThat(act("/api/chaos/upstream/outage", "{\"faultRate\": 0.5}").status()).isEqualTo(400);
    assertThat(act("/api/chaos/upstream/explode", null).status()).isEqualTo(400);
    assertThat(act("/api/chaos/nope/outage", null).status()).isEqualTo(404);
    assertThat(upstream.settings()).isSameAs(before);
    assertThat(chaos.find("nope")).isEmpty();
  }

  @Test
  void anErrorResultRateIsAcceptedWhereThePolicyHasAResultToInject() {
    handler();
    chaos.chaos("payments", ChaosConfig.builder().result(() -> "HTTP 500").build());

    Map<String, Object> set = json(act("/api/chaos/payments/set", "{\"resultRate\": 0.3}"));

    assertThat(set).containsEntry("resultRate", 0.3).containsEntry("resultAvailable", true).containsEntry("state", "FAULTY");
  }

  @Test
  void settingsChangesBecomeEventsOnTheCardAndOnTheStream() {
    handler();
    Chaos upstream = chaos.chaos("upstream");
    tick();

    upstream.update(ChaosSettings::outage);
    JsonWriter events = new JsonWriter().beginArray();
    tick();

    @SuppressWarnings("unchecked")
    List<Map<String, Object>> onCard = (List<Map<String, Object>>) instance(snapshot(), "chaos", "upstream").get("events");
    assertThat(onCard).hasSize(1);
    assertThat(onCard.get(0)).containsEntry("type", "SETTINGS_CHANGED").containsEntry("state", "OUTAGE")
        .containsEntry("faultRate", 1.0).containsEntry("kind", "chaos").containsEntry("name", "upstream");
    // Announced once: the stream's tick already took it.
    assertThat(handler.panelsForTest().get(2).writeNewEvents(events)).isZero();
  }

  @Test
  void aStatusCardWhoseSupplierThrowsIsShownUnavailable() {
    handler =
        Dashboard.builder(breakers.registry)
            .status(() -> {
              throw new IllegalStateException("secret detail");
            })
            .token(TOKEN)
            .manualSampling()
            .buildHandler();

    Map<String, Object> card = instance(snapshot(), "status", "Status 1");

    assertThat(card).containsEntry("state", "UNAVAILABLE").containsEntry("tone", "bad");
    assertThat(card.get("notes").toString()).contains("IllegalStateException").doesNotContain("secret detail");
  }
}
