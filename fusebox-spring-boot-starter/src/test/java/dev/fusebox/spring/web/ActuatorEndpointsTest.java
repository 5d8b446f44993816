package dev.fusebox.spring.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fusebox.circuitbreaker.CircuitBreaker;
import dev.fusebox.circuitbreaker.CircuitBreakerRegistry;
import dev.fusebox.spring.actuate.CircuitBreakersEndpoint;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;

/** The {@code circuitbreakers} and {@code circuitbreakerevents} endpoints over HTTP. */
class ActuatorEndpointsTest extends WebTest {

  @Autowired
  CircuitBreakerRegistry registry;

  @Autowired
  WebTestApplication.Inventory inventory;

  @Autowired
  CircuitBreakersEndpoint endpoint;

  @AfterEach
  void closeAgain() {
    registry.all().forEach(CircuitBreaker::endDeployMode); // an operator's switch, which reset leaves on
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
  @SuppressWarnings("unchecked")
  void switchesDeployModeOnAndOffThroughPostAndShowsItWithTheSlowCallThresholdInForce() throws Exception {
    CircuitBreaker breaker = registry.circuitBreaker("inventory");
    HttpResponse<String> on =
        post("/actuator/circuitbreakers/inventory", "{\"action\": \"deploy-mode\", \"duration\": \"5m\"}");
    assertThat(on.statusCode()).isEqualTo(200);
    Map<String, Object> details = json(on.body());
    assertThat(details).containsEntry("deployMode", true).containsEntry("slowCallDurationThreshold", "PT1M");
    assertThat(((Number) details.get("deployModeRemainingMillis")).longValue()).isBetween(1L, 300_000L);
    assertThat((Map<String, Object>) details.get("config")).containsEntry("deployModeFailureThreshold", 1)
        .containsEntry("failureRateConfidence", 0.0).containsEntry("slowCallBaselinePeriod", "PT1M");
    assertThat(breaker.deployModeRemaining()).hasValueSatisfying(
        left -> assertThat(left).isBetween(java.time.Duration.ofMinutes(4), java.time.Duration.ofMinutes(5)));
    // In force: the first failure opens the breaker, a window of 4 and a minimum of 4 calls notwithstanding.
    failOnce();
    assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
    breaker.reset();
    Map<String, Map<String, Object>> listed =
        (Map<String, Map<String, Object>>) json(get("/actuator/circuitbreakers").body()).get("circuitBreakers");
    assertThat(listed.get("inventory")).containsEntry("deployMode", true).containsKey("deployModeRemainingMillis");
    assertThat(listed.get("payments")).containsEntry("deployMode", false).doesNotContainKey("deployModeRemainingMillis");

    HttpResponse<String> off = post("/actuator/circuitbreakers/inventory", "{\"action\": \"END_DEPLOY_MODE\"}");
    assertThat(off.statusCode()).isEqualTo(200);
    assertThat(json(off.body())).containsEntry("deployMode", false).doesNotContainKey("deployModeRemainingMillis");
    assertThat(breaker.deployModeRemaining()).isEmpty();

    // Without a duration: 10 minutes, the documented default; ISO-8601 works too.
    post("/actuator/circuitbreakers/inventory", "{\"action\": \"deploy-mode\"}");
    assertThat(breaker.deployModeRemaining()).hasValueSatisfying(left -> assertThat(left)
        .isBetween(java.time.Duration.ofMinutes(9), CircuitBreakersEndpoint.DEFAULT_DEPLOY_MODE_DURATION));
    post("/actuator/circuitbreakers/inventory", "{\"action\": \"deploy-mode\", \"duration\": \"PT30M\"}");
    assertThat(breaker.deployModeRemaining()).hasValueSatisfying(
        left -> assertThat(left).isGreaterThan(java.time.Duration.ofMinutes(29)));

    // The application is shared by the web tests, whose earlier switches are in the history too: this test's four.
    List<Map<String, Object>> events =
        events(get("/actuator/circuitbreakerevents?name=inventory&type=deploy-mode-changed&limit=4").body());
    assertThat(events).extracting(e -> e.get("active")).containsExactly(true, false, true, true);
    assertThat(events.get(0)).containsEntry("type", "DEPLOY_MODE_CHANGED").containsEntry("durationMillis", 300_000);
    assertThat(events.get(1)).containsEntry("durationMillis", 0);
  }

  @Test
  void refusesADeployModeOfABadDurationOrForTheFleet() throws Exception {
    CircuitBreaker breaker = registry.circuitBreaker("inventory");
    assertThat(post("/actuator/circuitbreakers/inventory", "{\"action\": \"deploy-mode\", \"duration\": \"soon\"}")
        .statusCode()).isEqualTo(400);
    assertThat(post("/actuator/circuitbreakers/inventory", "{\"action\": \"deploy-mode\", \"duration\": \"0s\"}")
        .statusCode()).isEqualTo(400);
    assertThat(post("/actuator/circuitbreakers/inventory",
        "{\"action\": \"deploy-mode\", \"scope\": \"fleet\", \"reason\": \"release 42\"}").statusCode())
        .isEqualTo(400);
    assertThat(breaker.deployModeRemaining()).isEmpty();
    assertThatThrownBy(() -> endpoint.act("inventory", "end-deploy-mode", "fleet", "release 42", null))
        .isInstanceOf(InvalidEndpointRequestException.class)
        .hasMessageContaining("deploy mode is per instance for now");
    assertThatThrownBy(() -> endpoint.act("inventory", "deploy-mode", null, null, "-5m"))
        .isInstanceOf(InvalidEndpointRequestException.class)
        .hasMessageContaining("deploy mode duration must be positive");
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
