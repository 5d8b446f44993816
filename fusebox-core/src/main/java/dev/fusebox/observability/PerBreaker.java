package dev.fusebox.observability;

import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Per-breaker state of an observer (a history's ring, a logger's rate limit), keyed by breaker name,
 * created on a breaker's first event and dropped when the breaker leaves the registry.
 *
 * <p>Design note. The danger is a leak: an event of a breaker that is being removed can arrive after the
 * removal listener has dropped the breaker's state, and would create it again for a breaker that no longer
 * exists. So creation is checked twice: a value is created only while {@code covered} says the breaker is
 * still observed, and checked again after it is in the map. the registry removes a breaker from
 * its map before it announces the removal, so either this second check sees the breaker gone and drops the
 * value, or the value was in the map before the announcement and the removal listener drops it. Nothing of
 * a removed breaker stays, whatever the interleaving. A value handed out just before it is dropped receives
 * one last event that nobody will read, which is harmless.
 *
 * <p>This class is threadsafe.
 *
 * @param <V> the per-breaker value
 */
final class PerBreaker<V> {

  private final ConcurrentHashMap<String, V> values = new ConcurrentHashMap<>();
  private final Function<String, V> factory;
  private final Predicate<String> covered;
  private volatile boolean closed;

  /**
   * @param factory creates the value of a breaker from its name
   * @param covered tells whether a breaker of that name is still observed (in the registry, say)
   */
  PerBreaker(Function<String, V> factory, Predicate<String> covered) {
    this.factory = factory;
    this.covered = covered;
  }

  /** Returns the breaker's value, creating it if the breaker is still observed; null if it is not. */
  V forEvent(String name) {
    V value = values.get(name);
    if (value != null) {
      return value;
    }
    if (closed || !covered.test(name)) {
      return null;
    }
    value = values.computeIfAbsent(name, factory);
    if (closed || !covered.test(name)) {
      values.remove(name, value);
    }
    return value;
  }

  /** Returns the breaker's value without creating it; null if there is none. */
  V find(String name) {
    return values.get(name);
  }

  /** Forgets the breaker. */
  void drop(String name) {
    values.remove(name);
  }

  /** Returns the names of the breakers with a value, sorted. */
  Set<String> names() {
    return new TreeSet<>(values.keySet());
  }

  /** Forgets every breaker and creates no value any more. */
  void close() {
    closed = true;
    values.clear();
  }

  int size() {
    return values.size();
  }
}
