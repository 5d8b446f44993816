package dev.fusebox.spring.annotation;

import dev.fusebox.spring.FuseboxConfigurationException;
import java.lang.reflect.Method;
import java.util.List;
import org.springframework.aop.ClassFilter;
import org.springframework.aop.framework.autoproxy.AbstractBeanFactoryAwareAdvisingPostProcessor;
import org.springframework.aop.support.AopUtils;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.StaticMethodMatcherPointcut;
import org.springframework.beans.factory.BeanFactory;

/**
 * Applies {@link CircuitBreaker @CircuitBreaker}, {@link Retry @Retry}, {@link RateLimiter @RateLimiter},
 * {@link TimeLimiter @TimeLimiter} and {@link Bulkhead @Bulkhead} to the beans that carry them, through a Spring AOP proxy that only those beans get.
 *
 * <h2>Why a post-processor and not an aspect</h2>
 * Everything about an annotated method is settled when its bean is created: its policy instances are
 * taken from the registries, its fallback method is looked up, and anything wrong (a fallback that does not
 * exist or does not match, an unusable return type) stops the application's start with a message naming
 * the method. The call then does no lookup at all: one map read finds the method's plan. This needs only
 * Spring AOP, which every Spring application has; no AspectJ weaver is required. The advice is placed
 * before the bean's other advisors, so that a {@code @Transactional} method is retried with a new
 * transaction for each attempt.
 *
 * <h2>Fallback methods</h2>
 * A fallback is a method of the bean's class or a superclass, of any visibility, static or not, with the
 * annotated method's parameters and one more, of a {@link Throwable} type. It may be overloaded on that
 * type: on failure, the overload whose type is the nearest supertype of the failure's class runs, and a
 * failure no overload accepts reaches the caller. Its return type must fit the method's; a method
 * returning a {@code CompletionStage<T>} may have a fallback returning either a stage or a plain {@code T}.
 * A method carrying several annotations has one fallback, the outermost layer, named on any of them.
 * The fallback of a Kotlin {@code suspend} function is a {@code suspend} function with the same
 * parameters and the exception, returning the same type.
 *
 * <p>This class is threadsafe once the application has started.
 */
public final class FuseboxAnnotationBeanPostProcessor extends AbstractBeanFactoryAwareAdvisingPostProcessor {

  private static final long serialVersionUID = 1L;

  private transient Plans plans;

  /** Creates the post-processor; the starter's auto-configuration does. */
  public FuseboxAnnotationBeanPostProcessor() {
    setBeforeExistingAdvisors(true);
  }

  @Override
  public void setBeanFactory(BeanFactory beanFactory) {
    super.setBeanFactory(beanFactory);
    this.plans = new Plans(beanFactory);
    this.advisor = new DefaultPointcutAdvisor(new AnnotatedMethods(), new PolicyInterceptor(plans));
  }

  @Override
  public Object postProcessAfterInitialization(Object bean, String beanName) {
    if (isEligible(bean, beanName)) {
      Class<?> targetClass = AopUtils.getTargetClass(bean);
      try {
        plans.prepare(targetClass);
      } catch (IllegalStateException e) {
        throw new FuseboxConfigurationException(List.of("bean '" + beanName + "': " + e.getMessage()));
      }
    }
    return super.postProcessAfterInitialization(bean, beanName);
  }

  /** Matches the methods that carry an annotation, or are public methods of a class that does. */
  private static final class AnnotatedMethods extends StaticMethodMatcherPointcut {

    AnnotatedMethods() {
      setClassFilter(ClassFilter.TRUE);
    }

    @Override
    public boolean matches(Method method, Class<?> targetClass) {
      Method specific = AopUtils.getMostSpecificMethod(method, targetClass);
      return MethodPlan.annotated(specific, targetClass);
    }
  }
}
