package dev.fusebox.spring;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.boot.context.properties.bind.UnboundConfigurationPropertiesException;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.Ordered;

/**
 * Explains the keys under {@code fusebox.*} that bind to nothing, which is how a Resilience4j YAML moved by
 * renaming its prefix shows the few options Fusebox names or does differently: each such key gets its
 * replacement ("{@code event-consumer-buffer-size}: set fusebox.circuitbreaker.event-history-capacity"),
 * any other one is called a misspelling. Runs before Spring Boot's own analyzer of unbound properties.
 */
public final class Resilience4jKeysFailureAnalyzer
    extends AbstractFailureAnalyzer<UnboundConfigurationPropertiesException> implements Ordered {

  private static final Map<String, String> ADVICE = new LinkedHashMap<>();

  static {
    ADVICE.put("event-consumer-buffer-size",
        "one history serves every breaker: set fusebox.circuitbreaker.event-history-capacity (default 100)");
    ADVICE.put("writable-stack-trace-enabled", "remove it: Fusebox's rejections never carry a stack trace");
    ADVICE.put("sliding-window-synchronization-strategy", "remove it: Fusebox's windows are always lock-free");
    ADVICE.put("enable-exponential-backoff",
        "remove it, and set open-state-backoff.multiplier and open-state-backoff.max (a breaker) or"
            + " exponential-backoff.multiplier and exponential-backoff.max-wait-duration (a retry)");
    ADVICE.put("exponential-backoff-multiplier",
        "use open-state-backoff.multiplier (a breaker) or exponential-backoff.multiplier (a retry)");
    ADVICE.put("exponential-max-wait-duration-in-open-state", "use open-state-backoff.max");
    ADVICE.put("exponential-max-wait-duration", "use exponential-backoff.max-wait-duration");
    ADVICE.put("enable-randomized-wait",
        "remove it, and set open-state-jitter (a breaker) or jitter: FULL or EQUAL (a retry)");
    ADVICE.put("randomized-wait-factor", "use open-state-jitter (a breaker) or jitter (a retry)");
    ADVICE.put("max-retry-attempts", "use max-attempts");
    for (String predicate : new String[] {"record-failure-predicate", "ignore-exception-predicate",
        "record-result-predicate", "result-predicate", "retry-exception-predicate", "retry-on-result-predicate"}) {
      ADVICE.put(predicate, "predicates are code: declare a CircuitBreakerCustomizer or RetryCustomizer bean that"
          + " sets it on the builder");
    }
  }

  /** Creates the analyzer; Spring Boot finds it through {@code META-INF/spring.factories}. */
  public Resilience4jKeysFailureAnalyzer() {}

  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, UnboundConfigurationPropertiesException cause) {
    Set<String> names = new TreeSet<>();
    for (ConfigurationProperty property : cause.getUnboundProperties()) {
      names.add(property.getName().toString());
    }
    if (names.isEmpty() || !names.stream().allMatch(n -> n.startsWith("fusebox."))) {
      return null;
    }
    StringBuilder description = new StringBuilder("These Fusebox properties bind to no option:\n");
    for (String name : names) {
      String key = name.substring(name.lastIndexOf('.') + 1);
      description.append("\n    - ").append(name).append(": ")
          .append(advice(key));
    }
    return new FailureAnalysis(description.toString(),
        "Rename or remove these properties. docs/spring-boot.md maps every Resilience4j option to Fusebox's.", cause);
  }

  /** The advice for a key written in kebab case or, as the binder reports camel case, run together. */
  private static String advice(String key) {
    String plain = key.replace("-", "");
    for (Map.Entry<String, String> entry : ADVICE.entrySet()) {
      if (entry.getKey().replace("-", "").equals(plain)) {
        return entry.getValue();
      }
    }
    return "no such option; check its spelling";
  }

  @Override
  public int getOrder() {
    return Ordered.HIGHEST_PRECEDENCE;
  }
}
