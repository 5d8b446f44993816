package dev.fusebox.benchmarks;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.openjdk.jol.util.ObjectUtils;
import org.openjdk.jol.vm.VM;
import org.openjdk.jol.vm.VirtualMachine;

/**
 * Sums the heap taken by the objects reachable from some roots, leaving out what the roots share with the
 * rest of the program.
 *
 * <p>A walk over every reference field, like JOL's {@code GraphLayout}, with two differences that make a
 * per-breaker figure fair. It stops at objects known to be shared: the graph of the configuration every
 * breaker was created from (and of the breakers' names, which are the caller's), and every {@link Class},
 * {@link ClassLoader}, {@link Module}, {@link Thread} and enum constant, which would otherwise drag in the
 * class loader and everything it holds. And it counts each object once however many roots reach it, so an
 * object shared by all N breakers (a clock, an empty map, a scheduler factory) adds its size once to the
 * total, that is 1/N of its size per breaker. Object sizes come from JOL, with the JVM's real layout
 * (compressed references and headers included).
 */
final class RetainedSize {

  /** A total of bytes and objects, and the same by class, largest first. */
  record Total(long bytes, long objects, Map<String, long[]> byClass) {}

  private static final ClassValue<Field[]> REFERENCE_FIELDS =
      new ClassValue<>() {
        @Override
        protected Field[] computeValue(Class<?> type) {
          List<Field> fields = new ArrayList<>();
          for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
              if (!Modifier.isStatic(f.getModifiers()) && !f.getType().isPrimitive()) {
                try {
                  f.setAccessible(true);
                } catch (RuntimeException notOpen) {
                  // ObjectUtils.value falls back to reading the field by its offset.
                }
                fields.add(f);
              }
            }
          }
          return fields.toArray(new Field[0]);
        }
      };

  private final VirtualMachine vm = VM.current();
  private final Set<Object> shared = Collections.newSetFromMap(new IdentityHashMap<>());

  /** Marks everything reachable from {@code sharedRoots} as shared: never counted, never walked through. */
  RetainedSize(Object... sharedRoots) {
    walk(shared, sharedRoots);
  }

  /** Returns the bytes and objects reachable from {@code roots}, shared objects left out. */
  Total of(Object... roots) {
    Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    return walk(seen, roots);
  }

  private Total walk(Set<Object> seen, Object[] roots) {
    ArrayDeque<Object> pending = new ArrayDeque<>();
    long bytes = 0;
    long objects = 0;
    Map<String, long[]> byClass = new HashMap<>();
    for (Object root : roots) {
      if (visit(root, seen)) {
        pending.push(root);
      }
    }
    while (!pending.isEmpty()) {
      Object o = pending.pop();
      long size = vm.sizeOf(o);
      bytes += size;
      objects++;
      Class<?> type = o.getClass();
      long[] perClass = byClass.computeIfAbsent(type.getName(), name -> new long[2]);
      perClass[0] += size;
      perClass[1]++;
      if (type.isArray()) {
        if (!type.getComponentType().isPrimitive()) {
          for (Object element : (Object[]) o) {
            if (visit(element, seen)) {
              pending.push(element);
            }
          }
        }
        continue;
      }
      for (Field f : REFERENCE_FIELDS.get(type)) {
        Object referenced = ObjectUtils.value(o, f);
        if (visit(referenced, seen)) {
          pending.push(referenced);
        }
      }
    }
    Map<String, long[]> sorted = new LinkedHashMap<>();
    byClass.entrySet().stream()
        .sorted((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0]))
        .forEach(e -> sorted.put(e.getKey(), e.getValue()));
    return new Total(bytes, objects, sorted);
  }

  private boolean visit(Object o, Set<Object> seen) {
    return o != null && !isSingletonKind(o) && !shared.contains(o) && seen.add(o);
  }

  private static boolean isSingletonKind(Object o) {
    return o instanceof Class
        || o instanceof ClassLoader
        || o instanceof Module
        || o instanceof Thread
        || o instanceof Enum;
  }
}
