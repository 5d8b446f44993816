package dev.fusebox.reactor;

import reactor.core.CoreSubscriber;

/** Makes the subscriber that guards one subscription: one per operator, built once. */
@FunctionalInterface
interface Guard<T> {

  /**
   * @param actual the downstream subscriber
   * @param single whether the source is a {@code Mono}, whose value is the call's outcome
   */
  GuardedSubscriber<T> subscriber(CoreSubscriber<? super T> actual, boolean single);
}
