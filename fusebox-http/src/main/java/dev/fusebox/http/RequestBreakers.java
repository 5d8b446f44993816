package dev.fusebox.http;

import dev.fusebox.circuitbreaker.CircuitBreaker;
import dev.fusebox.circuitbreaker.CircuitBreakerConfig;
import dev.fusebox.circuitbreaker.CircuitBreakerRegistry;
import java.net.http.HttpRequest;

/**
 * Finds the breakers of a request in the registry, creating them on first use: the service breaker
 * {@code http:<service key>} and the instance breaker {@code http:<service key>@<instance key>} (or
 * {@code http:<instance key>} when there is no service breaker), outermost first.
 */
final class RequestBreakers {

  static final String PREFIX = "http:";
  private static final CircuitBreaker[] NONE = new CircuitBreaker[0];

  private final CircuitBreakerRegistry registry;
  private final HttpBreakerKey serviceKey;
  private final HttpBreakerKey instanceKey;
  private final CircuitBreakerConfig serviceConfig;
  private final CircuitBreakerConfig instanceConfig;

  RequestBreakers(
      CircuitBreakerRegistry registry,
      HttpBreakerKey serviceKey,
      HttpBreakerKey instanceKey,
      CircuitBreakerConfig serviceConfig,
      CircuitBreakerConfig instanceConfig) {
    this.registry = registry;
    this.serviceKey = serviceKey;
    this.instanceKey = instanceKey;
    this.serviceConfig = serviceConfig;
    this.instanceConfig = instanceConfig;
  }

  CircuitBreaker[] breakersFor(HttpRequest request) {
    String service = keyOf(serviceKey, request);
    String instance = instanceKey == null ? null : keyOf(instanceKey, request);
    if (service == null && instance == null) {
      return NONE;
    }
    if (instance == null) {
      return new CircuitBreaker[] {breaker(PREFIX + service, serviceConfig)};
    }
    String instanceName = service == null ? PREFIX + instance : PREFIX + service + '@' + instance;
    CircuitBreaker perInstance = breaker(instanceName, instanceConfig);
    return service == null
        ? new CircuitBreaker[] {perInstance}
        : new CircuitBreaker[] {breaker(PREFIX + service, serviceConfig), perInstance};
  }

  private static String keyOf(HttpBreakerKey key, HttpRequest request) {
    String value = key.keyOf(request);
    return value == null || value.isBlank() ? null : value;
  }

  private CircuitBreaker breaker(String name, CircuitBreakerConfig config) {
    return config == null ? registry.circuitBreaker(name) : registry.circuitBreaker(name, config);
  }
}
