package dev.fusebox.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusebox.circuitbreaker.CircuitBreaker;
import dev.fusebox.circuitbreaker.CircuitBreakerConfig;
import dev.fusebox.circuitbreaker.HealthProbe;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The circuit-breaker guide's health-probe example, built and checked. */
class HealthProbeExamplesTest {

  /** Stands in for the dependency's client. */
  static final class Inventory {
    final AtomicInteger pings = new AtomicInteger();

    String ping() {
      pings.incrementAndGet();
      return "pong";
    }
  }

  private final Inventory inventory = new Inventory();

  @Test
  void aBreakerWithAProbe() {
    // tag::health-probe[]
    CircuitBreakerConfig config = CircuitBreakerConfig.builder()
        .waitDurationInOpenState(Duration.ofMinutes(1))
        .healthProbe(HealthProbe.of(() -> inventory.ping())
            .interval(Duration.ofSeconds(5))
            .failuresToOpen(3)
            .build())
        .build();
    // end::health-probe[]

    assertThat(config.healthProbe()).hasValueSatisfying(probe -> {
      assertThat(probe.interval()).isEqualTo(Duration.ofSeconds(5));
      assertThat(probe.timeout()).isEqualTo(Duration.ofSeconds(5));
      assertThat(probe.failuresToOpen()).isEqualTo(3);
    });
    CircuitBreaker breaker = CircuitBreaker.of("inventory", config);
    assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
  }
}
