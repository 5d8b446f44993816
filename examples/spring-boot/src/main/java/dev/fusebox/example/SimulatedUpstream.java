package dev.fusebox.example;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A stand-in upstream inside the example, so that it runs with nothing else: {@code GET /simulated-upstream}
 * answers a small JSON document, or 500 during an outage, which {@code POST /simulated-upstream/outage}
 * starts and {@code DELETE /simulated-upstream/outage} ends. Off with {@code simulated-upstream.enabled=false}.
 */
@RestController
@ConditionalOnBooleanProperty(name = "simulated-upstream.enabled", matchIfMissing = true)
public class SimulatedUpstream {

  private final AtomicBoolean outage = new AtomicBoolean();
  private final AtomicLong served = new AtomicLong();

  /** Creates the stand-in; Spring does. */
  public SimulatedUpstream() {}

  /**
   * The upstream's data, or 500 during an outage.
   *
   * @return 200 with the data, or 500 while an outage runs
   */
  @GetMapping(path = "/simulated-upstream", produces = MediaType.APPLICATION_JSON_VALUE)
  public ResponseEntity<String> data() {
    if (outage.get()) {
      return ResponseEntity.status(HttpStatus.INTERNAL_SERVER_ERROR).body("{\"error\": \"simulated outage\"}");
    }
    return ResponseEntity.ok("{\"data\": \"fresh\", \"served\": " + served.incrementAndGet() + "}");
  }

  /**
   * Starts an outage.
   *
   * @return 204, the outage started
   */
  @PostMapping("/simulated-upstream/outage")
  public ResponseEntity<Void> startOutage() {
    outage.set(true);
    return ResponseEntity.noContent().build();
  }

  /**
   * Ends the outage.
   *
   * @return 204, the outage over
   */
  @DeleteMapping("/simulated-upstream/outage")
  public ResponseEntity<Void> endOutage() {
    outage.set(false);
    return ResponseEntity.noContent().build();
  }
}
