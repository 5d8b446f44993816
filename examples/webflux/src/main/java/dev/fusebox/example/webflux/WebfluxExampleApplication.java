package dev.fusebox.example.webflux;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * Starts the example: {@code java -jar target/fusebox-example-webflux.jar}, then {@code curl localhost:8080/quote};
 * {@code curl -X POST localhost:8080/simulated-upstream/down} makes the upstream fail.
 */
@SpringBootApplication
public class WebfluxExampleApplication {

  /** Creates the application; Spring does. */
  public WebfluxExampleApplication() {}

  /**
   * Runs the example.
   *
   * @param args Spring Boot's arguments
   */
  public static void main(String[] args) {
    SpringApplication.run(WebfluxExampleApplication.class, args);
  }
}
