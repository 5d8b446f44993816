package dev.fusebox.internal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;

/**
 * Finds virtual threads at run time: the one check every module shares. Fusebox is compiled for Java 17,
 * which has none, so it cannot name {@code Thread.ofVirtual()}; on Java 21 and later it looks the methods
 * up through public method handles, which needs no {@code --add-opens}. On Java 19 and 20, where virtual
 * threads are a preview that throws unless enabled, and on 17, there are none: {@link #available()} is
 * false, {@link #factory} and {@link #perTaskExecutor()} return null.
 */
public final class VirtualThreads {

  private static final MethodHandle OF_VIRTUAL;
  private static final MethodHandle NAME;
  private static final MethodHandle FACTORY;
  private static final MethodHandle PER_TASK;

  static {
    MethodHandle ofVirtual = null;
    MethodHandle name = null;
    MethodHandle factory = null;
    MethodHandle perTask = null;
    try {
      Class<?> builder = Class.forName("java.lang.Thread$Builder");
      Class<?> virtualBuilder = Class.forName("java.lang.Thread$Builder$OfVirtual");
      MethodHandles.Lookup lookup = MethodHandles.publicLookup();
      ofVirtual = lookup.findStatic(Thread.class, "ofVirtual", MethodType.methodType(virtualBuilder));
      name = lookup.findVirtual(builder, "name", MethodType.methodType(builder, String.class, long.class));
      factory = lookup.findVirtual(builder, "factory", MethodType.methodType(ThreadFactory.class));
      perTask = lookup.findStatic(
          Executors.class, "newVirtualThreadPerTaskExecutor", MethodType.methodType(ExecutorService.class));
      // A preview API that is not enabled throws here (Java 19 and 20): no virtual threads then.
      factory.invoke(ofVirtual.invoke());
    } catch (Throwable e) {
      ofVirtual = null;
      name = null;
      factory = null;
      perTask = null;
    }
    OF_VIRTUAL = ofVirtual;
    NAME = name;
    FACTORY = factory;
    PER_TASK = perTask;
  }

  private VirtualThreads() {}

  /**
   * Returns whether this JVM can make virtual threads.
   *
   * @return true on Java 21 and later
   */
  public static boolean available() {
    return OF_VIRTUAL != null;
  }

  /**
   * Returns a factory of virtual threads named {@code prefix0}, {@code prefix1}, ..., or null when this JVM
   * cannot make virtual threads.
   *
   * @param prefix the start of every thread's name
   * @return the factory, or null
   */
  public static ThreadFactory factory(String prefix) {
    if (OF_VIRTUAL == null) {
      return null;
    }
    try {
      return (ThreadFactory) FACTORY.invoke(NAME.invoke(OF_VIRTUAL.invoke(), prefix, 0L));
    } catch (Throwable e) {
      return null;
    }
  }

  /**
   * Returns an executor that runs each task on a virtual thread of its own, or null when this JVM cannot
   * make virtual threads.
   *
   * @return a new executor, or null
   */
  public static ExecutorService perTaskExecutor() {
    if (PER_TASK == null) {
      return null;
    }
    try {
      return (ExecutorService) PER_TASK.invoke();
    } catch (Throwable e) {
      return null;
    }
  }
}
