package dev.fusebox.spring.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs the method through the time limiter of this name, taken from the {@code TimeLimiterRegistry} bean and so configured under
 * {@code fusebox.timelimiter.instances.<name>} (or {@code fusebox.timelimiter.configs.default}). A call that takes longer than the timeout fails with a {@code TimeoutException}. A blocking method runs on another thread (a virtual thread on Java 21 and later), so thread-bound context such as a transaction does not follow it; a {@code CompletionStage} method is timed without any thread.
 *
 * <p>On a class, applies to each of its public methods, unless a method carries its own. The method may
 * return a plain value or a {@code CompletionStage} (or {@code CompletableFuture}), which is then handled
 * without blocking. With other annotations of this package, the layers are applied in the pipeline's order:
 * fallback, retry, circuit breaker, rate limiter, time limiter, bulkhead, chaos, call.
 *
 * <pre>{@code
 * @TimeLimiter(name = "inventory", fallbackMethod = "cachedStock")
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
public @interface TimeLimiter {

  /**
   * The name of the time limiter instance.
   *
   * @return the name, as under {@code fusebox.timelimiter.instances}
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
