package dev.fusebox;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** A ticker that only moves when a test moves it. */
public final class ManualTicker implements Ticker {

  private final AtomicLong nanos;

  public ManualTicker() {
    this(0);
  }

  public ManualTicker(long start) {
    this.nanos = new AtomicLong(start);
  }

  @Override
  public long nanos() {
    return nanos.get();
  }

  public ManualTicker advance(Duration duration) {
    nanos.addAndGet(duration.toNanos());
    return this;
  }

  public ManualTicker advanceNanos(long delta) {
    nanos.addAndGet(delta);
    return this;
  }

  public ManualTicker set(long value) {
    nanos.set(value);
    return this;
  }
}
