package dev.fusebox.spring.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs the method through the bulkhead of this name, taken from the {@code BulkheadRegistry} bean and so
 * configured under {@code fusebox.bulkhead.instances.<name>} (or {@code fusebox.bulkhead.configs.default}).
 * At most {@code max-concurrent-calls} calls run at once; one more waits up to {@code max-wait-duration},
 * then fails with a {@code BulkheadFullException}. A {@code CompletionStage} method holds its permit until
 * its stage completes, and is rejected at once rather than wait.
 *
 * <p>On a class, applies to each of its public methods, unless a method carries its own. The method may
 * return a plain value or a {@code CompletionStage} (or {@code CompletableFuture}), which is then handled
 * without blocking. With other annotations of this package, the layers are applied in the pipeline's order:
 * fallback, retry, circuit breaker, rate limiter, time limiter, bulkhead, chaos, call.
 *
 * <pre>{@code
 * @Bulkhead(name = "inventory", fallbackMethod = "cachedStock")
 * public Stock stock(String sku) { ... }
 *
 * private Stock cachedStock(String sku, Exception e) { ... }
 * }</pre>
 *
 * <p>With {@code type = Type.ADAPTIVE} the bulkhead is an adaptive one, which learns the limit from the
 * dependency's latency: taken from the {@code AdaptiveBulkheadRegistry} bean, configured under
 * {@code fusebox.adaptive-bulkhead.instances.<name>}; it rejects at once when full.
 * <pre>{@code
 * @Bulkhead(name = "search", type = Bulkhead.Type.ADAPTIVE)
 * public List<Hit> search(String query) { ... }
 * }</pre>
 *
 * <p>See {@link FuseboxAnnotationBeanPostProcessor} for how fallback methods are found.
 */
@Target({ElementType.METHOD, ElementType.TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface Bulkhead {

  /**
   * The name of the bulkhead instance.
   *
   * @return the name, as under {@code fusebox.bulkhead.instances} (or {@code
   *     fusebox.adaptive-bulkhead.instances})
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
   * Which bulkhead guards the method; the semaphore one by default.
   *
   * @return the kind of bulkhead
   */
  Type type() default Type.SEMAPHORE;

  /** The kinds of bulkhead. */
  enum Type {
    /**
     * A fixed limit of concurrent calls, {@code max-concurrent-calls}, with an optional wait: a
     * {@code dev.fusebox.bulkhead.Bulkhead} under {@code fusebox.bulkhead}.
     */
    SEMAPHORE,
    /**
     * A limit learnt from the dependency's latency: a {@code dev.fusebox.bulkhead.AdaptiveBulkhead} under
     * {@code fusebox.adaptive-bulkhead}.
     */
    ADAPTIVE
  }
}
