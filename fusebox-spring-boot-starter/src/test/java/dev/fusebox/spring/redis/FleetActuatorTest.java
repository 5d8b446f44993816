package dev.fusebox.spring.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusebox.circuitbreaker.CircuitBreaker;
import dev.fusebox.circuitbreaker.CircuitBreakerRegistry;
import dev.fusebox.spring.web.WebTestApplication;
import dev.fusebox.testsupport.Poll;
import dev.fusebox.testsupport.RedisServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code POST /actuator/circuitbreakers/{name}} with {@code "scope": "fleet"}: two real applications on real
 * ports share their breakers through a real redis-server; an action on one reaches the other.
 */
class FleetActuatorTest {

  private static final Duration LIMIT = Duration.ofSeconds(30);
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String TOKEN = "fleet-actuator-token-0123456789";

  private static RedisServer redis;
  private static ConfigurableApplicationContext first;
  private static ConfigurableApplicationContext second;

  @BeforeAll
  static void start() {
    redis = RedisServer.start();
    first = app("api-1");
    second = app("api-2");
  }

  private static ConfigurableApplicationContext app(String id) {
    return new SpringApplicationBuilder(WebTestApplication.class).run(
        "--server.port=0",
        "--fusebox.redis.uri=" + redis.uri(),
        "--fusebox.redis.instance-id=" + id,
        "--fusebox.redis.key-prefix=fleetact",
        "--fusebox.redis.sync-interval=100ms",
        "--fusebox.dashboard.token=" + TOKEN,
        "--management.endpoints.web.exposure.include=circuitbreakers");
  }

  @AfterAll
  static void stop() {
    for (ConfigurableApplicationContext app : new ConfigurableApplicationContext[] {first, second}) {
      if (app != null) {
        app.close();
      }
    }
    redis.close();
  }

  private static CircuitBreaker breaker(ConfigurableApplicationContext app, String name) {
    return app.getBean(CircuitBreakerRegistry.class).circuitBreaker(name);
  }

  private static HttpResponse<String> send(ConfigurableApplicationContext app, String path, String body) {
    int port = ((WebServerApplicationContext) app).getWebServer().getPort();
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(30));
    if (body != null) {
      request.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
    }
    request.header("X-Fusebox-Token", TOKEN);
    try {
      return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> json(String body) {
    return JSON.readValue(body, Map.class);
  }

  @Test
  void aFleetActionReachesEveryInstanceAndTheReadsShowIt() {
    CircuitBreaker mine = breaker(first, "inventory");
    CircuitBreaker theirs = breaker(second, "inventory");

    HttpResponse<String> forced = send(first, "/actuator/circuitbreakers/inventory",
        "{\"action\": \"force-open\", \"scope\": \"fleet\", \"reason\": \"INC-12: supplier down\", \"duration\": \"10m\"}");

    assertThat(forced.statusCode()).as(forced.body()).isEqualTo(200);
    Map<String, Object> answer = json(forced.body());
    assertThat(answer).containsEntry("scope", "fleet").containsEntry("state", "FORCED_OPEN");
    assertThat((Map<String, Object>) answer.get("fleetAction"))
        .containsEntry("state", "FORCED_OPEN").containsEntry("reason", "INC-12: supplier down")
        .containsEntry("by", "api-1").containsKey("until");
    Poll.until(LIMIT, "the other application follows", () -> theirs.state() == CircuitBreaker.State.FORCED_OPEN);
    assertThat(mine.state()).isEqualTo(CircuitBreaker.State.FORCED_OPEN);

    Map<String, Object> list = json(send(second, "/actuator/circuitbreakers", null).body());
    assertThat((Map<String, Object>) list.get("fleetOverrides")).containsOnlyKeys("inventory");
    Poll.until(LIMIT, "both states show", () -> {
      Map<String, Object> one = json(send(second, "/actuator/circuitbreakers/inventory", null).body());
      Map<String, Object> fleet = (Map<String, Object>) one.get("fleet");
      return fleet.containsKey("override")
          && Map.of("api-1", "FORCED_OPEN", "api-2", "FORCED_OPEN").equals(fleet.get("states"));
    });

    HttpResponse<String> released = send(second, "/actuator/circuitbreakers/inventory",
        "{\"action\": \"close\", \"scope\": \"fleet\", \"reason\": \"INC-12 resolved\"}");
    assertThat(released.statusCode()).as(released.body()).isEqualTo(200);
    assertThat((Map<String, Object>) json(released.body()).get("fleetAction")).containsEntry("released", true);
    Poll.until(LIMIT, "both follow the fleet again", () -> mine.state() == CircuitBreaker.State.CLOSED
        && theirs.state() == CircuitBreaker.State.CLOSED);
  }

  @Test
  void aFleetActionNeedsAReasonAndAFleetAction() {
    assertThat(send(first, "/actuator/circuitbreakers/inventory",
        "{\"action\": \"force-open\", \"scope\": \"fleet\"}").statusCode()).isEqualTo(400);
    assertThat(send(first, "/actuator/circuitbreakers/inventory",
        "{\"action\": \"reset\", \"scope\": \"fleet\", \"reason\": \"x\"}").statusCode()).isEqualTo(400);
    assertThat(send(first, "/actuator/circuitbreakers/inventory",
        "{\"action\": \"force-open\", \"scope\": \"galaxy\", \"reason\": \"x\"}").statusCode()).isEqualTo(400);
    assertThat(send(first, "/actuator/circuitbreakers/inventory",
        "{\"action\": \"force-open\", \"scope\": \"fleet\", \"reason\": \"x\", \"duration\": \"soon\"}").statusCode())
        .isEqualTo(400);
    assertThat(breaker(second, "inventory").state()).isEqualTo(CircuitBreaker.State.CLOSED);
    // The instance scope is unchanged, and stays the default.
    HttpResponse<String> local = send(first, "/actuator/circuitbreakers/inventory", "{\"action\": \"disable\"}");
    assertThat(json(local.body())).containsEntry("state", "DISABLED");
    assertThat(breaker(second, "inventory").state()).isEqualTo(CircuitBreaker.State.CLOSED);
    send(first, "/actuator/circuitbreakers/inventory", "{\"action\": \"close\"}");
  }

  @Test
  @SuppressWarnings("unchecked")
  void theDashboardShowsTheFleet() {
    breaker(first, "inventory");
    breaker(second, "inventory");
    Poll.until(LIMIT, "the dashboard counts both instances", () -> {
      Map<String, Object> snapshot = json(send(first, "/fusebox/api/snapshot", null).body());
      for (Object section : (java.util.List<Object>) snapshot.get("sections")) {
        Map<String, Object> s = (Map<String, Object>) section;
        if ("circuitbreaker".equals(s.get("kind")) && s.get("fleet") instanceof Map<?, ?> fleet) {
          return ((java.util.List<Object>) fleet.get("members")).size() == 2;
        }
      }
      return false;
    });
  }
}
