package dev.fusebox.spring.annotation;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.core.BridgeMethodResolver;
import org.springframework.core.MethodClassKey;
import org.springframework.util.ReflectionUtils;

/** The plans of every annotated method, by method and target class; built at start-up, read on every call. */
final class Plans {

  /** Marks a method looked at that carries no annotation. */
  private static final MethodPlan NONE = null;

  private final Map<MethodClassKey, java.util.Optional<MethodPlan>> plans = new ConcurrentHashMap<>();
  private final BeanFactory beans;

  Plans(BeanFactory beans) {
    this.beans = beans;
  }

  /**
   * Builds the plan of every annotated method of the class, so that every problem shows at start-up.
   *
   * @throws IllegalStateException saying what is wrong with a method
   */
  void prepare(Class<?> targetClass) {
    for (Method method : ReflectionUtils.getUniqueDeclaredMethods(targetClass, ReflectionUtils.USER_DECLARED_METHODS)) {
      if (!method.isBridge() && MethodPlan.annotated(method, targetClass)) {
        find(method, targetClass);
      }
    }
  }

  /** Returns the plan of the method as called on the target class, or {@code null} if it has none. */
  MethodPlan find(Method method, Class<?> targetClass) {
    MethodClassKey key = new MethodClassKey(method, targetClass);
    java.util.Optional<MethodPlan> plan = plans.get(key);
    if (plan == null) {
      Method specific = BridgeMethodResolver.findBridgedMethod(AopUtils.getMostSpecificMethod(method, targetClass));
      plan = java.util.Optional.ofNullable(MethodPlan.of(specific, targetClass, beans));
      plans.putIfAbsent(key, plan);
    }
    return plan.orElse(NONE);
  }
}
