package dev.fusebox.bulkhead;

import dev.fusebox.internal.EventTime;
import dev.fusebox.Subscription;
import dev.fusebox.Ticker;
import dev.fusebox.internal.Listeners;
import dev.fusebox.internal.Reconfigurations;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The semaphore bulkhead: a {@link FairPermits} plus counters and events.
 *
 * <p>Design note. A call is: take a permit ({@link FairPermits#tryAcquire()}, one CAS, when one is free),
 * run, give the permit back (one more CAS): two atomics, no more. All the concurrency lives in
 * {@link FairPermits}, which also counts the admitted calls in the CAS that takes their permit; this class
 * adds only counters that never lock, on the paths that are not a plain call (rejections, permits given back
 * unused), and events built only while somebody listens. The finished count is derived (admitted, minus
 * running, minus permits given back unused) so that the end of a call writes nothing but the permit.
 * Rejections throw one of two exceptions built with the bulkhead.
 */
final class BulkheadImpl implements Bulkhead, AsyncPermit.Owner {

  private final String name;
  private volatile BulkheadConfig config;
  private final Ticker ticker;
  private final BulkheadConfig.Parker parker;
  private volatile long maxWaitNanos;
  private final FairPermits permits;
  private final LongAdder rejected = new LongAdder();
  private final LongAdder unused = new LongAdder();
  private final Listeners<BulkheadEvent> events;
  private final BulkheadFullException full;
  private final BulkheadFullException interrupted;

  BulkheadImpl(String name, BulkheadConfig config) {
    this.name = checkName(name);
    this.config = Objects.requireNonNull(config, "config must not be null");
    this.ticker = config.ticker();
    this.parker = config.parker();
    this.maxWaitNanos = config.maxWaitDuration().toNanos();
    this.permits = new FairPermits(config.maxConcurrentCalls());
    this.events = new Listeners<>("bulkhead", name);
    this.full = new BulkheadFullException(name, false);
    this.interrupted = new BulkheadFullException(name, true);
  }

  static String checkName(String name) {
    Objects.requireNonNull(name, "name must not be null");
    if (name.isBlank()) {
      throw new IllegalArgumentException("name must not be blank, was '" + name + "'");
    }
    return name;
  }

  // ---------------------------------------------------------------------------------------------------
  // Call path

  @Override
  public <T> T executeSupplier(Supplier<T> supplier) {
    Objects.requireNonNull(supplier, "supplier must not be null");
    acquirePermission();
    try {
      return supplier.get();
    } finally {
      onComplete();
    }
  }

  @Override
  public <T> T executeCallable(Callable<T> callable) throws Exception {
    Objects.requireNonNull(callable, "callable must not be null");
    acquirePermission();
    try {
      return callable.call();
    } finally {
      onComplete();
    }
  }

  @Override
  public void executeRunnable(Runnable runnable) {
    Objects.requireNonNull(runnable, "runnable must not be null");
    acquirePermission();
    try {
      runnable.run();
    } finally {
      onComplete();
    }
  }

  @Override
  public <T, R> Function<T, R> decorateFunction(Function<T, R> function) {
    Objects.requireNonNull(function, "function must not be null");
    return argument -> executeFunction(function, argument);
  }

  private <T, R> R executeFunction(Function<T, R> function, T argument) {
    acquirePermission();
    try {
      return function.apply(argument);
    } finally {
      onComplete();
    }
  }

  @Override
  public <T> CompletionStage<T> executeCompletionStage(Supplier<? extends CompletionStage<T>> supplier) {
    Objects.requireNonNull(supplier, "supplier must not be null");
    if (!tryAcquirePermission()) {
      return CompletableFuture.failedFuture(full);
    }
    CompletionStage<T> stage;
    try {
      stage = supplier.get();
    } catch (Throwable e) {
      onComplete();
      return CompletableFuture.failedFuture(e);
    }
    if (stage == null) {
      onComplete();
      return CompletableFuture.failedFuture(
          new NullPointerException("the supplier returned a null CompletionStage"));
    }
    AsyncPermit<T> call = new AsyncPermit<>(this, 0L, stage);
    stage.whenComplete(call);
    return call;
  }

  @Override
  public void asyncCompleted(long start, Throwable failure) {
    onComplete();
  }

  @Override
  public void asyncCancelled() {
    onComplete();
  }

  // ---------------------------------------------------------------------------------------------------
  // Manual API

  @Override
  public boolean tryAcquirePermission() {
    if (permits.tryAcquire()) {
      permitted();
      return true;
    }
    rejected();
    return false;
  }

  @Override
  public void acquirePermission() {
    if (permits.tryAcquire()) {
      permitted();
      return;
    }
    switch (permits.acquire(maxWaitNanos, ticker, parker, this)) {
      case ACQUIRED -> permitted();
      case TIMED_OUT -> {
        rejected();
        throw full;
      }
      default -> {
        rejected();
        Thread.currentThread().interrupt();
        throw interrupted;
      }
    }
  }

  @Override
  public void releasePermission() {
    unused.increment();
    permits.release();
  }

  @Override
  public void onComplete() {
    permits.release();
    if (!events.isEmpty()) {
      events.publish(new BulkheadEvent.CallFinished(name, EventTime.now()));
    }
  }

  private void permitted() {
    if (!events.isEmpty()) {
      events.publish(new BulkheadEvent.CallPermitted(name, EventTime.now()));
    }
  }

  private void rejected() {
    rejected.increment();
    if (!events.isEmpty()) {
      events.publish(new BulkheadEvent.CallRejected(name, EventTime.now()));
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
  public BulkheadConfig config() {
    return config;
  }

  @Override
  public synchronized void reconfigure(BulkheadConfig next) {
    // The lock serializes reconfigurations only; the call path never takes it.
    Objects.requireNonNull(next, "config must not be null");
    BulkheadConfig previous = config;
    maxWaitNanos = next.maxWaitDuration().toNanos();
    permits.resize(next.maxConcurrentCalls());
    config = next;
    Reconfigurations.log("Bulkhead", name, next);
    if (!events.isEmpty()) {
      events.publish(new BulkheadEvent.ConfigurationChanged(name, EventTime.now(), previous, next));
    }
  }

  @Override
  public Metrics metrics() {
    int inUse = permits.inUse();
    long admitted = permits.admitted();
    return new BulkheadMetricsSnapshot(
        permits.available(),
        config.maxConcurrentCalls(),
        inUse,
        permits.waiting(),
        admitted,
        rejected.sum(),
        Math.max(0, admitted - unused.sum() - inUse));
  }

  @Override
  public String toString() {
    return "Bulkhead[" + name + ", " + permits.inUse() + "/" + config.maxConcurrentCalls() + "]";
  }
}
