package dev.fusebox.circuitbreaker;

/**
 * A stay in {@link CircuitBreaker.State#OPEN}: when the next trial may run, the backoff level that set that
 * wait, the window that opened the breaker (frozen, for metrics), and the one rejection every call gets.
 */
final class OpenState extends BreakerState {

  final long nextTrialAt;
  private final int level;
  private final WindowCounts tripped;
  private final int minimumCalls;
  final CallNotPermittedException rejection;

  OpenState(CircuitBreakerImpl breaker, long now, long waitNanos, int level, WindowCounts tripped, int min) {
    super(CircuitBreaker.State.OPEN, now, false);
    this.nextTrialAt = saturatedAdd(now, waitNanos);
    this.level = level;
    this.tripped = tripped;
    this.minimumCalls = min;
    this.rejection =
        new CallNotPermittedException(
            breaker.name(), CircuitBreaker.State.OPEN, null, breaker.ticker, nextTrialAt);
  }

  private static long saturatedAdd(long a, long b) {
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
