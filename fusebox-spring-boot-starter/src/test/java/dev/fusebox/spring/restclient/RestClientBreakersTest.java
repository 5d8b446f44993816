package dev.fusebox.spring.restclient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.fusebox.circuitbreaker.CallNotPermittedException;
import dev.fusebox.circuitbreaker.CircuitBreaker;
import dev.fusebox.circuitbreaker.CircuitBreakerRegistry;
import dev.fusebox.http.HttpOutcomeClassifier;
import dev.fusebox.spring.FuseboxAutoConfiguration;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.HttpServerErrorException;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;

/** Every RestClient of the application goes through per-host breakers, judged by fusebox-http's classifier. */
class RestClientBreakersTest {

  private HttpServer server;
  private final AtomicInteger hits = new AtomicInteger();
  private volatile int status = 200;
  private volatile String retryAfter;

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(
          RestClientAutoConfiguration.class, FuseboxAutoConfiguration.class, FuseboxRestClientAutoConfiguration.class))
      .withPropertyValues(
          "fusebox.circuitbreaker.configs.default.count-based-window=4",
          "fusebox.circuitbreaker.configs.default.wait-duration-in-open-state=10s");

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      hits.incrementAndGet();
      byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
      if (retryAfter != null) {
        exchange.getResponseHeaders().set("Retry-After", retryAfter);
      }
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

  private String base() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  private String breakerName() {
    return "http:127.0.0.1:" + server.getAddress().getPort();
  }

  @Test
  void opensTheHostsBreakerOnServerErrorsAndThenRejectsWithoutCalling() {
    runner.run(context -> {
      RestClient client = context.getBean(RestClient.Builder.class).baseUrl(base()).build();
      status = 500;
      for (int i = 0; i < 4; i++) {
        assertThatThrownBy(() -> client.get().uri("/users/{id}", 42).retrieve().body(String.class))
            .isInstanceOf(HttpServerErrorException.class);
      }
      CircuitBreaker breaker = context.getBean(CircuitBreakerRegistry.class).find(breakerName()).orElseThrow();
      assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
      assertThatThrownBy(() -> client.get().uri("/users/{id}", 42).retrieve().body(String.class))
          .isInstanceOf(CallNotPermittedException.class);
      assertThat(hits).hasValue(4);
    });
  }

  @Test
  void countsA404AsTheServerAnsweringAndARefusedConnectionAsAFailure() throws Exception {
    runner.run(context -> {
      RestClient client = context.getBean(RestClient.Builder.class).baseUrl(base()).build();
      status = 404;
      for (int i = 0; i < 4; i++) {
        assertThatThrownBy(() -> client.get().uri("/missing").retrieve().body(String.class))
            .isInstanceOf(HttpClientErrorException.NotFound.class);
      }
      CircuitBreaker breaker = context.getBean(CircuitBreakerRegistry.class).find(breakerName()).orElseThrow();
      assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
      assertThat(breaker.metrics().totalSuccessfulCalls()).isEqualTo(4);

      server.stop(0);
      assertThatThrownBy(() -> client.get().uri("/gone").retrieve().body(String.class))
          .isInstanceOf(ResourceAccessException.class);
      assertThat(breaker.metrics().totalFailedCalls()).isEqualTo(1);
    });
  }

  @Test
  void keepsTheBreakerOpenAsLongAsTheServersRetryAfterAsks() {
    runner.run(context -> {
      RestClient client = context.getBean(RestClient.Builder.class).baseUrl(base()).build();
      status = 503;
      retryAfter = "120";
      for (int i = 0; i < 4; i++) {
        assertThatThrownBy(() -> client.get().uri("/busy").retrieve().body(String.class))
            .isInstanceOf(HttpServerErrorException.ServiceUnavailable.class);
      }
      CircuitBreaker breaker = context.getBean(CircuitBreakerRegistry.class).find(breakerName()).orElseThrow();
      assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
      assertThat(breaker.metrics().nextTrialIn().orElseThrow()).isGreaterThan(Duration.ofSeconds(100));
    });
  }

  @Test
  void usesTheApplicationsClassifierAndPathTemplates() {
    runner.withBean(HttpOutcomeClassifier.class,
            () -> HttpOutcomeClassifier.builder().ignoreStatus(s -> s == 503).build())
        .withPropertyValues("fusebox.restclient.path-templates=/users/{id}")
        .run(context -> {
          RestClient client = context.getBean(RestClient.Builder.class).baseUrl(base()).build();
          status = 503;
          for (int i = 0; i < 6; i++) {
            assertThatThrownBy(() -> client.get().uri("/users/7").retrieve().body(String.class))
                .isInstanceOf(HttpServerErrorException.class);
          }
          CircuitBreaker route =
              context.getBean(CircuitBreakerRegistry.class).find(breakerName() + "/users/{id}").orElseThrow();
          assertThat(route.state()).isEqualTo(CircuitBreaker.State.CLOSED);
          assertThat(route.metrics().numberOfBufferedCalls()).isZero();
        });
  }

  @Test
  void staysOutWithoutFuseboxHttpOrWhenSwitchedOff() {
    runner.withClassLoader(new FilteredClassLoader(HttpOutcomeClassifier.class))
        .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(FuseboxRestClientInterceptor.class));
    runner.withPropertyValues("fusebox.restclient.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean(FuseboxRestClientInterceptor.class));
  }
}
