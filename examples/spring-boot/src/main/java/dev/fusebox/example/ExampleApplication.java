package dev.fusebox.example;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A service with one guarded endpoint: {@code GET /external-api} calls an upstream through the {@code upstream} circuit
 * breaker and answers the last good data it got when the upstream fails, or
 * {@code {"message": "Service unavailable. Using fallback data."}} with 503 when it has none.
 *
 * <p>Run it with {@code java -jar target/fusebox-example-spring-boot.jar}. Without {@code upstream.url} it
 * calls its own simulated upstream at {@code /simulated-upstream}, which {@code POST
 * /simulated-upstream/outage} breaks and {@code DELETE /simulated-upstream/outage} mends.
 */
@SpringBootApplication
public class ExampleApplication {

  /** Creates the application; Spring does. */
  public ExampleApplication() {}

  /**
   * Starts the application.
   *
   * @param args Spring Boot's command-line arguments, such as {@code --upstream.url=http://...}
   */
  public static void main(String[] args) {
    SpringApplication.run(ExampleApplication.class, args);
  }
}
