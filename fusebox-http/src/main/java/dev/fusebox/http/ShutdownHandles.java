package dev.fusebox.http;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.http.HttpClient;
import java.time.Duration;

/**
 * Calls the lifecycle methods that {@link HttpClient} has from Java 21 on ({@code shutdown},
 * {@code shutdownNow}, {@code awaitTermination}, {@code isTerminated}) on a wrapped client, through method
 * handles found at run time, so that this module's bytecode stays Java 17's. On Java 17 the handles are
 * null and each call does what {@code HttpClient}'s own defaults of Java 21 do.
 */
final class ShutdownHandles {

  private static final MethodHandle SHUTDOWN = find("shutdown", MethodType.methodType(void.class));
  private static final MethodHandle SHUTDOWN_NOW = find("shutdownNow", MethodType.methodType(void.class));
  private static final MethodHandle AWAIT_TERMINATION =
      find("awaitTermination", MethodType.methodType(boolean.class, Duration.class));
  private static final MethodHandle IS_TERMINATED = find("isTerminated", MethodType.methodType(boolean.class));

  private ShutdownHandles() {}

  /** Whether this JDK's {@code HttpClient} has a lifecycle (Java 21 and later). */
  static boolean supported() {
    return SHUTDOWN != null;
  }

  private static MethodHandle find(String name, MethodType type) {
    try {
      return MethodHandles.publicLookup().findVirtual(HttpClient.class, name, type);
    } catch (NoSuchMethodException | IllegalAccessException e) {
      return null;
    }
  }

  static void shutdown(HttpClient client) {
    run(SHUTDOWN, client);
  }

  static void shutdownNow(HttpClient client) {
    run(SHUTDOWN_NOW, client);
  }

  static boolean awaitTermination(HttpClient client, Duration duration) throws InterruptedException {
    if (AWAIT_TERMINATION == null) {
      return true;
    }
    try {
      return (boolean) AWAIT_TERMINATION.invokeExact(client, duration);
    } catch (InterruptedException | RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new IllegalStateException(e);
    }
  }

  static boolean isTerminated(HttpClient client) {
    if (IS_TERMINATED == null) {
      return false;
    }
    try {
      return (boolean) IS_TERMINATED.invokeExact(client);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new IllegalStateException(e);
    }
  }

  private static void run(MethodHandle handle, HttpClient client) {
    if (handle == null) {
      return;
    }
    try {
      handle.invokeExact(client);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new IllegalStateException(e);
    }
  }
}
