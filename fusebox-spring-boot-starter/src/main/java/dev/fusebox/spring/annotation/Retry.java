package dev.fusebox.spring.annotation;

import dev.fusebox.pipeline.Pipeline;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs the method through the retry of this name, taken from the {@code RetryRegistry} bean and so configured under
 * {@code fusebox.retry.instances.<name>} (or {@code fusebox.retry.configs.default}). A failed call is run again as the retry's configuration says; the last failure reaches the caller (or the fallback).
 *
 * <p>On a class, applies to each of its public methods, unless a method carries its own. The method may
 * return a plain value or a {@code CompletionStage} (or {@code CompletableFuture}), which is then handled
 * without blocking. With other annotations of this package, the layers are applied in the pipeline's order:
 * fallback, retry, circuit breaker, rate limiter, time limiter, bulkhead, chaos, call.
 *
 * <pre>{@code
 * @Retry(name = "inventory", fallbackMethod = "cachedStock")
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
public @interface Retry {

  /**
   * The name of the retry instance.
   *
   * @return the name, as under {@code fusebox.retry.instances}
   */
  String name();

  /**
   * The name of a method of the same class taking the same parameters plus a {@link Throwable} (or a
   * subtype), called with the failure instead of letting it reach the caller. Empty: no fallback.
    *
    * @return the fallback method's name, or empty for none
   */
  String fallbackMethod() default "";

  /**
   * Where this retry sits relative to a {@link CircuitBreaker @CircuitBreaker} on the same method:
   * {@link Pipeline.Order#STANDARD} (the default) puts it outside, so that the breaker sees every attempt;
   * {@link Pipeline.Order#RETRY_INSIDE_CIRCUIT_BREAKER} puts it inside, so that the breaker records one
   * outcome per call, after the retries, and failures a retry absorbs never count against the dependency.
    *
    * @return where the retry sits relative to the breaker
   */
  Pipeline.Order order() default Pipeline.Order.STANDARD;
}
