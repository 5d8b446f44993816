package dev.fusebox.docs;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.fusebox.circuitbreaker.CircuitBreaker;
import dev.fusebox.circuitbreaker.CircuitBreakerConfig;
import dev.fusebox.circuitbreaker.CircuitBreakerRegistry;
import dev.fusebox.http.FuseboxHttpClient;
import dev.fusebox.http.HttpBreakerKey;
import dev.fusebox.redis.DegradedPolicy;
import dev.fusebox.redis.RedisSharedState;
import dev.fusebox.redis.StartupPolicy;
import dev.fusebox.retry.RetryConfig;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The README's shared-state and HTTP examples, run. */
class IntegrationExamplesTest {

  /** Stands in for the inventory service in the shared-state example. */
  static final class InventoryClient {
    int calls;

    String fetch(String sku) {
      calls++;
      return sku + ": 7 in stock";
    }
  }

  private final InventoryClient inventoryClient = new InventoryClient();

  @Test
  void sharedState() {
    // The machine's Redis when it runs one; without it the example starts degraded and works locally.
    String redisUri = "redis://127.0.0.1:6379";
    try (RedisSharedState shared = RedisSharedState.builder()
        .uri(redisUri)                               // redis://redis.internal:6379
        .keyPrefix("checkout")                       // one per service and environment
        .instanceId("checkout-7f9c")                 // the pod or host name
        .syncInterval(Duration.ofMillis(500))
        .degradedPolicy(DegradedPolicy.LOCAL)
        .startupPolicy(StartupPolicy.START_DEGRADED)
        .build()) {
      CircuitBreakerRegistry registry = shared.registry(CircuitBreakerConfig.ofDefaults());
      CircuitBreaker inventory = registry.circuitBreaker("inventory");
      String stock = inventory.executeSupplier(() -> inventoryClient.fetch("sku-42"), failure -> "unknown");
    }
    assertThat(inventoryClient.calls).isEqualTo(1);
  }

  @Test
  void http() throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/users/", exchange -> {
      byte[] body = "{\"id\": 42}".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    server.start();
    try {
      URI instance = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
      CircuitBreakerRegistry registry = CircuitBreakerRegistry.ofDefaults();
      HttpClient client = FuseboxHttpClient.builder(HttpClient.newHttpClient())
          .registry(registry)                            // metrics and the dashboard see the breakers
          .serviceKey(HttpBreakerKey.named("users"))     // one breaker for the service: http:users
          .instanceKey(HttpBreakerKey.hostAndPort())     // one per instance: http:users@10.0.0.5:8080
          .retry(RetryConfig.ofDefaults())               // retries idempotent requests only
          .build();

      HttpRequest request = HttpRequest.newBuilder(instance.resolve("/users/42")).build();
      HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
      assertThat(response.body()).isEqualTo("{\"id\": 42}");
      assertThat(registry.find("http:users")).isPresent();
      assertThat(registry.find("http:users@127.0.0.1:" + server.getAddress().getPort())).isPresent();
    } finally {
      server.stop(0);
    }
  }
}
