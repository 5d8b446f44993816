package dev.fusebox.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The hand-driven clocks honour what {@link dev.fusebox.Ticker} promises, an arbitrary origin: a test can
 * start them just below {@link Long#MAX_VALUE} and move them across the wrap, which is how the time rules of
 * every policy are tested there.
 */
class ManualTimeAcrossWrapTest {

  private static final long NEAR_MAX = Long.MAX_VALUE - Duration.ofSeconds(1).toNanos();

  @Test
  void theTickerMovesAcrossTheWrapAndStillRefusesToGoBackwards() {
    ManualTicker ticker = new ManualTicker(NEAR_MAX);

    ticker.advance(Duration.ofSeconds(2));
    assertThat(ticker.nanos()).isEqualTo(NEAR_MAX + Duration.ofSeconds(2).toNanos()).isNegative();
    ticker.set(ticker.nanos() + 5);
    assertThat(ticker.nanos() - NEAR_MAX).isEqualTo(Duration.ofSeconds(2).toNanos() + 5);
    assertThatThrownBy(() -> ticker.set(NEAR_MAX))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("a ticker never goes backwards");
  }

  @Test
  void theSchedulerRunsTasksInDueOrderAcrossTheWrap() {
    ManualTicker ticker = new ManualTicker(NEAR_MAX);
    ManualScheduler scheduler = new ManualScheduler(ticker);
    List<String> ran = new ArrayList<>();
    scheduler.schedule(() -> ran.add("after the wrap"), Duration.ofSeconds(3).toNanos());
    scheduler.schedule(() -> ran.add("before the wrap"), Duration.ofMillis(500).toNanos());

    scheduler.advance(Duration.ofSeconds(2));
    assertThat(ran).containsExactly("before the wrap");
    assertThat(scheduler.pendingDelays()).containsExactly(Duration.ofSeconds(1));

    scheduler.advance(Duration.ofSeconds(1));
    assertThat(ran).containsExactly("before the wrap", "after the wrap");
    assertThat(ticker.nanos() - NEAR_MAX).isEqualTo(Duration.ofSeconds(3).toNanos());
  }
}
