package dev.fusebox.reactor;

import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxOperator;

/**
 * A {@code Flux} guarded by a policy: the permission is taken when a subscriber arrives, not at assembly.
 * It declines fusion (it is not {@code Fuseable}), so an operator downstream never polls past it and every
 * value is seen by the guard.
 */
final class GuardedFlux<T> extends FluxOperator<T, T> {

  private final Guard<T> guard;

  GuardedFlux(Flux<? extends T> source, Guard<T> guard) {
    super(source);
    this.guard = guard;
  }

  @Override
  public void subscribe(CoreSubscriber<? super T> actual) {
    GuardedSubscriber.subscribe(source, guard.subscriber(actual, false));
  }

  @Override
  public Object scanUnsafe(Attr key) {
    return key == Attr.RUN_STYLE ? Attr.RunStyle.SYNC : super.scanUnsafe(key);
  }
}
