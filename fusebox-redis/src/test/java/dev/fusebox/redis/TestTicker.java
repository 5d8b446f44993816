package dev.fusebox.redis;

import dev.fusebox.Ticker;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** A ticker moved by hand, so breakers' time-dependent decisions are exact and repeatable. */
final class TestTicker implements Ticker {

  private final AtomicLong now = new AtomicLong(1_000_000_000L);

  @Override
  public long nanos() {
    return now.get();
  }

  void advance(Duration d) {
    now.addAndGet(d.toNanos());
  }
}
