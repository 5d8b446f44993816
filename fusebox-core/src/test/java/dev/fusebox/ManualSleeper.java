package dev.fusebox;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A sleeper that moves a {@link ManualTicker} instead of blocking, and remembers every sleep. */
public final class ManualSleeper implements Sleeper {

  private final ManualTicker ticker;
  private final List<Duration> sleeps = new CopyOnWriteArrayList<>();

  public ManualSleeper(ManualTicker ticker) {
    this.ticker = ticker;
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

  public List<Duration> sleeps() {
    return List.copyOf(sleeps);
  }
}
