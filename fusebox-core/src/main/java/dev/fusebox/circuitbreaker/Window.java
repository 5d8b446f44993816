package dev.fusebox.circuitbreaker;

/**
 * The sliding window of outcomes a closed breaker decides on.
 *
 * <p>An outcome is two bits: {@link #FAILED} and {@link #SLOW}; 0 is a fast success. {@link #record} says
 * when a decision is due, so that the caller looks at the rates only when they may have reached a
 * threshold.
 */
abstract sealed class Window permits CountWindow, TimeWindow {

  static final int SUCCESS = 0;
  static final int FAILED = 1;
  static final int SLOW = 2;
  static final int SLOW_FAILED = FAILED | SLOW;

  final int minimumCalls;

  Window(int minimumCalls) {
    this.minimumCalls = minimumCalls;
  }

  static Window create(CircuitBreakerConfig config, long now) {
    return config.windowType() == CircuitBreakerConfig.WindowType.COUNT_BASED
        ? new CountWindow(config.windowSize(), config.minimumNumberOfCalls())
        : new TimeWindow(config.windowSpan().toNanos(), config.minimumNumberOfCalls(), now);
  }

  /**
   * Records one outcome that ended at {@code now}.
   *
   * @return whether the rates may now have reached a threshold, so that the caller should evaluate them:
   *     after a failure or slow call, when the window first holds the minimum number of calls, or when a
   *     time window dropped old buckets
   */
  abstract boolean record(int outcome, long now);

  /**
   * Returns what the window holds as of its latest record, for a decision right after {@link #record}.
   * Under concurrent records the figures may be read slightly apart; each converges.
   */
  abstract WindowCounts counts();

  /** Returns the contents of the window at {@code now}, leaving out what has aged out since the last record. */
  abstract WindowCounts snapshot(long now);

  /**
   * Compares a rate with a threshold the way Resilience4j does (in float, percent), so that a configuration
   * moved over from it decides identically at the boundary.
   */
  static boolean reaches(long part, long total, float thresholdPercent) {
    return part * 100.0f / total >= thresholdPercent;
  }
}
