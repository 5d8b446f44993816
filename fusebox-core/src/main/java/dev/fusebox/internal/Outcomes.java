package dev.fusebox.internal;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/**
 * Small helpers the policies other than the breaker share for handing a call's outcome back unchanged.
 *
 * <p>Not API: {@code dev.fusebox.internal} is not exported.
 */
public final class Outcomes {

  /**
   * How many suppressed exceptions a policy attaches to one exception at most: enough to explain a
   * failure, and a bound when the same exception instance comes back call after call.
   */
  public static final int MAX_SUPPRESSED = 8;

  private Outcomes() {}

  /**
   * Throws {@code failure} as it is, checked or not, so that a policy wrapping a {@code Supplier} hands
   * back exactly what the call threw. Declared to return an exception so callers can write
   * {@code throw Outcomes.rethrow(e)} and keep the compiler's flow analysis.
   *
   * @param failure what the call threw
   * @return never returns; {@code throw rethrow(e)} tells the compiler so
   */
  public static RuntimeException rethrow(Throwable failure) {
    throw Outcomes.<RuntimeException>sneaky(failure);
  }

  @SuppressWarnings("unchecked")
  private static <E extends Throwable> E sneaky(Throwable failure) throws E {
    throw (E) failure;
  }

  /**
   * Returns the exception a completion stage failed with, without the {@link CompletionException} or
   * {@link ExecutionException} wrapper that {@code CompletableFuture} adds when it relays a failure.
   *
   * @param failure the stage's failure, wrapped or not
   * @return the exception a completion stage failed with, without the {@link CompletionException} or {@link
   *     ExecutionException} wrapper that {@code CompletableFuture} adds when it relays a failure
   */
  public static Throwable unwrap(Throwable failure) {
    Throwable current = failure;
    while ((current instanceof CompletionException || current instanceof ExecutionException)
        && current.getCause() != null) {
      current = current.getCause();
    }
    return current;
  }

  /**
   * Attaches {@code earlier} to {@code target} as suppressed, unless it is the same exception, already
   * attached, or {@code target} already carries {@code max} suppressed exceptions. The bound matters when a
   * dependency throws one shared exception instance: attachments would otherwise pile up on it call after
   * call.
   *
   * @param target the exception that reaches the caller
   * @param earlier the exception to attach
   * @param max the most suppressed exceptions {@code target} may carry
   */
  public static void addSuppressed(Throwable target, Throwable earlier, int max) {
    if (target == earlier || earlier == null) {
      return;
    }
    Throwable[] present = target.getSuppressed();
    if (present.length >= max) {
      return;
    }
    for (Throwable t : present) {
      if (t == earlier) {
        return;
      }
    }
    target.addSuppressed(earlier);
  }

  /**
   * Returns {@code configured}, or the calling thread's {@link ThreadLocalRandom} when it is null.
   *
   * @param configured the configured source of randomness, or null
   * @return {@code configured}, or the calling thread's {@link ThreadLocalRandom} when it is null
   */
  public static RandomGenerator random(RandomGenerator configured) {
    return configured != null ? configured : ThreadLocalRandom.current();
  }
}
