package dev.fusebox.circuitbreaker;

/**
 * The sliding window of outcomes a closed breaker decides on.
 *
 * <p>An outcome is two bits: {@link #FAILED} and {@link #SLOW}; 0 is a fast success. {@link #record} says
 * when a decision is due, so that the caller looks at the rates only when they may have reached a
 * threshold.
 *
 * <p>The window also holds the streak of consecutive failures. Both live exactly as long as one closed
 * stay's outcomes: a ramping stay and the ramp-less copy that replaces it share the window, and so must
 * share the streak, or calls admitted before the swap and reported after it would split one run of failures
 * in two.
 */
abstract sealed class Window permits CountWindow, TimeWindow {

  static final int SUCCESS = 0;
  static final int FAILED = 1;
  static final int SLOW = 2;
  static final int SLOW_FAILED = FAILED | SLOW;

  /** A bit of {@link #reached}: the failure rate reaches its threshold. */
  static final int FAILURE_RATE = 1;
  /** A bit of {@link #reached}: the slow-call rate reaches its threshold. */
  static final int SLOW_RATE = 2;

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
   * Returns the window a stay reconfigured to {@code config} at {@code now} decides on: this very window when
   * its shape (type, size or span, minimum) stays, so that nothing in flight is missed, else a new one
   * holding as much of this one as it can, and the streak.
   */
  final Window reshaped(CircuitBreakerConfig config, long now) {
    if (config.minimumNumberOfCalls() == minimumCalls && hasShape(config)) {
      return this;
    }
    Window next = create(config, now);
    transferTo(next, now);
    next.adoptStreak(streak());
    return next;
  }

  /** Whether this window has the type and size (or span) {@code config} asks for. */
  abstract boolean hasShape(CircuitBreakerConfig config);

  /**
   * Records into {@code target}, oldest first, the outcomes of this window that it can hold: a count window
   * keeps the newest, a time window the buckets inside its span.
   */
  abstract void transferTo(Window target, long now);

  /** Returns the length of the failure streak. */
  abstract int streak();

  /** Starts this window's streak at {@code length}: the streak of the window it takes over from. */
  abstract void adoptStreak(int length);

  /**
   * Records one outcome that ended at {@code now}.
   *
   * @return whether the rates may now have reached a threshold, so that the caller should evaluate them:
   *     after a failure or slow call, when the window first holds the minimum number of calls, or when a
   *     time window dropped old buckets
   */
  abstract boolean record(int outcome, long now);

  /** Counts a failure in the streak and returns the streak's new length. */
  abstract int extendStreak();

  /** Ends the streak; reads first, so that a healthy breaker never writes here. */
  abstract void endStreak();

  /**
   * Returns what the window holds as of its latest record, for a decision right after {@link #record}.
   * Under concurrent records the figures may be read slightly apart; each converges.
   */
  abstract WindowCounts counts();

  /** Returns the contents of the window at {@code now}, leaving out what has aged out since the last record. */
  abstract WindowCounts snapshot(long now);

  /**
   * Returns which rates reach their thresholds as of the latest record ({@link #FAILURE_RATE},
   * {@link #SLOW_RATE}), or 0 while the window holds fewer than the minimum number of calls. This is the
   * decision after a failure, a slow call or a change of the window's contents, so it allocates nothing:
   * a recorded failure costs no garbage. A slow-call threshold of infinity never reaches. With
   * {@code failureRateConfidence}, the failure rate reaches only once it is significant ({@link Significance}).
   */
  abstract int reached(CompiledConfig s);

  /** The decision of {@link #reached} from the window's counts, by the thresholds of {@code s}. */
  final int verdict(long buffered, long failed, long slow, CompiledConfig s) {
    if (buffered == 0 || buffered < minimumCalls) {
      return 0;
    }
    boolean failureRate =
        s.failureZ > 0
            ? Significance.reaches(failed, buffered, s.failureZ, s.failureThreshold)
            : reaches(failed, buffered, s.failureThreshold);
    return (failureRate ? FAILURE_RATE : 0) | (reaches(slow, buffered, s.slowVerdictThreshold) ? SLOW_RATE : 0);
  }

  /**
   * Compares a rate with a threshold the way Resilience4j does (in float, percent), so that a configuration
   * moved over from it decides identically at the boundary.
   */
  static boolean reaches(long part, long total, float thresholdPercent) {
    return part * 100.0f / total >= thresholdPercent;
  }
}
