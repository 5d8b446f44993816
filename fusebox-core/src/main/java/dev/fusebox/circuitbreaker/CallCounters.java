package dev.fusebox.circuitbreaker;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;

/**
 * A breaker's cumulative call counts since its creation, which never decrease: what monitoring counters
 * read at scrape time.
 *
 * <p>Design note. The two counts that every call or every rejection under load touches, fast successes
 * and rejections, are {@link LongAdder}s, so threads on different cores do not fight over one cache line.
 * Failures, slow calls and ignored calls are rarer and use one atomic field each. Call durations are
 * summed only when they are not zero: with the coarse ticker most calls measure zero, and adding nothing
 * would still write a shared cell. Totals read while calls are recorded are each exact as of their own
 * read; they converge at quiescence.
 */
final class CallCounters {

  private static final VarHandle SLOW_SUCCESSES;
  private static final VarHandle FAILURES;
  private static final VarHandle SLOW_FAILURES;
  private static final VarHandle IGNORED;
  private static final VarHandle NOT_PERMITTED;
  private static final VarHandle DURATION_NANOS;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      SLOW_SUCCESSES = lookup.findVarHandle(CallCounters.class, "slowSuccesses", long.class);
      FAILURES = lookup.findVarHandle(CallCounters.class, "failures", long.class);
      SLOW_FAILURES = lookup.findVarHandle(CallCounters.class, "slowFailures", long.class);
      IGNORED = lookup.findVarHandle(CallCounters.class, "ignored", long.class);
      NOT_PERMITTED = lookup.findVarHandle(CallCounters.class, "notPermitted", LongAdder.class);
      DURATION_NANOS = lookup.findVarHandle(CallCounters.class, "durationNanos", LongAdder.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final LongAdder fastSuccesses = new LongAdder();
  private volatile LongAdder notPermitted;
  private volatile LongAdder durationNanos;
  private volatile long slowSuccesses;
  private volatile long failures;
  private volatile long slowFailures;
  private volatile long ignored;
  private volatile long notPermittedAtReset;

  /** Counts a recorded outcome (two {@link Window} bits) that took {@code duration} nanoseconds. */
  void recorded(int outcome, long duration) {
    if (duration != 0) {
      adder(DURATION_NANOS, durationNanos).add(duration);
    }
    switch (outcome) {
      case Window.SUCCESS -> fastSuccesses.increment();
      case Window.SLOW -> SLOW_SUCCESSES.getAndAdd(this, 1L);
      case Window.FAILED -> FAILURES.getAndAdd(this, 1L);
      default -> SLOW_FAILURES.getAndAdd(this, 1L);
    }
  }

  void rejected() {
    adder(NOT_PERMITTED, notPermitted).increment();
  }

  private LongAdder adder(VarHandle handle, LongAdder current) {
    if (current != null) {
      return current;
    }
    LongAdder created = new LongAdder();
    LongAdder witness = (LongAdder) handle.compareAndExchange(this, (LongAdder) null, created);
    return witness == null ? created : witness;
  }

  private static long sum(LongAdder adder) {
    return adder == null ? 0 : adder.sum();
  }

  void ignored() {
    IGNORED.getAndAdd(this, 1L);
  }

  /** Starts the count of {@link CircuitBreaker.Metrics#numberOfNotPermittedCalls()} again. */
  void resetNotPermitted() {
    notPermittedAtReset = sum(notPermitted);
  }

  long successful() {
    return fastSuccesses.sum() + slowSuccesses;
  }

  long slowSuccessful() {
    return slowSuccesses;
  }

  long failed() {
    return failures + slowFailures;
  }

  long slowFailed() {
    return slowFailures;
  }

  long ignoredCalls() {
    return ignored;
  }

  long notPermitted() {
    return sum(notPermitted);
  }

  long notPermittedSinceReset() {
    return sum(notPermitted) - notPermittedAtReset;
  }

  Duration duration() {
    return Duration.ofNanos(sum(durationNanos));
  }
}
