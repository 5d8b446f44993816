package dev.fusebox.throttle;

import dev.fusebox.bulkhead.BulkheadFullException;
import dev.fusebox.circuitbreaker.CallNotPermittedException;
import dev.fusebox.internal.Outcomes;
import dev.fusebox.ratelimiter.RequestNotPermittedException;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.function.Predicate;

/**
 * Tells whether the dependency accepted a request, from what the call returned or threw.
 *
 * <p>The rules are the breaker's record rules, read as "not accepted": ignoring wins; with no record-list
 * and no record-predicate every other exception is a failure; with one, only the matching exceptions are,
 * and every other exception was an answer of the dependency, so accepted. A result is a failure only if it
 * matches {@code recordResult}. Before any of that, a rejection by another Fusebox policy the throttle
 * wraps (a breaker, a bulkhead, a rate limiter, another throttle) and a cancellation never reached the
 * dependency or never heard from it: they are ignored whatever the configuration says.
 */
final class AcceptRules {

  static final int ACCEPTED = 0;
  static final int FAILED = 1;
  static final int IGNORED = 2;

  private final Class<?>[] record;
  private final Class<?>[] ignore;
  private final Predicate<Throwable> recordPredicate;
  private final Predicate<Throwable> ignorePredicate;
  private final Predicate<Object> recordResult;
  private final boolean everyExceptionFails;

  AcceptRules(AdaptiveThrottleConfig config) {
    this.record = types(config.recordExceptions());
    this.ignore = types(config.ignoreExceptions());
    this.recordPredicate = config.recordExceptionOrNull();
    this.ignorePredicate = config.ignoreExceptionOrNull();
    this.recordResult = config.recordResultOrNull();
    this.everyExceptionFails = record.length == 0 && recordPredicate == null;
  }

  private static Class<?>[] types(List<Class<? extends Throwable>> types) {
    return types.toArray(Class<?>[]::new);
  }

  /** Classifies a result; may throw what the {@code recordResult} predicate throws. */
  int ofResult(Object result) {
    return recordResult != null && recordResult.test(result) ? FAILED : ACCEPTED;
  }

  /** Classifies an exception, unwrapped from a stage's wrapper; may throw what a predicate throws. */
  int ofError(Throwable thrown) {
    Throwable error = Outcomes.unwrap(thrown);
    if (neverReachedTheDependency(error)
        || isAny(ignore, error)
        || (ignorePredicate != null && ignorePredicate.test(error))) {
      return IGNORED;
    }
    return everyExceptionFails || isAny(record, error) || (recordPredicate != null && recordPredicate.test(error))
        ? FAILED
        : ACCEPTED;
  }

  private static boolean neverReachedTheDependency(Throwable error) {
    return error instanceof CallThrottledException
        || error instanceof CallNotPermittedException
        || error instanceof BulkheadFullException
        || error instanceof RequestNotPermittedException
        || error instanceof CancellationException;
  }

  private static boolean isAny(Class<?>[] types, Throwable error) {
    for (Class<?> type : types) {
      if (type.isInstance(error)) {
        return true;
      }
    }
    return false;
  }
}
