package dev.fusebox.reactor;

import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.Scannable;
import reactor.core.publisher.Operators;
import reactor.util.context.Context;

/**
 * One subscription through a policy that admits a call at subscription and hears its outcome once: the
 * breaker, the bulkheads, the time limiter. Subclasses take the permission in {@link #admit()} and report
 * through the four outcome hooks; this class makes sure exactly one of them runs.
 *
 * <p>Design note. {@code state} moves only forward, by CAS: {@code ACTIVE} until the outcome is known,
 * {@code DECIDED} once a {@code Mono}'s value has been reported (its completion is still to be passed on),
 * {@code DONE} once terminated, cancelled or timed out. Whichever signal wins the move out of
 * {@code ACTIVE} reports the outcome, so a cancel racing a completion, or a timer racing a value, reports
 * once; the losers only pass their signal on, or drop it when the subscription is already done. The hooks
 * run before the signal is passed downstream, so the outcome is recorded even if the subscriber downstream
 * throws. Upstream signals are serial (Reactive Streams §1.3), and {@code cancel} may come from any thread:
 * the CAS orders it against them. No lock, and nothing allocated beyond this object.
 */
abstract class GuardedSubscriber<T> implements CoreSubscriber<T>, Subscription, Scannable {

  static final int ACTIVE = 0;
  static final int DECIDED = 1;
  static final int DONE = 2;

  @SuppressWarnings("rawtypes")
  private static final AtomicIntegerFieldUpdater<GuardedSubscriber> STATE =
      AtomicIntegerFieldUpdater.newUpdater(GuardedSubscriber.class, "state");

  final CoreSubscriber<? super T> actual;
  final boolean single;
  Subscription upstream;
  volatile int state;

  GuardedSubscriber(CoreSubscriber<? super T> actual, boolean single) {
    this.actual = actual;
    this.single = single;
  }

  /** Takes the policy's permission, at subscription: returns null when admitted, else the rejection. */
  abstract Throwable admit();

  /** A {@code Mono}'s value arrived: the call succeeded with it. May throw (a result predicate). */
  abstract void succeeded(T value);

  /** The source completed without a value to judge: a {@code Flux}'s end, an empty {@code Mono}. */
  abstract void completed();

  /** The source failed. May throw (an exception predicate): the caller still gets {@code error}. */
  abstract void failed(Throwable error);

  /** The subscriber cancelled before the outcome was known: give the permission back, record nothing. */
  abstract void cancelled();

  /** The downstream to signal; the time limiter serialises it against its timer. */
  CoreSubscriber<? super T> downstream() {
    return actual;
  }

  /** Claims the outcome of the call: true for the one signal that moves the state out of ACTIVE. */
  final boolean claim() {
    return STATE.compareAndSet(this, ACTIVE, DONE);
  }

  @Override
  public void onSubscribe(Subscription s) {
    if (Operators.validate(upstream, s)) {
      upstream = s;
      downstream().onSubscribe(this);
    }
  }

  @Override
  public void onNext(T value) {
    if (single && state == ACTIVE && STATE.compareAndSet(this, ACTIVE, DECIDED)) {
      try {
        succeeded(value);
      } catch (Throwable e) {
        state = DONE;
        upstream.cancel();
        downstream().onError(Operators.onOperatorError(null, e, value, currentContext()));
        return;
      }
    }
    if (state == DONE) {
      Operators.onNextDropped(value, currentContext());
      return;
    }
    downstream().onNext(value);
  }

  @Override
  public void onError(Throwable error) {
    if (state == ACTIVE && claim()) {
      try {
        failed(error);
      } catch (Throwable e) {
        // The policy's own failure (a classifying predicate that throws) must not replace the caller's.
        if (e != error) {
          error.addSuppressed(e);
        }
      }
      downstream().onError(error);
    } else if (STATE.compareAndSet(this, DECIDED, DONE)) {
      downstream().onError(error);
    } else {
      Operators.onErrorDropped(error, currentContext());
    }
  }

  @Override
  public void onComplete() {
    if (state == ACTIVE && claim()) {
      completed();
      downstream().onComplete();
    } else if (STATE.compareAndSet(this, DECIDED, DONE)) {
      downstream().onComplete();
    }
  }

  @Override
  public void request(long n) {
    upstream.request(n);
  }

  @Override
  public void cancel() {
    if (STATE.getAndSet(this, DONE) == ACTIVE) {
      cancelled();
    }
    upstream.cancel();
  }

  /**
   * Subscribes {@code guarded} to {@code source} if its policy admits the call; otherwise fails the
   * downstream with the rejection without subscribing upstream. A policy whose admission throws fails
   * the subscription the same way, with that exception.
   */
  static <T> void subscribe(Publisher<? extends T> source, GuardedSubscriber<T> guarded) {
    Throwable rejection;
    try {
      rejection = guarded.admit();
    } catch (Throwable e) {
      rejection = Operators.onOperatorError(e, guarded.currentContext());
    }
    if (rejection != null) {
      Operators.error(guarded.actual, rejection);
      return;
    }
    source.subscribe(guarded);
  }

  @Override
  public Context currentContext() {
    return actual.currentContext();
  }

  @Override
  public Object scanUnsafe(Attr key) {
    if (key == Attr.PARENT) {
      return upstream;
    }
    if (key == Attr.ACTUAL) {
      return actual;
    }
    if (key == Attr.TERMINATED) {
      return state == DONE;
    }
    if (key == Attr.RUN_STYLE) {
      return Attr.RunStyle.SYNC;
    }
    return null;
  }
}
