package dev.fusebox;

/** {@link System#nanoTime()} as a {@link Ticker}; an enum so it is a serialisable singleton. */
enum SystemTicker implements Ticker {
  INSTANCE;

  @Override
  public long nanos() {
    return System.nanoTime();
  }

  @Override
  public String toString() {
    return "Ticker.system()";
  }
}
