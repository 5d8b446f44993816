package dev.fusebox.spring.web;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The base of the tests that talk to the application over a real socket. Every subclass shares this one
 * configuration, so Spring starts the application once for all of them; each test uses breakers of its own
 * or puts them back as it found them.
 */
@SpringBootTest(
    classes = WebTestApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "management.endpoints.web.exposure.include=health,circuitbreakers,circuitbreakerevents,prometheus,"
          + "retries,bulkheads,ratelimiters,timelimiters,fusebox",
      "management.endpoint.health.show-details=always",
      "fusebox.circuitbreaker.configs.default.count-based-window=4",
      "fusebox.circuitbreaker.configs.default.wait-duration-in-open-state=1h",
      "fusebox.circuitbreaker.instances.inventory.failure-rate-threshold=50",
      "fusebox.circuitbreaker.instances.payments.critical=true",
      "fusebox.circuitbreaker.instances.hidden.register-health-indicator=false",
      "fusebox.dashboard.path=/ops/fusebox",
      "fusebox.dashboard.token=test-token-0123456789",
      "fusebox.dashboard.sampling-interval=100ms"
    })
abstract class WebTest {

  static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @LocalServerPort
  int port;

  HttpResponse<String> get(String path, String... headers) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return HTTP.send(b.GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> post(String path, String json, String... headers) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10));
    if (headers.length > 0) {
      b.headers(headers);
    }
    if (json != null) {
      b.header("Content-Type", "application/json");
    }
    return HTTP.send(
        b.POST(json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static Map<String, Object> json(String body) {
    return JSON.readValue(body, Map.class);
  }

  @SuppressWarnings("rawtypes")
  private static final tools.jackson.databind.json.JsonMapper JSON = tools.jackson.databind.json.JsonMapper.builder().build();
}
