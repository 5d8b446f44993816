package dev.fusebox.retry;

import dev.fusebox.internal.EventTime;
import dev.fusebox.Scheduler;
import dev.fusebox.Sleeper;
import dev.fusebox.Subscription;
import dev.fusebox.Ticker;
import dev.fusebox.circuitbreaker.CallNotPermittedException;
import dev.fusebox.throttle.CallThrottledException;
import dev.fusebox.internal.Listeners;
import dev.fusebox.internal.Reconfigurations;
import dev.fusebox.internal.Outcomes;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * The retry loop, shared by the synchronous entry points and {@link AsyncRetry}.
 *
 * <p>Design note. A retry holds no per-call state: each call keeps its own progress in an {@link Attempts},
 * created at its first failure, so concurrent calls never interact except through the cumulative
 * {@link LongAdder}s and the shared {@link RetryBudget}. The success path is: deposit in the budget if one is
 * set, read the ticker if {@code maxDuration} is set, run the call, test the result predicate if set, add
 * one to a {@link LongAdder}. The entry points hand the call to one loop through static, non-capturing
 * {@link Invoker}s, so they allocate nothing. Every decision after a failure ({@link #nextWait}) runs on the
 * thread that saw the failure and has no shared state to coordinate, so no lock or CAS is needed beyond the
 * budget's own.
 */
final class RetryImpl implements Retry {

  /** The most earlier failures attached to the final one: enough for any sensible maxAttempts. */
  static final int MAX_SUPPRESSED = 8;

  static final int STOP_MAX_ATTEMPTS = -1;
  static final int STOP_MAX_DURATION = -2;
  static final int STOP_BUDGET = -3;
  static final int STOP_INTERRUPTED = -4;

  /** Runs a call given as up to two objects; the entry points use the constants below, so nothing is captured. */
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
  private final Listeners<RetryEvent> events;
  /** What the calls starting now run by; a call keeps the options it started with. */
  private volatile Options options;
  private final LongAdder succeededWithoutRetry = new LongAdder();
  private final LongAdder succeededWithRetry = new LongAdder();
  private final LongAdder failedWithoutRetry = new LongAdder();
  private final LongAdder failedWithRetry = new LongAdder();
  private final LongAdder retries = new LongAdder();
  private final LongAdder budgetExhausted = new LongAdder();

  RetryImpl(String name, RetryConfig config) {
    Objects.requireNonNull(name, "name must not be null");
    if (name.isBlank()) {
      throw new IllegalArgumentException("name must not be blank, was '" + name + "'");
    }
    this.name = name;
    this.events = new Listeners<>("retry", name);
    this.options = new Options(Objects.requireNonNull(config, "config must not be null"));
  }

  private static Class<?>[] toArray(List<Class<? extends Throwable>> types) {
    return types.toArray(new Class<?>[0]);
  }

  // ---------------------------------------------------------------------------------------------------
  // Entry points

  @Override
  @SuppressWarnings("unchecked")
  public <T> T executeSupplier(Supplier<T> supplier) {
    Objects.requireNonNull(supplier, "supplier must not be null");
    return (T) options.run(SUPPLIER, supplier, null);
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T> T executeCallable(Callable<T> callable) throws Exception {
    Objects.requireNonNull(callable, "callable must not be null");
    return (T) options.run(CALLABLE, callable, null);
  }

  @Override
  public void executeRunnable(Runnable runnable) {
    Objects.requireNonNull(runnable, "runnable must not be null");
    options.run(RUNNABLE, runnable, null);
  }

  @Override
  public <T> CompletionStage<T> executeCompletionStage(Supplier<? extends CompletionStage<T>> supplier) {
    Objects.requireNonNull(supplier, "supplier must not be null");
    Options o = options;
    AsyncRetry<T> call = new AsyncRetry<>(o, supplier, o.maxDurationNanos > 0 ? o.ticker.nanos() : 0L);
    if (o.budget != null) {
      o.budget.recordRequest();
    }
    call.attempt();
    return call;
  }

  @Override
  public Context context() {
    Options o = options;
    RetryContext context = new RetryContext(o, o.maxDurationNanos > 0 ? o.ticker.nanos() : 0L);
    if (o.budget != null) {
      o.budget.recordRequest();
    }
    return context;
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T, R> Function<T, R> decorateFunction(Function<T, R> function) {
    Objects.requireNonNull(function, "function must not be null");
    return argument -> (R) options.run(FUNCTION, function, argument);
  }

  // ---------------------------------------------------------------------------------------------------
  // The synchronous loop

  /**
   * The options of one configuration, and every decision taken by them. A call takes the options current at
   * its start and keeps them to its end, so that {@link #reconfigure} applies from the next call on.
   */
  final class Options {

    private final RetryConfig config;
    private final int maxAttempts;
    private final Backoff backoff;
    private final long maxDurationNanos;
    private final Ticker ticker;
    private final Sleeper sleeper;
    final Scheduler scheduler;
    private final RetryBudget budget;
    private final RandomGenerator random;
    private final Class<?>[] retryTypes;
    private final Class<?>[] ignoreTypes;
    private final Predicate<Throwable> retryOnException;
    private final boolean retriesEveryException;
    private final Predicate<Object> retryOnResult;
    private final boolean failAfterMaxAttempts;
    private final Function<? super Throwable, Optional<Duration>> retryAfterFromException;
    private final Function<Object, Optional<Duration>> retryAfterFromResult;

    Options(RetryConfig config) {
      this.config = config;
      this.maxAttempts = config.maxAttempts();
      this.backoff = Backoff.of(config);
      this.maxDurationNanos = config.maxDuration().toNanos();
      this.ticker = config.ticker();
      this.sleeper = config.sleeper();
      this.scheduler = config.scheduler();
      this.budget = config.retryBudgetOrNull();
      this.random = config.randomOrNull();
      this.retryTypes = toArray(config.retryExceptions());
      this.ignoreTypes = toArray(config.ignoreExceptions());
      this.retryOnException = config.retryOnExceptionOrNull();
      this.retriesEveryException = retryTypes.length == 0 && retryOnException == null;
      this.retryOnResult = config.retryOnResultOrNull();
      this.failAfterMaxAttempts = config.failAfterMaxAttempts();
      this.retryAfterFromException = config.retryAfterFromExceptionOrNull();
      this.retryAfterFromResult = config.retryAfterFromResultOrNull();
    }

    String name() {
      return name;
    }

    private Object run(Invoker invoker, Object target, Object argument) {
      long start = maxDurationNanos > 0 ? ticker.nanos() : 0L;
      if (budget != null) {
        budget.recordRequest();
      }
      Attempts attempts = null;
      for (;;) {
        Object result = null;
        Throwable failure = null;
        try {
          result = invoker.invoke(target, argument);
        } catch (Throwable e) {
          failure = e;
        }
        if (failure == null) {
          if (!retriesResult(result)) {
            succeeded(attempts);
            return result;
          }
        } else if (failure instanceof VirtualMachineError) {
          throw (VirtualMachineError) failure;
        } else if (!isRetryable(failure)) {
          throw Outcomes.rethrow(ignored(attempts, failure));
        }
        if (attempts == null) {
          attempts = new Attempts(start);
        }
        Throwable interruption = null;
        long wait =
            Thread.currentThread().isInterrupted() ? STOP_INTERRUPTED : nextWait(attempts, failure, result);
        if (wait >= 0) {
          try {
            sleeper.sleep(wait);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            interruption = e;
            wait = STOP_INTERRUPTED;
          }
        }
        if (wait < 0) {
          Throwable outcome = finish(attempts, (int) wait, failure, result, interruption);
          if (outcome != null) {
            throw Outcomes.rethrow(outcome);
          }
          return result;
        }
        attempts.remember(failure, MAX_SUPPRESSED);
        attempts.attempt++;
        retries.increment();
      }
    }

    // ---------------------------------------------------------------------------------------------------
    // Decisions, shared with AsyncRetry

    boolean retriesResult(Object result) {
      return retryOnResult != null && retryOnResult.test(result);
    }

    /**
     * Whether an attempt's exception may be retried; never a breaker's rejection, a throttle's shed, an
     * interrupt or a cancel.
     */
    boolean isRetryable(Throwable thrown) {
      Throwable failure = Outcomes.unwrap(thrown);
      if (failure instanceof CallNotPermittedException
          || failure instanceof CallThrottledException
          || failure instanceof InterruptedException
          || failure instanceof CancellationException
          || failure instanceof VirtualMachineError
          || matches(ignoreTypes, failure)) {
        return false;
      }
      if (retriesEveryException) {
        return failure instanceof Exception;
      }
      return matches(retryTypes, failure) || (retryOnException != null && retryOnException.test(failure));
    }

    private static boolean matches(Class<?>[] types, Throwable failure) {
      for (Class<?> type : types) {
        if (type.isInstance(failure)) {
          return true;
        }
      }
      return false;
    }

    /**
     * Decides what follows a failed attempt that may be retried: returns the wait in nanoseconds before the
     * next attempt, having spent a retry from the budget, or a negative {@code STOP_} code.
     */
    long nextWait(Attempts attempts, Throwable failure, Object result) {
      if (attempts.attempt >= maxAttempts) {
        return STOP_MAX_ATTEMPTS;
      }
      long backoffNanos =
          backoff.waitNanos(attempts.attempt, attempts.previousWaitNanos, Outcomes.random(random));
      long wait = Math.max(backoffNanos, retryAfterNanos(failure, result));
      if (maxDurationNanos > 0 && wait >= maxDurationNanos - (ticker.nanos() - attempts.start)) {
        return STOP_MAX_DURATION;
      }
      if (budget != null && !budget.tryAcquireRetry()) {
        return STOP_BUDGET;
      }
      attempts.previousWaitNanos = backoffNanos;
      if (!events.isEmpty()) {
        events.publish(
            new RetryEvent.Retrying(
                name, EventTime.now(), attempts.attempt, Duration.ofNanos(wait), failure, failure == null ? result : null));
      }
      return wait;
    }

    /** The longest wait a server asked for, from the hint interface and the extractors; -1 if none. */
    private long retryAfterNanos(Throwable failure, Object result) {
      long hint = -1;
      if (failure != null) {
        if (failure instanceof RetryAfterHint h) {
          hint = nanos(h.retryAfter());
        }
        if (retryAfterFromException != null) {
          hint = Math.max(hint, nanos(retryAfterFromException.apply(failure)));
        }
      } else {
        if (result instanceof RetryAfterHint h) {
          hint = nanos(h.retryAfter());
        }
        if (retryAfterFromResult != null) {
          hint = Math.max(hint, nanos(retryAfterFromResult.apply(result)));
        }
      }
      return hint;
    }

    private static long nanos(Optional<Duration> hint) {
      if (hint == null || hint.isEmpty() || hint.get().isNegative()) {
        return -1;
      }
      try {
        return hint.get().toNanos();
      } catch (ArithmeticException e) {
        return Long.MAX_VALUE;
      }
    }

    void countRetry() {
      retries.increment();
    }

    /** Counts a call that ends without a decision of ours (its next attempt could not be scheduled). */
    void countFailed(Attempts attempts) {
      (attempts.attempt > 1 ? failedWithRetry : failedWithoutRetry).increment();
    }

    void succeeded(Attempts attempts) {
      if (attempts == null) {
        succeededWithoutRetry.increment();
        return;
      }
      succeededWithRetry.increment();
      if (!events.isEmpty()) {
        events.publish(new RetryEvent.Success(name, EventTime.now(), attempts.attempt));
      }
    }

    /** Ends a call on an exception that is not retried; returns that exception, earlier failures attached. */
    Throwable ignored(Attempts attempts, Throwable failure) {
      int made = attempts == null ? 1 : attempts.attempt;
      (made > 1 ? failedWithRetry : failedWithoutRetry).increment();
      attachEarlier(attempts, failure);
      if (!events.isEmpty()) {
        events.publish(new RetryEvent.IgnoredError(name, EventTime.now(), made, failure));
      }
      return failure;
    }

    /**
     * Ends a call that stops retrying: counts it, publishes why, and returns the exception to hand to the
     * caller, or null when the caller gets the last result.
     */
    Throwable finish(Attempts attempts, int code, Throwable failure, Object result, Throwable interruption) {
      Throwable outcome = failure;
      if (outcome == null && failAfterMaxAttempts) {
        outcome = new MaxRetriesExceededException(name, attempts.attempt, result, why(code));
      }
      if (outcome != null) {
        attachEarlier(attempts, outcome);
        if (interruption != null) {
          Outcomes.addSuppressed(outcome, interruption, MAX_SUPPRESSED + 1);
        }
      }
      (attempts.attempt > 1 ? failedWithRetry : failedWithoutRetry).increment();
      if (code == STOP_BUDGET) {
        budgetExhausted.increment();
      }
      if (!events.isEmpty()) {
        Object lastResult = failure == null ? result : null;
        events.publish(
            code == STOP_BUDGET
                ? new RetryEvent.BudgetExhausted(name, EventTime.now(), attempts.attempt, outcome, lastResult)
                : new RetryEvent.Failure(name, EventTime.now(), attempts.attempt, reason(code), outcome, lastResult));
      }
      return outcome;
    }

    private static String why(int code) {
      return switch (code) {
        case STOP_MAX_ATTEMPTS -> "reached maxAttempts";
        case STOP_MAX_DURATION -> "reached maxDuration";
        case STOP_BUDGET -> "ran out of retry budget";
        default -> "was interrupted";
      };
    }

    private static RetryEvent.StopReason reason(int code) {
      return switch (code) {
        case STOP_MAX_ATTEMPTS -> RetryEvent.StopReason.MAX_ATTEMPTS;
        case STOP_MAX_DURATION -> RetryEvent.StopReason.MAX_DURATION;
        default -> RetryEvent.StopReason.INTERRUPTED;
      };
    }

    private static void attachEarlier(Attempts attempts, Throwable outcome) {
      if (attempts == null) {
        return;
      }
      for (int i = 0; i < attempts.earlierCount(); i++) {
        Outcomes.addSuppressed(outcome, attempts.earlier(i), MAX_SUPPRESSED);
      }
    }
  }

  // ---------------------------------------------------------------------------------------------------
  // Introspection

  @Override
  public String name() {
    return name;
  }

  @Override
  public RetryConfig config() {
    return options.config;
  }

  @Override
  public synchronized void reconfigure(RetryConfig next) {
    // The lock serializes reconfigurations only; calls never take it.
    Objects.requireNonNull(next, "config must not be null");
    RetryConfig previous = options.config;
    options = new Options(next);
    Reconfigurations.log("Retry", name, next);
    if (!events.isEmpty()) {
      events.publish(new RetryEvent.ConfigurationChanged(name, EventTime.now(), previous, next));
    }
  }

  @Override
  public Metrics metrics() {
    return new RetryMetricsSnapshot(
        succeededWithoutRetry.sum(),
        succeededWithRetry.sum(),
        failedWithoutRetry.sum(),
        failedWithRetry.sum(),
        retries.sum(),
        budgetExhausted.sum());
  }

  @Override
  public Subscription onEvent(Consumer<? super RetryEvent> listener) {
    return events.subscribe(listener);
  }

  @Override
  public String toString() {
    return "Retry[" + name + "]";
  }
}
