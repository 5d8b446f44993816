package dev.fusebox.rxjava3;

import io.reactivex.rxjava3.core.FlowableSubscriber;
import io.reactivex.rxjava3.plugins.RxJavaPlugins;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * One subscription through a policy that admits a call at subscription and hears its outcome once: the
 * breaker, the bulkheads, the time limiter. Subclasses take the permission in {@link #admit()} and report
 * through the four outcome hooks; this class makes sure exactly one of them runs.
 *
 * <p>Design note. {@code state} moves only forward, by CAS: {@code ACTIVE}
 * until the outcome is known, {@code DECIDED} once a single-value source's value has been reported (its
 * completion still to be passed on), {@code DONE} once terminated, cancelled or timed out. The signal that
 * moves it out of {@code ACTIVE} reports the outcome, so a cancel racing a completion, or a timer racing a
 * value, reports once; the others only pass their signal on, or drop it once done. Hooks run before the
 * signal goes downstream, so the outcome is recorded even if the subscriber downstream throws. Upstream
 * signals are serial; {@code cancel} may come from any thread, and the CAS orders it against them.
 */
abstract class GuardedSubscriber<T> implements FlowableSubscriber<T>, Subscription {

  @SuppressWarnings("rawtypes")
  private static final AtomicIntegerFieldUpdater<GuardedSubscriber> STATE =
      AtomicIntegerFieldUpdater.newUpdater(GuardedSubscriber.class, "state");

  static final int ACTIVE = 0;
  static final int DECIDED = 1;
  static final int DONE = 2;

  final Subscriber<? super T> downstream;
  final boolean single;
  Subscription upstream;
  volatile int state;

  GuardedSubscriber(Subscriber<? super T> downstream, boolean single) {
    this.downstream = downstream;
    this.single = single;
  }

  /** Takes the policy's permission, at subscription: returns null when admitted, else the rejection. */
  abstract Throwable admit();

  /** A single-value source's value arrived: the call succeeded with it. May throw (a result predicate). */
  abstract void succeeded(T value);

  /** The source completed without a value to judge. */
  abstract void completed();

  /** The source failed. May throw (an exception predicate): the caller still gets {@code error}. */
  abstract void failed(Throwable error);

  /** Cancelled before the outcome was known: give the permission back, record nothing. */
  abstract void cancelled();

  /** Claims the outcome: true for the one signal that moves the state out of ACTIVE. */
  final boolean claim() {
    return STATE.compareAndSet(this, ACTIVE, DONE);
  }

  @Override
  public void onSubscribe(Subscription s) {
    if (upstream != null) {
      s.cancel();
      return;
    }
    upstream = s;
    downstream.onSubscribe(this);
  }

  @Override
  public void onNext(T value) {
    if (single && state == ACTIVE && STATE.compareAndSet(this, ACTIVE, DECIDED)) {
      try {
        succeeded(value);
      } catch (Throwable e) {
        state = DONE;
        upstream.cancel();
        downstream.onError(e);
        return;
      }
    }
    if (state != DONE) {
      downstream.onNext(value);
    }
  }

  @Override
  public void onError(Throwable error) {
    if (state == ACTIVE && claim()) {
      try {
        failed(error);
      } catch (Throwable e) {
        if (e != error) {
          error.addSuppressed(e);
        }
      }
      downstream.onError(error);
    } else if (STATE.compareAndSet(this, DECIDED, DONE)) {
      downstream.onError(error);
    } else {
      RxJavaPlugins.onError(error);
    }
  }

  @Override
  public void onComplete() {
    if (state == ACTIVE && claim()) {
      completed();
      downstream.onComplete();
    } else if (STATE.compareAndSet(this, DECIDED, DONE)) {
      downstream.onComplete();
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
   * Subscribes {@code guarded} to {@code source} if its policy admits the call; otherwise fails it with
   * the rejection, or with what the admission threw, without subscribing upstream.
   */
  static <T> void subscribe(Publisher<T> source, GuardedSubscriber<T> guarded) {
    Throwable rejection;
    try {
      rejection = guarded.admit();
    } catch (Throwable e) {
      rejection = e;
    }
    if (rejection != null) {
      guarded.downstream.onSubscribe(Rejected.INSTANCE);
      guarded.downstream.onError(rejection);
      return;
    }
    source.subscribe(guarded);
  }

  /** The subscription of a subscriber failed at once: there is nothing to request or cancel. */
  enum Rejected implements Subscription {
    INSTANCE;

    @Override
    public void request(long n) {}

    @Override
    public void cancel() {}
  }
}
