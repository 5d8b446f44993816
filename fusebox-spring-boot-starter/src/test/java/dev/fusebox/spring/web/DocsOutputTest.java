package dev.fusebox.spring.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusebox.circuitbreaker.CircuitBreaker;
import dev.fusebox.circuitbreaker.CircuitBreakerRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Produces the actuator output that docs/spring-boot.md shows, from a real run: an {@code inventory}
 * breaker opened by two failures out of four calls. Written to {@code target/docs-output/}.
 */
class DocsOutputTest extends WebTest {

  private static final JsonMapper PRETTY = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

  @Autowired
  CircuitBreakerRegistry registry;

  @Autowired
  WebTestApplication.Inventory inventory;

  @AfterEach
  void closeAgain() {
    registry.all().forEach(CircuitBreaker::reset);
  }

  @Test
  void writesTheActuatorOutputOfAnOpenedBreaker() throws Exception {
    registry.all().forEach(CircuitBreaker::reset);
    inventory.stock(false);
    inventory.stock(false);
    for (int i = 0; i < 2; i++) {
      try {
        inventory.stock(true);
      } catch (IllegalStateException expected) {
        // the upstream is down
      }
    }
    assertThat(registry.circuitBreaker("inventory").state()).isEqualTo(CircuitBreaker.State.OPEN);
    Path out = Path.of("target", "docs-output");
    Files.createDirectories(out);
    write(out, "circuitbreakers.json", get("/actuator/circuitbreakers").body());
    write(out, "circuitbreaker-inventory.json", get("/actuator/circuitbreakers/inventory").body());
    write(out, "events.json", get("/actuator/circuitbreakerevents?name=inventory&type=STATE_TRANSITION,FAILURE_RATE_EXCEEDED").body());
    write(out, "health.json", get("/actuator/health/circuitBreakers").body());
    String scrape = get("/actuator/prometheus").body();
    Files.writeString(out.resolve("prometheus.txt"), String.join("\n",
        scrape.lines().filter(l -> l.contains("name=\"inventory\"") && l.startsWith("fusebox_circuitbreaker_")).toList()));
    write(out, "force-open.json", post("/actuator/circuitbreakers/inventory", "{\"action\": \"force-open\"}").body());
    assertThat(out.resolve("circuitbreakers.json")).exists();
  }

  private static void write(Path dir, String name, String json) throws Exception {
    Object tree = PRETTY.readValue(json, Map.class);
    Files.writeString(dir.resolve(name), PRETTY.writeValueAsString(tree));
  }
}
