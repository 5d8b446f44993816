package dev.fusebox.bulkhead;

import dev.fusebox.internal.EventTime;
import dev.fusebox.Subscription;
import dev.fusebox.Ticker;
import dev.fusebox.internal.Listeners;
import dev.fusebox.internal.Reconfigurations;
import dev.fusebox.internal.OrderedDelivery;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The adaptive bulkhead: exact admission against a moving limit, and the sampling that moves it.
 *
 * <p>Design note. {@code state} packs the limit (high 32 bits) and the calls in flight (low 32 bits) in one
 * word. Admission is a CAS that adds one to the low half only while it is below the high half, so the
 * check and the increment are one atomic step against the very limit in force: no admission ever takes
 * the count past the limit, even while the limit moves. A release subtracts one by CAS, and only
 * from a positive count, so it never borrows from the limit. Only the limit updates write the high half,
 * also by CAS, so a concurrent admission either sees the old limit and its CAS fails, or the new one.
 *
 * <p>Samples go into the current {@link SampleWindow} without locks. The sample that closes a window
 * submits the window's update to an {@link OrderedDelivery}, which runs updates one at a time on some
 * caller's thread, never concurrently and never nested; so {@link VegasLimit} is plain single-threaded
 * code, and limit-change events come out in the order the changes were made. The price is that an update
 * (a few arithmetic operations and, while somebody listens, an event) runs on the thread of the call that
 * closed the window, once per window.
 */
final class AdaptiveBulkheadImpl implements AdaptiveBulkhead, AsyncPermit.Owner {

  private static final VarHandle STATE;
  private static final VarHandle WINDOW;
  private static final long INFLIGHT_MASK = 0xFFFF_FFFFL;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      STATE = lookup.findVarHandle(AdaptiveBulkheadImpl.class, "state", long.class);
      WINDOW = lookup.findVarHandle(AdaptiveBulkheadImpl.class, "window", SampleWindow.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final String name;
  private volatile AdaptiveBulkheadConfig config;
  private final Ticker ticker;
  private volatile Predicate<Throwable> dropWhen;
  private volatile int windowSize;
  private final VegasLimit vegas;
  private final OrderedDelivery updates = new OrderedDelivery();
  private final LongAdder permitted = new LongAdder();
  private final LongAdder rejected = new LongAdder();
  private final LongAdder dropped = new LongAdder();
  private final Listeners<BulkheadEvent> events;
  private final BulkheadFullException full;
  private volatile long state;
  private volatile SampleWindow window;

  AdaptiveBulkheadImpl(String name, AdaptiveBulkheadConfig config) {
    this.name = BulkheadImpl.checkName(name);
    this.config = Objects.requireNonNull(config, "config must not be null");
    this.ticker = config.ticker();
    this.dropWhen = config.dropWhen();
    this.windowSize = config.sampleWindowSize();
    long now = ticker.nanos();
    this.vegas = new VegasLimit(config, now);
    this.events = new Listeners<>("adaptive bulkhead", name);
    this.full = new BulkheadFullException(name, false);
    this.state = (long) config.initialLimit() << 32;
    this.window = new SampleWindow(windowSize, now);
  }

  // ---------------------------------------------------------------------------------------------------
  // Call path

  @Override
  public <T> T executeSupplier(Supplier<T> supplier) {
    Objects.requireNonNull(supplier, "supplier must not be null");
    acquirePermission();
    long start = ticker.nanos();
    T result;
    try {
      result = supplier.get();
    } catch (Throwable e) {
      completed(start, e);
      throw e;
    }
    completed(start, null);
    return result;
  }

  @Override
  public <T> T executeCallable(Callable<T> callable) throws Exception {
    Objects.requireNonNull(callable, "callable must not be null");
    acquirePermission();
    long start = ticker.nanos();
    T result;
    try {
      result = callable.call();
    } catch (Throwable e) {
      completed(start, e);
      throw e;
    }
    completed(start, null);
    return result;
  }

  @Override
  public void executeRunnable(Runnable runnable) {
    Objects.requireNonNull(runnable, "runnable must not be null");
    acquirePermission();
    long start = ticker.nanos();
    try {
      runnable.run();
    } catch (Throwable e) {
      completed(start, e);
      throw e;
    }
    completed(start, null);
  }

  @Override
  public <T, R> Function<T, R> decorateFunction(Function<T, R> function) {
    Objects.requireNonNull(function, "function must not be null");
    return argument -> executeFunction(function, argument);
  }

  private <T, R> R executeFunction(Function<T, R> function, T argument) {
    acquirePermission();
    long start = ticker.nanos();
    R result;
    try {
      result = function.apply(argument);
    } catch (Throwable e) {
      completed(start, e);
      throw e;
    }
    completed(start, null);
    return result;
  }

  @Override
  public <T> CompletionStage<T> executeCompletionStage(Supplier<? extends CompletionStage<T>> supplier) {
    Objects.requireNonNull(supplier, "supplier must not be null");
    if (!tryAcquirePermission()) {
      return CompletableFuture.failedFuture(full);
    }
    long start = ticker.nanos();
    CompletionStage<T> stage;
    try {
      stage = supplier.get();
    } catch (Throwable e) {
      completed(start, e);
      return CompletableFuture.failedFuture(e);
    }
    if (stage == null) {
      release(true);
      return CompletableFuture.failedFuture(
          new NullPointerException("the supplier returned a null CompletionStage"));
    }
    AsyncPermit<T> call = new AsyncPermit<>(this, start, stage);
    stage.whenComplete(call);
    return call;
  }

  @Override
  public void asyncCompleted(long start, Throwable failure) {
    completed(start, failure);
  }

  @Override
  public void asyncCancelled() {
    release(true);
  }

  /** Reports a call that started at {@code start}: a sample on success or drop, a plain release otherwise. */
  private void completed(long start, Throwable failure) {
    long rtt = ticker.nanos() - start;
    if (failure == null) {
      onSuccess(rtt);
    } else {
      onError(rtt, failure);
    }
  }

  // ---------------------------------------------------------------------------------------------------
  // Admission and release

  @Override
  public boolean tryAcquirePermission() {
    long s = state;
    for (;;) {
      if ((s & INFLIGHT_MASK) >= (s >>> 32)) {
        rejected.increment();
        if (!events.isEmpty()) {
          events.publish(new BulkheadEvent.CallRejected(name, EventTime.now()));
        }
        return false;
      }
      long witness = (long) STATE.compareAndExchange(this, s, s + 1);
      if (witness == s) {
        permitted.increment();
        if (!events.isEmpty()) {
          events.publish(new BulkheadEvent.CallPermitted(name, EventTime.now()));
        }
        return true;
      }
      s = witness;
    }
  }

  @Override
  public void acquirePermission() {
    if (!tryAcquirePermission()) {
      throw full;
    }
  }

  @Override
  public void releasePermission() {
    release(false);
  }

  @Override
  public void onSuccess(long rttNanos) {
    int inflight = release(true);
    if (inflight > 0) {
      long rtt = Math.max(0, rttNanos);
      sample(rtt, rtt, inflight);
    }
  }

  @Override
  public void onDropped(long rttNanos) {
    int inflight = release(true);
    if (inflight > 0) {
      dropped.increment();
      sample(Math.max(0, rttNanos), -1, inflight);
    }
  }

  @Override
  public void onError(long rttNanos, Throwable error) {
    Objects.requireNonNull(error, "error must not be null");
    boolean drop;
    try {
      drop = dropWhen.test(error);
    } catch (RuntimeException | Error e) {
      release(true);
      throw e;
    }
    if (drop) {
      onDropped(rttNanos);
    } else {
      release(true);
    }
  }

  /**
   * Gives a permit back. A release while nothing is in flight (a caller reporting twice) changes nothing,
   * so that it can never borrow from the limit's half of the word.
   *
   * @return how many calls were in flight just before, this one included; 0 if nothing was
   */
  private int release(boolean finished) {
    long s = state;
    while ((s & INFLIGHT_MASK) != 0) {
      long witness = (long) STATE.compareAndExchange(this, s, s - 1);
      if (witness == s) {
        if (finished && !events.isEmpty()) {
          events.publish(new BulkheadEvent.CallFinished(name, EventTime.now()));
        }
        return (int) (s & INFLIGHT_MASK);
      }
      s = witness;
    }
    return 0;
  }

  private void sample(long elapsed, long rtt, int inflight) {
    long now = ticker.nanos();
    long start = now - elapsed;
    for (;;) {
      SampleWindow current = window;
      int added = current.add(start, rtt, inflight);
      if (added == SampleWindow.FULL) {
        WINDOW.compareAndSet(this, current, new SampleWindow(windowSize, now));
        continue;
      }
      if (added == SampleWindow.CLOSED) {
        WINDOW.compareAndSet(this, current, new SampleWindow(windowSize, now));
        SampleWindow.Summary summary = current.summary();
        updates.submit(() -> update(summary, now));
      }
      return;
    }
  }

  /** Runs inside {@link #updates}: one at a time, in submission order. */
  private void update(SampleWindow.Summary summary, long now) {
    apply(vegas.update(summary, now));
  }

  /** Puts a change of the limit in force; inside {@link #updates} too. */
  private void apply(VegasLimit.Change change) {
    if (change == null) {
      return;
    }
    long s = state;
    for (;;) {
      long next = ((long) change.newLimit() << 32) | (s & INFLIGHT_MASK);
      long witness = (long) STATE.compareAndExchange(this, s, next);
      if (witness == s) {
        break;
      }
      s = witness;
    }
    if (!events.isEmpty()) {
      events.publish(
          new BulkheadEvent.LimitChanged(name, EventTime.now(), change.oldLimit(), change.newLimit(), change.reason()));
    }
  }

  @Override
  public Subscription onEvent(Consumer<? super BulkheadEvent> listener) {
    return events.subscribe(listener);
  }

  // ---------------------------------------------------------------------------------------------------
  // Introspection

  @Override
  public String name() {
    return name;
  }

  @Override
  public AdaptiveBulkheadConfig config() {
    return config;
  }

  @Override
  public synchronized void reconfigure(AdaptiveBulkheadConfig next) {
    // The lock serializes reconfigurations only; the call path never takes it.
    Objects.requireNonNull(next, "config must not be null");
    AdaptiveBulkheadConfig previous = config;
    dropWhen = next.dropWhen();
    windowSize = next.sampleWindowSize();
    config = next;
    Reconfigurations.log("Adaptive bulkhead", name, next);
    if (!events.isEmpty()) {
      events.publish(new BulkheadEvent.AdaptiveConfigurationChanged(name, EventTime.now(), previous, next));
    }
    long now = ticker.nanos();
    // In line with the limit's updates, which VegasLimit needs one at a time.
    updates.submit(() -> apply(vegas.reconfigure(next, now)));
  }

  int limit() {
    return (int) (state >>> 32);
  }

  @Override
  public Metrics metrics() {
    long s = state;
    int limit = (int) (s >>> 32);
    int inflight = (int) (s & INFLIGHT_MASK);
    long noLoad = vegas.noLoadRtt();
    long latest = vegas.latestRtt();
    return new AdaptiveBulkheadMetricsSnapshot(
        limit,
        inflight,
        Math.max(0, limit - inflight),
        noLoad == VegasLimit.UNKNOWN ? null : Duration.ofNanos(noLoad),
        latest == VegasLimit.UNKNOWN ? null : Duration.ofNanos(latest),
        vegas.probing(),
        permitted.sum(),
        rejected.sum(),
        dropped.sum());
  }

  @Override
  public String toString() {
    long s = state;
    return "AdaptiveBulkhead[" + name + ", " + (s & INFLIGHT_MASK) + "/" + (s >>> 32) + "]";
  }
}
