package dev.fusebox.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.fusebox.circuitbreaker.CircuitBreaker;
import dev.fusebox.circuitbreaker.CircuitBreaker.State;
import dev.fusebox.circuitbreaker.CircuitBreakerConfig;
import dev.fusebox.circuitbreaker.CircuitBreakerRegistry;
import dev.fusebox.testing.ManualTicker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Openings as the on-call reads them, on a hand-driven ticker: calls spared, time to recovery. */
class OutagesTest {

  /** Near the end of the ticker's range, so that every duration is a difference across the wrap. */
  private final ManualTicker ticker = new ManualTicker(Long.MAX_VALUE - Duration.ofSeconds(5).toNanos());
  private final CircuitBreakerConfig config = CircuitBreakerConfig.builder()
      .countBasedWindow(4).minimumNumberOfCalls(4).waitDurationInOpenState(Duration.ofSeconds(10))
      .permittedNumberOfCallsInHalfOpenState(1).slowCallDetection(false).ticker(ticker).build();

  private static void fail(CircuitBreaker breaker, int times) {
    for (int i = 0; i < times; i++) {
      catchThrowable(() -> breaker.executeSupplier(() -> {
        throw new IllegalStateException("down");
      }));
    }
  }

  private static void call(CircuitBreaker breaker, int times) {
    for (int i = 0; i < times; i++) {
      catchThrowable(() -> breaker.executeSupplier(() -> "ok"));
    }
  }

  @Test
  void anOpeningThatRecoversThroughTrialsCountsItsTimeAndTheCallsItSpared() {
    CircuitBreakerRegistry registry = CircuitBreakerRegistry.of(config);
    Outages outages = Outages.attach(registry);
    List<Outages.Recovery> recoveries = new ArrayList<>();
    outages.onRecovery(recoveries::add);
    CircuitBreaker breaker = registry.circuitBreaker("inventory");

    fail(breaker, 4);
    assertThat(breaker.state()).isEqualTo(State.OPEN);
    call(breaker, 3);
    ticker.advance(Duration.ofSeconds(4));
    Outages.Summary during = outages.summary("inventory").orElseThrow();
    assertThat(during.openings()).isEqualTo(1);
    assertThat(during.sparedCalls()).isEqualTo(3);
    assertThat(during.openFor()).contains(Duration.ofSeconds(4));
    assertThat(during.lastTimeToRecovery()).isEmpty();

    // A failed trial keeps the same opening going.
    ticker.advance(Duration.ofSeconds(6));
    fail(breaker, 1);
    assertThat(breaker.state()).isEqualTo(State.OPEN);
    call(breaker, 2);
    ticker.advance(Duration.ofSeconds(10));
    call(breaker, 1);
    assertThat(breaker.state()).isEqualTo(State.CLOSED);

    Outages.Summary after = outages.summary("inventory").orElseThrow();
    assertThat(after.openings()).isEqualTo(1);
    assertThat(after.recoveries()).isEqualTo(1);
    assertThat(after.sparedCalls()).isEqualTo(5);
    assertThat(after.openFor()).isEmpty();
    assertThat(after.lastTimeToRecovery()).contains(Duration.ofSeconds(20));
    assertThat(after.averageTimeToRecovery()).contains(Duration.ofSeconds(20));
    assertThat(recoveries).containsExactly(new Outages.Recovery("inventory", Duration.ofSeconds(20), 5));

    // A second opening that recovers at its first trial: the average is over both.
    fail(breaker, 4);
    ticker.advance(Duration.ofSeconds(10));
    call(breaker, 1);
    Outages.Summary two = outages.summary("inventory").orElseThrow();
    assertThat(two.openings()).isEqualTo(2);
    assertThat(two.recoveries()).isEqualTo(2);
    assertThat(two.lastTimeToRecovery()).contains(Duration.ofSeconds(10));
    assertThat(two.averageTimeToRecovery()).contains(Duration.ofSeconds(15));
  }

  @Test
  void anOpeningEndedByHandIsNoRecovery() {
    CircuitBreaker breaker = CircuitBreaker.of("payments", config);
    Outages outages = Outages.attach(breaker);
    fail(breaker, 4);
    call(breaker, 2);
    ticker.advance(Duration.ofSeconds(3));
    breaker.transitionToClosedState();

    Outages.Summary s = outages.summary("payments").orElseThrow();
    assertThat(s.openings()).isEqualTo(1);
    assertThat(s.recoveries()).isZero();
    assertThat(s.sparedCalls()).isEqualTo(2);
    assertThat(s.lastTimeToRecovery()).isEmpty();
    assertThat(s.averageTimeToRecovery()).isEmpty();
    assertThat(outages.summary("other")).isEmpty();
  }

  @Test
  void aBreakerAlreadyOpenWhenAttachedCountsFromThen() {
    CircuitBreakerRegistry registry = CircuitBreakerRegistry.of(config);
    CircuitBreaker breaker = registry.circuitBreaker("search");
    fail(breaker, 4);
    call(breaker, 7);
    Outages outages = Outages.attach(registry);
    call(breaker, 1);
    ticker.advance(Duration.ofSeconds(10));
    call(breaker, 1);
    Outages.Summary s = outages.summary("search").orElseThrow();
    assertThat(s.recoveries()).isEqualTo(1);
    assertThat(s.sparedCalls()).isEqualTo(1);
    assertThat(s.lastTimeToRecovery()).contains(Duration.ofSeconds(10));
  }

  @Test
  void aThrowingListenerNeverReachesTheCaller() {
    CircuitBreaker breaker = CircuitBreaker.of("throwing", config);
    Outages outages = Outages.attach(breaker);
    outages.onRecovery(r -> {
      throw new IllegalStateException("listener");
    });
    fail(breaker, 4);
    ticker.advance(Duration.ofSeconds(10));
    assertThat(breaker.executeSupplier(() -> "ok")).isEqualTo("ok");
    assertThat(breaker.state()).isEqualTo(State.CLOSED);
    outages.close();
  }
}
