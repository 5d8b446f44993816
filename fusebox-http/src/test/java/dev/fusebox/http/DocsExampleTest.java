package dev.fusebox.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusebox.circuitbreaker.CallNotPermittedException;
import dev.fusebox.circuitbreaker.CircuitBreaker;
import dev.fusebox.circuitbreaker.CircuitBreakerConfig;
import dev.fusebox.circuitbreaker.CircuitBreakerRegistry;
import dev.fusebox.retry.RetryConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The examples of docs/http.md, compiled and run. Each Java block of the guide follows an
 * {@code <!-- example: name -->} marker and must equal, character for character, the code between
 * {@code // tag::name[]} and {@code // end::name[]} in this module's tests.
 */
class DocsExampleTest {

  private static final Path GUIDE = Path.of("..", "docs", "http.md");
  private static final Pattern BLOCK =
      Pattern.compile("<!-- example: ([\\w-]+) -->\\s*```java\\n(.*?)```", Pattern.DOTALL);
  private static final Pattern TAGGED =
      Pattern.compile("// tag::([\\w-]+)\\[]\\n(.*?)\\n[ \\t]*// end::\\1\\[]", Pattern.DOTALL);

  private final Upstream upstream = Upstream.start();
  private final HttpClient jdk = Fixtures.JDK;

  @AfterEach
  void stop() {
    upstream.close();
  }

  @Test
  void theLevelsExampleRuns() throws Exception {
    CircuitBreakerRegistry registry = CircuitBreakerRegistry.of(CircuitBreakerConfig.ofDefaults());
    URI instance = upstream.uri("/");

    // tag::levels[]
    HttpClient client = FuseboxHttpClient.builder(HttpClient.newHttpClient())
        .registry(registry)                            // metrics and the dashboard see the breakers
        .serviceKey(HttpBreakerKey.named("users"))     // one breaker for the service: http:users
        .instanceKey(HttpBreakerKey.hostAndPort())     // one per instance: http:users@10.0.0.5:8080
        .retry(RetryConfig.ofDefaults())               // retries idempotent requests only
        .build();

    HttpRequest request = HttpRequest.newBuilder(instance.resolve("/users/42")).build();
    HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
    // end::levels[]

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(registry.all()).extracting(CircuitBreaker::name)
        .containsExactlyInAnyOrder("http:users", "http:users@127.0.0.1:" + upstream.port());
  }

  @Test
  void theKeysExampleBuilds() {
    // tag::keys[]
    HttpClient perHost = FuseboxHttpClient.builder(jdk).serviceKey(HttpBreakerKey.host()).build();
    HttpClient perRoute = FuseboxHttpClient.builder(jdk)
        .serviceKey(HttpBreakerKey.hostAndPath("/users/{id}", "/orders/{id}/items")).build();
    HttpClient perService = FuseboxHttpClient.builder(jdk).serviceKey(HttpBreakerKey.named("payments")).build();
    HttpClient perInstance = FuseboxHttpClient.builder(jdk).instanceKey(HttpBreakerKey.hostAndPort()).build();
    HttpClient perTenant = FuseboxHttpClient.builder(jdk)
        .serviceKey(request -> request.headers().firstValue("X-Tenant").orElse(null)).build();
    // end::keys[]

    HttpRequest request = HttpRequest.newBuilder(URI.create("https://api.example.com/orders/7/items")).build();
    assertThat(((FuseboxHttpClient) perHost).circuitBreakers(request)).extracting(CircuitBreaker::name)
        .containsExactly("http:api.example.com");
    assertThat(((FuseboxHttpClient) perRoute).circuitBreakers(request)).extracting(CircuitBreaker::name)
        .containsExactly("http:api.example.com/orders/{id}/items");
    assertThat(((FuseboxHttpClient) perService).circuitBreakers(request)).extracting(CircuitBreaker::name)
        .containsExactly("http:payments");
    assertThat(((FuseboxHttpClient) perInstance).circuitBreakers(request)).extracting(CircuitBreaker::name)
        .containsExactly("http:api.example.com", "http:api.example.com@api.example.com:443");
    assertThat(((FuseboxHttpClient) perTenant).circuitBreakers(request)).isEmpty();
  }

  @Test
  void theRejectionExampleRuns() throws Exception {
    FuseboxHttpClient client = FuseboxHttpClient.of(jdk);
    HttpRequest request = HttpRequest.newBuilder(upstream.uri("/prices")).build();
    client.circuitBreakers(request).get(0).transitionToOpenState();
    String body;
    String retryAfter;

    // tag::rejection[]
    try {
      body = client.send(request, HttpResponse.BodyHandlers.ofString()).body();
      retryAfter = null;
    } catch (CallNotPermittedException e) {        // the breaker is open: the server was not called
      body = "{\"message\": \"Service unavailable. Using fallback data.\"}";
      retryAfter = e.retryAfter().map(d -> String.valueOf(d.toSeconds())).orElse("60");
    }
    // end::rejection[]

    assertThat(body).contains("fallback");
    assertThat(retryAfter).isIn("59", "60");
    assertThat(upstream.requests()).isZero();
  }

  @Test
  void theClassifierExamplesRun() throws Exception {
    upstream.always(Upstream.Reply.status(503, "Retry-After", "30"));
    HttpResponse<String> response = jdk.send(
        HttpRequest.newBuilder(upstream.uri("/x")).build(), HttpResponse.BodyHandlers.ofString());

    // tag::classifier[]
    HttpOutcomeClassifier classifier = HttpOutcomeClassifier.builder()
        .failOnStatus(HttpOutcomeClassifier.DEFAULT_FAILURE_STATUS.or(status -> status == 408))
        .ignoreStatus(status -> status == 429)          // our own quota, not the server's health
        .build();
    HttpClient client = FuseboxHttpClient.builder(jdk).classifier(classifier).build();
    // end::classifier[]
    // tag::other-clients[]
    HttpOutcome outcome = classifier.classifyStatus(response.statusCode());      // FAILURE for a 503
    Optional<Duration> wait = RetryAfter.from(response.headers(), Instant.now()); // 30 s for "Retry-After: 30"
    // end::other-clients[]

    assertThat(client).isInstanceOf(FuseboxHttpClient.class);
    assertThat(outcome).isEqualTo(HttpOutcome.FAILURE);
    assertThat(wait).contains(Duration.ofSeconds(30));
  }

  @Test
  void theGuideShowsExactlyTheTaggedCode() throws IOException {
    Map<String, String> guide = new LinkedHashMap<>();
    Matcher block = BLOCK.matcher(Files.readString(GUIDE));
    while (block.find()) {
      assertThat(guide.put(block.group(1), block.group(2).strip())).as("example %s twice", block.group(1)).isNull();
    }
    Map<String, String> tagged = new LinkedHashMap<>();
    try (Stream<Path> files = Files.walk(Path.of("src", "test", "java"))) {
      for (Path file : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java"))::iterator) {
        Matcher tag = TAGGED.matcher(Files.readString(file));
        while (tag.find()) {
          tagged.put(tag.group(1), dedent(tag.group(2)));
        }
      }
    }
    assertThat(guide.keySet()).containsExactlyInAnyOrderElementsOf(tagged.keySet());
    guide.forEach((name, code) -> assertThat(code).as("docs/http.md example '%s'", name).isEqualTo(tagged.get(name)));
    assertThat(Files.readString(GUIDE)).as("every Java block is a tested example")
        .doesNotContainPattern("(?<!-->)\\n\\n```java");
  }

  private static String dedent(String code) {
    int common = code.lines().filter(line -> !line.isBlank())
        .mapToInt(line -> line.length() - line.stripLeading().length()).min().orElse(0);
    StringBuilder out = new StringBuilder();
    code.lines().forEach(line -> out.append(line.isBlank() ? "" : line.substring(common)).append('\n'));
    return out.toString().strip();
  }
}
