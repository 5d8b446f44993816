package dev.fusebox.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusebox.Ticker;
import dev.fusebox.circuitbreaker.CallNotPermittedException;
import dev.fusebox.circuitbreaker.CircuitBreaker;
import dev.fusebox.circuitbreaker.CircuitBreakerConfig;
import dev.fusebox.circuitbreaker.CircuitBreakerRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The README's core examples, run. */
class CoreExamplesTest {

  /** Stands in for a remote dependency in the examples. */
  static final class Inventory {
    boolean down;

    String fetch(String sku) {
      if (down) {
        throw new UncheckedIOException(new IOException("inventory service unavailable"));
      }
      return sku + ": 7 in stock";
    }

    CompletionStage<String> fetchAsync(String sku) {
      return CompletableFuture.supplyAsync(() -> fetch(sku));
    }
  }

  private final Inventory inventory = new Inventory();

  @Test
  void quickStart() {
    // tag::quick-start[]
    CircuitBreakerConfig config = CircuitBreakerConfig.builder()
        .failureRateThreshold(50)
        .waitDurationInOpenState(Duration.ofSeconds(30))
        .build();
    CircuitBreakerRegistry registry = CircuitBreakerRegistry.of(config);
    CircuitBreaker breaker = registry.circuitBreaker("inventory");

    String stock = breaker.executeSupplier(() -> inventory.fetch("sku-42"), failure -> "unknown");
    // end::quick-start[]
    assertThat(stock).isEqualTo("sku-42: 7 in stock");
    inventory.down = true;
    assertThat(breaker.executeSupplier(() -> inventory.fetch("sku-42"), failure -> "unknown")).isEqualTo("unknown");
  }

  @Test
  void otherWaysToCall() throws Exception {
    CircuitBreaker breaker = CircuitBreaker.ofDefaults("inventory");
    // tag::call-styles[]
    // Decorate once, call many times.
    Supplier<String> guarded = breaker.decorateSupplier(() -> inventory.fetch("sku-42"));
    String first = guarded.get();

    // Asynchronous: a rejection comes back as a failed stage, never as a throw.
    CompletionStage<String> later = breaker.executeCompletionStage(() -> inventory.fetchAsync("sku-42"));

    // Manual: for code that cannot hand the call over. The permit is null when the breaker rejects.
    CircuitBreaker.Permit permit = breaker.tryAcquirePermit();
    if (permit != null) {
      long start = breaker.config().ticker().nanos();
      try {
        String value = inventory.fetch("sku-42");
        permit.onResult(breaker.config().ticker().nanos() - start, value);
      } catch (RuntimeException e) {
        permit.onError(breaker.config().ticker().nanos() - start, e);
        throw e;
      }
    }
    // end::call-styles[]
    assertThat(first).contains("sku-42");
    assertThat(later.toCompletableFuture().join()).contains("sku-42");
    assertThat(breaker.metrics().numberOfSuccessfulCalls()).isEqualTo(3);
  }

  @Test
  void rejectedCalls() {
    CircuitBreaker breaker = CircuitBreaker.ofDefaults("inventory");
    breaker.transitionToOpenState();
    String body;
    int status;
    String retryAfter;
    // tag::rejection[]
    try {
      body = breaker.executeSupplier(() -> inventory.fetch("sku-42"));
      status = 200;
      retryAfter = null;
    } catch (CallNotPermittedException e) {
      body = "{\"message\": \"Service unavailable. Using fallback data.\"}";
      status = 503;
      retryAfter = e.retryAfter().map(d -> String.valueOf(d.toSeconds())).orElse("60");
    }
    // end::rejection[]
    assertThat(status).isEqualTo(503);
    assertThat(body).contains("fallback");
    assertThat(retryAfter).isIn("59", "60");
  }

  @Test
  void events() {
    CircuitBreaker breaker = CircuitBreaker.ofDefaults("inventory");
    List<String> log = new ArrayList<>();
    // tag::events[]
    breaker.onStateTransition(t -> log.add(t.breakerName() + ": " + t.from() + " -> " + t.to()));
    breaker.onEvent(event -> {
      if (event.type() == dev.fusebox.circuitbreaker.CircuitBreakerEvent.Type.NOT_PERMITTED) {
        log.add("rejected a call");
      }
    });
    // end::events[]
    breaker.transitionToOpenState();
    breaker.tryAcquirePermission();
    assertThat(log).containsExactly("inventory: CLOSED -> OPEN", "rejected a call");
  }

  @Test
  void fullConfiguration() {
    // tag::configuration[]
    CircuitBreakerConfig config = CircuitBreakerConfig.builder()
        .countBasedWindow(100)                                  // or .timeBasedWindow(Duration.ofSeconds(60))
        .minimumNumberOfCalls(20)
        .failureRateThreshold(50)
        .slowCallRateThreshold(80)
        .slowCallDurationThreshold(Duration.ofSeconds(2))
        .consecutiveFailureThreshold(10)
        .waitDurationInOpenState(Duration.ofSeconds(30))
        .openStateBackoff(2.0, Duration.ofMinutes(5))           // 30 s, 60 s, 120 s, 240 s, 300 s, ...
        .openStateJitter(0.1)
        .permittedNumberOfCallsInHalfOpenState(5)
        .maxWaitDurationInHalfOpenState(Duration.ofSeconds(20))
        .recoveryRamp(Duration.ofSeconds(30))                   // 10%, 25%, 50% of calls, then all
        .recordExceptions(IOException.class, UncheckedIOException.class)
        .ignoreExceptions(IllegalArgumentException.class)
        .build();
    // end::configuration[]
    assertThat(config.openStateBackoffMax()).isEqualTo(Duration.ofMinutes(5));
  }

  @Test
  void testingWithATicker() {
    // tag::ticker[]
    AtomicLong now = new AtomicLong();
    Ticker ticker = now::get;
    CircuitBreaker breaker = CircuitBreaker.of("test", CircuitBreakerConfig.builder()
        .countBasedWindow(2)
        .ticker(ticker)
        .build());
    breaker.onError(0, new IOException("down"));
    breaker.onError(0, new IOException("down"));
    assert breaker.state() == CircuitBreaker.State.OPEN;

    now.addAndGet(Duration.ofSeconds(60).toNanos());          // no sleeping: move time by hand
    assert breaker.tryAcquirePermission();                      // the first trial call
    assert breaker.state() == CircuitBreaker.State.HALF_OPEN;
    // end::ticker[]
    assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.HALF_OPEN);
  }

  @Test
  void changingABreakerLive() {
    // tag::reconfigure[]
    CircuitBreaker breaker = CircuitBreaker.of("inventory", CircuitBreakerConfig.builder()
        .countBasedWindow(10)
        .failureRateThreshold(50)
        .build());
    for (int i = 0; i < 10; i++) {
      breaker.onError(0, new IOException("down"));   // 10 failed calls: OPEN
    }
    breaker.reconfigure(breaker.config().toBuilder()
        .failureRateThreshold(25)
        .waitDurationInOpenState(Duration.ofSeconds(10))
        .build());
    assert breaker.state() == CircuitBreaker.State.OPEN;           // the opening is kept, deadline and all
    assert breaker.config().failureRateThreshold() == 25;
    // end::reconfigure[]
    assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
    assertThat(breaker.metrics().numberOfFailedCalls()).isEqualTo(10);
  }
}
