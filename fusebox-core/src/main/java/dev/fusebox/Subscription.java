package dev.fusebox;

/**
 * The handle of a listener registration; closing it removes the listener. Closing twice is harmless.
 *
 * <pre>{@code
 * try (Subscription s = breaker.onStateTransition(t -> log.info(t.from() + " -> " + t.to()))) {
 *   // ... the listener is called while the subscription is open
 * }
 * }</pre>
 */
@FunctionalInterface
public interface Subscription extends AutoCloseable {

  /** Removes the listener. Idempotent; never throws. */
  @Override
  void close();
}
