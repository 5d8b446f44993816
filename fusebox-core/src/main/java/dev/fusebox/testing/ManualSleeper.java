package dev.fusebox.testing;

import dev.fusebox.Sleeper;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link Sleeper} that moves a {@link ManualTicker} instead of blocking, and remembers every sleep, so
 * tests can assert the waits a policy chose.
 *
 * <pre>{@code
 * ManualTicker ticker = new ManualTicker();
 * ManualSleeper sleeper = new ManualSleeper(ticker);
 * Retry retry = Retry.of("test", RetryConfig.builder().sleeper(sleeper).ticker(ticker).build());
 * // ... run a call that fails twice
 * assertThat(sleeper.sleeps()).containsExactly(Duration.ofMillis(500), Duration.ofMillis(1000));
 * }</pre>
 *
 * <p>This class is threadsafe.
 */
public final class ManualSleeper implements Sleeper {

  private final ManualTicker ticker;
  private final List<Duration> sleeps = new CopyOnWriteArrayList<>();

  /**
   * Creates a sleeper that moves {@code ticker}.
   *
   * @param ticker the ticker each sleep advances
   */
  public ManualSleeper(ManualTicker ticker) {
    this.ticker = Objects.requireNonNull(ticker, "ticker must not be null");
  }

  @Override
  public void sleep(long nanos) throws InterruptedException {
    if (Thread.interrupted()) {
      throw new InterruptedException();
    }
    if (nanos > 0) {
      sleeps.add(Duration.ofNanos(nanos));
      ticker.advanceNanos(nanos);
    }
  }

  /**
   * Returns every sleep so far, in order.
   *
   * @return every sleep so far, in order
   */
  public List<Duration> sleeps() {
    return List.copyOf(sleeps);
  }
}
