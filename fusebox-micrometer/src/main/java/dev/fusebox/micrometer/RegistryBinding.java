package dev.fusebox.micrometer;

import dev.fusebox.Subscription;
import dev.fusebox.circuitbreaker.CircuitBreaker;
import dev.fusebox.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The meters of one breaker registry in one meter registry: follows breakers being added and removed.
 *
 * <p>Design note. The meters of a breaker live in a {@link BreakerMeters}, kept by breaker name; every
 * change for one name goes through {@link ConcurrentHashMap#compute}, which runs one change per name at a
 * time, so the meters of a breaker that leaves and of a new breaker of the same name (whose meters have the
 * same ids, and which Micrometer would otherwise hand back shared) never mix: the old ones are removed
 * before the new ones are registered. A breaker can be removed from the registry between the snapshot of
 * {@link CircuitBreakerRegistry#all()} and its meters' registration, after its removal was announced; so
 * once registered, the binding checks that the breaker is still the registry's and unregisters it if not.
 * The registry removes a breaker before announcing it, so one of the two sides always catches it. None of
 * this runs on a call path: only when breakers are added or removed.
 *
 * <p>This class is threadsafe.
 */
final class RegistryBinding {

  private final CircuitBreakerRegistry registry;
  private final MeterRegistry meterRegistry;
  private final Tags commonTags;
  private final boolean percentileHistogram;
  private final ConcurrentHashMap<String, BreakerMeters> byName = new ConcurrentHashMap<>();
  private final Subscription additions;
  private final Subscription removals;
  private volatile boolean closed;

  RegistryBinding(
      CircuitBreakerRegistry registry, MeterRegistry meterRegistry, Tags commonTags, boolean percentileHistogram) {
    this.registry = registry;
    this.meterRegistry = meterRegistry;
    this.commonTags = commonTags;
    this.percentileHistogram = percentileHistogram;
    this.removals = registry.onRemoved(this::remove);
    this.additions = registry.onAdded(this::add);
    registry.all().forEach(this::add);
  }

  private void add(CircuitBreaker breaker) {
    if (closed) {
      return;
    }
    byName.compute(breaker.name(), (name, current) -> {
      if (current != null) {
        if (current.breaker == breaker) {
          return current;
        }
        current.close();
      }
      return new BreakerMeters(breaker, meterRegistry, commonTags, percentileHistogram);
    });
    if (closed || registry.find(breaker.name()).orElse(null) != breaker) {
      remove(breaker);
    }
  }

  private void remove(CircuitBreaker breaker) {
    byName.computeIfPresent(breaker.name(), (name, current) -> {
      if (current.breaker != breaker) {
        return current;
      }
      current.close();
      return null;
    });
  }

  /** Removes every meter and stops following the registry. */
  void close() {
    closed = true;
    additions.close();
    removals.close();
    for (BreakerMeters meters : byName.values()) {
      remove(meters.breaker);
    }
  }

  /** Returns the number of breakers with meters; for tests. */
  int size() {
    return byName.size();
  }
}
