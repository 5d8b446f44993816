package dev.fusebox;

import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Something that guards calls: a circuit breaker, a retry, a bulkhead, a rate limiter, a time limiter, a
 * chaos policy, or a policy of your own. Every policy offers the same call forms, declared here once: run a
 * call now ({@code execute...}), or wrap it once and run the wrapper many times ({@code decorate...}),
 * synchronously or as a {@link CompletionStage}.
 *
 * <h2>The contract of every call form</h2>
 * <ul>
 *   <li>A call the policy lets through runs on the calling thread (a retry may run it several times, a
 *       time limiter on another thread); its result comes back unchanged, and so does its exception: the
 *       same instance, checked exceptions included, never wrapped.</li>
 *   <li>A call the policy refuses does not run; the synchronous forms throw the policy's rejection (a
 *       {@link dev.fusebox.circuitbreaker.CallNotPermittedException}, a
 *       {@link dev.fusebox.bulkhead.BulkheadFullException}, ...), the asynchronous forms return a stage
 *       failed with it and never throw.</li>
 *   <li>{@code null} arguments are refused with a {@link NullPointerException} that names them.</li>
 *   <li>The {@code decorate} forms build the wrapper once; calling it costs what the {@code execute} form
 *       costs and allocates nothing more.</li>
 * </ul>
 *
 * <h2>A policy of your own</h2>
 * Implement {@link #name()}, {@link #executeCallable(Callable)} and
 * {@link #executeCompletionStage(Supplier)}; every other form has a default built on those two. A
 * {@link dev.fusebox.pipeline.Pipeline} takes such a policy like any other.
 *
 * <pre>{@code
 * final class CallCounter implements Policy {
 *   final LongAdder calls = new LongAdder();
 *   public String name() { return "counter"; }
 *   public <T> T executeCallable(Callable<T> callable) throws Exception {
 *     calls.increment();
 *     return callable.call();
 *   }
 *   public <T> CompletionStage<T> executeCompletionStage(Supplier<? extends CompletionStage<T>> supplier) {
 *     calls.increment();
 *     return supplier.get();
 *   }
 * }
 * Pipeline<Quote> pipeline = Pipeline.<Quote>builder("quotes").policy(new CallCounter()).build();
 * }</pre>
 *
 * <p>Implementations must be threadsafe: one policy instance guards every call to its dependency.
 */
public interface Policy {

  /**
   * Returns the policy's name: it identifies the policy in metrics, events, exceptions and logs.
   *
   * @return the policy's name: it identifies the policy in metrics, events, exceptions and logs
   */
  String name();

  /**
   * Runs the callable through this policy and returns its result, or rethrows its exception unchanged.
   *
   * @param callable the call to guard
   * @param <T> the call's result type
   * @return the callable's result
   * @throws Exception the callable's own exception, or the policy's rejection
   */
  <T> T executeCallable(Callable<T> callable) throws Exception;

  /**
   * Starts the asynchronous call through this policy. Never throws: a rejection, or a supplier that throws
   * or returns {@code null}, yields a failed stage. The returned stage completes as the call's stage does,
   * unless the policy intervenes (a time-out, a retry).
   *
   * @param supplier starts the call and returns its stage
   * @param <T> the call's result type
   * @return a stage that completes with the call's outcome
   */
  <T> CompletionStage<T> executeCompletionStage(Supplier<? extends CompletionStage<T>> supplier);

  /**
   * Runs the supplier through this policy and returns its result, or rethrows its exception unchanged.
   *
   * @param supplier the call to guard
   * @param <T> the call's result type
   * @return the supplier's result
   */
  default <T> T executeSupplier(Supplier<T> supplier) {
    Objects.requireNonNull(supplier, "supplier must not be null");
    try {
      return executeCallable(supplier::get);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Exception e) {
      // A supplier cannot declare a checked exception, but it can still throw one (sneakily); the caller
      // gets that very exception back, not a wrapper of ours.
      throw Policy.<RuntimeException>rethrow(e);
    }
  }

  /**
   * Runs the runnable through this policy.
   *
   * @param runnable the call to guard
   */
  default void executeRunnable(Runnable runnable) {
    Objects.requireNonNull(runnable, "runnable must not be null");
    executeSupplier(
        () -> {
          runnable.run();
          return null;
        });
  }

  /**
   * Returns a supplier that runs {@code supplier} through this policy on each call.
   *
   * @param supplier the call to guard
   * @param <T> the call's result type
   * @return the guarded supplier
   */
  default <T> Supplier<T> decorateSupplier(Supplier<T> supplier) {
    Objects.requireNonNull(supplier, "supplier must not be null");
    return () -> executeSupplier(supplier);
  }

  /**
   * Returns a callable that runs {@code callable} through this policy on each call.
   *
   * @param callable the call to guard
   * @param <T> the call's result type
   * @return the guarded callable
   */
  default <T> Callable<T> decorateCallable(Callable<T> callable) {
    Objects.requireNonNull(callable, "callable must not be null");
    return () -> executeCallable(callable);
  }

  /**
   * Returns a runnable that runs {@code runnable} through this policy on each call.
   *
   * @param runnable the call to guard
   * @return the guarded runnable
   */
  default Runnable decorateRunnable(Runnable runnable) {
    Objects.requireNonNull(runnable, "runnable must not be null");
    return () -> executeRunnable(runnable);
  }

  /**
   * Returns a function that applies {@code function} through this policy on each call.
   *
   * @param function the call to guard
   * @param <T> the function's argument type
   * @param <R> the function's result type
   * @return the guarded function
   */
  default <T, R> Function<T, R> decorateFunction(Function<T, R> function) {
    Objects.requireNonNull(function, "function must not be null");
    return argument -> executeSupplier(() -> function.apply(argument));
  }

  /**
   * Returns a supplier that starts each asynchronous call through this policy.
   *
   * @param supplier starts the call and returns its stage
   * @param <T> the call's result type
   * @return the guarded supplier of stages
   */
  default <T> Supplier<CompletionStage<T>> decorateCompletionStage(
      Supplier<? extends CompletionStage<T>> supplier) {
    Objects.requireNonNull(supplier, "supplier must not be null");
    return () -> executeCompletionStage(supplier);
  }

  @SuppressWarnings("unchecked")
  private static <E extends Throwable> E rethrow(Throwable e) throws E {
    throw (E) e;
  }
}
