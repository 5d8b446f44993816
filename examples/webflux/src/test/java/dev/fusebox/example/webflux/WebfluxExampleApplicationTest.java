package dev.fusebox.example.webflux;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/** The example on a real port: quotes while the upstream is up, the fallback once it is down and the breaker open. */
class WebfluxExampleApplicationTest {

  private final HttpClient http = HttpClient.newHttpClient();

  private String send(String method, int port, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .method(method, HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }

  @Test
  void answersFromTheFallbackAndStopsCallingTheUpstreamOnceTheBreakerOpens() throws Exception {
    try (ConfigurableApplicationContext app = SpringApplication.run(WebfluxExampleApplication.class,
        "--server.port=0", "--server.address=127.0.0.1", "--spring.main.banner-mode=off")) {
      int port = Integer.parseInt(app.getEnvironment().getProperty("local.server.port"));
      assertThat(send("GET", port, "/quote")).isEqualTo("42.00");

      int before = Integer.parseInt(send("POST", port, "/simulated-upstream/down"));
      for (int i = 0; i < 10; i++) {
        assertThat(send("GET", port, "/quote")).startsWith("no quote right now");
      }
      // minimum-number-of-calls is 5: the first quote and four failures make 80% failed, over the 50%
      // threshold, so the breaker opened at the fourth failure and the six calls after it never left.
      assertThat(Integer.parseInt(send("GET", port, "/simulated-upstream/calls")) - before).isEqualTo(4);
      assertThat(send("GET", port, "/quote")).isEqualTo("no quote right now (CallNotPermittedException)");
    }
  }
}
