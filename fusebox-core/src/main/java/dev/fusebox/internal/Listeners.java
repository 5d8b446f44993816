package dev.fusebox.internal;

import dev.fusebox.Subscription;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Collection;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.ToIntFunction;

/**
 * A copy-on-write set of listeners that never lets one of them break the publisher, optionally filtered by
 * event type.
 *
 * <p>Design note. Publishing happens on call paths, subscribing almost never, so the listeners live in an
 * immutable {@link Registrations} object swapped by CAS: {@link #wants(int)}, {@link #isEmpty()} and
 * {@link #publish} read one volatile field and allocate nothing, and a publish iterates a snapshot that
 * later subscriptions cannot disturb. Each registration carries a bit mask of the event types it wants;
 * the union of the masks lets a publisher skip building an event nobody wants, so a listener that only
 * cares about state transitions does not make every successful call allocate one. A listener that throws
 * is reported through {@link System.Logger}, at most once per {@link FailureLog} period per publisher, so
 * that a listener failing on every call cannot flood the log; the exception never reaches the caller.
 * {@link VirtualMachineError}s are rethrown: the JVM is in trouble and hiding that helps nobody.
 *
 * <p>This class is threadsafe.
 *
 * @param <E> the type of the published values
 */
public final class Listeners<E> {

  /** The mask of a listener that wants every type. */
  public static final long ALL = -1L;

  private static final VarHandle REGISTRATIONS;
  private static final VarHandle FAILURE_LOG;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      REGISTRATIONS = lookup.findVarHandle(Listeners.class, "registrations", Registrations.class);
      FAILURE_LOG = lookup.findVarHandle(Listeners.class, "failureLog", FailureLog.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** One immutable generation of the listener set: the entries and the union of their masks. */
  private static final class Registrations {
    static final Registrations NONE = new Registrations(new Consumer<?>[0], new long[0]);

    final Consumer<?>[] listeners;
    final long[] masks;
    final long union;

    Registrations(Consumer<?>[] listeners, long[] masks) {
      this.listeners = listeners;
      this.masks = masks;
      long u = 0;
      for (long m : masks) {
        u |= m;
      }
      this.union = u;
    }
  }

  private final String kind;
  private final String name;
  private final ToIntFunction<? super E> typeOf;
  private volatile Registrations registrations = Registrations.NONE;
  /** Created on the first failure: most listener sets never see one, and there can be millions of sets. */
  private volatile FailureLog failureLog;

  /**
   * Creates a listener set whose published values have no type; every listener receives everything.
   *
   * @param kind what publishes, for log messages: {@code "circuit breaker"}
   * @param name the publisher's name
   */
  public Listeners(String kind, String name) {
    this(kind, name, value -> 0);
  }

  /**
   * Creates a listener set whose listeners can choose event types.
   *
   * @param kind what publishes, for log messages: {@code "circuit breaker"}
   * @param name the publisher's name
   * @param typeOf returns an event's type as a number in [0, 64), typically its enum ordinal
   */
  public Listeners(String kind, String name, ToIntFunction<? super E> typeOf) {
    this.kind = Objects.requireNonNull(kind, "kind");
    this.name = Objects.requireNonNull(name, "name");
    this.typeOf = Objects.requireNonNull(typeOf, "typeOf");
  }

  /**
   * Returns the mask of the given enum constants, for {@link #subscribe(long, Consumer)}.
   *
   * @param types the wanted types
   * @return the mask of the given enum constants, for {@link #subscribe(long, Consumer)}
   */
  public static long maskOf(Collection<? extends Enum<?>> types) {
    Objects.requireNonNull(types, "types must not be null");
    long mask = 0;
    for (Enum<?> type : types) {
      mask |= 1L << Objects.requireNonNull(type, "types must not contain null").ordinal();
    }
    return mask;
  }

  /**
   * Returns whether some listener wants events of this type; one volatile read.
   *
   * @param type the type's number, as {@code typeOf} gives it
   * @return whether some listener wants events of this type; one volatile read
   */
  public boolean wants(int type) {
    return (registrations.union >>> type & 1L) != 0;
  }

  /**
   * Returns the union of the masks of all listeners: which types anyone wants.
   *
   * @return the union of the masks of all listeners: which types anyone wants
   */
  public long wanted() {
    return registrations.union;
  }

  /**
   * Returns whether nobody listens.
   *
   * @return whether nobody listens
   */
  public boolean isEmpty() {
    return registrations.listeners.length == 0;
  }

  /**
   * Returns the number of listeners.
   *
   * @return the number of listeners
   */
  public int size() {
    return registrations.listeners.length;
  }

  /**
   * Adds a listener for every type; see {@link #subscribe(long, Consumer)}.
   *
   * @param listener receives the values
   * @return a subscription whose {@code close()} removes this listener
   */
  public Subscription subscribe(Consumer<? super E> listener) {
    return subscribe(ALL, listener);
  }

  /**
   * Adds a listener for the types in {@code mask}; the same consumer added twice is called twice and needs
   * two closes.
   *
   * @param mask the wanted types, one bit per type number
   * @param listener receives the values
   * @return a subscription whose {@code close()} removes exactly this registration
   */
  public Subscription subscribe(long mask, Consumer<? super E> listener) {
    Objects.requireNonNull(listener, "listener must not be null");
    // Wrap so that two registrations of the same consumer are distinct entries, each removed by its own close.
    Consumer<E> entry = listener::accept;
    for (;;) {
      Registrations current = registrations;
      int n = current.listeners.length;
      Consumer<?>[] listeners = new Consumer<?>[n + 1];
      long[] masks = new long[n + 1];
      System.arraycopy(current.listeners, 0, listeners, 0, n);
      System.arraycopy(current.masks, 0, masks, 0, n);
      listeners[n] = entry;
      masks[n] = mask;
      if (REGISTRATIONS.compareAndSet(this, current, new Registrations(listeners, masks))) {
        return () -> remove(entry);
      }
    }
  }

  private void remove(Consumer<?> entry) {
    for (;;) {
      Registrations current = registrations;
      int index = -1;
      for (int i = 0; i < current.listeners.length; i++) {
        if (current.listeners[i] == entry) {
          index = i;
          break;
        }
      }
      if (index < 0) {
        return;
      }
      int n = current.listeners.length - 1;
      Registrations next = Registrations.NONE;
      if (n > 0) {
        Consumer<?>[] listeners = new Consumer<?>[n];
        long[] masks = new long[n];
        System.arraycopy(current.listeners, 0, listeners, 0, index);
        System.arraycopy(current.listeners, index + 1, listeners, index, n - index);
        System.arraycopy(current.masks, 0, masks, 0, index);
        System.arraycopy(current.masks, index + 1, masks, index, n - index);
        next = new Registrations(listeners, masks);
      }
      if (REGISTRATIONS.compareAndSet(this, current, next)) {
        return;
      }
    }
  }

  /** Removes every listener. */
  public void clear() {
    registrations = Registrations.NONE;
  }

  /**
   * Calls every listener that wants the value's type; a throwing listener is logged and skipped.
   *
   * @param value the value, published only if some listener wants its type
   */
  @SuppressWarnings("unchecked")
  public void publish(E value) {
    Registrations snapshot = registrations;
    long bit = 1L << typeOf.applyAsInt(value);
    for (int i = 0; i < snapshot.listeners.length; i++) {
      if ((snapshot.masks[i] & bit) == 0) {
        continue;
      }
      try {
        ((Consumer<E>) snapshot.listeners[i]).accept(value);
      } catch (VirtualMachineError e) {
        throw e;
      } catch (Throwable e) {
        failureLog().report(kind + " '" + name + "'", value, e);
      }
    }
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
}
