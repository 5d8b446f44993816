package dev.fusebox.example.webflux;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** The example's endpoints: {@code /quote}, and a simulated upstream that can be made to fail. */
@RestController
public class QuoteController {

  private final QuoteClient quotes;
  private final AtomicBoolean down = new AtomicBoolean();
  private final AtomicInteger upstreamCalls = new AtomicInteger();

  /**
   * Creates the controller.
   *
   * @param quotes the guarded client
   */
  public QuoteController(QuoteClient quotes) {
    this.quotes = quotes;
  }

  /**
   * Answers a quote through the breaker.
   *
   * @return the quote or the fallback's answer
   */
  @GetMapping("/quote")
  public Mono<String> quote() {
    return quotes.quote();
  }

  /**
   * The simulated upstream.
   *
   * @return a quote, or a 503 while down
   */
  @GetMapping("/simulated-upstream")
  public ResponseEntity<String> upstream() {
    upstreamCalls.incrementAndGet();
    return down.get() ? ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).body("down") : ResponseEntity.ok("42.00");
  }

  /**
   * Takes the simulated upstream down.
   *
   * @return how many calls it had so far
   */
  @PostMapping("/simulated-upstream/down")
  public int takeDown() {
    down.set(true);
    return upstreamCalls.get();
  }

  /**
   * Returns how many calls the simulated upstream has had.
   *
   * @return the count
   */
  @GetMapping("/simulated-upstream/calls")
  public int calls() {
    return upstreamCalls.get();
  }
}
