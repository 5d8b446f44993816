package dev.fusebox.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PollTest {

  @Test
  void returnsAsSoonAsTheConditionHoldsAndRunsBetweenOnlyAfterFailedChecks() {
    AtomicInteger checks = new AtomicInteger();
    AtomicInteger between = new AtomicInteger();

    Poll.until(Duration.ofMinutes(1), Duration.ofMillis(1), "the third check", () -> checks.incrementAndGet() == 3,
        between::incrementAndGet);

    assertThat(checks).hasValue(3);
    assertThat(between).hasValue(2);
  }

  @Test
  void failsNamingWhatItAwaitedOnceTheLimitHasPassed() {
    AtomicInteger checks = new AtomicInteger();

    assertThatThrownBy(() -> Poll.until(Duration.ZERO, "the impossible", () -> checks.incrementAndGet() < 0))
        .isInstanceOf(AssertionError.class)
        .hasMessage("Timed out after PT0S waiting until the impossible");
    assertThat(checks.get()).isPositive();
  }

  @Test
  void withinSaysWhetherTheConditionHeld() {
    assertThat(Poll.within(Duration.ZERO, () -> true)).isTrue();
    assertThat(Poll.within(Duration.ZERO, () -> false)).isFalse();
  }

  @Test
  void rejectsANegativeLimitAndAnIntervalThatIsNotPositive() {
    assertThatThrownBy(() -> Poll.within(Duration.ofSeconds(-1), () -> true))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("limit must not be negative and interval must be positive, were PT-1S and PT0.002S");
    assertThatThrownBy(() -> Poll.until(Duration.ZERO, Duration.ZERO, "x", () -> true, () -> {}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("limit must not be negative and interval must be positive, were PT0S and PT0S");
  }

  @Test
  void rejectsNullsWithAMessage() {
    assertThatThrownBy(() -> Poll.until(Duration.ZERO, null, () -> true))
        .isInstanceOf(NullPointerException.class).hasMessage("what must not be null");
    assertThatThrownBy(() -> Poll.within(null, () -> true))
        .isInstanceOf(NullPointerException.class).hasMessage("limit must not be null");
    assertThatThrownBy(() -> Poll.within(Duration.ZERO, null))
        .isInstanceOf(NullPointerException.class).hasMessage("condition must not be null");
  }
}
