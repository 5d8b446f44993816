package dev.fusebox.circuitbreaker;

import java.util.List;
import java.util.function.Predicate;

/**
 * The rules that sort exceptions into failures, ignored exceptions and successes, Resilience4j's, which
 * {@link CallPath}'s failure path applies: ignoring wins; with no record-list or record-predicate every
 * other exception is a failure; with one, only the matching ones are, and the rest count as successes. An {@link Error} is a failure only when a record rule names it
 * (a type it is an instance of, or the predicate); otherwise it is ignored: Resilience4j catches only
 * {@link Exception}s and so never records an {@code Error}, but it also never gives the permit back, which
 * ignoring does.
 */
final class Classifier {

  static final int FAILURE = 0;
  static final int IGNORED = 1;
  static final int SUCCESS = 2;

  // Read by CallPath#completeWithError, which applies the rules itself (its comment says why).
  final Class<?>[] record;
  final Class<?>[] ignore;
  final Predicate<Throwable> recordPredicate;
  final Predicate<Throwable> ignorePredicate;
  final boolean recordsEverything;

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

  static boolean matches(Class<?>[] types, Throwable error) {
    for (Class<?> type : types) {
      if (type.isInstance(error)) {
        return true;
      }
    }
    return false;
  }
}
