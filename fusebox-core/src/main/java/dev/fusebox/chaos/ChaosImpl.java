package dev.fusebox.chaos;

import dev.fusebox.internal.EventTime;
import dev.fusebox.Scheduler;
import dev.fusebox.Sleeper;
import dev.fusebox.Subscription;
import dev.fusebox.internal.Listeners;
import dev.fusebox.internal.Outcomes;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.random.RandomGenerator;

/**
 * The chaos policy.
 *
 * <p>Design note. The run-time settings are one immutable {@link ChaosSettings} behind a volatile field.
 * A call reads the field once and decides everything from that snapshot, so a concurrent change can never
 * mix old and new values within a call. Writers replace it with {@code compareAndSet} in a loop around the
 * caller's update function, which is the only place that loops, and has no side effect of ours; a plain
 * {@link #set} is one volatile write. Rates of 0 and 1 need no random draw, so a disabled or untouched
 * policy costs a volatile read and a counter increment.
 */
final class ChaosImpl implements Chaos {

  private static final VarHandle SETTINGS;

  static {
    try {
      SETTINGS = MethodHandles.lookup().findVarHandle(ChaosImpl.class, "settings", ChaosSettings.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  @FunctionalInterface
  private interface Invoker {
    Object invoke(Object target, Object argument) throws Exception;
  }

  private static final Invoker SUPPLIER = (target, unused) -> ((Supplier<?>) target).get();
  private static final Invoker CALLABLE = (target, unused) -> ((Callable<?>) target).call();
  private static final Invoker RUNNABLE =
      (target, unused) -> {
        ((Runnable) target).run();
        return null;
      };

  @SuppressWarnings("unchecked")
  private static final Invoker FUNCTION = (target, argument) -> ((Function<Object, Object>) target).apply(argument);

  private final String name;
  private final ChaosConfig config;
  private final RandomGenerator random;
  private final Sleeper sleeper;
  private final Scheduler scheduler;
  private volatile ChaosSettings settings;
  private final Listeners<ChaosEvent> events;
  private final LongAdder calls = new LongAdder();
  private final LongAdder faults = new LongAdder();
  private final LongAdder results = new LongAdder();
  private final LongAdder latencies = new LongAdder();

  ChaosImpl(String name, ChaosConfig config) {
    Objects.requireNonNull(name, "name must not be null");
    if (name.isBlank()) {
      throw new IllegalArgumentException("name must not be blank, was '" + name + "'");
    }
    this.name = name;
    this.config = Objects.requireNonNull(config, "config must not be null");
    this.random = config.randomOrNull();
    this.sleeper = config.sleeper();
    this.scheduler = config.scheduler();
    this.settings = config.initialSettings();
    this.events = new Listeners<>("chaos", name);
  }

  // ---------------------------------------------------------------------------------------------------
  // Run-time control

  @Override
  public ChaosSettings settings() {
    return settings;
  }

  @Override
  public ChaosSettings update(UnaryOperator<ChaosSettings> update) {
    Objects.requireNonNull(update, "update must not be null");
    for (;;) {
      ChaosSettings current = settings;
      ChaosSettings next = Objects.requireNonNull(update.apply(current), "update must not return null");
      if (SETTINGS.compareAndSet(this, current, next)) {
        return next;
      }
    }
  }

  @Override
  public void set(ChaosSettings settings) {
    this.settings = Objects.requireNonNull(settings, "settings must not be null");
  }

  @Override
  public void enable() {
    update(s -> s.enabled() ? s : s.withEnabled(true));
  }

  @Override
  public void disable() {
    update(s -> s.enabled() ? s.withEnabled(false) : s);
  }

  // ---------------------------------------------------------------------------------------------------
  // Synchronous calls

  @Override
  @SuppressWarnings("unchecked")
  public <T> T executeSupplier(Supplier<T> supplier) {
    Objects.requireNonNull(supplier, "supplier must not be null");
    return (T) runUnchecked(SUPPLIER, supplier, null, true);
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T> T executeCallable(Callable<T> callable) throws Exception {
    Objects.requireNonNull(callable, "callable must not be null");
    return (T) run(CALLABLE, callable, null, true, true);
  }

  @Override
  public void executeRunnable(Runnable runnable) {
    Objects.requireNonNull(runnable, "runnable must not be null");
    runUnchecked(RUNNABLE, runnable, null, false);
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T, R> Function<T, R> decorateFunction(Function<T, R> function) {
    Objects.requireNonNull(function, "function must not be null");
    return argument -> (R) runUnchecked(FUNCTION, function, argument, true);
  }

  private Object runUnchecked(Invoker invoker, Object target, Object argument, boolean results) {
    try {
      return run(invoker, target, argument, results, false);
    } catch (Exception e) {
      throw Outcomes.rethrow(e);
    }
  }

  private Object run(Invoker invoker, Object target, Object argument, boolean injectResults, boolean checkedInterrupt)
      throws Exception {
    ChaosSettings s = settings;
    calls.increment();
    if (!s.enabled()) {
      return invoker.invoke(target, argument);
    }
    RandomGenerator r = Outcomes.random(random);
    if (roll(s.latencyRate(), r)) {
      long nanos = s.latency().toNanos();
      injectedLatency(s);
      try {
        sleeper.sleep(nanos);
      } catch (InterruptedException e) {
        if (checkedInterrupt) {
          throw e;
        }
        Thread.currentThread().interrupt();
        CancellationException cancelled =
            new CancellationException("Chaos '" + name + "': interrupted during injected latency");
        cancelled.initCause(e);
        throw cancelled;
      }
    }
    if (roll(s.faultRate(), r)) {
      throw Outcomes.rethrow(fault(s));
    }
    if (injectResults && roll(s.resultRate(), r)) {
      return result(s);
    }
    return invoker.invoke(target, argument);
  }

  // ---------------------------------------------------------------------------------------------------
  // Asynchronous calls

  @Override
  public <T> CompletionStage<T> executeCompletionStage(Supplier<? extends CompletionStage<T>> supplier) {
    Objects.requireNonNull(supplier, "supplier must not be null");
    ChaosSettings s = settings;
    calls.increment();
    if (!s.enabled()) {
      return start(supplier);
    }
    RandomGenerator r = Outcomes.random(random);
    if (!roll(s.latencyRate(), r)) {
      return injectOrStart(s, r, supplier);
    }
    injectedLatency(s);
    DelayedStage<T> delayed = new DelayedStage<>();
    delayed.timer(scheduler.schedule(
        () -> {
          if (!delayed.isDone()) {
            // A fresh random source: the draw happens on the scheduler's thread.
            delayed.relay(injectOrStart(s, Outcomes.random(random), supplier));
          }
        },
        s.latency().toNanos()));
    return delayed;
  }

  @SuppressWarnings("unchecked")
  private <T> CompletionStage<T> injectOrStart(
      ChaosSettings s, RandomGenerator r, Supplier<? extends CompletionStage<T>> supplier) {
    if (roll(s.faultRate(), r)) {
      return CompletableFuture.failedFuture(fault(s));
    }
    if (roll(s.resultRate(), r)) {
      return CompletableFuture.completedFuture((T) result(s));
    }
    return start(supplier);
  }

  private static <T> CompletionStage<T> start(Supplier<? extends CompletionStage<T>> supplier) {
    try {
      CompletionStage<T> stage = supplier.get();
      return stage != null
          ? stage
          : CompletableFuture.failedFuture(new NullPointerException("the supplier returned a null CompletionStage"));
    } catch (Throwable e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  // ---------------------------------------------------------------------------------------------------
  // Injections

  private static boolean roll(double rate, RandomGenerator random) {
    return rate >= 1 || (rate > 0 && random.nextDouble() < rate);
  }

  private void injectedLatency(ChaosSettings s) {
    latencies.increment();
    if (!events.isEmpty()) {
      events.publish(new ChaosEvent.LatencyInjected(name, EventTime.now(), s.latency()));
    }
  }

  private Throwable fault(ChaosSettings s) {
    Supplier<? extends Throwable> supplier = s.faultOrNull();
    Throwable fault = supplier != null ? supplier.get() : new InjectedFaultException(name);
    if (fault == null) {
      fault = new NullPointerException("Chaos '" + name + "': the fault supplier returned null");
    }
    faults.increment();
    if (!events.isEmpty()) {
      events.publish(new ChaosEvent.FaultInjected(name, EventTime.now(), fault));
    }
    return fault;
  }

  private Object result(ChaosSettings s) {
    Object value = s.resultOrNull().get();
    results.increment();
    if (!events.isEmpty()) {
      events.publish(new ChaosEvent.ResultInjected(name, EventTime.now(), value));
    }
    return value;
  }

  // ---------------------------------------------------------------------------------------------------
  // Introspection

  @Override
  public String name() {
    return name;
  }

  @Override
  public ChaosConfig config() {
    return config;
  }

  @Override
  public Metrics metrics() {
    return new ChaosMetricsSnapshot(calls.sum(), faults.sum(), results.sum(), latencies.sum());
  }

  @Override
  public Subscription onEvent(Consumer<? super ChaosEvent> listener) {
    return events.subscribe(listener);
  }

  @Override
  public String toString() {
    return "Chaos[" + name + ", " + settings + "]";
  }
}
