package dev.fusebox.spring.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs the method through the circuit breaker of this name, taken from the {@code CircuitBreakerRegistry} bean and so configured under
 * {@code fusebox.circuitbreaker.instances.<name>} (or {@code fusebox.circuitbreaker.configs.default}). Calls are rejected while the breaker is open (a {@code CallNotPermittedException}); failures are recorded and open it.
 *
 * <p>On a class, applies to each of its public methods, unless a method carries its own. The method may
 * return a plain value or a {@code CompletionStage} (or {@code CompletableFuture}), which is then handled
 * without blocking. With other annotations of this package, the layers are applied in the pipeline's order:
 * fallback, retry, circuit breaker, rate limiter, time limiter, bulkhead, chaos, call.
 *
 * <pre>{@code
 * @CircuitBreaker(name = "inventory", fallbackMethod = "cachedStock")
 * public Stock stock(String sku) { ... }
 *
 * private Stock cachedStock(String sku, Exception e) { ... }
 * }</pre>
 *
 * <p>See {@link FuseboxAnnotationBeanPostProcessor} for how fallback methods are found.
 */
@Target({ElementType.METHOD, ElementType.TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface CircuitBreaker {

  /**
   * The name of the circuit breaker instance.
   *
   * @return the name, as under {@code fusebox.circuitbreaker.instances}
   */
  String name();

  /**
   * The name of a method of the same class taking the same parameters plus a {@link Throwable} (or a
   * subtype), called with the failure instead of letting it reach the caller. Empty: no fallback.
    *
    * @return the fallback method's name, or empty for none
   */
  String fallbackMethod() default "";
}
