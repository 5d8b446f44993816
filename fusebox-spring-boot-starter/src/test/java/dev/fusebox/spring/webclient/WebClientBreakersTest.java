package dev.fusebox.spring.webclient;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.fusebox.circuitbreaker.CallNotPermittedException;
import dev.fusebox.circuitbreaker.CircuitBreaker;
import dev.fusebox.circuitbreaker.CircuitBreakerRegistry;
import dev.fusebox.spring.FuseboxAutoConfiguration;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.test.StepVerifier;

/** Every WebClient of the application goes through per-host breakers, judged by fusebox-http's classifier. */
class WebClientBreakersTest {

  private HttpServer server;
  private final AtomicInteger hits = new AtomicInteger();
  private volatile int status = 200;

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(
          WebClientAutoConfiguration.class, FuseboxAutoConfiguration.class, FuseboxWebClientAutoConfiguration.class))
      .withPropertyValues(
          "fusebox.circuitbreaker.configs.default.consecutive-failure-threshold=2",
          "fusebox.circuitbreaker.configs.default.wait-duration-in-open-state=1h");

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      hits.incrementAndGet();
      byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(status, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void opensTheHostsBreakerOnServerErrorsAndThenRejectsWithoutSending() {
    runner.run(context -> {
      WebClient client = context.getBean(WebClient.Builder.class)
          .baseUrl("http://127.0.0.1:" + server.getAddress().getPort()).build();
      status = 503;
      for (int i = 0; i < 2; i++) {
        // The caller still gets the response: the breaker judged it, nothing more.
        StepVerifier.create(client.get().uri("/stock").exchangeToMono(ClientResponse::toBodilessEntity))
            .assertNext(entity -> assertThat(entity.getStatusCode().value()).isEqualTo(503))
            .verifyComplete();
      }
      StepVerifier.create(client.get().uri("/stock").exchangeToMono(ClientResponse::toBodilessEntity))
          .expectError(CallNotPermittedException.class)
          .verify();
      assertThat(hits).hasValue(2);
      CircuitBreaker breaker = context.getBean(CircuitBreakerRegistry.class).find("http:127.0.0.1:" + server.getAddress().getPort()).orElseThrow();
      assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
    });
  }

  @Test
  void clientErrorsAreNoFailureOfTheHost() {
    runner.run(context -> {
      WebClient client = context.getBean(WebClient.Builder.class)
          .baseUrl("http://127.0.0.1:" + server.getAddress().getPort()).build();
      status = 404;
      for (int i = 0; i < 3; i++) {
        StepVerifier.create(client.get().uri("/missing").exchangeToMono(ClientResponse::toBodilessEntity))
            .assertNext(entity -> assertThat(entity.getStatusCode().value()).isEqualTo(404))
            .verifyComplete();
      }
      assertThat(hits).hasValue(3);
      CircuitBreaker breaker = context.getBean(CircuitBreakerRegistry.class).find("http:127.0.0.1:" + server.getAddress().getPort()).orElseThrow();
      assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
      assertThat(breaker.metrics().numberOfFailedCalls()).isZero();
    });
  }

  @Test
  void offWithTheProperty() {
    runner.withPropertyValues("fusebox.webclient.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean(FuseboxWebClientFilter.class));
  }
}
