package dev.fusebox.timelimiter;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.ThreadFactory;

/**
 * Finds virtual threads at run time. Fusebox is compiled for Java 17, which has none, so it cannot name
 * {@code Thread.ofVirtual()}; on Java 21 and later it looks the builder methods up through public method
 * handles, which needs no {@code --add-opens}. On Java 19 and 20, where virtual threads are a preview that
 * throws unless enabled, and on 17, {@link #factory} returns null.
 */
final class VirtualThreads {

  private static final MethodHandle OF_VIRTUAL;
  private static final MethodHandle NAME;
  private static final MethodHandle FACTORY;

  static {
    MethodHandle ofVirtual = null;
    MethodHandle name = null;
    MethodHandle factory = null;
    try {
      Class<?> builder = Class.forName("java.lang.Thread$Builder");
      Class<?> virtualBuilder = Class.forName("java.lang.Thread$Builder$OfVirtual");
      MethodHandles.Lookup lookup = MethodHandles.publicLookup();
      ofVirtual = lookup.findStatic(Thread.class, "ofVirtual", MethodType.methodType(virtualBuilder));
      name = lookup.findVirtual(builder, "name", MethodType.methodType(builder, String.class, long.class));
      factory = lookup.findVirtual(builder, "factory", MethodType.methodType(ThreadFactory.class));
    } catch (ReflectiveOperationException | RuntimeException e) {
      // No virtual threads on this JVM.
    }
    OF_VIRTUAL = ofVirtual;
    NAME = name;
    FACTORY = factory;
  }

  private VirtualThreads() {}

  /**
   * Returns a factory of virtual threads named {@code prefix0}, {@code prefix1}, ..., or null when this JVM
   * cannot make virtual threads.
   */
  static ThreadFactory factory(String prefix) {
    if (OF_VIRTUAL == null) {
      return null;
    }
    try {
      Object builder = OF_VIRTUAL.invoke();
      builder = NAME.invoke(builder, prefix, 0L);
      return (ThreadFactory) FACTORY.invoke(builder);
    } catch (Throwable e) {
      // A preview API that is not enabled throws here (Java 19 and 20).
      return null;
    }
  }
}
