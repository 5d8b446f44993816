package dev.fusebox.reactor;

import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoOperator;

/**
 * A {@code Mono} guarded by a policy: the permission is taken when a subscriber arrives, not at assembly.
 * It declines fusion (it is not {@code Fuseable}), so an operator downstream never polls past it and every
 * value is seen by the guard.
 */
final class GuardedMono<T> extends MonoOperator<T, T> {

  private final Guard<T> guard;

  GuardedMono(Mono<? extends T> source, Guard<T> guard) {
    super(source);
    this.guard = guard;
  }

  @Override
  public void subscribe(CoreSubscriber<? super T> actual) {
    GuardedSubscriber.subscribe(source, guard.subscriber(actual, true));
  }

  @Override
  public Object scanUnsafe(Attr key) {
    return key == Attr.RUN_STYLE ? Attr.RunStyle.SYNC : super.scanUnsafe(key);
  }
}
