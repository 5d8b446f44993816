package dev.fusebox.spring.cloud.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusebox.circuitbreaker.CircuitBreaker;
import dev.fusebox.circuitbreaker.CircuitBreakerRegistry;
import dev.fusebox.spring.cloud.CloudTestApplication;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.cloud.gateway.filter.factory.SpringCloudCircuitBreakerFilterFactory;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * A Spring Cloud Gateway application whose routes' {@code CircuitBreaker} filters run on Fusebox with no
 * setup but properties, in front of a failing upstream on a real port.
 */
class GatewayCircuitBreakerTest {

  private static ConfigurableApplicationContext upstreamApp;
  private static ConfigurableApplicationContext gateway;
  private static CloudTestApplication.Upstream upstream;
  private static final HttpClient http = HttpClient.newHttpClient();

  /** The gateway: routes from properties, and the fallback endpoint it forwards to. */
  @SpringBootConfiguration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class Gateway {
    @Bean
    RouterFunction<ServerResponse> fallback() {
      return RouterFunctions.route()
          .GET("/fallback", request -> ServerResponse.ok().bodyValue("fallback"))
          .build();
    }
  }

  @BeforeAll
  static void start() {
    upstreamApp = CloudTestApplication.start(Object.class);
    upstream = upstreamApp.getBean(CloudTestApplication.Upstream.class);
    String uri = "http://127.0.0.1:" + CloudTestApplication.port(upstreamApp);
    String routes = "spring.cloud.gateway.server.webflux.routes";
    gateway = new SpringApplicationBuilder(Gateway.class)
        .web(WebApplicationType.REACTIVE)
        .properties(
            "server.port=0", "server.address=127.0.0.1", "spring.main.banner-mode=off",
            routes + "[0].id=orders",
            routes + "[0].uri=" + uri,
            routes + "[0].predicates[0]=Path=/flaky",
            routes + "[0].filters[0].name=CircuitBreaker",
            routes + "[0].filters[0].args.name=orders",
            routes + "[0].filters[0].args.fallbackUri=forward:/fallback",
            routes + "[0].filters[0].args.statusCodes=500,502",
            routes + "[1].id=bare",
            routes + "[1].uri=" + uri,
            routes + "[1].predicates[0]=Path=/bare/**",
            routes + "[1].filters[0]=StripPrefix=1",
            routes + "[1].filters[1].name=CircuitBreaker",
            routes + "[1].filters[1].args.name=bare",
            routes + "[1].filters[1].args.statusCodes=500",
            "fusebox.circuitbreaker.instances.orders.consecutive-failure-threshold=2",
            "fusebox.circuitbreaker.instances.orders.wait-duration-in-open-state=1h",
            "fusebox.circuitbreaker.instances.bare.consecutive-failure-threshold=1",
            "fusebox.circuitbreaker.instances.bare.wait-duration-in-open-state=1h")
        .run();
  }

  @AfterAll
  static void stop() {
    gateway.close();
    upstreamApp.close();
  }

  private static HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + CloudTestApplication.port(gateway) + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void theRoutesFilterIsFuseboxs() {
    assertThat(gateway.getBean(SpringCloudCircuitBreakerFilterFactory.class))
        .isInstanceOf(FuseboxCircuitBreakerFilterFactory.class);
  }

  @Test
  void theUpstreamStopsReceivingRequestsOnceTheBreakerOpensAndTheFallbackAnswers() throws Exception {
    upstream.status = 500;
    int before = upstream.hits.get();
    for (int i = 0; i < 5; i++) {
      HttpResponse<String> response = get("/flaky");
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).isEqualTo("fallback");
    }
    assertThat(upstream.hits.get() - before).isEqualTo(2);
    CircuitBreaker breaker = gateway.getBean(CircuitBreakerRegistry.class).find("orders").orElseThrow();
    assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
    assertThat(breaker.metrics().totalNotPermittedCalls()).isEqualTo(3);
    breaker.reset();
    upstream.status = 200;
  }

  @Test
  void withoutAFallbackAnOpenBreakerAnswers503() throws Exception {
    upstream.status = 500;
    int before = upstream.hits.get();
    assertThat(get("/bare/flaky").statusCode()).isEqualTo(500);
    assertThat(get("/bare/flaky").statusCode()).isEqualTo(503);
    assertThat(upstream.hits.get() - before).isEqualTo(1);
    gateway.getBean(CircuitBreakerRegistry.class).find("bare").orElseThrow().reset();
    upstream.status = 200;
  }
}
