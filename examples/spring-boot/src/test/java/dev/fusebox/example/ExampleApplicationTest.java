package dev.fusebox.example;

import dev.fusebox.circuitbreaker.CircuitBreaker;
import dev.fusebox.circuitbreaker.CircuitBreakerRegistry;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.fusebox.circuitbreaker.CircuitBreaker;
import dev.fusebox.circuitbreaker.CircuitBreakerRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Starts the example on a real port against a stub upstream (the JDK's HTTP server), breaks the upstream,
 * and checks what a client, the actuator and Prometheus see.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "simulated-upstream.enabled=false",
      "fusebox.circuitbreaker.instances.upstream.count-based-window=4",
      "fusebox.circuitbreaker.instances.upstream.minimum-number-of-calls=4",
      "fusebox.circuitbreaker.instances.upstream.wait-duration-in-open-state=1h",
      "fusebox.circuitbreaker.instances.upstream.recovery-ramp=0s"
    })
class ExampleApplicationTest {

  /** The stub upstream: answers with {@link #status} (200 with a document), counts the requests it gets. */
  static final class Stub {
    final HttpServer server;
    final AtomicInteger hits = new AtomicInteger();
    volatile int status = 500;

    Stub() throws IOException {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.createContext("/data", exchange -> {
        hits.incrementAndGet();
        int answer = status;
        byte[] body = (answer != 200 ? "{\"error\": \"boom\"}" : "{\"data\": \"fresh\"}").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(answer, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      });
      server.start();
    }

    String url() {
      return "http://127.0.0.1:" + server.getAddress().getPort() + "/data";
    }
  }

  static final Stub UPSTREAM;

  static {
    try {
      UPSTREAM = new Stub();
    } catch (IOException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @DynamicPropertySource
  static void upstream(DynamicPropertyRegistry properties) {
    properties.add("upstream.url", UPSTREAM::url);
  }

  @AfterAll
  static void stopUpstream() {
    UPSTREAM.server.stop(0);
  }

  @LocalServerPort
  int port;

  @Autowired
  CircuitBreakerRegistry registry;

  @Test
  void servesFallbacksWhileTheUpstreamIsDownAndShowsItInTheActuatorAndPrometheus() throws Exception {
    // The upstream fails from the start: no good data yet, so each failure is the fallback-less 503.
    for (int i = 0; i < 4; i++) {
      HttpResponse<String> failed = get("/external-api");
      assertThat(failed.statusCode()).isEqualTo(503);
      assertThat(failed.body()).isEqualTo("{\"message\": \"Service unavailable. Using fallback data.\"}");
    }
    assertThat(UPSTREAM.hits).hasValue(4);

    // Four failures out of four: the breaker is open, and the upstream is no longer called.
    HttpResponse<String> rejected = get("/external-api");
    assertThat(rejected.statusCode()).isEqualTo(503);
    assertThat(rejected.body()).isEqualTo("{\"message\": \"Service unavailable. Using fallback data.\"}");
    assertThat(rejected.headers().firstValue("Retry-After")).hasValueSatisfying(
        seconds -> assertThat(Long.parseLong(seconds)).isBetween(3500L, 3600L));
    assertThat(UPSTREAM.hits).hasValue(4);

    HttpResponse<String> breakers = get("/actuator/circuitbreakers");
    assertThat(breakers.statusCode()).isEqualTo(200);
    assertThat(breakers.body()).contains("\"upstream\":{\"state\":\"OPEN\"");
    HttpResponse<String> scrape = get("/actuator/prometheus");
    assertThat(scrape.body())
        .contains("fusebox_circuitbreaker_state{name=\"upstream\",state=\"open\"} 1.0")
        .contains("fusebox_circuitbreaker_calls_total{kind=\"not_permitted\",name=\"upstream\"} 1.0");
    HttpResponse<String> health = get("/actuator/health");
    assertThat(health.statusCode()).isEqualTo(200);
    // An optional dependency cut off: degraded, still in the load balancer's rotation.
    assertThat(health.body()).endsWith("\"status\":\"DEGRADED\"}");

    // The upstream recovers; an operator closes the breaker through the actuator.
    UPSTREAM.status = 200;
    HttpResponse<String> closed = post("/actuator/circuitbreakers/upstream", "{\"action\": \"close\"}");
    assertThat(closed.statusCode()).isEqualTo(200);
    HttpResponse<String> live = get("/external-api");
    assertThat(live.statusCode()).isEqualTo(200);
    assertThat(live.body()).isEqualTo("{\"data\": \"fresh\"}");
    assertThat(live.headers().firstValue("X-Fallback")).isEmpty();

    // It fails again: now there is good data to fall back on.
    UPSTREAM.status = 500;
    HttpResponse<String> cached = get("/external-api");
    assertThat(cached.statusCode()).isEqualTo(200);
    assertThat(cached.body()).isEqualTo("{\"data\": \"fresh\"}");
    assertThat(cached.headers().firstValue("X-Fallback")).hasValue("cached");

    // A 404 is the caller's mistake, not a sick upstream: answered from the cache as well, but not counted
    // against the upstream (ignore-exceptions in application.yml), so the breaker stays closed however many.
    CircuitBreaker upstream = registry.circuitBreaker("upstream");
    long failures = upstream.metrics().totalFailedCalls();
    UPSTREAM.status = 404;
    for (int i = 0; i < 8; i++) {
      assertThat(get("/external-api").headers().firstValue("X-Fallback")).hasValue("cached");
    }
    assertThat(upstream.state()).isEqualTo(CircuitBreaker.State.CLOSED);
    assertThat(upstream.metrics().totalIgnoredCalls()).isEqualTo(8);
    assertThat(upstream.metrics().totalFailedCalls()).isEqualTo(failures);
    assertThat(registry.all()).as("one breaker for the upstream, not a second one per host").hasSize(1);
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
