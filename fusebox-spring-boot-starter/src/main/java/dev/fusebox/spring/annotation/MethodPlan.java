package dev.fusebox.spring.annotation;

import dev.fusebox.bulkhead.AdaptiveBulkheadRegistry;
import dev.fusebox.bulkhead.BulkheadRegistry;
import dev.fusebox.chaos.ChaosRegistry;
import dev.fusebox.circuitbreaker.CircuitBreakerRegistry;
import dev.fusebox.ratelimiter.RateLimiterRegistry;
import dev.fusebox.retry.RetryRegistry;
import dev.fusebox.timelimiter.TimeLimiterRegistry;
import dev.fusebox.pipeline.Pipeline;
import dev.fusebox.throttle.AdaptiveThrottleRegistry;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ClassUtils;

/**
 * What to do around one annotated method: its policy instances, resolved once from the registries and
 * stacked in a {@link Pipeline}, its fallback, and whether it is asynchronous. Built at start-up; a method that cannot be served (a missing or
 * mismatched fallback, an unusable return type) fails the application's start.
 */
final class MethodPlan {

  private static final boolean REACTIVE_STREAMS =
      ClassUtils.isPresent("org.reactivestreams.Publisher", MethodPlan.class.getClassLoader());
  private static final boolean RXJAVA =
      ClassUtils.isPresent("io.reactivex.rxjava3.core.Flowable", MethodPlan.class.getClassLoader());

  final Method method;
  final boolean async;
  final boolean completableFuture;
  /** Whether the call is attempted more than once, so that each attempt needs its own invocation. */
  final boolean retried;
  /** The policies of the annotations, stacked in the pipeline's order; the fallback stays with the plan. */
  final Pipeline<Object> pipeline;
  final FallbackMethod fallback;
  /** The operators of a method returning a Mono or a Flux, a {@code ReactorPlan}; null for any other method. */
  final Object reactor;
  /** The operators of a method returning one of RxJava 3's types, an {@code RxJavaPlan}; null for any other method. */
  final Object rxjava;
  /** The operators of a (not suspending) function returning a Kotlin Flow, a {@code FlowPlan}; null for any other. */
  final Object flow;

  private MethodPlan(Method method, boolean retried, Pipeline<Object> pipeline, FallbackMethod fallback, Object reactor,
      Object rxjava, Object flow) {
    this.method = method;
    this.async = CompletionStage.class.isAssignableFrom(method.getReturnType());
    this.completableFuture = method.getReturnType() == CompletableFuture.class;
    this.retried = retried;
    this.pipeline = pipeline;
    this.fallback = fallback;
    this.reactor = reactor;
    this.rxjava = rxjava;
    this.flow = flow;
  }

  /** Returns whether the method or its class carries one of the annotations. */
  static boolean annotated(Method method, Class<?> targetClass) {
    for (Class<? extends Annotation> type : TYPES) {
      if (find(method, targetClass, type) != null) {
        return true;
      }
    }
    return false;
  }

  private static final List<Class<? extends Annotation>> TYPES =
      List.of(CircuitBreaker.class, Retry.class, RateLimiter.class, TimeLimiter.class, Bulkhead.class, Chaos.class,
          AdaptiveThrottle.class);

  /**
   * Builds the plan of a method, or returns {@code null} if it carries no annotation.
   *
   * @throws IllegalStateException saying what is wrong with the method
   */
  static MethodPlan of(Method method, Class<?> targetClass, BeanFactory beans) {
    CircuitBreaker cb = find(method, targetClass, CircuitBreaker.class);
    Retry retry = find(method, targetClass, Retry.class);
    RateLimiter rl = find(method, targetClass, RateLimiter.class);
    TimeLimiter tl = find(method, targetClass, TimeLimiter.class);
    Bulkhead bh = find(method, targetClass, Bulkhead.class);
    Chaos chaos = find(method, targetClass, Chaos.class);
    AdaptiveThrottle at = find(method, targetClass, AdaptiveThrottle.class);
    if (cb == null && retry == null && rl == null && tl == null && bh == null && chaos == null && at == null) {
      return null;
    }
    String where = targetClass.getName() + "." + method.getName();
    Class<?> returnType = method.getReturnType();
    if (CompletionStage.class.isAssignableFrom(returnType)
        && returnType != CompletionStage.class && returnType != CompletableFuture.class) {
      throw new IllegalStateException(where + " returns " + returnType.getName()
          + ": an asynchronous method must declare CompletionStage or CompletableFuture");
    }
    ClassLoader loader = method.getDeclaringClass().getClassLoader();
    // Spring's proxy calls a suspend function as a Mono (a Flux if it returns a Flow) and awaits what the
    // interceptor returns, so the Reactor operators guard it; that takes libraries a Kotlin application
    // need not have, named here rather than failing on the first call.
    boolean suspending = isSuspending(method);
    if (suspending) {
      requireAll(where + " is a Kotlin suspend function, which Spring calls as a Mono for the annotations to guard",
          loader, SUSPEND_NEEDS);
    }
    // A Flow is guarded when collected, by fusebox-kotlin's operators, which keep its contract exactly.
    boolean flow = !suspending && returnType.getName().equals("kotlinx.coroutines.flow.Flow");
    if (flow) {
      requireAll(where + " returns a Kotlin Flow, which the annotations guard when collected", loader, FLOW_NEEDS);
    }
    // ReactorPlan links against Reactive Streams, absent from servlet applications: not loaded there.
    boolean reactor = suspending || (REACTIVE_STREAMS && ReactorPlan.handles(returnType));
    // RxJavaPlan links against RxJava, which only some applications bring: not loaded without it.
    boolean rxjava = !suspending && RXJAVA && RxJavaPlan.handles(returnType);
    String reactive = (reactor && !suspending) || rxjava || flow ? null : reactiveType(method);
    if (reactive != null) {
      throw new IllegalStateException(where + " " + reactive + ", which the annotations do not support: they"
          + " would see the call end when it is assembled, not when it completes, and count nothing it does;"
          + " declare Mono or Flux (or, with RxJava 3, Flowable, Observable, Single, Maybe or Completable; in Kotlin, Flow"
          + " or a suspend function), return a CompletionStage, or call the policies' operators inside");
    }
    if (reactor && !suspending && !ClassUtils.isPresent("dev.fusebox.reactor.CircuitBreakerOperator", loader)) {
      throw new IllegalStateException(where + " returns " + returnType.getName()
          + ": add the dependency dev.fusebox:fusebox-reactor, whose operators apply the annotations per subscription");
    }
    if (rxjava && !ClassUtils.isPresent("dev.fusebox.rxjava3.CircuitBreakerOperator", loader)) {
      throw new IllegalStateException(where + " returns " + returnType.getName()
          + ": add the dependency dev.fusebox:fusebox-rxjava3, whose operators apply the annotations per subscription");
    }
    Set<String> fallbacks = new LinkedHashSet<>();
    List<String> names = new ArrayList<>();
    if (cb != null) {
      check(cb.name(), "@CircuitBreaker", where, names);
      fallbacks.add(cb.fallbackMethod());
    }
    if (retry != null) {
      check(retry.name(), "@Retry", where, names);
      fallbacks.add(retry.fallbackMethod());
    }
    if (rl != null) {
      check(rl.name(), "@RateLimiter", where, names);
      fallbacks.add(rl.fallbackMethod());
    }
    if (tl != null) {
      check(tl.name(), "@TimeLimiter", where, names);
      fallbacks.add(tl.fallbackMethod());
    }
    if (chaos != null) {
      check(chaos.name(), "@Chaos", where, names);
    }
    if (bh != null) {
      check(bh.name(), "@Bulkhead", where, names);
      fallbacks.add(bh.fallbackMethod());
    }
    if (at != null) {
      check(at.name(), "@AdaptiveThrottle", where, names);
      fallbacks.add(at.fallbackMethod());
    }
    fallbacks.remove("");
    if (fallbacks.size() > 1) {
      throw new IllegalStateException(where + " names several fallback methods " + fallbacks
          + ": the fallback is the outermost layer, there is one per method; name it on one annotation");
    }
    FallbackMethod fallback =
        fallbacks.isEmpty() ? null : FallbackMethod.resolve(targetClass, method, fallbacks.iterator().next());
    dev.fusebox.retry.Retry retryPolicy = retry == null ? null : beans.getBean(RetryRegistry.class).retry(retry.name());
    dev.fusebox.circuitbreaker.CircuitBreaker breaker =
        cb == null ? null : beans.getBean(CircuitBreakerRegistry.class).circuitBreaker(cb.name());
    dev.fusebox.ratelimiter.RateLimiter limiter =
        rl == null ? null : beans.getBean(RateLimiterRegistry.class).rateLimiter(rl.name());
    dev.fusebox.timelimiter.TimeLimiter timeLimiter =
        tl == null ? null : beans.getBean(TimeLimiterRegistry.class).timeLimiter(tl.name());
    dev.fusebox.bulkhead.Bulkhead bulkhead = bh == null || bh.type() == Bulkhead.Type.ADAPTIVE ? null
        : beans.getBean(BulkheadRegistry.class).bulkhead(bh.name());
    dev.fusebox.bulkhead.AdaptiveBulkhead adaptive = bh == null || bh.type() != Bulkhead.Type.ADAPTIVE ? null
        : beans.getBean(AdaptiveBulkheadRegistry.class).bulkhead(bh.name());
    Pipeline.Builder<Object> pipeline = Pipeline.builder(targetClass.getSimpleName() + "." + method.getName());
    if (retryPolicy != null) {
      pipeline.retry(retryPolicy).order(retry.order());
    }
    if (breaker != null) {
      pipeline.circuitBreaker(breaker);
    }
    if (limiter != null) {
      pipeline.rateLimiter(limiter);
    }
    if (timeLimiter != null) {
      pipeline.timeLimiter(timeLimiter);
    }
    if (bulkhead != null) {
      pipeline.bulkhead(bulkhead);
    }
    if (adaptive != null) {
      pipeline.adaptiveBulkhead(adaptive);
    }
    dev.fusebox.chaos.Chaos chaosPolicy = chaos == null ? null : beans.getBean(ChaosRegistry.class).chaos(chaos.name());
    if (chaosPolicy != null) {
      pipeline.chaos(chaosPolicy);
    }
    dev.fusebox.throttle.AdaptiveThrottle throttle =
        at == null ? null : beans.getBean(AdaptiveThrottleRegistry.class).adaptiveThrottle(at.name());
    if (throttle != null) {
      pipeline.adaptiveThrottle(throttle);
    }
    Policies policies =
        new Policies(retryPolicy, breaker, limiter, timeLimiter, bulkhead, adaptive, throttle, chaosPolicy);
    Object reactorPlan = reactor ? new ReactorPlan(method, suspending, policies) : null;
    Object rxjavaPlan = rxjava ? new RxJavaPlan(policies) : null;
    Object flowPlan = flow ? new FlowPlan(policies) : null;
    return new MethodPlan(method, retry != null, pipeline.build(), fallback, reactorPlan, rxjavaPlan, flowPlan);
  }

  /** A class of each library a suspend function needs, and the dependency that brings it. */
  private static final String[][] SUSPEND_NEEDS = {
      {"reactor.core.publisher.Mono", "io.projectreactor:reactor-core"},
      {"kotlinx.coroutines.reactor.MonoKt", "org.jetbrains.kotlinx:kotlinx-coroutines-reactor"},
      {"kotlin.reflect.full.KClasses", "org.jetbrains.kotlin:kotlin-reflect"},
      {"dev.fusebox.reactor.CircuitBreakerOperator", "dev.fusebox:fusebox-reactor"}};

  private static final String[][] FLOW_NEEDS = {
      {"dev.fusebox.kotlin.circuitbreaker.CircuitBreakerKt", "dev.fusebox:fusebox-kotlin"}};

  private static void requireAll(String what, ClassLoader loader, String[][] needs) {
    List<String> missing = new ArrayList<>();
    for (String[] need : needs) {
      if (!ClassUtils.isPresent(need[0], loader)) {
        missing.add(need[1]);
      }
    }
    if (!missing.isEmpty()) {
      throw new IllegalStateException(what + ": add the " + (missing.size() == 1 ? "dependency " : "dependencies ")
          + String.join(", ", missing));
    }
  }

  /**
   * The type a suspend function returns to its caller: the compiled method returns Object, and the type is
   * only in its last parameter, a {@code Continuation<? super T>}.
   */
  static java.lang.reflect.Type suspendReturnType(Method method) {
    java.lang.reflect.Type[] parameters = method.getGenericParameterTypes();
    if (parameters.length > 0 && parameters[parameters.length - 1] instanceof java.lang.reflect.ParameterizedType continuation
        && continuation.getActualTypeArguments()[0] instanceof java.lang.reflect.WildcardType wildcard
        && wildcard.getLowerBounds().length == 1) {
      return wildcard.getLowerBounds()[0];
    }
    return Object.class;
  }

  /** Whether the method is a Kotlin suspend function, told by name so that no Kotlin is needed to ask. */
  static boolean isSuspending(Method method) {
    Class<?>[] parameters = method.getParameterTypes();
    return parameters.length > 0
        && parameters[parameters.length - 1].getName().equals("kotlin.coroutines.Continuation");
  }

  /**
   * Describes the method's reactive return type, or returns null. Found by type name,
   * so that no reactive library is needed on the class path to tell.
   */
  private static String reactiveType(Method method) {
    if (isSuspending(method)) {
      // Spring would await a Publisher or a Flow subtype returned by a suspend function in ways of its own;
      // only a plain Flow, which it hands over as a Flux, is guarded.
      Class<?> returned = org.springframework.core.ResolvableType.forType(suspendReturnType(method)).toClass();
      return isReactive(returned) && !returned.getName().equals("kotlinx.coroutines.flow.Flow")
          ? "is a suspend function returning " + returned.getName() : null;
    }
    Class<?> type = method.getReturnType();
    return isReactive(type) ? "returns " + type.getName() : null;
  }

  private static boolean isReactive(Class<?> type) {
    if (type == null || type == Object.class) {
      return false;
    }
    String name = type.getName();
    if (name.equals("org.reactivestreams.Publisher") || name.equals("java.util.concurrent.Flow$Publisher")
        || name.equals("kotlinx.coroutines.flow.Flow") || name.startsWith("io.reactivex.")) {
      return true;
    }
    for (Class<?> i : type.getInterfaces()) {
      if (isReactive(i)) {
        return true;
      }
    }
    return isReactive(type.getSuperclass());
  }

  private static void check(String name, String annotation, String where, List<String> names) {
    if (name.isBlank()) {
      throw new IllegalStateException(annotation + " on " + where + " needs a name");
    }
    names.add(name);
  }

  private static <A extends Annotation> A find(Method method, Class<?> targetClass, Class<A> type) {
    A onMethod = AnnotatedElementUtils.findMergedAnnotation(method, type);
    if (onMethod != null) {
      return onMethod;
    }
    if (!java.lang.reflect.Modifier.isPublic(method.getModifiers())
        || java.lang.reflect.Modifier.isStatic(method.getModifiers())
        || method.getDeclaringClass() == Object.class) {
      return null;
    }
    return AnnotatedElementUtils.findMergedAnnotation(targetClass, type);
  }

  @Override
  public String toString() {
    return "MethodPlan[" + method + "]";
  }
}
