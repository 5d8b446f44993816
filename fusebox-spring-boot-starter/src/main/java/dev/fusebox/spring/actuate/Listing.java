package dev.fusebox.spring.actuate;

import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/** The shape every policy endpoint answers in: its policies by name, sorted, each as a JSON object. */
final class Listing {

  private Listing() {}

  static <P> Map<String, Object> byName(
      Collection<P> policies, Function<P, String> name, Function<P, Map<String, Object>> describe) {
    Map<String, Object> out = new LinkedHashMap<>();
    policies.stream().sorted(Comparator.comparing(name)).forEach(p -> out.put(name.apply(p), describe.apply(p)));
    return out;
  }

  /** One policy in detail: its name, its figures, and its configuration under {@code config}. */
  static Map<String, Object> details(String name, Map<String, Object> figures, Map<String, Object> config) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("name", name);
    d.putAll(figures);
    d.put("config", config);
    return d;
  }
}
