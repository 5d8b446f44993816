package dev.fusebox.redis;

import dev.fusebox.circuitbreaker.CallNotPermittedException;
import dev.fusebox.circuitbreaker.CircuitBreaker;

/** Calls with known outcomes through a breaker. */
final class Calls {

  /** The exception of a failing call. */
  static final class Boom extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Boom() {
      super("boom", null, false, false);
    }
  }

  private Calls() {}

  /** Makes a failing call; returns whether the breaker let it run. */
  static boolean fail(CircuitBreaker breaker) {
    try {
      breaker.executeRunnable(() -> {
        throw new Boom();
      });
      throw new AssertionError("the failing call returned");
    } catch (Boom e) {
      return true;
    } catch (CallNotPermittedException e) {
      return false;
    }
  }

  static int fail(CircuitBreaker breaker, int times) {
    int ran = 0;
    for (int i = 0; i < times; i++) {
      ran += fail(breaker) ? 1 : 0;
    }
    return ran;
  }

  /** Makes a successful call; returns whether the breaker let it run. */
  static boolean succeed(CircuitBreaker breaker) {
    try {
      breaker.executeRunnable(() -> {});
      return true;
    } catch (CallNotPermittedException e) {
      return false;
    }
  }

  static int succeed(CircuitBreaker breaker, int times) {
    int ran = 0;
    for (int i = 0; i < times; i++) {
      ran += succeed(breaker) ? 1 : 0;
    }
    return ran;
  }
}
