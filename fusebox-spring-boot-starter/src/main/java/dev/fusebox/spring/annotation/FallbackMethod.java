package dev.fusebox.spring.annotation;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.springframework.core.ResolvableType;
import org.springframework.util.ReflectionUtils;

/**
 * The fallback of one annotated method: every method of the bean's class (or a superclass) with the
 * fallback's name, the annotated method's parameters and one more, a {@link Throwable} type. When the call
 * fails, the overload whose exception type is the nearest supertype of the failure's class is invoked; a
 * failure no overload accepts reaches the caller unchanged.
 *
 * <p>The fallback of a Kotlin suspend function is a suspend function too: the exception comes after the
 * function's own parameters, before the continuation that ends both signatures, and it returns the same
 * type.
 *
 * <p>Resolved once at start-up, where every mismatch is an error; the choice per failure class is cached,
 * so a fallback costs one map read and one reflective call.
 */
final class FallbackMethod {

  private static final Method NONE = ReflectionUtils.findMethod(FallbackMethod.class, "none");

  private final List<Method> overloads;
  private final boolean valueForStage;
  /** Where the exception is among a fallback's parameters: last, or before a suspend function's continuation. */
  private final int fromEnd;
  private final Map<Class<?>, Method> chosen = new ConcurrentHashMap<>();

  private FallbackMethod(List<Method> overloads, boolean valueForStage, boolean suspending) {
    this.overloads = overloads;
    this.valueForStage = valueForStage;
    this.fromEnd = suspending ? 2 : 1;
  }

  /**
   * Finds the overloads of {@code name} that fit {@code method}.
   *
   * @throws IllegalStateException naming the method, the fallback and what was expected, if none fits
   */
  static FallbackMethod resolve(Class<?> targetClass, Method method, String name) {
    List<Method> named = new ArrayList<>();
    List<String> seen = new ArrayList<>();
    for (Class<?> c = targetClass; c != null && c != Object.class; c = c.getSuperclass()) {
      for (Method m : c.getDeclaredMethods()) {
        String signature = Arrays.toString(m.getParameterTypes());
        // A subclass's method hides the superclass's of the same parameters.
        if (m.getName().equals(name) && !m.isSynthetic() && !seen.contains(signature)) {
          named.add(m);
          seen.add(signature);
        }
      }
    }
    String where = method.getDeclaringClass().getName() + "." + method.getName()
        + Arrays.stream(method.getParameterTypes()).map(Class::getSimpleName).collect(Collectors.joining(", ", "(", ")"));
    if (named.isEmpty()) {
      throw new IllegalStateException("fallbackMethod '" + name + "' of " + where + " does not exist in "
          + targetClass.getName() + " or its superclasses; expected " + expected(method, name));
    }
    boolean async = CompletionStage.class.isAssignableFrom(method.getReturnType());
    boolean suspending = MethodPlan.isSuspending(method);
    List<Method> fitting = new ArrayList<>();
    boolean valueForStage = false;
    for (Method m : named) {
      Fit fit = suspending ? suspendFit(method, m) : fit(targetClass, method, m, async);
      if (fit != Fit.NO) {
        fitting.add(m);
        valueForStage |= fit == Fit.VALUE_FOR_STAGE;
      }
    }
    if (fitting.isEmpty()) {
      throw new IllegalStateException("fallbackMethod '" + name + "' of " + where + " does not match: expected "
          + expected(method, name) + ", found "
          + named.stream().map(FallbackMethod::describe).collect(Collectors.joining(" and ")));
    }
    boolean mixed = valueForStage && fitting.stream().anyMatch(m -> CompletionStage.class.isAssignableFrom(m.getReturnType()));
    if (mixed) {
      throw new IllegalStateException("fallbackMethod '" + name + "' of " + where
          + " has overloads returning a CompletionStage and others returning a plain value: choose one kind");
    }
    fitting.forEach(ReflectionUtils::makeAccessible);
    return new FallbackMethod(List.copyOf(fitting), valueForStage, suspending);
  }

  private enum Fit { NO, SAME, VALUE_FOR_STAGE }

  private static Fit fit(Class<?> targetClass, Method method, Method candidate, boolean async) {
    Class<?>[] expected = method.getParameterTypes();
    Class<?>[] actual = candidate.getParameterTypes();
    if (actual.length != expected.length + 1 || !Throwable.class.isAssignableFrom(actual[expected.length])) {
      return Fit.NO;
    }
    for (int i = 0; i < expected.length; i++) {
      if (!actual[i].equals(expected[i])) {
        return Fit.NO;
      }
    }
    if (method.getReturnType() == void.class) {
      return candidate.getReturnType() == void.class ? Fit.SAME : Fit.NO;
    }
    ResolvableType returned = ResolvableType.forMethodReturnType(method, targetClass);
    ResolvableType fallback = ResolvableType.forMethodReturnType(candidate, targetClass);
    if (returned.isAssignableFrom(fallback)) {
      return Fit.SAME;
    }
    if (async && !CompletionStage.class.isAssignableFrom(candidate.getReturnType())
        && returned.as(CompletionStage.class).getGeneric(0).isAssignableFrom(fallback)) {
      return Fit.VALUE_FOR_STAGE;
    }
    return Fit.NO;
  }

  /** The parameters before the continuation, the exception, the continuation; a return type that fits. */
  private static Fit suspendFit(Method method, Method candidate) {
    Class<?>[] expected = method.getParameterTypes();
    Class<?>[] actual = candidate.getParameterTypes();
    int own = expected.length - 1;
    if (!MethodPlan.isSuspending(candidate) || actual.length != expected.length + 1
        || !Throwable.class.isAssignableFrom(actual[own])) {
      return Fit.NO;
    }
    for (int i = 0; i < own; i++) {
      if (!actual[i].equals(expected[i])) {
        return Fit.NO;
      }
    }
    ResolvableType returned = ResolvableType.forType(MethodPlan.suspendReturnType(method));
    ResolvableType fallback = ResolvableType.forType(MethodPlan.suspendReturnType(candidate));
    return returned.isAssignableFrom(fallback) ? Fit.SAME : Fit.NO;
  }

  private static String expected(Method method, String name) {
    if (MethodPlan.isSuspending(method)) {
      Class<?>[] types = method.getParameterTypes();
      String params = Arrays.stream(types, 0, types.length - 1).map(Class::getSimpleName).collect(Collectors.joining(", "));
      return "suspend " + name + "(" + params + (params.isEmpty() ? "" : ", ") + "Throwable or a subtype) returning "
          + MethodPlan.suspendReturnType(method).getTypeName();
    }
    String params = Arrays.stream(method.getParameterTypes()).map(Class::getSimpleName).collect(Collectors.joining(", "));
    return method.getGenericReturnType().getTypeName() + " " + name + "(" + params + (params.isEmpty() ? "" : ", ")
        + "Throwable or a subtype)";
  }

  private static String describe(Method m) {
    if (MethodPlan.isSuspending(m)) {
      Class<?>[] types = m.getParameterTypes();
      return "suspend " + m.getName() + Arrays.stream(types, 0, types.length - 1).map(Class::getSimpleName)
          .collect(Collectors.joining(", ", "(", ")")) + " returning " + MethodPlan.suspendReturnType(m).getTypeName();
    }
    return m.getGenericReturnType().getTypeName() + " " + m.getName()
        + Arrays.stream(m.getParameterTypes()).map(Class::getSimpleName).collect(Collectors.joining(", ", "(", ")"));
  }

  /** Returns whether the fallback returns a plain value for a method returning a {@code CompletionStage}. */
  boolean valueForStage() {
    return valueForStage;
  }

  /** Returns the overload for this failure: the one whose exception type is nearest; empty if none accepts it. */
  Optional<Method> overloadFor(Throwable failure) {
    Method m = chosen.computeIfAbsent(failure.getClass(), this::nearest);
    return m == NONE ? Optional.empty() : Optional.of(m);
  }

  private Method nearest(Class<?> failure) {
    Method best = NONE;
    int bestDistance = Integer.MAX_VALUE;
    for (Method m : overloads) {
      Class<?> accepted = m.getParameterTypes()[m.getParameterCount() - fromEnd];
      if (accepted.isAssignableFrom(failure)) {
        int distance = distance(failure, accepted);
        if (distance < bestDistance) {
          best = m;
          bestDistance = distance;
        }
      }
    }
    return best;
  }

  /** Steps up the class hierarchy from {@code from} to {@code to}; interfaces count as farther than any class. */
  private static int distance(Class<?> from, Class<?> to) {
    int d = 0;
    for (Class<?> c = from; c != null; c = c.getSuperclass(), d++) {
      if (c == to) {
        return d;
      }
    }
    return 1000;
  }

  /**
   * Invokes the overload with the call's arguments and the failure.
   *
   * @throws Throwable the fallback's own exception, with the failure attached as suppressed
   */
  Object invoke(Method overload, Object target, Object[] args, Throwable failure) throws Throwable {
    Object[] withFailure = Arrays.copyOf(args, args.length + 1);
    withFailure[args.length] = failure;
    try {
      return overload.invoke(Modifier.isStatic(overload.getModifiers()) ? null : target, withFailure);
    } catch (InvocationTargetException e) {
      Throwable own = e.getCause();
      if (own != failure) {
        own.addSuppressed(failure);
      }
      throw own;
    }
  }

  @SuppressWarnings("unused") // the marker of "no overload accepts this class"
  private static void none() {}
}
