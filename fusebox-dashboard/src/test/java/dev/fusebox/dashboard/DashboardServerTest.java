package dev.fusebox.dashboard;

import static dev.fusebox.dashboard.Client.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fusebox.circuitbreaker.CircuitBreaker;
import dev.fusebox.circuitbreaker.CircuitBreaker.State;
import dev.fusebox.circuitbreaker.CircuitBreakerConfig;
import dev.fusebox.testsupport.Json;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The standalone dashboard on the JDK's HTTP server, driven through the JDK's HTTP client. */
class DashboardServerTest {

  private static final String TOKEN = "server-test-token-0123";

  private final Breakers breakers = new Breakers();
  private Dashboard dashboard;
  private Client client;

  @BeforeEach
  void start() {
    dashboard = Dashboard.builder(breakers.registry).token(TOKEN).ticker(breakers.ticker).manualSampling().start();
    client = new Client(dashboard.url());
  }

  @AfterEach
  void stop() {
    dashboard.close();
  }

  private static void await(String what, BooleanSupplier condition, Runnable between) {
    long deadline = System.nanoTime() + Client.DEADLINE.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + Client.DEADLINE + ": " + what);
      }
      between.run();
      LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> instance(Map<String, Object> snapshot, String name) {
    List<Map<String, Object>> sections = (List<Map<String, Object>>) snapshot.get("sections");
    for (Map<String, Object> instance : (List<Map<String, Object>>) sections.get(0).get("instances")) {
      if (instance.get("name").equals(name)) {
        return instance;
      }
    }
    return null;
  }

  @Test
  void listensOnLoopbackAtAFreePortAndLogsNoConfiguredToken() {
    assertThat(dashboard.url().toString()).isEqualTo("http://127.0.0.1:" + dashboard.port() + "/");
    assertThat(dashboard.urlWithToken().getFragment()).isEqualTo("token=" + TOKEN);
    assertThat(dashboard.token()).isEqualTo(TOKEN);
  }

  @Test
  void servesTheFileSetWithSecurityHeaders() {
    HttpResponse<String> page = client.get("/");
    HttpResponse<String> script = client.get("/dashboard.js");

    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Security-Policy")).hasValue(StaticResources.PAGE_POLICY);
    assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    assertThat(page.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
    assertThat(page.headers().firstValue("X-Frame-Options")).hasValue("DENY");
    assertThat(page.headers().map().keySet()).noneMatch(name -> name.toLowerCase(Locale.ROOT).startsWith("access-control"));
    assertThat(page.body()).contains("<title>Fusebox dashboard</title>");
    assertThat(script.headers().firstValue("Content-Type")).hasValue("text/javascript; charset=utf-8");
    assertThat(client.get("/../pom.xml").statusCode()).isEqualTo(404);
    assertThat(client.get("/%2e%2e/%2e%2e/pom.xml").statusCode()).isEqualTo(404);
    assertThat(client.get("/dev/fusebox/dashboard/Dashboard.class").statusCode()).isEqualTo(404);
  }

  @Test
  void theSnapshotShowsEachBreakersStateAndFigures() {
    CircuitBreaker catalog = breakers.registry.circuitBreaker("catalog");
    CircuitBreaker inventory = breakers.registry.circuitBreaker("inventory");
    CircuitBreaker payments =
        breakers.registry.circuitBreaker(
            "payments", breakers.registry.defaultConfig().toBuilder().recoveryRamp(Duration.ofSeconds(30)).build());
    dashboard.handler().sampleNow();
    Breakers.succeed(catalog, 8);
    Breakers.trip(inventory);
    Breakers.reject(inventory, 5);
    payments.transitionToOpenState();
    breakers.ticker.advance(Duration.ofSeconds(10));
    // payments' wait is over at 30 s; its two trials succeed and it closes through the ramp.
    breakers.ticker.advance(Duration.ofSeconds(25));
    Breakers.succeed(payments, 2);
    dashboard.handler().sampleNow();
    breakers.ticker.advance(Duration.ofSeconds(1));

    Map<String, Object> snapshot = json(client.get("/api/snapshot"));

    assertThat(snapshot).containsEntry("version", 1.0).containsEntry("tick", 2.0)
        .containsEntry("samplingIntervalMillis", 1000.0).containsEntry("historySize", 300.0)
        .containsEntry("access", Map.of("control", false));
    @SuppressWarnings("unchecked")
    Map<String, Object> section = ((List<Map<String, Object>>) snapshot.get("sections")).get(0);
    assertThat(section).containsEntry("kind", "circuitbreaker").containsEntry("title", "Circuit breakers")
        .containsEntry("actions", List.of("force-open", "disable", "close", "reset", "deploy-mode", "end-deploy-mode"));
    assertThat((List<?>) section.get("instances")).hasSize(3);

    Map<String, Object> open = instance(snapshot, "inventory");
    assertThat(open).containsEntry("state", "OPEN").containsEntry("allowsCalls", false)
        .containsEntry("failureRate", 60.0).containsEntry("failureRateThreshold", 50.0)
        .containsEntry("slowCallRate", 0.0).containsEntry("bufferedCalls", 10.0).containsEntry("failedCalls", 6.0)
        .containsEntry("notPermittedCalls", 5.0).containsEntry("minimumNumberOfCalls", 10.0)
        .containsEntry("rampPercent", 100.0);
    // Opened at 0 s with a 30 s wait; the clock reads 36 s: the wait is over, the next call is a trial.
    assertThat(open.get("nextTrialMillis")).isEqualTo(0.0);
    assertThat(open.get("totals")).isEqualTo(Map.of("successful", 4.0, "failed", 6.0, "ignored", 0.0,
        "notPermitted", 5.0, "slowSuccessful", 0.0, "slowFailed", 0.0));
    // 10 calls ran and 5 were rejected in the 35 s between the two samples.
    assertThat(open.get("rates")).isEqualTo(Map.of("tick", 2.0, "calls", 10 / 35.0, "failed", 6 / 35.0, "rejected", 5 / 35.0));
    assertThat(open.get("events")).asList().hasSize(2);

    Map<String, Object> recovering = instance(snapshot, "payments");
    assertThat(recovering).containsEntry("state", "CLOSED").containsEntry("rampPercent", 10.0)
        .containsEntry("nextTrialMillis", null).containsEntry("failureRate", null);
    Map<String, Object> healthy = instance(snapshot, "catalog");
    assertThat(healthy).containsEntry("state", "CLOSED").containsEntry("bufferedCalls", 8.0)
        .containsEntry("failureRate", null).containsEntry("timeInStateMillis", 36_000.0);
  }

  @Test
  void aLiveReconfigurationIsAnEventThatSaysWhatChanged() {
    CircuitBreaker inventory = breakers.registry.circuitBreaker("inventory");
    double before = inventory.config().failureRateThreshold();
    inventory.reconfigure(inventory.config().toBuilder().failureRateThreshold(25).build());

    Map<String, Object> instance = json(client.get("/api/circuitbreaker/inventory"));

    @SuppressWarnings("unchecked")
    List<Map<String, Object>> events = (List<Map<String, Object>>) instance.get("events");
    assertThat(events).singleElement().satisfies(event -> assertThat(event)
        .containsEntry("type", "CONFIGURATION_CHANGED")
        .containsEntry("name", "inventory")
        .containsEntry("changes", "failureRateThreshold " + before + " → 25.0"));
  }

  @Test
  void theNextTrialCountsDownWhileOpen() {
    CircuitBreaker inventory = breakers.registry.circuitBreaker("inventory");
    Breakers.trip(inventory);
    breakers.ticker.advance(Duration.ofSeconds(12));

    Map<String, Object> instance = json(client.get("/api/circuitbreaker/inventory"));

    assertThat(instance).containsEntry("state", "OPEN").containsEntry("nextTrialMillis", 18_000.0)
        .containsEntry("timeInStateMillis", 12_000.0);
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> events = (List<Map<String, Object>>) instance.get("events");
    assertThat(events).extracting(e -> e.get("type")).containsExactly("FAILURE_RATE_EXCEEDED", "STATE_TRANSITION");
    assertThat(events.get(1)).containsEntry("from", "CLOSED").containsEntry("to", "OPEN")
        .containsEntry("kind", "circuitbreaker").containsEntry("name", "inventory");
    assertThat(events.get(0)).containsEntry("failureRate", 60.0);
  }

  @Test
  void theStreamSendsASnapshotEveryTickAndTheNewEvents() throws Exception {
    CircuitBreaker inventory = breakers.registry.circuitBreaker("inventory");
    dashboard.handler().sampleNow();

    try (Client.EventStream stream = client.stream("/api/stream")) {
      assertThat(stream.response.statusCode()).isEqualTo(200);
      assertThat(stream.response.headers().firstValue("Content-Type")).hasValue("text/event-stream; charset=utf-8");
      // A new stream starts with the latest snapshot.
      Client.Event first = stream.next("snapshot");
      assertThat(first.id()).isEqualTo("1");
      assertThat(instance(parse(first), "inventory")).containsEntry("state", "CLOSED").doesNotContainKey("history");

      Breakers.trip(inventory);
      breakers.ticker.advance(Duration.ofSeconds(1));
      dashboard.handler().sampleNow();

      Client.Event events = stream.next("events");
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> list = (List<Map<String, Object>>) parse(events).get("events");
      assertThat(list).extracting(e -> e.get("type")).containsExactly("FAILURE_RATE_EXCEEDED", "STATE_TRANSITION");
      Client.Event next = stream.next("snapshot");
      assertThat(next.id()).isEqualTo("2");
      Map<String, Object> open = instance(parse(next), "inventory");
      assertThat(open).containsEntry("state", "OPEN");
      assertThat(open.get("rates")).isEqualTo(Map.of("tick", 2.0, "calls", 10.0, "failed", 6.0, "rejected", 0.0));

      // Events are announced once: the next tick sends a snapshot only.
      dashboard.handler().sampleNow();
      Client.Event third = stream.next();
      assertThat(third.type()).isEqualTo("snapshot");
      assertThat(third.id()).isEqualTo("3");
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> parse(Client.Event event) {
    return (Map<String, Object>) Json.parse(event.data());
  }

  @Test
  void aStreamWhoseClientLeftIsReleased() throws Exception {
    dashboard.handler().sampleNow();
    Client.EventStream stream = client.stream("/api/stream");
    stream.next("snapshot");
    await("the stream to open", () -> dashboard.handler().openStreams() == 1, () -> {});

    stream.close();

    // The next frames written to the closed connection fail, and the writer thread ends.
    await("the stream to be released", () -> dashboard.handler().openStreams() == 0, dashboard.handler()::sampleNow);
  }

  @Test
  void refusesStreamsBeyondTheLimitAndEndsAllOnClose() throws Exception {
    dashboard.close();
    dashboard = Dashboard.builder(breakers.registry).token(TOKEN).maxStreams(1).manualSampling().start();
    client = new Client(dashboard.url());

    try (Client.EventStream stream = client.stream("/api/stream")) {
      await("the stream to open", () -> dashboard.handler().openStreams() == 1, () -> {});
      assertThat(client.get("/api/stream").statusCode()).isEqualTo(503);

      dashboard.close();

      await("the stream to end", () -> dashboard.handler().openStreams() == 0, () -> {});
    }
  }

  @Test
  void actionsWorkWithTheToken() {
    CircuitBreaker inventory = breakers.registry.circuitBreaker("inventory");

    HttpResponse<String> forced = client.post("/api/circuitbreaker/inventory/force-open", null, "X-Fusebox-Token", TOKEN);
    assertThat(forced.statusCode()).isEqualTo(200);
    assertThat(json(forced)).containsEntry("name", "inventory").containsEntry("state", "FORCED_OPEN");
    assertThat(inventory.state()).isEqualTo(State.FORCED_OPEN);

    assertThat(json(client.post("/api/circuitbreaker/inventory/close", null, "X-Fusebox-Token", TOKEN)))
        .containsEntry("state", "CLOSED");
    assertThat(json(client.post("/api/circuitbreaker/inventory/disable", "{}", "X-Fusebox-Token", TOKEN,
        "Content-Type", "application/json"))).containsEntry("state", "DISABLED");
    assertThat(inventory.state()).isEqualTo(State.DISABLED);

    inventory.transitionToClosedState();
    Breakers.trip(inventory);
    assertThat(json(client.post("/api/circuitbreaker/inventory/reset", null, "X-Fusebox-Token", TOKEN)))
        .containsEntry("state", "CLOSED").containsEntry("bufferedCalls", 0.0);
    assertThat(inventory.state()).isEqualTo(State.CLOSED);
  }

  @Test
  @SuppressWarnings("unchecked")
  void deployModeStartsForTheGivenOrTheDefaultDurationCountsDownAndEnds() {
    CircuitBreaker inventory = breakers.registry.circuitBreaker("inventory");
    String[] json = {"X-Fusebox-Token", TOKEN, "Content-Type", "application/json"};

    HttpResponse<String> on =
        client.post("/api/circuitbreaker/inventory/deploy-mode", "{\"durationMillis\": 300000}", json);
    assertThat(on.statusCode()).isEqualTo(200);
    assertThat(json(on)).containsEntry("deployModeRemainingMillis", 300_000.0)
        .containsEntry("slowCallDurationThresholdMillis", 60_000.0).containsEntry("state", "CLOSED");
    breakers.ticker.advance(Duration.ofMinutes(1));
    assertThat(json(client.get("/api/circuitbreaker/inventory"))).containsEntry("deployModeRemainingMillis", 240_000.0);
    // In force: the first failure opens it, a window of 10 and a minimum of 10 calls notwithstanding.
    Breakers.fail(inventory, 1);
    assertThat(inventory.state()).isEqualTo(State.OPEN);
    inventory.reset();

    HttpResponse<String> off = client.post("/api/circuitbreaker/inventory/end-deploy-mode", null, "X-Fusebox-Token", TOKEN);
    assertThat(off.statusCode()).isEqualTo(200);
    Map<String, Object> ended = json(off);
    assertThat(ended).containsEntry("deployModeRemainingMillis", null);
    assertThat(inventory.deployModeRemaining()).isEmpty();
    List<Map<String, Object>> switches = ((List<Map<String, Object>>) ended.get("events")).stream()
        .filter(e -> e.get("type").equals("DEPLOY_MODE_CHANGED")).toList();
    assertThat(switches).extracting(e -> e.get("active")).containsExactly(true, false);
    assertThat(switches.get(0)).containsEntry("durationMillis", 300_000.0).containsEntry("name", "inventory")
        .containsEntry("kind", "circuitbreaker");
    assertThat(switches.get(1)).containsEntry("durationMillis", 0.0);

    // Without a body: 10 minutes.
    assertThat(client.post("/api/circuitbreaker/inventory/deploy-mode", null, "X-Fusebox-Token", TOKEN).statusCode())
        .isEqualTo(200);
    assertThat(inventory.deployModeRemaining()).hasValue(Duration.ofMinutes(10));
    inventory.endDeployMode();

    HttpResponse<String> zero = client.post("/api/circuitbreaker/inventory/deploy-mode", "{\"durationMillis\": 0}", json);
    HttpResponse<String> text = client.post("/api/circuitbreaker/inventory/deploy-mode", "{\"durationMillis\": \"10m\"}", json);
    HttpResponse<String> tooLong =
        client.post("/api/circuitbreaker/inventory/deploy-mode", "{\"durationMillis\": 604800001}", json);
    HttpResponse<String> misspelt = client.post("/api/circuitbreaker/inventory/deploy-mode", "{\"duration\": 60000}", json);
    HttpResponse<String> endWithBody =
        client.post("/api/circuitbreaker/inventory/end-deploy-mode", "{\"durationMillis\": 60000}", json);
    assertThat(List.of(zero, text, tooLong, misspelt, endWithBody)).allSatisfy(r -> assertThat(r.statusCode()).isEqualTo(400));
    assertThat(json(zero).get("error")).asString().contains("durationMillis must be positive");
    assertThat(json(misspelt).get("error")).asString().contains("unknown member duration");
    assertThat(inventory.deployModeRemaining()).isEmpty();
  }

  @Test
  void actionsAreRefusedWithoutTheTokenOrWithAWrongOne() {
    CircuitBreaker inventory = breakers.registry.circuitBreaker("inventory");

    HttpResponse<String> missing = client.post("/api/circuitbreaker/inventory/force-open", null);
    HttpResponse<String> wrong =
        client.post("/api/circuitbreaker/inventory/force-open", null, "X-Fusebox-Token", "not-the-token-at-all");
    HttpResponse<String> prefix =
        client.post("/api/circuitbreaker/inventory/force-open", null, "X-Fusebox-Token", TOKEN.substring(0, 10));

    assertThat(missing.statusCode()).isEqualTo(401);
    assertThat(json(missing).get("error")).asString().contains("X-Fusebox-Token");
    assertThat(wrong.statusCode()).isEqualTo(403);
    assertThat(prefix.statusCode()).isEqualTo(403);
    assertThat(inventory.state()).isEqualTo(State.CLOSED);
  }

  @Test
  void aFormPostedFromAnotherSiteIsRefusedEvenWithTheToken() {
    CircuitBreaker inventory = breakers.registry.circuitBreaker("inventory");

    // What a hostile page's <form method=post> sends: a simple request, no custom header, no preflight.
    HttpResponse<String> form = client.post("/api/circuitbreaker/inventory/force-open", "x=1",
        "Content-Type", "application/x-www-form-urlencoded", "Origin", "https://evil.example", "Sec-Fetch-Site", "cross-site");
    HttpResponse<String> text = client.post("/api/circuitbreaker/inventory/force-open", "x",
        "Content-Type", "text/plain", "X-Fusebox-Token", TOKEN);
    HttpResponse<String> multipart = client.post("/api/circuitbreaker/inventory/force-open", "x",
        "Content-Type", "multipart/form-data; boundary=x", "X-Fusebox-Token", TOKEN);
    HttpResponse<String> crossSite = client.post("/api/circuitbreaker/inventory/force-open", null,
        "Sec-Fetch-Site", "cross-site", "X-Fusebox-Token", TOKEN);
    HttpResponse<String> preflight = client.send("OPTIONS", "/api/circuitbreaker/inventory/force-open",
        "Origin", "https://evil.example", "Access-Control-Request-Method", "POST",
        "Access-Control-Request-Headers", "x-fusebox-token");

    assertThat(form.statusCode()).isEqualTo(415);
    assertThat(text.statusCode()).isEqualTo(415);
    assertThat(multipart.statusCode()).isEqualTo(415);
    assertThat(crossSite.statusCode()).isEqualTo(403);
    assertThat(preflight.statusCode()).isEqualTo(405);
    assertThat(preflight.headers().map().keySet()).noneMatch(name -> name.toLowerCase(Locale.ROOT).startsWith("access-control"));
    assertThat(inventory.state()).isEqualTo(State.CLOSED);
  }

  @Test
  void actionsOnlyByPostOnAKnownBreakerWithAKnownAction() {
    breakers.registry.circuitBreaker("inventory");

    HttpResponse<String> unknownBreaker = client.post("/api/circuitbreaker/nope/reset", null, "X-Fusebox-Token", TOKEN);
    HttpResponse<String> unknownAction = client.post("/api/circuitbreaker/inventory/explode", null, "X-Fusebox-Token", TOKEN);
    HttpResponse<String> unknownKind = client.post("/api/retry/inventory/reset", null, "X-Fusebox-Token", TOKEN);
    HttpResponse<String> get = client.get("/api/circuitbreaker/inventory/reset", "X-Fusebox-Token", TOKEN);

    assertThat(unknownBreaker.statusCode()).isEqualTo(404);
    assertThat(unknownAction.statusCode()).isEqualTo(400);
    assertThat(json(unknownAction).get("error")).asString()
        .contains("force-open, disable, close, reset, deploy-mode, end-deploy-mode");
    assertThat(unknownKind.statusCode()).isEqualTo(404);
    assertThat(get.statusCode()).isEqualTo(405);
    assertThat(get.headers().firstValue("Allow")).hasValue("POST");
    // Creating a breaker by naming it is not a thing the dashboard does.
    assertThat(breakers.registry.find("nope")).isEmpty();
  }

  @Test
  void aRemovedBreakerDisappears() {
    breakers.registry.circuitBreaker("inventory");
    breakers.registry.circuitBreaker("catalog");
    dashboard.handler().sampleNow();
    assertThat(instance(json(client.get("/api/snapshot")), "inventory")).isNotNull();

    breakers.registry.remove("inventory");

    Map<String, Object> snapshot = json(client.get("/api/snapshot"));
    assertThat(instance(snapshot, "inventory")).isNull();
    assertThat(instance(snapshot, "catalog")).isNotNull();
    assertThat(client.get("/api/circuitbreaker/inventory").statusCode()).isEqualTo(404);
  }

  @Test
  void onLoopbackRefusesForeignHostNames() {
    DashboardHandler handler = dashboard.handler();

    DashboardResponse rebound = handler.handle(Requests.request("GET", "/api/snapshot", "Host", "evil.example:" + dashboard.port()));
    DashboardResponse local = handler.handle(Requests.request("GET", "/api/snapshot", "Host", "localhost:" + dashboard.port()));
    DashboardResponse ipv6 = handler.handle(Requests.request("GET", "/api/snapshot", "Host", "[::1]:" + dashboard.port()));

    assertThat(rebound.status()).isEqualTo(403);
    assertThat(local.status()).isEqualTo(200);
    assertThat(ipv6.status()).isEqualTo(200);
  }

  @Test
  void boundBeyondLoopbackReadingNeedsTheTokenUnlessPublicReadOnly() {
    try (Dashboard wide = Dashboard.builder(breakers.registry).bindAddress("0.0.0.0").token(TOKEN).manualSampling().start();
        Dashboard open = Dashboard.builder(breakers.registry).bindAddress("0.0.0.0").publicReadOnly(true).manualSampling().start()) {
      Client wideClient = new Client(wide.url());
      Client openClient = new Client(open.url());

      assertThat(wide.url().getHost()).isEqualTo("localhost");
      assertThat(wideClient.get("/api/snapshot").statusCode()).isEqualTo(401);
      assertThat(wideClient.get("/api/snapshot", "X-Fusebox-Token", TOKEN).statusCode()).isEqualTo(200);
      assertThat(wideClient.get("/").statusCode()).isEqualTo(200);
      assertThat(openClient.get("/api/snapshot").statusCode()).isEqualTo(200);
      assertThat(openClient.post("/api/circuitbreaker/x/reset", null).statusCode()).isEqualTo(401);
      assertThat(open.token()).matches("[0-9a-f]{32}").isNotEqualTo(wide.token());
    }
  }

  @Test
  void aPortInUseFailsToStart() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      assertThatThrownBy(() -> Dashboard.serve(breakers.registry, taken.getLocalPort()))
          .isInstanceOf(UncheckedIOException.class)
          .hasMessageContaining(String.valueOf(taken.getLocalPort()));
    }
  }

  @Test
  void servesAtABasePath() {
    try (Dashboard mounted = Dashboard.builder(breakers.registry).basePath("/fusebox").manualSampling().start()) {
      Client mountedClient = new Client(mounted.url());

      assertThat(mounted.url().getPath()).isEqualTo("/fusebox/");
      assertThat(mountedClient.get("/fusebox/").statusCode()).isEqualTo(200);
      assertThat(mountedClient.get("/fusebox/api/snapshot").statusCode()).isEqualTo(200);
      assertThat(mountedClient.get("/").statusCode()).isEqualTo(404);
    }
  }

  @Test
  void serveSamplesOnItsOwnThread() {
    CircuitBreakerConfig config = CircuitBreakerConfig.ofDefaults();
    breakers.registry.circuitBreaker("live", config);
    try (Dashboard live = Dashboard.builder(breakers.registry).samplingInterval(Duration.ofMillis(100)).start()) {
      Client liveClient = new Client(live.url());
      await("a sample", () -> instance(json(liveClient.get("/api/snapshot")), "live").get("rates") != null, () -> {});
    }
  }
}
