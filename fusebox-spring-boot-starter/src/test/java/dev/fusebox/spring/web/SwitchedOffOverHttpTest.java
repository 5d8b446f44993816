package dev.fusebox.spring.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusebox.circuitbreaker.CircuitBreakerRegistry;
import dev.fusebox.retry.RetryRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The switches in a real application on a real port: a policy switched off loses its endpoint and keeps the
 * others'; the starter switched off leaves the application running with none of Fusebox in it.
 */
class SwitchedOffOverHttpTest {

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private static ConfigurableApplicationContext start(String... properties) {
    return new SpringApplicationBuilder(WebTestApplication.class)
        .properties("server.port=0", "server.address=127.0.0.1",
            "management.endpoints.web.exposure.include=health,circuitbreakers,retries,timelimiters")
        .properties(properties)
        .run();
  }

  private static int get(ConfigurableApplicationContext app, String path) throws IOException, InterruptedException {
    int port = ((WebServerApplicationContext) app).getWebServer().getPort();
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(10)).GET().build();
    return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  @Test
  void aRetrySwitchedOffHasNoEndpointWhileTheBreakersKeepTheirs() throws Exception {
    try (ConfigurableApplicationContext app = start("fusebox.retry.enabled=false")) {
      assertThat(app.getBeanNamesForType(RetryRegistry.class)).isEmpty();
      assertThat(get(app, "/actuator/retries")).isEqualTo(404);
      assertThat(get(app, "/actuator/circuitbreakers")).isEqualTo(200);
      assertThat(get(app, "/actuator/timelimiters")).isEqualTo(200);
      assertThat(get(app, "/fusebox/")).as("the dashboard").isNotEqualTo(404);
    }
  }

  @Test
  void theStarterSwitchedOffLeavesTheApplicationWithoutFusebox() throws Exception {
    try (ConfigurableApplicationContext app = start("fusebox.enabled=false")) {
      assertThat(app.getBeanNamesForType(CircuitBreakerRegistry.class)).isEmpty();
      assertThat(get(app, "/actuator/health")).isEqualTo(200);
      assertThat(get(app, "/actuator/circuitbreakers")).isEqualTo(404);
      assertThat(get(app, "/actuator/timelimiters")).isEqualTo(404);
      assertThat(get(app, "/fusebox/")).as("the dashboard").isEqualTo(404);
      // Not proxied: the annotation's breaker is not there to count the call.
      WebTestApplication.Inventory inventory = app.getBean(WebTestApplication.Inventory.class);
      assertThat(inventory.getClass()).isEqualTo(WebTestApplication.Inventory.class);
    }
  }
}
