package dev.fusebox.micrometer;

import dev.fusebox.PolicyRegistry;
import dev.fusebox.Subscription;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The meters of one registry of policies (breakers, retries, bulkheads...) in one meter registry: follows
 * policies being added and removed.
 *
 * <p>Design note. The meters of a policy live in a {@link Meters}, kept by policy name; every change for
 * one name goes through {@link ConcurrentHashMap#compute}, which runs one change per name at a time, so
 * the meters of a policy that leaves and of a new policy of the same name (whose meters have the same ids,
 * and which Micrometer would otherwise hand back shared) never mix: the old ones are removed before the
 * new ones are registered. A policy can be removed from the registry between the snapshot of
 * {@link PolicyRegistry#all()} and its meters' registration, after its removal was announced; so once registered,
 * the binding checks that the policy is still the registry's and unregisters it if not. Registries remove
 * a policy before announcing it, so one of the two sides always catches it. None of this runs on a call
 * path: only when policies are added or removed.
 *
 * <p>This class is threadsafe.
 *
 * @param <P> the policy type
 */
final class RegistryBinding<P> {

  /** The meters of one policy in one meter registry. */
  interface Meters {
    /** Removes every meter of the policy from the meter registry; idempotent. */
    void close();
  }

  private record Entry<P>(P policy, Meters meters) {}

  private final PolicyRegistry<P, ?, ?> source;
  private final Function<P, Meters> metersOf;
  private final ConcurrentHashMap<String, Entry<P>> byName = new ConcurrentHashMap<>();
  private final Subscription additions;
  private final Subscription removals;
  private volatile boolean closed;

  RegistryBinding(PolicyRegistry<P, ?, ?> source, Function<P, Meters> metersOf) {
    this.source = source;
    this.metersOf = metersOf;
    this.removals = source.onRemoved(this::remove);
    this.additions = source.onAdded(this::add);
    source.all().forEach(this::add);
  }

  private void add(P policy) {
    if (closed) {
      return;
    }
    String name = source.kind().nameOf(policy);
    byName.compute(name, (n, current) -> {
      if (current != null) {
        if (current.policy() == policy) {
          return current;
        }
        current.meters().close();
      }
      return new Entry<>(policy, metersOf.apply(policy));
    });
    if (closed || source.find(name).orElse(null) != policy) {
      remove(policy);
    }
  }

  private void remove(P policy) {
    byName.computeIfPresent(source.kind().nameOf(policy), (name, current) -> {
      if (current.policy() != policy) {
        return current;
      }
      current.meters().close();
      return null;
    });
  }

  /** Removes every meter and stops following the registry. */
  void close() {
    closed = true;
    additions.close();
    removals.close();
    for (Entry<P> entry : byName.values()) {
      remove(entry.policy());
    }
  }

  /** Returns the number of policies with meters; for tests. */
  int size() {
    return byName.size();
  }
}
