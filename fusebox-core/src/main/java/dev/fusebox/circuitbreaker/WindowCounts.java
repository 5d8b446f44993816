package dev.fusebox.circuitbreaker;

/** What a window holds at one moment. Counts are longs: a time window can hold more than an int. */
record WindowCounts(long buffered, long failed, long slow, long slowFailed) {

  static final WindowCounts EMPTY = new WindowCounts(0, 0, 0, 0);

  /** Returns the rate of {@code part} in percent, or -1 below {@code minimumCalls} calls. */
  double rate(long part, int minimumCalls) {
    return buffered == 0 || buffered < minimumCalls ? -1 : part * 100.0 / buffered;
  }
}
