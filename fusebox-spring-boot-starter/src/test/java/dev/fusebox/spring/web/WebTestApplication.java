package dev.fusebox.spring.web;

import dev.fusebox.spring.annotation.CircuitBreaker;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/** The application the HTTP tests start on a real port: actuator, Prometheus, the dashboard and a bean. */
@SpringBootApplication
public class WebTestApplication {

  /** A bean whose calls go through the {@code inventory} breaker. */
  public static class Inventory {
    /** Fails when asked to, through the breaker. */
    @CircuitBreaker(name = "inventory")
    public String stock(boolean fail) {
      if (fail) {
        throw new IllegalStateException("upstream down");
      }
      return "42";
    }
  }

  @Bean
  Inventory inventory() {
    return new Inventory();
  }
}
