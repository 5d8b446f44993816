package dev.fusebox.fallback;

import dev.fusebox.internal.EventTime;
import dev.fusebox.Subscription;
import dev.fusebox.internal.Listeners;
import dev.fusebox.internal.Outcomes;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The fallback.
 *
 * <p>Design note. A fallback keeps no per-call state: a call runs, and its outcome goes through
 * {@link #onValue} or {@link #onFailure}, which the synchronous methods call on the caller's thread and
 * {@link FallbackStage} on the thread completing the call's stage. The only shared state is the
 * {@link LastKnownGood} cache, whose design note explains its concurrency, and counters: {@link LongAdder}s,
 * and for the successes, the count every call pays for, {@link OwnedStripes}, which a thread that owns its
 * stripe increments without an atomic instruction.
 * The plain methods and the {@code ...ForResult} methods share those two paths; {@code wrap} says whether
 * to wrap the answer in a {@link FallbackResult}, so the plain methods allocate nothing but the cache entry.
 *
 * @param <T> the type of the call's values
 */
final class FallbackImpl<T> implements Fallback<T> {

  /** The most exceptions attached as suppressed to an alternative's failure. */
  static final int MAX_SUPPRESSED = Outcomes.MAX_SUPPRESSED;

  /** The cache key of the calls made without one. */
  private static final Object SHARED_KEY = new Object() {
    @Override
    public String toString() {
      return "(shared key)";
    }
  };

  /** Stands for a null key, which the cache's map cannot hold. */
  private static final Object NULL_KEY = new Object() {
    @Override
    public String toString() {
      return "null";
    }
  };

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
  private final FallbackConfig<T> config;
  private final Class<?>[] handledTypes;
  private final Class<?>[] ignoredTypes;
  private final Predicate<Throwable> fallbackOnException;
  private final boolean handlesEveryException;
  private final Predicate<? super T> fallbackOnResult;
  private final LastKnownGood<T> cache;
  private final FallbackConfig.Alternative alternative;
  private final Function<Object, ?> keyFunction;
  private final BiFunction<? super T, ? super Duration, ? extends T> markStale;
  private final Listeners<FallbackEvent> events;
  private final OwnedStripes successes = new OwnedStripes();
  private final LongAdder staleServed = new LongAdder();
  private final LongAdder misses = new LongAdder();
  private final LongAdder fallbacks = new LongAdder();
  private final LongAdder failedFallbacks = new LongAdder();
  private final LongAdder unhandled = new LongAdder();

  FallbackImpl(String name, FallbackConfig<T> config) {
    Objects.requireNonNull(name, "name must not be null");
    if (name.isBlank()) {
      throw new IllegalArgumentException("name must not be blank, was '" + name + "'");
    }
    this.name = name;
    this.config = Objects.requireNonNull(config, "config must not be null");
    this.handledTypes = toArray(config.fallbackExceptions());
    this.ignoredTypes = toArray(config.ignoreExceptions());
    this.fallbackOnException = config.fallbackOnExceptionOrNull();
    this.handlesEveryException = handledTypes.length == 0 && fallbackOnException == null;
    this.fallbackOnResult = config.fallbackOnResultOrNull();
    this.cache =
        config.lastKnownGood()
            ? new LastKnownGood<>(
                config.lastKnownGoodMaxSize(), config.lastKnownGoodMaxAge().toNanos(), config.ticker())
            : null;
    this.alternative = config.alternative();
    this.keyFunction = config.keyFunction();
    this.markStale = config.markStale();
    this.events = new Listeners<>("fallback", name);
  }

  private static Class<?>[] toArray(List<Class<? extends Throwable>> types) {
    return types.toArray(new Class<?>[0]);
  }

  // ---------------------------------------------------------------------------------------------------
  // Entry points

  @Override
  public T executeSupplier(Supplier<? extends T> supplier) {
    return executeSupplier(SHARED_KEY, supplier);
  }

  @Override
  @SuppressWarnings("unchecked")
  public T executeSupplier(Object key, Supplier<? extends T> supplier) {
    Objects.requireNonNull(supplier, "supplier must not be null");
    return (T) run(key, SUPPLIER, supplier, null, false);
  }

  @Override
  @SuppressWarnings("unchecked")
  public T executeCallable(Callable<? extends T> callable) throws Exception {
    Objects.requireNonNull(callable, "callable must not be null");
    return (T) run(SHARED_KEY, CALLABLE, callable, null, false);
  }

  @Override
  public void executeRunnable(Runnable runnable) {
    Objects.requireNonNull(runnable, "runnable must not be null");
    run(SHARED_KEY, RUNNABLE, runnable, null, false);
  }

  @Override
  public FallbackResult<T> executeSupplierForResult(Supplier<? extends T> supplier) {
    return executeSupplierForResult(SHARED_KEY, supplier);
  }

  @Override
  @SuppressWarnings("unchecked")
  public FallbackResult<T> executeSupplierForResult(Object key, Supplier<? extends T> supplier) {
    Objects.requireNonNull(supplier, "supplier must not be null");
    return (FallbackResult<T>) run(key, SUPPLIER, supplier, null, true);
  }

  @Override
  public CompletionStage<T> executeCompletionStage(Supplier<? extends CompletionStage<? extends T>> supplier) {
    return executeCompletionStage(SHARED_KEY, supplier);
  }

  @Override
  @SuppressWarnings("unchecked")
  public CompletionStage<T> executeCompletionStage(
      Object key, Supplier<? extends CompletionStage<? extends T>> supplier) {
    Objects.requireNonNull(supplier, "supplier must not be null");
    return (CompletionStage<T>) (CompletionStage<?>) start(key, supplier, false);
  }

  @Override
  @SuppressWarnings("unchecked")
  public CompletionStage<FallbackResult<T>> executeCompletionStageForResult(
      Object key, Supplier<? extends CompletionStage<? extends T>> supplier) {
    Objects.requireNonNull(supplier, "supplier must not be null");
    return (CompletionStage<FallbackResult<T>>) (CompletionStage<?>) start(key, supplier, true);
  }

  @Override
  public Supplier<T> decorateSupplier(Supplier<? extends T> supplier) {
    Objects.requireNonNull(supplier, "supplier must not be null");
    return () -> executeSupplier(SHARED_KEY, supplier);
  }

  @Override
  @SuppressWarnings("unchecked")
  public Callable<T> decorateCallable(Callable<? extends T> callable) {
    Objects.requireNonNull(callable, "callable must not be null");
    return () -> (T) run(SHARED_KEY, CALLABLE, callable, null, false);
  }

  @Override
  public Runnable decorateRunnable(Runnable runnable) {
    Objects.requireNonNull(runnable, "runnable must not be null");
    return () -> run(SHARED_KEY, RUNNABLE, runnable, null, false);
  }

  @Override
  @SuppressWarnings("unchecked")
  public <A> Function<A, T> decorateFunction(Function<? super A, ? extends T> function) {
    Objects.requireNonNull(function, "function must not be null");
    return argument -> (T) run(keyFunction.apply(argument), FUNCTION, function, argument, false);
  }

  @Override
  public Supplier<CompletionStage<T>> decorateCompletionStage(
      Supplier<? extends CompletionStage<? extends T>> supplier) {
    Objects.requireNonNull(supplier, "supplier must not be null");
    return () -> executeCompletionStage(SHARED_KEY, supplier);
  }

  // ---------------------------------------------------------------------------------------------------
  // The two paths

  private Object run(Object key, Invoker invoker, Object target, Object argument, boolean wrap) {
    Object result;
    try {
      result = invoker.invoke(target, argument);
    } catch (Throwable e) {
      return onFailure(key, e, wrap);
    }
    return onValue(key, result, wrap);
  }

  private CompletableFuture<Object> start(
      Object key, Supplier<? extends CompletionStage<? extends T>> supplier, boolean wrap) {
    CompletionStage<? extends T> stage;
    try {
      stage = supplier.get();
      if (stage == null) {
        throw new NullPointerException("the supplier returned a null CompletionStage");
      }
    } catch (Throwable e) {
      try {
        return CompletableFuture.completedFuture(onFailure(key, e, wrap));
      } catch (Throwable answer) {
        return CompletableFuture.failedFuture(answer);
      }
    }
    FallbackStage<T> result = new FallbackStage<>(this, key, wrap, stage);
    stage.whenComplete(result);
    return result;
  }

  /** Handles a call's result: records it, or treats it as a failure if it is to be replaced. */
  @SuppressWarnings("unchecked")
  Object onValue(Object key, Object result, boolean wrap) {
    if (fallbackOnResult != null && fallbackOnResult.test((T) result)) {
      return recover(key, new RejectedResultException(name, result), result, true, wrap);
    }
    if (cache != null) {
      cache.record(key == null ? NULL_KEY : key, (T) result);
    }
    successes.increment();
    return wrap ? new FallbackResult<>(result, FallbackResult.Source.CALL, null, Duration.ZERO) : result;
  }

  /** Handles a call's exception: answers for it, or rethrows it unchanged. */
  Object onFailure(Object key, Throwable failure, boolean wrap) {
    if (failure instanceof VirtualMachineError || !handles(failure)) {
      unhandled.increment();
      throw Outcomes.rethrow(failure);
    }
    return recover(key, failure, null, false, wrap);
  }

  private boolean handles(Throwable failure) {
    if (matches(ignoredTypes, failure)) {
      return false;
    }
    if (handlesEveryException) {
      return failure instanceof Exception;
    }
    return matches(handledTypes, failure) || (fallbackOnException != null && fallbackOnException.test(failure));
  }

  private static boolean matches(Class<?>[] types, Throwable failure) {
    for (Class<?> type : types) {
      if (type.isInstance(failure)) {
        return true;
      }
    }
    return false;
  }

  private Object recover(Object key, Throwable cause, Object rejected, boolean isResult, boolean wrap) {
    Object cacheKey = key == null ? NULL_KEY : key;
    if (cache != null) {
      long now = cache.now();
      LastKnownGood.Entry<T> entry = cache.lookup(cacheKey, now);
      if (entry != null) {
        Duration age = Duration.ofNanos(now - entry.writtenAt);
        T value = entry.value;
        if (markStale != null) {
          try {
            value = markStale.apply(value, age);
          } catch (Throwable f) {
            throw alternativeFailed(cause, f);
          }
        }
        staleServed.increment();
        if (!events.isEmpty()) {
          events.publish(new FallbackEvent.StaleValueServed(name, EventTime.now(), key, age, cause));
        }
        return wrap ? new FallbackResult<>(value, FallbackResult.Source.LAST_KNOWN_GOOD, cause, age) : value;
      }
      misses.increment();
      if (!events.isEmpty()) {
        events.publish(new FallbackEvent.CacheMiss(name, EventTime.now(), key, cause));
      }
    }
    if (alternative != FallbackConfig.Alternative.NONE) {
      T value;
      try {
        value = switch (alternative) {
          case VALUE -> config.fallbackValue();
          case SUPPLIER -> config.fallbackSupplier().get();
          default -> config.fallbackFunction().apply(cause);
        };
      } catch (Throwable f) {
        throw alternativeFailed(cause, f);
      }
      fallbacks.increment();
      if (!events.isEmpty()) {
        events.publish(new FallbackEvent.FallbackUsed(name, EventTime.now(), cause));
      }
      return wrap ? new FallbackResult<>(value, FallbackResult.Source.FALLBACK, cause, Duration.ZERO) : value;
    }
    unhandled.increment();
    if (isResult) {
      return wrap ? new FallbackResult<>(rejected, FallbackResult.Source.CALL, cause, Duration.ZERO) : rejected;
    }
    throw Outcomes.rethrow(cause);
  }

  private RuntimeException alternativeFailed(Throwable cause, Throwable failure) {
    if (failure instanceof VirtualMachineError) {
      throw (VirtualMachineError) failure;
    }
    Outcomes.addSuppressed(failure, cause, MAX_SUPPRESSED);
    failedFallbacks.increment();
    if (!events.isEmpty()) {
      events.publish(new FallbackEvent.FallbackFailed(name, EventTime.now(), cause, failure));
    }
    return Outcomes.rethrow(failure);
  }

  // ---------------------------------------------------------------------------------------------------
  // Introspection

  @Override
  public String name() {
    return name;
  }

  @Override
  public FallbackConfig<T> config() {
    return config;
  }

  @Override
  public Metrics metrics() {
    return new FallbackMetricsSnapshot(
        successes.sum(),
        staleServed.sum(),
        misses.sum(),
        fallbacks.sum(),
        failedFallbacks.sum(),
        unhandled.sum(),
        cache != null ? cache.size() : 0);
  }

  @Override
  public Subscription onEvent(Consumer<? super FallbackEvent> listener) {
    return events.subscribe(listener);
  }

  @Override
  public String toString() {
    return "Fallback[" + name + "]";
  }
}
