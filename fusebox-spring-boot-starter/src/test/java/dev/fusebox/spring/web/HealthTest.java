package dev.fusebox.spring.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusebox.circuitbreaker.CircuitBreaker;
import dev.fusebox.circuitbreaker.CircuitBreakerRegistry;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** An open breaker degrades the application without taking it down, unless it is critical. */
class HealthTest extends WebTest {

  @Autowired
  CircuitBreakerRegistry registry;

  @AfterEach
  void closeAgain() {
    registry.all().forEach(CircuitBreaker::reset);
  }

  @Test
  void everyBreakerIsAHealthComponentAndAllClosedIsUp() throws Exception {
    HttpResponse<String> response = get("/actuator/health");
    assertThat(response.statusCode()).isEqualTo(200);
    Map<String, Object> breakers = component(json(response.body()));
    assertThat(breakers).containsEntry("status", "UP");
    assertThat(components(breakers)).containsKeys("inventory", "payments").doesNotContainKey("hidden");
  }

  @Test
  void anOpenBreakerIsDegradedAndTheApplicationStillAnswers200() throws Exception {
    registry.circuitBreaker("inventory").transitionToOpenState();
    HttpResponse<String> response = get("/actuator/health");
    assertThat(response.statusCode()).isEqualTo(200);
    Map<String, Object> health = json(response.body());
    assertThat(health).containsEntry("status", "DEGRADED");
    @SuppressWarnings("unchecked")
    Map<String, Object> inventory = (Map<String, Object>) components(component(health)).get("inventory");
    assertThat(inventory).containsEntry("status", "DEGRADED");
    @SuppressWarnings("unchecked")
    Map<String, Object> details = (Map<String, Object>) inventory.get("details");
    assertThat(details).containsEntry("state", "OPEN").containsEntry("critical", false).containsKeys("since", "nextTrialAt");
    HttpResponse<String> one = get("/actuator/health/circuitBreakers/inventory");
    assertThat(one.statusCode()).isEqualTo(200);
    assertThat(json(one.body())).containsEntry("status", "DEGRADED");
  }

  @Test
  void aCriticalOpenBreakerTakesTheApplicationDown() throws Exception {
    registry.circuitBreaker("payments").transitionToForcedOpenState();
    HttpResponse<String> response = get("/actuator/health");
    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(json(response.body())).containsEntry("status", "DOWN");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> component(Map<String, Object> health) {
    return (Map<String, Object>) components(health).get("circuitBreakers");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> components(Map<String, Object> health) {
    return (Map<String, Object>) health.get("components");
  }
}
