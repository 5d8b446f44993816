package dev.fusebox.benchmarks;

import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * One breaker under test, whatever its library, seen through the operations the benchmarks need.
 *
 * <p>Every operation is a function object built once in a {@code @Setup}: a benchmark fork measures one
 * contender only, so each call site sees a single implementation and the JIT inlines it, the same way for
 * every library. The indirection therefore costs all contenders alike (nothing, once inlined).
 */
final class Subject {

  /** Runs {@link Calls#succeed()} through the breaker, with the library's usual call API. */
  final Supplier<Object> succeed;
  /** Runs {@link Calls#fail()} through the breaker: a recorded failure. */
  final Supplier<Object> fail;
  /** Runs {@link Calls#failIgnored()} through the breaker: an ignored exception. */
  final Supplier<Object> failIgnored;
  /** Asks for a permit without running anything: {@code tryAcquirePermission()} or its equivalent. */
  final BooleanSupplier tryAcquire;
  /** Moves the breaker to OPEN by hand, with the configured wait. */
  final Runnable open;
  /** Moves the breaker to a fresh HALF_OPEN stay by hand. */
  final Runnable halfOpen;
  /** The breaker's state, by its name: CLOSED, OPEN, HALF_OPEN. */
  final Supplier<String> state;
  /** The breaker itself, to keep it reachable and for the footprint walk. */
  final Object breaker;

  Subject(
      Object breaker,
      Supplier<Object> succeed,
      Supplier<Object> fail,
      Supplier<Object> failIgnored,
      BooleanSupplier tryAcquire,
      Runnable open,
      Runnable halfOpen,
      Supplier<String> state) {
    this.breaker = breaker;
    this.succeed = succeed;
    this.fail = fail;
    this.failIgnored = failIgnored;
    this.tryAcquire = tryAcquire;
    this.open = open;
    this.halfOpen = halfOpen;
    this.state = state;
  }

  /**
   * Fails the benchmark if the breaker is not in the expected state, so that a run which, say, let a
   * closed-path benchmark trip its breaker reports an error instead of quietly measuring rejections.
   */
  void expect(String expected) {
    String actual = state.get();
    if (!expected.equals(actual)) {
      throw new IllegalStateException("the breaker should be " + expected + " but is " + actual);
    }
  }
}
