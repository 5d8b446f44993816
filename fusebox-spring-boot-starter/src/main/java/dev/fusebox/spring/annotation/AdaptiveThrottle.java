package dev.fusebox.spring.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs the method through the adaptive throttle of this name, taken from the {@code AdaptiveThrottleRegistry}
 * bean and so configured under {@code fusebox.adaptive-throttle.instances.<name>} (or
 * {@code fusebox.adaptive-throttle.configs.default}). While the dependency accepts fewer calls than
 * {@code k} times those asked of it, the throttle sheds some calls locally, with a
 * {@code CallThrottledException}, before they reach it; see {@code dev.fusebox.throttle.AdaptiveThrottle}.
 *
 * <p>On a class, applies to each of its public methods, unless a method carries its own. The method may
 * return a plain value, a {@code CompletionStage} (or {@code CompletableFuture}), a {@code Mono}, a
 * {@code Flux} or an RxJava 3 type, decided per subscription, or be a Kotlin suspend function (per call) or
 * return a {@code Flow} (per collection). With other annotations of this package it sits, as
 * in the pipeline, right inside the circuit breaker: fallback, retry, circuit breaker, adaptive throttle,
 * rate limiter, time limiter, bulkhead, chaos, call.
 *
 * <pre>{@code
 * @CircuitBreaker(name = "search")
 * @AdaptiveThrottle(name = "search", fallbackMethod = "cachedResults")
 * public Results search(String terms) { ... }
 *
 * private Results cachedResults(String terms, CallThrottledException e) { ... }
 * }</pre>
 */
@Target({ElementType.METHOD, ElementType.TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface AdaptiveThrottle {

  /**
   * The name of the adaptive throttle instance.
   *
   * @return the name, as under {@code fusebox.adaptive-throttle.instances}
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
