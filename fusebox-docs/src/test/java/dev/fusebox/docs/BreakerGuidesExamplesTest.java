package dev.fusebox.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusebox.circuitbreaker.CircuitBreaker;
import dev.fusebox.circuitbreaker.CircuitBreakerConfig;
import dev.fusebox.circuitbreaker.CircuitBreakerRegistry;
import dev.fusebox.testing.ManualTicker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The examples of docs/circuitbreaker-guarantees.md and docs/resilience4j-differences.md, run. */
class BreakerGuidesExamplesTest {

  /** Stands in for an HTTP response in the examples. */
  record Response(int status, Optional<Duration> retryAfter) {}

  /** Stands in for a client whose calls the breaker cannot wrap. */
  static final class Client {
    int status = 200;

    Response send() throws IOException {
      if (status == 0) {
        throw new IOException("connection refused");
      }
      return new Response(status, status == 429 ? Optional.of(Duration.ofSeconds(30)) : Optional.empty());
    }
  }

  private final Client client = new Client();

  private Response call(CircuitBreaker breaker) throws IOException {
    // tag::permit[]
    CircuitBreaker.Permit permit = breaker.tryAcquirePermit();
    if (permit == null) {
      return new Response(503, breaker.metrics().nextTrialIn());    // rejected: answer at once
    }
    long start = breaker.config().ticker().nanos();
    try {
      Response response = client.send();
      permit.onResult(breaker.config().ticker().nanos() - start, response);
      return response;
    } catch (IOException e) {
      permit.onError(breaker.config().ticker().nanos() - start, e);
      throw e;
    }
    // end::permit[]
  }

  @Test
  void aPermitReportsToTheStateThatIssuedIt() throws IOException {
    CircuitBreaker breaker =
        CircuitBreaker.of("client", CircuitBreakerConfig.builder().countBasedWindow(2).minimumNumberOfCalls(2).build());

    assertThat(call(breaker).status()).isEqualTo(200);
    client.status = 0;
    for (int i = 0; i < 2; i++) {
      try {
        call(breaker);
      } catch (IOException expected) {
        // the client's own failure
      }
    }
    assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
    assertThat(call(breaker).status()).isEqualTo(503);
  }

  @Test
  void aRuleCanBeTestedAcrossTheWrapOfTheTicker() {
    // tag::near-wrap[]
    ManualTicker ticker = new ManualTicker(Long.MAX_VALUE - Duration.ofSeconds(1).toNanos());
    CircuitBreaker breaker = CircuitBreaker.of("wrap", CircuitBreakerConfig.builder()
        .ticker(ticker)
        .countBasedWindow(1)
        .waitDurationInOpenState(Duration.ofSeconds(60))
        .build());
    breaker.transitionToOpenState();
    ticker.advance(Duration.ofSeconds(59));                   // past Long.MAX_VALUE: readings are negative
    assert breaker.tryAcquirePermit() == null;                // still open
    ticker.advance(Duration.ofSeconds(1));
    assert breaker.tryAcquirePermit() != null;                // the first trial
    // end::near-wrap[]
    assertThat(ticker.nanos()).isNegative();
    assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.HALF_OPEN);
  }

  @Test
  void theResilience4jOptionsMoveOver() {
    ManualTicker ticker = new ManualTicker();
    // tag::resilience4j-options[]
    CircuitBreakerConfig config = CircuitBreakerConfig.builder()
        .initialState(CircuitBreaker.State.OPEN)                      // starts open, as after a trip
        .maxWaitDurationInHalfOpenState(Duration.ofSeconds(30))
        .transitionToStateAfterWaitDuration(CircuitBreaker.State.CLOSED)
        .openStateWaitFunction(opening -> Duration.ofSeconds(10L * opening))  // 10 s, 20 s, 30 s...
        .tripWhen((result, error) -> result instanceof Response r && r.status() == 429
            ? r.retryAfter()                                          // open for as long as the server asks
            : Optional.empty())
        .build();
    // end::resilience4j-options[]
    CircuitBreaker breaker =
        CircuitBreaker.of(
            "r4j",
            config.toBuilder().ticker(ticker).countBasedWindow(4).minimumNumberOfCalls(4)
                .permittedNumberOfCallsInHalfOpenState(1).build());

    assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
    assertThat(breaker.metrics().nextTrialIn()).contains(Duration.ofSeconds(10));
    ticker.advance(Duration.ofSeconds(10));
    assertThat(breaker.executeSupplier(() -> new Response(200, Optional.empty())).status()).isEqualTo(200);
    assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
    breaker.executeSupplier(() -> new Response(429, Optional.of(Duration.ofSeconds(45))));
    assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
    assertThat(breaker.metrics().nextTrialIn()).contains(Duration.ofSeconds(45));
  }

  @Test
  void registryAndBreakerTagsMoveOver() {
    // tag::resilience4j-tags[]
    CircuitBreakerRegistry registry =
        CircuitBreakerRegistry.of(CircuitBreakerConfig.ofDefaults(), Map.of("team", "checkout"));
    CircuitBreaker payments =
        registry.circuitBreaker("payments", registry.defaultConfig(), Map.of("tier", "1"));
    Map<String, String> tags = payments.tags();               // {team=checkout, tier=1}
    // end::resilience4j-tags[]
    assertThat(tags).containsOnly(Map.entry("team", "checkout"), Map.entry("tier", "1"));
  }

  @Test
  void anErrorIsNotAFailureUnlessARuleNamesIt() {
    CircuitBreaker breaker = CircuitBreaker.of("errors", CircuitBreakerConfig.ofDefaults());
    try {
      breaker.executeRunnable(() -> {
        throw new UncheckedIOException(new IOException("down"));
      });
    } catch (UncheckedIOException expected) {
      // the call's own failure
    }
    try {
      breaker.executeRunnable(() -> {
        throw new AssertionError("a bug");
      });
    } catch (AssertionError expected) {
      // reaches the caller unchanged, and is not recorded
    }
    assertThat(breaker.metrics().totalFailedCalls()).isEqualTo(1);
    assertThat(breaker.metrics().totalIgnoredCalls()).isEqualTo(1);
  }
}
