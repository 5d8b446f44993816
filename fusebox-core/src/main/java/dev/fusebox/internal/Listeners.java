package dev.fusebox.internal;

import dev.fusebox.Subscription;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A copy-on-write set of listeners that never lets one of them break the publisher.
 *
 * <p>Design note. Publishing happens on call paths, subscribing almost never, so the listeners live in an
 * immutable array swapped by CAS: {@link #isEmpty()} and {@link #publish} are one volatile read and no
 * allocation, and a publish iterates a snapshot that later subscriptions cannot disturb. A listener that
 * throws is reported through {@link System.Logger}, at most once per {@link FailureLog} period per
 * publisher so that a listener failing on every call cannot flood the log; the exception never reaches the
 * caller. {@link VirtualMachineError}s are rethrown: the JVM is in trouble and hiding that helps nobody.
 *
 * <p>This class is threadsafe.
 *
 * @param <E> the type of the published values
 */
public final class Listeners<E> {

  private static final Consumer<?>[] NONE = new Consumer<?>[0];
  private static final VarHandle ARRAY;
  private static final VarHandle FAILURE_LOG;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      ARRAY = lookup.findVarHandle(Listeners.class, "array", Consumer[].class);
      FAILURE_LOG = lookup.findVarHandle(Listeners.class, "failureLog", FailureLog.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final String kind;
  private final String name;
  private volatile Consumer<?>[] array = NONE;
  /** Created on the first failure: most listener sets never see one, and there can be millions of sets. */
  private volatile FailureLog failureLog;

  /**
   * @param kind what publishes, for log messages: {@code "circuit breaker"}
   * @param name the publisher's name
   */
  public Listeners(String kind, String name) {
    this.kind = Objects.requireNonNull(kind, "kind");
    this.name = Objects.requireNonNull(name, "name");
  }

  /** Returns whether nobody listens; one volatile read, so publishers can skip building the value. */
  public boolean isEmpty() {
    return array.length == 0;
  }

  /** Returns the number of listeners. */
  public int size() {
    return array.length;
  }

  /**
   * Adds a listener; the same consumer added twice is called twice and needs two closes.
   *
   * @return a subscription whose {@code close()} removes exactly this registration
   */
  public Subscription subscribe(Consumer<? super E> listener) {
    Objects.requireNonNull(listener, "listener must not be null");
    // Wrap so that two registrations of the same consumer are distinct entries, each removed by its own close.
    Consumer<E> entry = listener::accept;
    for (;;) {
      Consumer<?>[] current = array;
      Consumer<?>[] next = Arrays.copyOf(current, current.length + 1);
      next[current.length] = entry;
      if (ARRAY.compareAndSet(this, current, next)) {
        break;
      }
    }
    return () -> remove(entry);
  }

  private void remove(Consumer<?> entry) {
    for (;;) {
      Consumer<?>[] current = array;
      int index = -1;
      for (int i = 0; i < current.length; i++) {
        if (current[i] == entry) {
          index = i;
          break;
        }
      }
      if (index < 0) {
        return;
      }
      Consumer<?>[] next;
      if (current.length == 1) {
        next = NONE;
      } else {
        next = new Consumer<?>[current.length - 1];
        System.arraycopy(current, 0, next, 0, index);
        System.arraycopy(current, index + 1, next, index, current.length - index - 1);
      }
      if (ARRAY.compareAndSet(this, current, next)) {
        return;
      }
    }
  }

  /** Removes every listener. */
  public void clear() {
    array = NONE;
  }

  private FailureLog failureLog() {
    FailureLog log = failureLog;
    if (log == null) {
      FailureLog created = new FailureLog();
      log = (FailureLog) FAILURE_LOG.compareAndExchange(this, null, created);
      if (log == null) {
        log = created;
      }
    }
    return log;
  }

  /** Calls every listener with the value; a throwing listener is logged and skipped. */
  @SuppressWarnings("unchecked")
  public void publish(E value) {
    Consumer<?>[] snapshot = array;
    for (Consumer<?> listener : snapshot) {
      try {
        ((Consumer<E>) listener).accept(value);
      } catch (VirtualMachineError e) {
        throw e;
      } catch (Throwable e) {
        failureLog().report(kind + " '" + name + "'", value, e);
      }
    }
  }
}
