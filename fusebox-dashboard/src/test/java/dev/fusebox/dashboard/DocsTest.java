package dev.fusebox.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusebox.bulkhead.AdaptiveBulkheadRegistry;
import dev.fusebox.bulkhead.BulkheadRegistry;
import dev.fusebox.chaos.ChaosRegistry;
import dev.fusebox.fallback.FallbackRegistry;
import dev.fusebox.circuitbreaker.CircuitBreaker;
import dev.fusebox.circuitbreaker.CircuitBreakerRegistry;
import dev.fusebox.ratelimiter.RateLimiterRegistry;
import dev.fusebox.retry.RetryRegistry;
import dev.fusebox.testsupport.Json;
import dev.fusebox.timelimiter.TimeLimiterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Keeps {@code docs/dashboard.md} true: its Java examples are the code below (compiled, and run where they
 * need no fixed port), and its example snapshot has exactly the members of a real one.
 */
class DocsTest {

  private static final Path DOC = Path.of("..", "docs", "dashboard.md");
  private static final Pattern BLOCK = Pattern.compile("<!-- example: ([\\w-]+) -->\\s*```java\\n(.*?)```", Pattern.DOTALL);
  private static final Pattern TAGGED =
      Pattern.compile("// tag::([\\w-]+)\\[]\\n(.*?)\\n[ \\t]*// end::\\1\\[]", Pattern.DOTALL);
  private static final Pattern SNAPSHOT = Pattern.compile("<!-- snapshot-example -->\\s*```json\\n(.*?)```", Pattern.DOTALL);

  private final Breakers breakers = new Breakers();
  private final CircuitBreakerRegistry circuitBreakerRegistry = breakers.registry;

  @Test
  void everyJavaExampleIsCodeOfThisTest() throws IOException {
    Map<String, String> documented = new LinkedHashMap<>();
    Matcher block = BLOCK.matcher(Files.readString(DOC));
    while (block.find()) {
      documented.put(block.group(1), block.group(2).strip());
    }
    Map<String, String> tagged = new LinkedHashMap<>();
    Matcher tag = TAGGED.matcher(Files.readString(Path.of("src/test/java/dev/fusebox/dashboard/DocsTest.java")));
    while (tag.find()) {
      tagged.put(tag.group(1), dedent(tag.group(2)));
    }

    assertThat(documented).isNotEmpty().isEqualTo(tagged);
    assertThat(Files.readString(DOC)).doesNotContainPattern("(?<!-->\\n)```java");
  }

  @Test
  void theExampleSnapshotHasTheMembersOfARealOne() throws IOException {
    Matcher example = SNAPSHOT.matcher(Files.readString(DOC));
    assertThat(example.find()).isTrue();
    breakers.registry.circuitBreaker("inventory");
    try (DashboardHandler handler = Dashboard.builder(breakers.registry).ticker(breakers.ticker).manualSampling()
        .publicReadOnly(true).buildHandler()) {
      handler.sampleNow();
      breakers.ticker.advance(Duration.ofSeconds(1));
      handler.sampleNow();
      Breakers.trip(breakers.registry.circuitBreaker("inventory"));
      Object real = Json.parse(Requests.body(handler.handle(Requests.request("GET", "/api/snapshot"))));

      assertThat(shape(Json.parse(example.group(1)))).isEqualTo(shape(real));
    }
  }

  /** The members of every object, recursively; arrays by their first element. */
  private static Object shape(Object value) {
    if (value instanceof Map<?, ?> map) {
      Map<Object, Object> members = new TreeMap<>();
      map.forEach((k, v) -> members.put(k, shape(v)));
      return members;
    }
    if (value instanceof List<?> list) {
      return list.isEmpty() || !(list.get(0) instanceof Map || list.get(0) instanceof List) ? "array" : List.of(shape(list.get(0)));
    }
    return "value";
  }

  @Test
  void theMountedHandlerExampleRuns() throws IOException {
    String token = "docs-example-token-0123";
    Map<String, List<String>> headers = Map.of("X-Fusebox-Token", List.of(token));
    OutputStream out = new ByteArrayOutputStream();
    // tag::dashboard-handler[]
    DashboardHandler handler = Dashboard.builder(circuitBreakerRegistry)
        .basePath("/ops/fusebox")
        .token(token)
        .buildHandler();

    DashboardResponse response =
        handler.handle(new DashboardRequest("GET", "/ops/fusebox/api/snapshot", headers, InputStream.nullInputStream()));
    int status = response.status();                   // 200
    Map<String, String> responseHeaders = response.headers();
    response.writeBody(out);                          // the JSON document
    handler.close();
    // end::dashboard-handler[]

    assertThat(status).isEqualTo(200);
    assertThat(responseHeaders).containsEntry("Content-Type", "application/json; charset=utf-8");
    assertThat(out.toString()).startsWith("{\"version\":1,");
  }

  /** Compiled, not run: it listens on a fixed port. {@link #theServeExamplesWorkOnAFreePort} runs its like. */
  @SuppressWarnings("unused")
  private void exampleOnTheDefaultAddress() {
    // tag::dashboard-serve[]
    Dashboard dashboard = Dashboard.serve(circuitBreakerRegistry, 8080);
    System.out.println("Fusebox dashboard: " + dashboard.urlWithToken());
    // end::dashboard-serve[]
    dashboard.close();
  }

  @SuppressWarnings("unused")
  private void exampleOnAFixedPort() {
    // tag::dashboard-builder[]
    Dashboard dashboard = Dashboard.builder(circuitBreakerRegistry)
        .bindAddress("0.0.0.0")
        .port(9090)
        .token(System.getenv().getOrDefault("FUSEBOX_DASHBOARD_TOKEN", "change-me-to-a-long-secret"))
        .publicReadOnly(true)
        .basePath("/fusebox")
        .samplingInterval(Duration.ofSeconds(2))
        .historySize(450)
        .start();
    // end::dashboard-builder[]
    dashboard.close();
  }

  @Test
  void thePoliciesExampleShowsEverySection() {
    RetryRegistry retryRegistry = RetryRegistry.ofDefaults();
    BulkheadRegistry bulkheadRegistry = BulkheadRegistry.ofDefaults();
    AdaptiveBulkheadRegistry adaptiveBulkheadRegistry = AdaptiveBulkheadRegistry.ofDefaults();
    RateLimiterRegistry rateLimiterRegistry = RateLimiterRegistry.ofDefaults();
    TimeLimiterRegistry timeLimiterRegistry = TimeLimiterRegistry.ofDefaults();
    ChaosRegistry chaosRegistry = ChaosRegistry.ofDefaults();
    FallbackRegistry fallbackRegistry = FallbackRegistry.ofDefaults();
    String instanceId = "checkout-7f9c";
    // tag::dashboard-policies[]
    Dashboard dashboard = Dashboard.builder()
        .registry(circuitBreakerRegistry)
        .registry(retryRegistry)
        .registry(bulkheadRegistry)
        .registry(adaptiveBulkheadRegistry)
        .registry(rateLimiterRegistry)
        .registry(timeLimiterRegistry)
        .registry(chaosRegistry)
        .registry(fallbackRegistry)
        .status(() -> StatusCard.of("Fleet", "SHARED", StatusCard.Tone.GOOD).withFact("Instance", instanceId))
        .start();
    // end::dashboard-policies[]
    try (dashboard) {
      chaosRegistry.chaos("inventory");
      Map<String, Object> snapshot = Client.json(new Client(dashboard.url()).get("/api/snapshot"));
      assertThat(snapshot.get("sections").toString())
          .contains("kind=chaos", "kind=status", "kind=ratelimiter", "kind=fallback");
    }
  }

  @Test
  void theServeExamplesWorkOnAFreePort() {
    CircuitBreaker inventory = circuitBreakerRegistry.circuitBreaker("inventory");
    try (Dashboard dashboard = Dashboard.serve(circuitBreakerRegistry, 0);
        Dashboard configured = Dashboard.builder(circuitBreakerRegistry)
            .bindAddress("0.0.0.0")
            .port(0)
            .token("change-me-to-a-long-secret")
            .publicReadOnly(true)
            .basePath("/fusebox")
            .samplingInterval(Duration.ofSeconds(2))
            .historySize(450)
            .start()) {
      assertThat(dashboard.urlWithToken().toString()).matches("http://127\\.0\\.0\\.1:\\d+/#token=[0-9a-f]{32}");
      Map<String, Object> snapshot = Client.json(new Client(configured.url()).get("/fusebox/api/snapshot"));
      assertThat(snapshot).containsEntry("historySize", 450.0).containsEntry("samplingIntervalMillis", 2000.0);
      assertThat(inventory.state()).isEqualTo(CircuitBreaker.State.CLOSED);
    }
  }

  private static String dedent(String code) {
    int common = code.lines().filter(l -> !l.isBlank()).mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
    StringBuilder out = new StringBuilder();
    code.lines().forEach(line -> out.append(line.isBlank() ? "" : line.substring(common)).append('\n'));
    return out.toString().strip();
  }
}
