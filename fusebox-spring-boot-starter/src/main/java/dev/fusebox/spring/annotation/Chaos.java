package dev.fusebox.spring.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs the method through the chaos policy of this name, taken from the {@code ChaosRegistry} bean and so
 * configured under {@code fusebox.chaos.instances.<name>} (or {@code fusebox.chaos.configs.default}): with
 * the configured rates it delays the call, or fails it with an {@code InjectedFaultException} without
 * running it. Nothing is injected until a rate is set, in the properties (say, in a staging profile) or at
 * run time from the dashboard's controls or the policy's {@code update}. The chaos policy sits innermost,
 * next to the call, so the breaker, retry, time limiter and fallback around it act on what it injects as
 * on real failures.
 *
 * <p>On a class, applies to each of its public methods, unless a method carries its own. The method may
 * return a plain value or a {@code CompletionStage} (or {@code CompletableFuture}), whose injected delay
 * then blocks no thread; or a {@code Mono}, a {@code Flux} or an RxJava 3 type, injected into per
 * subscription, or be a Kotlin suspend function (per call) or return a {@code Flow} (per collection),
 * again without blocking a thread during injected latency.
 *
 * <pre>{@code
 * @CircuitBreaker(name = "inventory", fallbackMethod = "cachedStock")
 * @Chaos(name = "inventory")
 * public Stock stock(String sku) { ... }
 * }</pre>
 */
@Target({ElementType.METHOD, ElementType.TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface Chaos {

  /**
   * The name of the chaos policy instance.
   *
   * @return the name, as under {@code fusebox.chaos.instances}
   */
  String name();
}
