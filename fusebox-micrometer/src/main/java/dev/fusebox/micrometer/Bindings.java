package dev.fusebox.micrometer;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The meter registries a binder is bound to, each with the registry bindings that follow its policies
 * there; the bind, unbind and close rules every binder of this module shares.
 *
 * <p>This class is threadsafe.
 */
final class Bindings {

  private final String binder;
  private final Function<MeterRegistry, List<RegistryBinding<?>>> bind;
  private final ConcurrentHashMap<MeterRegistry, List<RegistryBinding<?>>> byMeterRegistry =
      new ConcurrentHashMap<>();
  private volatile boolean closed;

  /**
   * @param binder the binder's class name, for messages
   * @param bind starts following the binder's policy registries in one meter registry
   */
  Bindings(String binder, Function<MeterRegistry, List<RegistryBinding<?>>> bind) {
    this.binder = binder;
    this.bind = bind;
  }

  void bindTo(MeterRegistry meterRegistry) {
    Objects.requireNonNull(meterRegistry, "meterRegistry must not be null");
    if (closed) {
      throw new IllegalStateException(binder + " was closed; build a new one to bind again");
    }
    byMeterRegistry.computeIfAbsent(meterRegistry, bind);
    if (closed) {
      unbindFrom(meterRegistry); // close() ran meanwhile and may have missed this binding
    }
  }

  void unbindFrom(MeterRegistry meterRegistry) {
    Objects.requireNonNull(meterRegistry, "meterRegistry must not be null");
    List<RegistryBinding<?>> bound = byMeterRegistry.remove(meterRegistry);
    if (bound != null) {
      bound.forEach(RegistryBinding::close);
    }
  }

  void close() {
    closed = true;
    byMeterRegistry.keySet().forEach(this::unbindFrom);
  }

  /** Returns how many meter registries are bound. */
  int meterRegistries() {
    return byMeterRegistry.size();
  }

  /** Returns the number of policies with meters in that meter registry. */
  int policies(MeterRegistry meterRegistry) {
    List<RegistryBinding<?>> bound = byMeterRegistry.get(meterRegistry);
    return bound == null ? 0 : bound.stream().mapToInt(RegistryBinding::size).sum();
  }
}
