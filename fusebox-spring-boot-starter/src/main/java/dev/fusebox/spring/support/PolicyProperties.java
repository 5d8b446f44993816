package dev.fusebox.spring.support;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The shape every policy's properties share: named configurations under {@code configs.<name>} and
 * per-instance settings under {@code instances.<name>}, each able to name a {@code base-config} to inherit
 * from, as in Resilience4j.
 *
 * <p>Inheritance, field by field: an entry's own value wins, else its base's, and so on up the chain. An
 * entry without a {@code base-config} inherits {@code configs.default} when there is one (the default
 * itself inherits nothing). Values not set anywhere keep the core's defaults. The resolution remembers
 * where each value came from, so that an invalid value is reported at the property path where it was
 * written.
 *
 * <p>Instances are mutable JavaBeans for the binder; read them once bound.
 *
 * @param <T> the type of one entry
 */
public abstract class PolicyProperties<T extends PolicyProperties.Entry> {

  /** The name of the configuration every other entry inherits unless it names another. */
  public static final String DEFAULT = "default";

  private final Map<String, T> configs = new LinkedHashMap<>();
  private final Map<String, T> instances = new LinkedHashMap<>();

  /** Whether the starter creates this policy's registry (default true); fusebox.enabled=false turns every policy off. */
  private boolean enabled = true;

  /**
   * Returns whether the starter creates this policy's registry (read by the auto-configuration's condition).
   *
   * @return true unless {@code <prefix>.enabled=false}
   */
  public boolean isEnabled() {
    return enabled;
  }

  /**
   * Sets whether the starter creates this policy's registry; bound by Spring.
   *
   * @param enabled false leaves the policy out: no registry bean, no endpoint, no metrics of its own
   */
  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  /**
   * Returns the named configurations, which instances can name as their {@code base-config}.
   *
   * @return the named configurations by name, {@code default} among them if set; bound by Spring
   */
  public Map<String, T> getConfigs() {
    return configs;
  }

  /**
   * Returns the settings of named instances.
   *
   * @return the instances' settings by instance name; bound by Spring
   */
  public Map<String, T> getInstances() {
    return instances;
  }

  /**
   * Returns the property prefix, such as {@code fusebox.circuitbreaker}.
   *
   * @return the prefix, without a trailing dot
   */
  protected abstract String prefix();

  /**
   * The settings of one configuration or instance. Every option is boxed: {@code null} means "not set
   * here", so that inheritance can tell an unset option from one set to the default.
   */
  public abstract static class Entry {

    private String baseConfig;

    /**
     * Returns the name of the configuration this entry inherits from, if set.
     *
     * @return the configuration's name under {@code configs}, or null to inherit {@code configs.default}
     */
    public String getBaseConfig() {
      return baseConfig;
    }

    /**
     * Sets the name of the configuration under {@code configs} that this entry inherits from.
     *
     * @param baseConfig the configuration's name under {@code configs}; null to inherit {@code configs.default}
     */
    public void setBaseConfig(String baseConfig) {
      this.baseConfig = baseConfig;
    }
  }

  /**
   * An entry with its inheritance applied: the value of each option and the property path of the entry
   * that set it.
   *
   * @param <T> the type of the entry
   * @param path the path of the entry itself, such as {@code fusebox.circuitbreaker.instances.backend}
   * @param values the merged entry; options set nowhere are {@code null}
   * @param origins for each option set somewhere, the path of the entry that set it
   */
  public record Resolved<T>(String path, T values, Map<String, String> origins) {

    /**
     * Returns the full property path of an option, where its value was written.
     *
     * @param field the option's Java field name, such as {@code failureRateThreshold}
     * @return the path, such as {@code fusebox.circuitbreaker.configs.default.failure-rate-threshold}
     */
    public String pathOf(String field) {
      return origins.getOrDefault(field, path) + "." + kebab(field);
    }
  }

  /**
   * Resolves the named configuration {@code configs.<name>}.
   *
   * @param name the configuration's name
   * @param problems where a broken {@code base-config} chain is reported
   * @return the configuration with its inheritance applied
   */
  protected Resolved<T> resolveConfig(String name, List<String> problems) {
    return resolve(prefix() + ".configs." + name, configs.get(name), name, problems);
  }

  /**
   * Resolves the instance {@code instances.<name>}.
   *
   * @param name the instance's name
   * @param problems where a broken {@code base-config} chain is reported
   * @return the instance's settings with their inheritance applied
   */
  protected Resolved<T> resolveInstance(String name, List<String> problems) {
    return resolve(prefix() + ".instances." + name, instances.get(name), null, problems);
  }

  private Resolved<T> resolve(String path, T entry, String configName, List<String> problems) {
    List<String> chainPaths = new ArrayList<>();
    List<T> chain = new ArrayList<>();
    chainPaths.add(path);
    chain.add(entry);
    Set<String> seen = new LinkedHashSet<>();
    if (configName != null) {
      seen.add(configName);
    }
    T current = entry;
    String currentPath = path;
    String currentName = configName;
    while (true) {
      String base = current.getBaseConfig();
      if (base == null) {
        if (DEFAULT.equals(currentName) || !configs.containsKey(DEFAULT)) {
          break;
        }
        base = DEFAULT;
      } else if (!configs.containsKey(base)) {
        problems.add(currentPath + ".base-config names no configuration under " + prefix() + ".configs, was '"
            + base + "'" + (configs.isEmpty() ? "" : "; known: " + String.join(", ", configs.keySet())));
        break;
      }
      if (!seen.add(base)) {
        problems.add(currentPath + ".base-config makes a cycle: " + String.join(" -> ", seen) + " -> " + base);
        break;
      }
      currentName = base;
      currentPath = prefix() + ".configs." + base;
      current = configs.get(base);
      chain.add(current);
      chainPaths.add(currentPath);
    }
    return merge(path, chain, chainPaths);
  }

  @SuppressWarnings("unchecked")
  private Resolved<T> merge(String path, List<T> chain, List<String> chainPaths) {
    T first = chain.get(0);
    T merged;
    try {
      merged = (T) first.getClass().getDeclaredConstructor().newInstance();
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot create " + first.getClass().getName(), e);
    }
    Map<String, String> origins = new LinkedHashMap<>();
    for (Field field : fields(first.getClass())) {
      for (int i = 0; i < chain.size(); i++) {
        Object value = get(field, chain.get(i));
        if (value != null) {
          set(field, merged, value);
          origins.put(field.getName(), chainPaths.get(i));
          break;
        }
      }
    }
    return new Resolved<>(path, merged, Map.copyOf(origins));
  }

  private static List<Field> fields(Class<?> type) {
    List<Field> fields = new ArrayList<>();
    for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
      for (Field field : c.getDeclaredFields()) {
        if (!Modifier.isStatic(field.getModifiers()) && !field.getName().equals("baseConfig")) {
          field.setAccessible(true);
          fields.add(field);
        }
      }
    }
    return fields;
  }

  private static Object get(Field field, Object target) {
    try {
      return field.get(target);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void set(Field field, Object target, Object value) {
    try {
      field.set(target, value);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Turns a Java name into its property name: {@code failureRateThreshold} into {@code failure-rate-threshold}. */
  static String kebab(String camel) {
    StringBuilder s = new StringBuilder(camel.length() + 8);
    for (int i = 0; i < camel.length(); i++) {
      char c = camel.charAt(i);
      if (Character.isUpperCase(c)) {
        s.append('-').append(Character.toLowerCase(c));
      } else {
        s.append(c);
      }
    }
    return s.toString();
  }
}
