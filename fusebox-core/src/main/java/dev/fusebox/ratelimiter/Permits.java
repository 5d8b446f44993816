package dev.fusebox.ratelimiter;

/**
 * One generation of a limiter's permit accounting: an algorithm with fixed parameters and its lock-free
 * state. A limit change at run time freezes the current generation and hands its state to a successor.
 *
 * <p>Design note. Each algorithm keeps its state in one field updated by CAS, and turns time into permits
 * on demand from the ticker reading it is given: there is no background thread and no refill task. A
 * request either reserves its permits in one successful CAS or changes nothing. To change the limit, the
 * limiter (holding its administration lock, never taken on a call path) builds the successor from a
 * snapshot of the state, stores it in {@link #next}, and CASes the state from that snapshot to a frozen
 * marker; if a request got in between, the CAS fails and the successor is rebuilt. Once frozen, a
 * generation answers {@link #FROZEN} to everything, and callers move on to {@link #next}, which the plain
 * write before the CAS makes visible to anyone who reads the frozen marker. So no permit is granted by a
 * generation after its state was handed over, and nobody waits for the change to finish.
 */
abstract sealed class Permits permits TokenBucket, FixedWindow, SlidingLog {

  /** {@link #reserve} could not grant the permits within the allowed wait; nothing was taken. */
  static final long REJECTED = -1;
  /** This generation was replaced; retry on {@link #next}. */
  static final long FROZEN = -2;

  /** The successor, written before this generation freezes. */
  Permits next;

  /**
   * Reserves {@code permits} if they are due within {@code maxWaitNanos} of {@code now}.
   *
   * @return how long until the permits are due (0: now), {@link #REJECTED}, or {@link #FROZEN}
   */
  abstract long reserve(long now, int permits, long maxWaitNanos);

  /**
   * Returns how many permits a request could take at {@code now} without waiting; negative when that many
   * permits are already reserved ahead. {@link #FROZEN}-safe: a frozen generation answers for its
   * successor.
   */
  abstract long available(long now);

  /**
   * Takes every permit available at {@code now}.
   *
   * @return how many were taken, or {@link #FROZEN}
   */
  abstract long drain(long now);

  /**
   * Freezes this generation and returns its successor with {@code limitForPeriod} and {@code burstCapacity}
   * (the latter meaningful for the bucket only). Callers must be serialised.
   */
  abstract Permits changeLimit(int limitForPeriod, int burstCapacity, long now);

  /** Creates the first generation for a configuration. */
  static Permits create(RateLimiterConfig config, long now) {
    long period = config.limitRefreshPeriod().toNanos();
    return switch (config.algorithm()) {
      case TOKEN_BUCKET -> TokenBucket.full(now, config.limitForPeriod(), period, config.burstCapacity());
      case FIXED_WINDOW -> new FixedWindow(now, config.limitForPeriod(), period, 0);
      case SLIDING_WINDOW -> SlidingLog.empty(now, config.limitForPeriod(), period);
    };
  }
}
