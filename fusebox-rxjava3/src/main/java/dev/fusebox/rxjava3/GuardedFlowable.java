package dev.fusebox.rxjava3;

import io.reactivex.rxjava3.core.Flowable;
import org.reactivestreams.Subscriber;

/** A {@code Flowable} guarded by a policy: the permission is taken when a subscriber arrives. */
final class GuardedFlowable<T> extends Flowable<T> {

  /** Makes the subscriber that guards one subscription. */
  @FunctionalInterface
  interface Guard<T> {
    GuardedSubscriber<T> subscriber(Subscriber<? super T> downstream, boolean single);
  }

  private final Flowable<T> source;
  private final Guard<T> guard;
  private final boolean single;

  GuardedFlowable(Flowable<T> source, Guard<T> guard, boolean single) {
    this.source = source;
    this.guard = guard;
    this.single = single;
  }

  @Override
  protected void subscribeActual(Subscriber<? super T> downstream) {
    GuardedSubscriber.subscribe(source, guard.subscriber(downstream, single));
  }
}
