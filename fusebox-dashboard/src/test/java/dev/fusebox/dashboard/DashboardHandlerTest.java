package dev.fusebox.dashboard;

import static dev.fusebox.dashboard.Requests.body;
import static dev.fusebox.dashboard.Requests.json;
import static dev.fusebox.dashboard.Requests.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fusebox.circuitbreaker.CircuitBreaker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The transport-neutral handler, called directly as another web stack would call it. */
class DashboardHandlerTest {

  private static final String TOKEN = "0123456789abcdef-test";

  private final Breakers breakers = new Breakers();
  private DashboardHandler handler;

  @AfterEach
  void close() {
    if (handler != null) {
      handler.close();
    }
  }

  private DashboardHandler handler(Dashboard.Builder builder) {
    handler = builder.ticker(breakers.ticker).token(TOKEN).manualSampling().buildHandler();
    return handler;
  }

  private DashboardHandler handler() {
    return handler(Dashboard.builder(breakers.registry));
  }

  @Test
  void aMountedHandlerNeedsTheTokenToReadUnlessPublicReadOnly() {
    handler();

    assertThat(handler.handle(request("GET", "/api/snapshot")).status()).isEqualTo(401);
    assertThat(handler.handle(request("GET", "/api/snapshot")).headers()).containsEntry("WWW-Authenticate", "Fusebox-Token");
    assertThat(handler.handle(request("GET", "/api/snapshot", "X-Fusebox-Token", "wrong-token-0123456")).status()).isEqualTo(403);
    assertThat(handler.handle(request("GET", "/api/stream")).status()).isEqualTo(401);
    assertThat(handler.handle(request("GET", "/api/circuitbreaker/x")).status()).isEqualTo(401);
    assertThat(handler.handle(request("GET", "/api/snapshot", "x-fusebox-token", TOKEN)).status()).isEqualTo(200);
    // The page's files hold no data and need no token.
    assertThat(handler.handle(request("GET", "/")).status()).isEqualTo(200);
  }

  @Test
  void publicReadOnlyOpensReadsButNotActions() {
    handler(Dashboard.builder(breakers.registry).publicReadOnly(true));
    breakers.registry.circuitBreaker("inventory");

    DashboardResponse snapshot = handler.handle(request("GET", "/api/snapshot"));
    DashboardResponse action = handler.handle(request("POST", "/api/circuitbreaker/inventory/force-open"));

    assertThat(snapshot.status()).isEqualTo(200);
    assertThat(json(snapshot)).containsEntry("access", Map.of("control", false));
    assertThat(action.status()).isEqualTo(401);
    assertThat(breakers.registry.circuitBreaker("inventory").state()).isEqualTo(CircuitBreaker.State.CLOSED);
  }

  @Test
  void answersOnlyUnderItsBasePathAndRedirectsTheBareBasePathRelatively() {
    handler(Dashboard.builder(breakers.registry).basePath("/ops/fusebox/").publicReadOnly(true));

    DashboardResponse bare = handler.handle(request("GET", "/ops/fusebox"));

    assertThat(bare.status()).isEqualTo(308);
    assertThat(bare.headers()).containsEntry("Location", "fusebox/");
    assertThat(handler.handle(request("GET", "/ops/fusebox/")).status()).isEqualTo(200);
    assertThat(handler.handle(request("GET", "/ops/fusebox/api/snapshot")).status()).isEqualTo(200);
    assertThat(handler.handle(request("GET", "/")).status()).isEqualTo(404);
    assertThat(handler.handle(request("GET", "/api/snapshot")).status()).isEqualTo(404);
    assertThat(handler.handle(request("GET", "/ops/fusebox-other/")).status()).isEqualTo(404);
    assertThat(handler.basePath()).isEqualTo("/ops/fusebox");
  }

  @Test
  void servesOnlyItsFixedFilesWhateverThePath() {
    handler();

    for (String path :
        List.of(
            "/index.html", "/../pom.xml", "/%2e%2e/pom.xml", "/..%2fpom.xml", "/dashboard.js/", "//dashboard.js",
            "/Dashboard.class", "/dev/fusebox/dashboard/Dashboard.class", "/./dashboard.css", "/DASHBOARD.CSS",
            "/module-info.class", "/META-INF/MANIFEST.MF", "/dashboard.js%00.html", "")) {
      assertThat(handler.handle(request("GET", path)).status()).as(path).isEqualTo(404);
    }
    // Under /api/ a path is a route or nothing, never a file.
    assertThat(handler.handle(request("GET", "/api/../dashboard.js", "X-Fusebox-Token", TOKEN)).status()).isEqualTo(404);
    for (String path : List.of("/", "/dashboard.css", "/dashboard.js", "/favicon.svg")) {
      assertThat(handler.handle(request("GET", path)).status()).as(path).isEqualTo(200);
    }
  }

  @Test
  void servesThePageWithAStrictContentSecurityPolicy() {
    handler();

    DashboardResponse page = handler.handle(request("GET", "/"));

    assertThat(page.headers())
        .containsEntry("Content-Type", "text/html; charset=utf-8")
        .containsEntry("X-Content-Type-Options", "nosniff")
        .containsEntry("Referrer-Policy", "no-referrer")
        .containsEntry("X-Frame-Options", "DENY");
    String policy = page.headers().get("Content-Security-Policy");
    assertThat(policy).contains("default-src 'none'", "script-src 'self'", "frame-ancestors 'none'").doesNotContain("unsafe");
    assertThat(page.headers().keySet()).noneMatch(name -> name.startsWith("Access-Control"));
    assertThat(body(page)).contains("<script src=\"dashboard.js\" defer></script>").doesNotContain("<script>", "style=");
  }

  @Test
  void refusesOtherMethodsOnFilesAndReads() {
    handler();

    DashboardResponse post = handler.handle(request("POST", "/"));
    DashboardResponse options = handler.handle(request("OPTIONS", "/api/circuitbreaker/x/reset", "Origin", "https://evil.example"));

    assertThat(post.status()).isEqualTo(405);
    assertThat(post.headers()).containsEntry("Allow", "GET");
    assertThat(options.status()).isEqualTo(405);
    assertThat(options.headers().keySet()).noneMatch(name -> name.startsWith("Access-Control"));
    assertThat(handler.handle(request("DELETE", "/api/snapshot", "X-Fusebox-Token", TOKEN)).status()).isEqualTo(405);
  }

  @Test
  void findsABreakerWhoseNameHoldsAnEncodedSlashOrNonAsciiLetters() {
    handler();
    breakers.registry.circuitBreaker("payments/eu Zürich");

    DashboardResponse response =
        handler.handle(request("POST", "/api/circuitbreaker/payments%2Feu%20Z%C3%BCrich/force-open", "X-Fusebox-Token", TOKEN));

    assertThat(response.status()).isEqualTo(200);
    assertThat(json(response)).containsEntry("name", "payments/eu Zürich").containsEntry("state", "FORCED_OPEN");
  }

  @Test
  void refusesPathsThatAreNotValidPercentEncodedUtf8() {
    handler();

    for (String path : List.of("/api/circuitbreaker/%zz/reset", "/api/circuitbreaker/%C3/reset", "/api/circuitbreaker/%/reset",
        "/api/circuitbreaker/%ff%fe/reset")) {
      assertThat(handler.handle(request("POST", path, "X-Fusebox-Token", TOKEN)).status()).as(path).isEqualTo(400);
    }
    assertThat(handler.handle(request("GET", "/api/" + "x".repeat(3000))).status()).isEqualTo(414);
  }

  @Test
  void refusesAnActionBodyOverTheLimit() {
    handler();
    breakers.registry.circuitBreaker("inventory");

    DashboardResponse large =
        handler.handle(request("POST", "/api/circuitbreaker/inventory/reset", new byte[2000], "X-Fusebox-Token", TOKEN,
            "Content-Type", "application/json"));
    DashboardResponse declared =
        handler.handle(request("POST", "/api/circuitbreaker/inventory/reset", new byte[0], "X-Fusebox-Token", TOKEN,
            "Content-Length", "1000000"));
    DashboardResponse small =
        handler.handle(request("POST", "/api/circuitbreaker/inventory/reset", "{}".getBytes(StandardCharsets.UTF_8), "X-Fusebox-Token", TOKEN,
            "Content-Type", "application/json; charset=utf-8"));

    assertThat(large.status()).isEqualTo(413);
    assertThat(declared.status()).isEqualTo(413);
    assertThat(small.status()).isEqualTo(200);
  }

  @Test
  void computesRatesFromTheCountersBetweenTwoSamples() {
    handler(Dashboard.builder(breakers.registry).publicReadOnly(true));
    CircuitBreaker inventory = breakers.registry.circuitBreaker("inventory");
    handler.sampleNow(); // the baseline
    Breakers.succeed(inventory, 6);
    Breakers.fail(inventory, 4);
    breakers.ticker.advance(Duration.ofSeconds(2));
    handler.sampleNow();

    Map<String, Object> instance = json(handler.handle(request("GET", "/api/circuitbreaker/inventory")));

    assertThat(instance.get("rates")).isEqualTo(Map.of("tick", 2.0, "calls", 5.0, "failed", 2.0, "rejected", 0.0));
    assertThat(instance.get("history"))
        .isEqualTo(Map.of("ticks", List.of(2.0), "calls", List.of(5.0), "failed", List.of(2.0), "rejected", List.of(0.0)));
  }

  @Test
  void keepsOnlyHistorySizeSamplesPerBreaker() {
    handler(Dashboard.builder(breakers.registry).publicReadOnly(true).historySize(3));
    CircuitBreaker inventory = breakers.registry.circuitBreaker("inventory");
    for (int i = 0; i < 6; i++) {
      Breakers.succeed(inventory, i);
      breakers.ticker.advance(Duration.ofSeconds(1));
      handler.sampleNow();
    }

    Map<String, Object> instance = json(handler.handle(request("GET", "/api/circuitbreaker/inventory")));

    @SuppressWarnings("unchecked")
    Map<String, Object> history = (Map<String, Object>) instance.get("history");
    assertThat(history.get("ticks")).isEqualTo(List.of(4.0, 5.0, 6.0));
    assertThat(history.get("calls")).isEqualTo(List.of(3.0, 4.0, 5.0));
  }

  @Test
  void aBreakerReCreatedUnderTheSameNameStartsAFreshChart() {
    handler(Dashboard.builder(breakers.registry).publicReadOnly(true));
    Breakers.succeed(breakers.registry.circuitBreaker("inventory"), 5);
    handler.sampleNow();
    breakers.ticker.advance(Duration.ofSeconds(1));
    Breakers.succeed(breakers.registry.circuitBreaker("inventory"), 5);
    handler.sampleNow();
    breakers.registry.remove("inventory");
    breakers.registry.circuitBreaker("inventory");
    breakers.ticker.advance(Duration.ofSeconds(1));
    handler.sampleNow();

    Map<String, Object> instance = json(handler.handle(request("GET", "/api/circuitbreaker/inventory")));

    assertThat(instance.get("rates")).isNull();
    assertThat(instance.get("history")).isEqualTo(Map.of("ticks", List.of(), "calls", List.of(), "failed", List.of(), "rejected", List.of()));
  }

  @Test
  void aBreakerWithAHealthProbeShowsItsProbesAndOneWithoutShowsNone() {
    handler();
    breakers.registry.circuitBreaker("probed", dev.fusebox.circuitbreaker.CircuitBreakerConfig.builder()
        .healthProbe(dev.fusebox.circuitbreaker.HealthProbe.of(() -> "pong")
            .interval(java.time.Duration.ofSeconds(5)).failuresToOpen(3).build())
        .build());
    breakers.registry.circuitBreaker("plain");

    String probed = body(handler.handle(request("GET", "/api/circuitbreaker/probed", "X-Fusebox-Token", TOKEN)));
    String plain = body(handler.handle(request("GET", "/api/circuitbreaker/plain", "X-Fusebox-Token", TOKEN)));

    assertThat(probed).contains("\"probes\":{\"successful\":0,\"failed\":0,\"intervalMillis\":5000,\"failuresToOpen\":3}");
    assertThat(plain).doesNotContain("\"probes\"");
  }
}
