package dev.fusebox.spring.actuate;

import dev.fusebox.PolicyKind;
import dev.fusebox.PolicyRegistry;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

/**
 * The {@code fusebox} actuator endpoint, read-only: every policy of every {@link PolicyRegistry} bean of
 * the application (Fusebox's own and any registry of a policy of yours), by kind and by name, each with the
 * numbers its {@link PolicyKind} declares, the same numbers the metrics publish.
 *
 * <ul>
 *   <li>{@code GET /actuator/fusebox}: {@code {"kinds": {"retry": {"pricing": {"fusebox.retry.calls{kind=successful_without_retry}": 10.0,
 *       ...}}, "hedge": {...}}}}, kinds and names sorted;</li>
 *   <li>{@code GET /actuator/fusebox/{kind}}: the policies of one kind, such as {@code retry}; 404 if the
 *       application has no registry of that kind.</li>
 * </ul>
 *
 * <p>Reachable over HTTP once exposed ({@code management.endpoints.web.exposure.include=fusebox}). A value
 * a policy does not know yet is {@code null}. This class is threadsafe.
 */
@Endpoint(id = "fusebox")
public final class PoliciesEndpoint {

  private final List<PolicyRegistry<?, ?, ?>> registries;

  /**
   * Creates the endpoint.
   *
   * @param registries the registries shown, read on every request
   */
  public PoliciesEndpoint(List<PolicyRegistry<?, ?, ?>> registries) {
    this.registries = List.copyOf(registries);
  }

  /**
   * Lists every policy of every registry, by kind and name.
   *
   * @return {@code {"kinds": {kind: {name: {measure: value}}}}}
   */
  @ReadOperation
  public Map<String, Object> policies() {
    Map<String, Map<String, Object>> kinds = new TreeMap<>();
    for (PolicyRegistry<?, ?, ?> registry : registries) {
      kinds.computeIfAbsent(registry.kind().id(), id -> new TreeMap<>()).putAll(describe(registry));
    }
    return Map.of("kinds", kinds);
  }

  /**
   * Lists the policies of one kind; {@code null} (404) if no registry has that kind.
   *
   * @param kind the kind's identifier, such as {@code circuitbreaker}, from the path
   * @return the policies by name, or null (404)
   */
  @ReadOperation
  public Map<String, Object> kind(@Selector String kind) {
    Map<String, Object> policies = null;
    for (PolicyRegistry<?, ?, ?> registry : registries) {
      if (registry.kind().id().equals(kind)) {
        if (policies == null) {
          policies = new TreeMap<>();
        }
        policies.putAll(describe(registry));
      }
    }
    return policies;
  }

  private static <P> Map<String, Object> describe(PolicyRegistry<P, ?, ?> registry) {
    PolicyKind<P> kind = registry.kind();
    List<P> policies = new ArrayList<>(registry.all());
    policies.sort(Comparator.comparing(kind::nameOf));
    Map<String, Object> out = new LinkedHashMap<>();
    for (P policy : policies) {
      Map<String, Object> values = new LinkedHashMap<>();
      // JSON has no NaN nor infinity: a number a policy does not know yet reads as null.
      kind.read(policy).forEach((key, value) -> values.put(key, Double.isFinite(value) ? value : null));
      out.put(kind.nameOf(policy), values);
    }
    return out;
  }
}
