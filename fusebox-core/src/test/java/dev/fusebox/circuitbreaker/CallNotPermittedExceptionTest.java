package dev.fusebox.circuitbreaker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusebox.circuitbreaker.CircuitBreaker.State;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The exception integrations build for a rejection they decide on a breaker's behalf. */
class CallNotPermittedExceptionTest {

  @Test
  void aRetryAfterLongerThanTheTickerCanCountIsHeldAtItsLongestInsteadOfOverflowing() {
    CallNotPermittedException e = CallNotPermittedException.of("fleet", State.OPEN, Duration.ofDays(365L * 1000));

    assertThat(e.retryAfter()).hasValueSatisfying(d -> assertThat(d).isGreaterThan(Duration.ofDays(365L * 290)));
    assertThat(e.getMessage()).startsWith("CircuitBreaker 'fleet' is OPEN and does not permit further calls; next trial in");
  }

  @Test
  void aNegativeRetryAfterMeansATrialMayRunNow() {
    CallNotPermittedException e = CallNotPermittedException.of("fleet", State.OPEN, Duration.ofSeconds(-5));

    assertThat(e.retryAfter()).contains(Duration.ZERO);
  }

  @Test
  void anUnknownRetryAfterIsEmpty() {
    CallNotPermittedException e = CallNotPermittedException.of("fleet", State.HALF_OPEN, null);

    assertThat(e.retryAfter()).isEmpty();
    assertThat(e.getMessage()).isEqualTo("CircuitBreaker 'fleet' is HALF_OPEN and does not permit further calls");
    assertThat(e.getStackTrace()).isEmpty();
  }
}
