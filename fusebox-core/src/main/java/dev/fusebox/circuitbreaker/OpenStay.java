package dev.fusebox.circuitbreaker;

/**
 * A stay in {@link CircuitBreaker.State#OPEN}: when the next trial may run, the backoff level that set that
 * wait, the window that opened the breaker (frozen, for metrics), and the one rejection every call gets.
 */
final class OpenStay extends Stay {

  final long nextTrialAt;
  private final int level;
  private final WindowCounts tripped;
  private final int minimumCalls;
  final CallNotPermittedException rejection;

  /** An opening at {@code now} whose next trial is due after {@code waitNanos}. */
  static OpenStay opening(
      CircuitBreakerImpl breaker, long now, long waitNanos, int level, WindowCounts tripped, int min) {
    return new OpenStay(breaker, now, saturatedAdd(now, waitNanos), level, tripped, min);
  }

  /** The same opening held longer: same entry time, level and window, a later next trial. */
  OpenStay heldUntil(CircuitBreakerImpl breaker, long nextTrialAt) {
    return new OpenStay(breaker, enteredAt, nextTrialAt, level, tripped, minimumCalls);
  }

  private OpenStay(
      CircuitBreakerImpl breaker, long enteredAt, long nextTrialAt, int level, WindowCounts tripped, int min) {
    super(breaker, CircuitBreaker.State.OPEN, enteredAt, false);
    this.nextTrialAt = nextTrialAt;
    this.level = level;
    this.tripped = tripped;
    this.minimumCalls = min;
    this.rejection =
        new CallNotPermittedException(
            breaker.name(), CircuitBreaker.State.OPEN, null, breaker.ticker, nextTrialAt);
  }

  static long saturatedAdd(long a, long b) {
    long sum = a + b;
    return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
  }

  @Override
  WindowCounts counts(long now) {
    return tripped;
  }

  @Override
  int minimumCalls() {
    return minimumCalls;
  }

  @Override
  int level(long now) {
    return level;
  }
}
