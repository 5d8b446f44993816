package dev.fusebox.circuitbreaker;

import java.util.List;
import java.util.function.Predicate;

/**
 * Sorts exceptions into failures, ignored exceptions and successes, by Resilience4j's rules: ignoring wins;
 * with no record-list or record-predicate every other exception is a failure; with one, only the matching
 * ones are, and the rest count as successes.
 */
final class Classifier {

  static final int FAILURE = 0;
  static final int IGNORED = 1;
  static final int SUCCESS = 2;

  private final Class<?>[] record;
  private final Class<?>[] ignore;
  private final Predicate<Throwable> recordPredicate;
  private final Predicate<Throwable> ignorePredicate;
  private final boolean recordsEverything;

  Classifier(CircuitBreakerConfig config) {
    this.record = toArray(config.recordExceptions());
    this.ignore = toArray(config.ignoreExceptions());
    this.recordPredicate = config.recordExceptionOrNull();
    this.ignorePredicate = config.ignoreExceptionOrNull();
    this.recordsEverything = record.length == 0 && recordPredicate == null;
  }

  private static Class<?>[] toArray(List<Class<? extends Throwable>> types) {
    return types.toArray(new Class<?>[0]);
  }

  int classify(Throwable error) {
    if (matches(ignore, error) || (ignorePredicate != null && ignorePredicate.test(error))) {
      return IGNORED;
    }
    if (recordsEverything
        || matches(record, error)
        || (recordPredicate != null && recordPredicate.test(error))) {
      return FAILURE;
    }
    return SUCCESS;
  }

  private static boolean matches(Class<?>[] types, Throwable error) {
    for (Class<?> type : types) {
      if (type.isInstance(error)) {
        return true;
      }
    }
    return false;
  }
}
