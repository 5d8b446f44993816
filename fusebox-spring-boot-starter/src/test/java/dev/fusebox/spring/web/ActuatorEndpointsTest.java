package dev.fusebox.spring.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusebox.circuitbreaker.CircuitBreaker;
import dev.fusebox.circuitbreaker.CircuitBreakerRegistry;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The {@code circuitbreakers} and {@code circuitbreakerevents} endpoints over HTTP. */
class ActuatorEndpointsTest extends WebTest {

  @Autowired
  CircuitBreakerRegistry registry;

  @Autowired
  WebTestApplication.Inventory inventory;

  @AfterEach
  void closeAgain() {
    registry.all().forEach(CircuitBreaker::reset);
  }

  @Test
  void listsEveryBreakerWithItsStateAndFigures() throws Exception {
    HttpResponse<String> response = get("/actuator/circuitbreakers");
    assertThat(response.statusCode()).isEqualTo(200);
    @SuppressWarnings("unchecked")
    Map<String, Map<String, Object>> breakers = (Map<String, Map<String, Object>>) json(response.body()).get("circuitBreakers");
    assertThat(breakers).containsKeys("inventory", "payments", "hidden");
    assertThat(breakers.get("inventory"))
        .containsEntry("state", "CLOSED")
        .containsEntry("failureRate", -1.0)
        .containsEntry("failureRateThreshold", 50.0)
        .containsEntry("bufferedCalls", 0);
  }

  @Test
  void describesOneBreakerWithItsConfiguration() throws Exception {
    HttpResponse<String> response = get("/actuator/circuitbreakers/inventory");
    assertThat(response.statusCode()).isEqualTo(200);
    Map<String, Object> details = json(response.body());
    assertThat(details).containsEntry("name", "inventory").containsKeys("totals", "config");
    @SuppressWarnings("unchecked")
    Map<String, Object> config = (Map<String, Object>) details.get("config");
    assertThat(config).containsEntry("countBasedWindow", 4).containsEntry("waitDurationInOpenState", "PT1H");
    assertThat(get("/actuator/circuitbreakers/nobody").statusCode()).isEqualTo(404);
  }

  @Test
  void forcesOpenDisablesClosesAndResetsThroughPost() throws Exception {
    HttpResponse<String> forced = post("/actuator/circuitbreakers/inventory", "{\"action\": \"force-open\"}");
    assertThat(forced.statusCode()).isEqualTo(200);
    assertThat(json(forced.body())).containsEntry("state", "FORCED_OPEN");
    assertThat(registry.circuitBreaker("inventory").state()).isEqualTo(CircuitBreaker.State.FORCED_OPEN);

    assertThat(json(post("/actuator/circuitbreakers/inventory", "{\"action\": \"disable\"}").body()))
        .containsEntry("state", "DISABLED");
    assertThat(json(post("/actuator/circuitbreakers/inventory", "{\"action\": \"close\"}").body()))
        .containsEntry("state", "CLOSED");
    failOnce();
    assertThat(registry.circuitBreaker("inventory").metrics().numberOfBufferedCalls()).isEqualTo(1);
    assertThat(json(post("/actuator/circuitbreakers/inventory", "{\"action\": \"FORCE_OPEN\"}").body()))
        .containsEntry("state", "FORCED_OPEN");
    HttpResponse<String> reset = post("/actuator/circuitbreakers/inventory", "{\"action\": \"reset\"}");
    assertThat(json(reset.body())).containsEntry("state", "CLOSED").containsEntry("bufferedCalls", 0);
  }

  @Test
  void refusesAnUnknownActionAndAnUnknownBreaker() throws Exception {
    assertThat(post("/actuator/circuitbreakers/inventory", "{\"action\": \"explode\"}").statusCode()).isEqualTo(400);
    HttpResponse<String> unknown = post("/actuator/circuitbreakers/nobody", "{\"action\": \"reset\"}");
    assertThat(unknown.statusCode()).isEqualTo(400);
    assertThat(registry.find("nobody")).isEmpty();
  }

  @Test
  void listsRecentEventsFilteredByNameAndType() throws Exception {
    for (int i = 0; i < 4; i++) {
      failOnce();
    }
    assertThat(registry.circuitBreaker("inventory").state()).isEqualTo(CircuitBreaker.State.OPEN);

    List<Map<String, Object>> transitions =
        events(get("/actuator/circuitbreakerevents?name=inventory&type=STATE_TRANSITION").body());
    assertThat(transitions).last().satisfies(e -> assertThat(e)
        .containsEntry("name", "inventory")
        .containsEntry("type", "STATE_TRANSITION")
        .containsEntry("from", "CLOSED")
        .containsEntry("to", "OPEN")
        .containsKey("time"));
    List<Map<String, Object>> errors = events(get("/actuator/circuitbreakerevents/inventory/error").body());
    assertThat(errors).hasSizeGreaterThanOrEqualTo(4).allSatisfy(e -> assertThat(e)
        .containsEntry("type", "ERROR")
        .containsEntry("error", "java.lang.IllegalStateException"));
    List<Map<String, Object>> mixed =
        events(get("/actuator/circuitbreakerevents?name=inventory&type=error,failure-rate-exceeded&limit=2").body());
    assertThat(mixed).extracting(e -> e.get("type")).containsExactly("ERROR", "FAILURE_RATE_EXCEEDED");
    assertThat(events(get("/actuator/circuitbreakerevents?name=payments").body()))
        .allSatisfy(e -> assertThat(e).containsEntry("name", "payments"));
    assertThat(get("/actuator/circuitbreakerevents?type=EXPLOSION").statusCode()).isEqualTo(400);
  }

  private void failOnce() {
    try {
      inventory.stock(true);
    } catch (IllegalStateException expected) {
      // recorded by the breaker
    }
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> events(String body) {
    return (List<Map<String, Object>>) json(body).get("circuitBreakerEvents");
  }
}
