package dev.fusebox.circuitbreaker;

import java.util.concurrent.Future;

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
  /** The pending automatic transition of this opening, if one is scheduled. */
  private volatile Future<?> automatic;
  /** Whether the breaker has moved on from this opening. */
  private volatile boolean left;

  /**
   * An opening at {@code now} whose next trial is due after {@code waitNanos}. The deadline is the plain sum,
   * which may wrap past {@link Long#MAX_VALUE}: it is only ever compared by the sign of a difference, which
   * stays right for any wait up to {@link Long#MAX_VALUE} nanoseconds, whatever the ticker's origin.
   */
  static OpenStay opening(
      CircuitBreakerImpl breaker,
      CompiledConfig s,
      long now,
      long waitNanos,
      int level,
      WindowCounts tripped,
      int min) {
    return new OpenStay(breaker, s, now, now + waitNanos, level, tripped, min);
  }

  /** The same opening held longer: same entry time, level and window, a later next trial. */
  OpenStay heldUntil(CircuitBreakerImpl breaker, long nextTrialAt) {
    return new OpenStay(breaker, s, enteredAt, nextTrialAt, level, tripped, minimumCalls);
  }

  /**
   * The same opening under new options: same deadline and backoff level (the level meets the new base wait
   * at the next opening), same frozen window.
   */
  @Override
  OpenStay reconfigured(CompiledConfig config, long now) {
    return new OpenStay(breaker, config, enteredAt, nextTrialAt, level, tripped, minimumCalls);
  }

  private OpenStay(
      CircuitBreakerImpl breaker,
      CompiledConfig s,
      long enteredAt,
      long nextTrialAt,
      int level,
      WindowCounts tripped,
      int min) {
    super(breaker, s, CircuitBreaker.State.OPEN, enteredAt, false);
    this.nextTrialAt = nextTrialAt;
    this.level = level;
    this.tripped = tripped;
    this.minimumCalls = min;
    this.rejection =
        new CallNotPermittedException(breaker.name(), CircuitBreaker.State.OPEN, null, breaker.ticker, nextTrialAt);
  }

  /**
   * Keeps the scheduled automatic transition, so that leaving this opening cancels it. Written after
   * {@code automatic} and read before it, {@code left} makes sure that of a leaving move and a scheduling
   * that race, at least one sees the other and the task is cancelled.
   */
  void scheduled(Future<?> task) {
    automatic = task;
    if (left) {
      task.cancel(false);
    }
  }

  /** The breaker moved on: a pending automatic transition has nothing left to do. */
  void leave() {
    left = true;
    Future<?> task = automatic;
    if (task != null) {
      task.cancel(false);
    }
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
