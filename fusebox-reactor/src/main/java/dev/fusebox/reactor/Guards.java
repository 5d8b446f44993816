package dev.fusebox.reactor;

import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Applies a guard to any publisher: a {@code Mono} stays a {@code Mono}, anything else becomes a {@code Flux}. */
final class Guards {

  private Guards() {}

  static <T> Publisher<T> apply(Publisher<T> publisher, Guard<T> guard) {
    if (publisher instanceof Mono<T> mono) {
      return new GuardedMono<>(mono, guard);
    }
    return new GuardedFlux<>(Flux.from(publisher), guard);
  }
}
