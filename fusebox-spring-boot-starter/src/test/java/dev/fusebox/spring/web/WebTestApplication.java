package dev.fusebox.spring.web;

import dev.fusebox.PolicyKind;
import dev.fusebox.PolicyRegistry;
import dev.fusebox.spring.annotation.CircuitBreaker;
import java.util.concurrent.atomic.LongAdder;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * The application the HTTP tests start on a real port: actuator, Prometheus, the dashboard, an annotated
 * bean and a registry of a policy of the application's own.
 */
@SpringBootApplication
public class WebTestApplication {

  /** A bean whose calls go through the {@code inventory} breaker. */
  public static class Inventory {
    /** Fails when asked to, through the breaker. */
    @CircuitBreaker(name = "inventory")
    public String stock(boolean fail) {
      if (fail) {
        throw new IllegalStateException("upstream down");
      }
      return "42";
    }
  }

  @Bean
  Inventory inventory() {
    return new Inventory();
  }

  /** A policy of the application's own: it counts the calls it is told of. */
  public static final class Counter {
    private final String name;
    private final LongAdder calls = new LongAdder();

    Counter(String name) {
      this.name = name;
    }

    /** Counts one call. */
    public void call() {
      calls.increment();
    }

    /** Returns the calls counted. */
    public long calls() {
      return calls.sum();
    }
  }

  /** The counters by name: a {@link PolicyRegistry} bean, which the starter's endpoint finds as it finds its own. */
  public static final class CounterRegistry extends PolicyRegistry<Counter, Integer, Object> {
    static final PolicyKind<Counter> KIND = PolicyKind.<Counter>builder("counter", "counters", c -> c.name)
        .counter("fusebox.counter.calls", null, "Calls counted", Counter::calls)
        .build();

    CounterRegistry() {
      // The configuration is unused: a counter has nothing to configure.
      super(KIND, 0, (name, config) -> new Counter(name), (counter, events) -> () -> { });
    }

    /** Returns the counter of that name, created on first use. */
    public Counter counter(String name) {
      return getOrCreate(name, defaultConfig());
    }
  }

  @Bean
  CounterRegistry counterRegistry() {
    CounterRegistry registry = new CounterRegistry();
    registry.counter("audit");
    return registry;
  }
}
