package dev.fusebox.spring.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs the method through the rate limiter of this name, taken from the {@code RateLimiterRegistry} bean
 * and so configured under {@code fusebox.ratelimiter.instances.<name>} (or {@code
 * fusebox.ratelimiter.configs.default}). A call over the limit waits up to {@code timeout-duration} for its
 * permit, then fails with a {@code RequestNotPermittedException} without running. The rate limiter sits inside the
 * circuit breaker, which records that rejection as a failure unless its {@code ignore-exceptions} lists
 * {@code dev.fusebox.ratelimiter.RequestNotPermittedException}.
 *
 * <p>On a class, applies to each of its public methods, unless a method carries its own. The method may
 * return a plain value or a {@code CompletionStage} (or {@code CompletableFuture}), which is then handled
 * without blocking. With other annotations of this package, the layers are applied in the pipeline's order:
 * fallback, retry, circuit breaker, rate limiter, time limiter, bulkhead, chaos, call.
 *
 * <pre>{@code
 * @RateLimiter(name = "inventory", fallbackMethod = "cachedStock")
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
public @interface RateLimiter {

  /**
   * The name of the rate limiter instance.
   *
   * @return the name, as under {@code fusebox.ratelimiter.instances}
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
