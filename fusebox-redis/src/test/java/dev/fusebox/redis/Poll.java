package dev.fusebox.redis;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Waits for something asynchronous (a flush, a message, a reconnection) with a deadline: generous, since
 * the machine may be loaded, and checked often, so a passing test waits no longer than it must.
 */
final class Poll {

  private Poll() {}

  /** Waits until {@code condition} holds; fails naming {@code what} if it does not within {@code limit}. */
  static void until(Duration limit, String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("Timed out after " + limit + " waiting until " + what);
      }
      LockSupport.parkNanos(2_000_000);
    }
  }

  /** Returns whether {@code condition} became true within {@code limit}. */
  static boolean within(Duration limit, BooleanSupplier condition) {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        return false;
      }
      LockSupport.parkNanos(2_000_000);
    }
    return true;
  }
}
