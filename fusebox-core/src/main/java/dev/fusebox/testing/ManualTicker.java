package dev.fusebox.testing;

import dev.fusebox.Ticker;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link Ticker} that only moves when a test moves it, so that tests of time-dependent behaviour never
 * sleep and never flake.
 *
 * <pre>{@code
 * ManualTicker ticker = new ManualTicker();
 * CircuitBreaker breaker = CircuitBreaker.of("test", CircuitBreakerConfig.builder().ticker(ticker).build());
 * breaker.transitionToOpenState();
 * ticker.advance(Duration.ofSeconds(60));
 * assert breaker.tryAcquirePermission();
 * }</pre>
 *
 * <p>This class is threadsafe.
 */
public final class ManualTicker implements Ticker {

  private final AtomicLong nanos;

  /** Creates a ticker reading zero. */
  public ManualTicker() {
    this(0);
  }

  /**
   * Creates a ticker reading {@code start} nanoseconds. Any origin is valid, {@link Long#MAX_VALUE} minus a
   * few seconds included: moving past it wraps to negative readings, as an arbitrary-origin ticker may.
   *
   * @param start the first reading, in nanoseconds
   */
  public ManualTicker(long start) {
    this.nanos = new AtomicLong(start);
  }

  @Override
  public long nanos() {
    return nanos.get();
  }

  /**
   * Moves time forward by {@code duration} (which must not be negative) and returns this ticker.
   *
   * @param duration how far to move; not negative
   * @return this ticker
   */
  public ManualTicker advance(Duration duration) {
    Objects.requireNonNull(duration, "duration must not be null");
    return advanceNanos(duration.toNanos());
  }

  /**
   * Moves time forward by {@code delta} nanoseconds (which must not be negative) and returns this ticker.
   *
   * @param delta how far to move, in nanoseconds; not negative
   * @return this ticker
   */
  public ManualTicker advanceNanos(long delta) {
    if (delta < 0) {
      throw new IllegalArgumentException("a ticker never goes backwards, delta was " + delta);
    }
    nanos.addAndGet(delta);
    return this;
  }

  /**
   * Sets the reading to {@code value}, which must not be earlier than the current reading. Readings are
   * compared as a ticker's readings must be, by the sign of their difference, so a test can move the ticker
   * across {@link Long#MAX_VALUE}, where the reading wraps to negative values.
   *
   * @param value the new reading, in nanoseconds; not earlier than the current one
   * @return this ticker
   */
  public ManualTicker set(long value) {
    long current = nanos.get();
    if (value - current < 0) {
      throw new IllegalArgumentException("a ticker never goes backwards: " + value + " < " + current);
    }
    nanos.set(value);
    return this;
  }

  @Override
  public String toString() {
    return "ManualTicker[" + nanos.get() + " ns]";
  }
}
