package dev.fusebox.spring.cloud;

import dev.fusebox.PolicyRegistry;
import dev.fusebox.bulkhead.Bulkhead;
import dev.fusebox.bulkhead.BulkheadConfig;
import dev.fusebox.bulkhead.BulkheadRegistry;
import dev.fusebox.circuitbreaker.CircuitBreaker;
import dev.fusebox.circuitbreaker.CircuitBreakerConfig;
import dev.fusebox.circuitbreaker.CircuitBreakerRegistry;
import dev.fusebox.timelimiter.TimeLimiter;
import dev.fusebox.timelimiter.TimeLimiterConfig;
import dev.fusebox.timelimiter.TimeLimiterRegistry;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Finds the policies of one Spring Cloud circuit breaker id, shared by the blocking and the reactive
 * factory. Precedence, highest first: an instance the registry already has (from properties, or an earlier
 * create), the configuration set for the id in code, the group's named configuration in the registry, the
 * default configuration. A time limiter and a bulkhead exist only when one of those names them: Spring
 * Cloud's contract asks for a breaker, and a time limit nobody asked for would cut calls short.
 */
final class Policies<G> {

  private final CircuitBreakerRegistry breakers;
  private final TimeLimiterRegistry limiters;
  private final BulkheadRegistry bulkheads;
  private final BiFunction<CircuitBreaker, Extras, G> wrap;
  // Spring Cloud callers typically create(id) on every call: after the first, that is one map lookup.
  private final Map<String, G> created = new ConcurrentHashMap<>();
  private volatile Function<String, FuseboxCircuitBreakerConfiguration> defaults;

  /** A breaker's optional companions; either may be null. */
  record Extras(TimeLimiter limiter, Bulkhead bulkhead) {}

  Policies(
      CircuitBreakerRegistry breakers,
      TimeLimiterRegistry limiters,
      BulkheadRegistry bulkheads,
      BiFunction<CircuitBreaker, Extras, G> wrap) {
    this.breakers = Objects.requireNonNull(breakers, "circuitBreakerRegistry must not be null");
    this.limiters = Objects.requireNonNull(limiters, "timeLimiterRegistry must not be null");
    this.bulkheads = Objects.requireNonNull(bulkheads, "bulkheadRegistry must not be null");
    this.wrap = wrap;
    this.defaults = id -> new FuseboxConfigBuilder(id).build();
  }

  void configureDefault(Function<String, FuseboxCircuitBreakerConfiguration> defaultConfiguration) {
    this.defaults = Objects.requireNonNull(defaultConfiguration, "defaultConfiguration must not be null");
    created.clear();
  }

  void configured() {
    created.clear();
  }

  G create(String id, String group, Map<String, FuseboxCircuitBreakerConfiguration> configurations) {
    Objects.requireNonNull(id, "id must not be null");
    String key = group == null ? id : id + '\u0000' + group;
    G existing = created.get(key);
    return existing != null ? existing : created.computeIfAbsent(key, k -> build(id, group, configurations));
  }

  private G build(String id, String group, Map<String, FuseboxCircuitBreakerConfiguration> configurations) {
    FuseboxCircuitBreakerConfiguration own = configurations.get(id);
    if (own == null) {
      own = defaults.apply(id);
      if (own == null) {
        own = new FuseboxConfigBuilder(id).build();
      }
    }
    CircuitBreaker breaker = breakers.find(id).orElse(null);
    if (breaker == null) {
      CircuitBreakerConfig config = own.circuitBreakerConfig()
          .or(() -> group(breakers, group))
          .orElseGet(breakers::defaultConfig);
      breaker = breakers.circuitBreaker(id, config);
    }
    TimeLimiter limiter = limiters.find(id).orElse(null);
    if (limiter == null) {
      Optional<TimeLimiterConfig> config = own.timeLimiterConfig().or(() -> group(limiters, group));
      limiter = config.map(c -> limiters.timeLimiter(id, c)).orElse(null);
    }
    Bulkhead bulkhead = bulkheads.find(id).orElse(null);
    if (bulkhead == null) {
      Optional<BulkheadConfig> config = own.bulkheadConfig().or(() -> group(bulkheads, group));
      bulkhead = config.map(c -> bulkheads.bulkhead(id, c)).orElse(null);
    }
    return wrap.apply(breaker, new Extras(limiter, bulkhead));
  }

  /** A group's configuration; the registry's "default" is no group's, or every breaker would get a limiter. */
  private static <C> Optional<C> group(PolicyRegistry<?, C, ?> registry, String group) {
    return group == null || PolicyRegistry.DEFAULT_CONFIG.equals(group) ? Optional.empty() : registry.configuration(group);
  }
}
