package dev.fusebox.throttle;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.random.RandomGenerator;

/**
 * A random source that answers {@link #nextDouble()} from a script, and counts the draws: a test says
 * which draw rejects and sees that a throttle draws only when it has to.
 */
final class Draws implements RandomGenerator {

  private final Deque<Double> script = new ArrayDeque<>();
  private final double otherwise;
  private int draws;

  private Draws(double otherwise) {
    this.otherwise = otherwise;
  }

  /** Every draw returns {@code value}: 0.0 rejects whenever the probability is above zero. */
  static Draws always(double value) {
    return new Draws(value);
  }

  /** The draws return {@code values} in order, then fail the test. */
  static Draws of(double... values) {
    Draws draws = new Draws(Double.NaN);
    for (double value : values) {
      draws.script.add(value);
    }
    return draws;
  }

  @Override
  public synchronized double nextDouble() {
    draws++;
    if (!script.isEmpty()) {
      return script.removeFirst();
    }
    if (Double.isNaN(otherwise)) {
      throw new AssertionError("the throttle drew more often than the test scripted");
    }
    return otherwise;
  }

  @Override
  public long nextLong() {
    throw new AssertionError("a throttle draws doubles only");
  }

  synchronized int draws() {
    return draws;
  }
}
