package dev.fusebox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fusebox.bulkhead.AdaptiveBulkhead;
import dev.fusebox.bulkhead.AdaptiveBulkheadConfig;
import dev.fusebox.bulkhead.AdaptiveBulkheadRegistry;
import dev.fusebox.bulkhead.Bulkhead;
import dev.fusebox.bulkhead.BulkheadConfig;
import dev.fusebox.bulkhead.BulkheadRegistry;
import dev.fusebox.chaos.Chaos;
import dev.fusebox.chaos.ChaosConfig;
import dev.fusebox.chaos.ChaosRegistry;
import dev.fusebox.chaos.InjectedFaultException;
import dev.fusebox.circuitbreaker.CircuitBreaker;
import dev.fusebox.circuitbreaker.CircuitBreakerConfig;
import dev.fusebox.circuitbreaker.CircuitBreakerRegistry;
import dev.fusebox.fallback.Fallback;
import dev.fusebox.fallback.FallbackConfig;
import dev.fusebox.fallback.FallbackRegistry;
import dev.fusebox.ratelimiter.RateLimiter;
import dev.fusebox.ratelimiter.RateLimiterConfig;
import dev.fusebox.ratelimiter.RateLimiterRegistry;
import dev.fusebox.retry.Retry;
import dev.fusebox.retry.RetryConfig;
import dev.fusebox.retry.RetryRegistry;
import dev.fusebox.testing.ManualScheduler;
import dev.fusebox.testing.ManualSleeper;
import dev.fusebox.testing.ManualTicker;
import dev.fusebox.throttle.AdaptiveThrottle;
import dev.fusebox.throttle.AdaptiveThrottleConfig;
import dev.fusebox.throttle.AdaptiveThrottleRegistry;
import dev.fusebox.timelimiter.TimeLimiter;
import dev.fusebox.timelimiter.TimeLimiterConfig;
import dev.fusebox.timelimiter.TimeLimiterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;
import org.jetbrains.lincheck.Lincheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What every registry promises, checked once for all of them: one instance per name, named
 * configurations, lookups that do not create, removal that forgets, listeners in the order the registry
 * changed, and events forwarded only while somebody listens.
 */
class PolicyRegistryContractTest {

  /**
   * One kind of registry under test.
   *
   * @param kind shown in the test names
   * @param create a registry with the given default configuration
   * @param configs two distinct configurations; the first is the registry's default
   * @param byConfig the typed factory {@code x(name, config)}
   * @param byConfigName the typed factory {@code x(name, configName)}
   * @param fire makes an instance publish at least one event
   * @param nameOf the instance name an event carries
   */
  record Kind<P, C, E>(
      String kind,
      Function<C, PolicyRegistry<P, C, E>> create,
      List<C> configs,
      Function<P, C> configOf,
      TriFunction<PolicyRegistry<P, C, E>, String, C, P> byConfig,
      TriFunction<PolicyRegistry<P, C, E>, String, String, P> byConfigName,
      Consumer<P> fire,
      Function<E, String> nameOf) {
    @Override
    public String toString() {
      return kind;
    }

    PolicyRegistry<P, C, E> registry() {
      return create.apply(configs.get(0));
    }
  }

  interface TriFunction<A, B, C, R> {
    R apply(A a, B b, C c);
  }

  private static final ManualTicker TICKER = new ManualTicker();
  private static final ManualScheduler SCHEDULER = new ManualScheduler(TICKER);

  static Stream<Kind<?, ?, ?>> kinds() {
    return Stream.of(
        new Kind<CircuitBreaker, CircuitBreakerConfig, dev.fusebox.circuitbreaker.CircuitBreakerEvent>(
            "circuit breakers",
            c -> CircuitBreakerRegistry.of(c),
            List.of(CircuitBreakerConfig.ofDefaults(), CircuitBreakerConfig.builder().failureRateThreshold(20).build()),
            CircuitBreaker::config,
            (r, n, c) -> ((CircuitBreakerRegistry) r).circuitBreaker(n, c),
            (r, n, c) -> ((CircuitBreakerRegistry) r).circuitBreaker(n, c),
            b -> b.executeSupplier(() -> 1),
            e -> e.breakerName()),
        new Kind<Retry, RetryConfig, dev.fusebox.retry.RetryEvent>(
            "retries",
            c -> RetryRegistry.of(c),
            List.of(
                RetryConfig.builder().sleeper(new ManualSleeper(TICKER)).build(),
                RetryConfig.builder().maxAttempts(5).sleeper(new ManualSleeper(TICKER)).build()),
            Retry::config,
            (r, n, c) -> ((RetryRegistry) r).retry(n, c),
            (r, n, c) -> ((RetryRegistry) r).retry(n, c),
            PolicyRegistryContractTest::failOnce,
            e -> e.name()),
        new Kind<Bulkhead, BulkheadConfig, dev.fusebox.bulkhead.BulkheadEvent>(
            "bulkheads",
            c -> BulkheadRegistry.of(c),
            List.of(BulkheadConfig.ofDefaults(), BulkheadConfig.builder().maxConcurrentCalls(2).build()),
            Bulkhead::config,
            (r, n, c) -> ((BulkheadRegistry) r).bulkhead(n, c),
            (r, n, c) -> ((BulkheadRegistry) r).bulkhead(n, c),
            b -> b.executeRunnable(() -> {}),
            e -> e.name()),
        new Kind<AdaptiveBulkhead, AdaptiveBulkheadConfig, dev.fusebox.bulkhead.BulkheadEvent>(
            "adaptive bulkheads",
            c -> AdaptiveBulkheadRegistry.of(c),
            List.of(AdaptiveBulkheadConfig.ofDefaults(), AdaptiveBulkheadConfig.builder().initialLimit(3).build()),
            AdaptiveBulkhead::config,
            (r, n, c) -> ((AdaptiveBulkheadRegistry) r).bulkhead(n, c),
            (r, n, c) -> ((AdaptiveBulkheadRegistry) r).bulkhead(n, c),
            b -> b.executeRunnable(() -> {}),
            e -> e.name()),
        new Kind<RateLimiter, RateLimiterConfig, dev.fusebox.ratelimiter.RateLimiterEvent>(
            "rate limiters",
            c -> RateLimiterRegistry.of(c),
            List.of(
                RateLimiterConfig.builder().ticker(TICKER).build(),
                RateLimiterConfig.builder().limitForPeriod(7).ticker(TICKER).build()),
            RateLimiter::config,
            (r, n, c) -> ((RateLimiterRegistry) r).rateLimiter(n, c),
            (r, n, c) -> ((RateLimiterRegistry) r).rateLimiter(n, c),
            l -> l.executeRunnable(() -> {}),
            e -> e.name()),
        new Kind<TimeLimiter, TimeLimiterConfig, dev.fusebox.timelimiter.TimeLimiterEvent>(
            "time limiters",
            c -> TimeLimiterRegistry.of(c),
            List.of(
                TimeLimiterConfig.builder().scheduler(SCHEDULER).build(),
                TimeLimiterConfig.builder().timeoutDuration(Duration.ofSeconds(9)).scheduler(SCHEDULER).build()),
            TimeLimiter::config,
            (r, n, c) -> ((TimeLimiterRegistry) r).timeLimiter(n, c),
            (r, n, c) -> ((TimeLimiterRegistry) r).timeLimiter(n, c),
            l -> l.executeCompletionStage(() -> CompletableFuture.completedFuture(1)),
            e -> e.name()),
        new Kind<Chaos, ChaosConfig, dev.fusebox.chaos.ChaosEvent>(
            "chaos policies",
            c -> ChaosRegistry.of(c),
            List.of(ChaosConfig.builder().faultRate(1).build(), ChaosConfig.ofDefaults()),
            Chaos::config,
            (r, n, c) -> ((ChaosRegistry) r).chaos(n, c),
            (r, n, c) -> ((ChaosRegistry) r).chaos(n, c),
            PolicyRegistryContractTest::injectFault,
            e -> e.name()),
        new Kind<Fallback<?>, FallbackConfig<?>, dev.fusebox.fallback.FallbackEvent>(
            "fallbacks",
            c -> FallbackRegistry.of(c),
            List.of(FallbackConfig.<String>builder().fallbackValue("x").build(), FallbackConfig.ofDefaults()),
            Fallback::config,
            (r, n, c) -> ((FallbackRegistry) r).fallback(n, c),
            (r, n, c) -> ((FallbackRegistry) r).fallback(n, c),
            PolicyRegistryContractTest::useFallback,
            e -> e.name()),
        new Kind<AdaptiveThrottle, AdaptiveThrottleConfig, dev.fusebox.throttle.AdaptiveThrottleEvent>(
            "adaptive throttles",
            c -> AdaptiveThrottleRegistry.of(c),
            List.of(
                AdaptiveThrottleConfig.builder().ticker(TICKER).build(),
                AdaptiveThrottleConfig.builder().k(1.5).ticker(TICKER).build()),
            AdaptiveThrottle::config,
            (r, n, c) -> ((AdaptiveThrottleRegistry) r).adaptiveThrottle(n, c),
            (r, n, c) -> ((AdaptiveThrottleRegistry) r).adaptiveThrottle(n, c),
            t -> t.executeSupplier(() -> 1),
            e -> e.name()));
  }

  private static void failOnce(Retry retry) {
    int[] calls = {0};
    retry.executeSupplier(
        () -> {
          if (calls[0]++ == 0) {
            throw new IllegalStateException("once");
          }
          return "ok";
        });
  }

  private static void injectFault(Chaos chaos) {
    try {
      chaos.executeSupplier(() -> "never");
    } catch (InjectedFaultException expected) {
      // the event is what this is for
    }
  }

  private static void useFallback(Fallback<?> fallback) {
    fallback.executeSupplier(
        () -> {
          throw new IllegalStateException("down");
        });
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  <P, C, E> void returnsOneInstancePerNameWhichKeepsTheConfigurationItWasCreatedWith(Kind<P, C, E> kind) {
    PolicyRegistry<P, C, E> registry = kind.registry();
    C other = kind.configs().get(1);

    P first = kind.byConfig().apply(registry, "db", other);
    P again = kind.byConfig().apply(registry, "db", kind.configs().get(0));

    assertThat(again).isSameAs(first);
    assertThat(kind.configOf().apply(again)).isSameAs(other);
    P defaults = kind.byConfigName().apply(registry, "plain", PolicyRegistry.DEFAULT_CONFIG);
    assertThat(kind.configOf().apply(defaults)).isSameAs(registry.defaultConfig());
    assertThat(registry.all()).containsExactlyInAnyOrder(first, defaults);
    assertThat(registry.size()).isEqualTo(2);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  <P, C, E> void namedConfigurationsCreateInstancesAndBadNamesAreRefusedWithTheirName(Kind<P, C, E> kind) {
    PolicyRegistry<P, C, E> registry = kind.registry();
    C other = kind.configs().get(1);
    registry.addConfiguration("special", other);

    assertThat(kind.configOf().apply(kind.byConfigName().apply(registry, "a", "special"))).isSameAs(other);
    assertThat(registry.configuration("special")).containsSame(other);
    assertThat(registry.configuration(PolicyRegistry.DEFAULT_CONFIG)).containsSame(kind.configs().get(0));
    assertThat(registry.configuration("missing")).isEmpty();
    assertThatThrownBy(() -> kind.byConfigName().apply(registry, "b", "missing"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("configName 'missing' is not known");
    assertThatThrownBy(() -> registry.addConfiguration("default", other))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'default'");
    assertThatThrownBy(() -> registry.addConfiguration(" ", other))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("configName must not be blank");
    assertThatThrownBy(() -> registry.addConfiguration("x", null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("config must not be null");
    assertThatThrownBy(() -> registry.find(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("name must not be null");
    assertThat(registry.find("b")).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  <P, C, E> void racingCallersGetTheSameSingleInstanceAnnouncedOnce(Kind<P, C, E> kind) throws Exception {
    PolicyRegistry<P, C, E> registry = kind.registry();
    List<P> added = new CopyOnWriteArrayList<>();
    registry.onAdded(added::add);
    int threads = 8;
    CyclicBarrier barrier = new CyclicBarrier(threads);
    AtomicReferenceArray<P> seen = new AtomicReferenceArray<>(threads);
    List<Thread> started = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      int index = i;
      Thread t =
          new Thread(
              () -> {
                try {
                  barrier.await();
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
                seen.set(index, kind.byConfig().apply(registry, "shared", registry.defaultConfig()));
              });
      t.start();
      started.add(t);
    }
    for (Thread t : started) {
      t.join();
    }

    for (int i = 1; i < threads; i++) {
      assertThat(seen.get(i)).isSameAs(seen.get(0));
    }
    assertThat(added).containsExactly(seen.get(0));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  <P, C, E> void forwardsEventsOfPresentAndFutureInstancesOnlyWhileSomebodyListens(Kind<P, C, E> kind) {
    PolicyRegistry<P, C, E> registry = kind.registry();
    P before = kind.byConfig().apply(registry, "before", registry.defaultConfig());
    assertThat(registry.forwardingCount()).isZero();
    List<E> events = new CopyOnWriteArrayList<>();

    Subscription subscription = registry.onEvent(events::add);
    P after = kind.byConfig().apply(registry, "after", registry.defaultConfig());
    kind.fire().accept(before);
    kind.fire().accept(after);

    assertThat(events).extracting(kind.nameOf()).contains("before", "after").containsOnly("before", "after");
    assertThat(registry.forwardingCount()).isEqualTo(2);
    subscription.close();
    assertThat(registry.forwardingCount()).isZero();
    int seen = events.size();
    kind.fire().accept(before);
    assertThat(events).hasSize(seen);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  <P, C, E> void removeForgetsTheInstanceAndAnnouncesIt(Kind<P, C, E> kind) {
    PolicyRegistry<P, C, E> registry = kind.registry();
    List<P> removed = new ArrayList<>();
    registry.onRemoved(removed::add);
    registry.onEvent(e -> {});
    P db = kind.byConfig().apply(registry, "db", registry.defaultConfig());
    assertThat(registry.forwardingCount()).isEqualTo(1);

    assertThat(registry.remove("db")).containsSame(db);
    assertThat(registry.remove("db")).isEmpty();
    assertThat(registry.find("db")).isEmpty();
    assertThat(removed).containsExactly(db);
    assertThat(registry.forwardingCount()).isZero();
    assertThat(registry.toString()).endsWith("[0 " + kind.kind() + "]");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  <P, C, E> void aThrowingLifecycleListenerNeitherBreaksTheRegistryNorReachesTheCaller(Kind<P, C, E> kind) {
    PolicyRegistry<P, C, E> registry = kind.registry();
    registry.onAdded(
        p -> {
          throw new IllegalStateException("listener bug");
        });
    registry.onRemoved(
        p -> {
          throw new IllegalStateException("listener bug");
        });

    P created = kind.byConfig().apply(registry, "a", registry.defaultConfig());

    assertThat(registry.find("a")).containsSame(created);
    assertThat(registry.remove("a")).containsSame(created);
    assertThat(registry.size()).isZero();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  <P, C, E> void theKindNamesInstancesAndReadsEveryMeasureAfterACall(Kind<P, C, E> kind) {
    PolicyRegistry<P, C, E> registry = kind.registry();
    P policy = kind.byConfig().apply(registry, "measured", registry.defaultConfig());
    Map<String, Double> before = registry.kind().read(policy);
    kind.fire().accept(policy);
    Map<String, Double> after = registry.kind().read(policy);

    assertThat(registry.kind().nameOf(policy)).isEqualTo("measured");
    assertThat(registry.kind().id()).matches("[a-z][a-z0-9]*");
    assertThat(registry.kind().plural()).isEqualTo(kind.kind());
    assertThat(after.keySet()).containsExactlyElementsOf(before.keySet()).isNotEmpty();
    for (PolicyKind.Measure<P> measure : registry.kind().measures()) {
      assertThat(measure.meterName()).startsWith("fusebox." );
      if (measure.type() == PolicyKind.Measure.Type.COUNTER) {
        assertThat(after.get(measure.key())).isGreaterThanOrEqualTo(before.get(measure.key()));
      }
    }
    assertThat(registry.kind().measures())
        .filteredOn(m -> m.type() == PolicyKind.Measure.Type.COUNTER)
        .anySatisfy(m -> assertThat(after.get(m.key())).isGreaterThan(before.get(m.key())));
  }

  /**
   * Model-checks defect 10 of the hardening issue (a 5 s race of creation and removal left a listener
   * tracking 5,014 breakers while the registry held none): whatever the interleaving of a creation and a
   * removal of the same name, a listener that follows "added" and "removed" ends up tracking exactly what
   * the registry holds. The rule lives in the base class, so one kind stands for all.
   */
  @Test
  void addedAndRemovedReachListenersInTheOrderTheRegistryChanged() {
    Lincheck.runConcurrentTest(
        300,
        () -> {
          // A hand-driven ticker: the coarse ticker's refresher, were it started in here, would never finish.
          CircuitBreakerRegistry registry = CircuitBreakerRegistry.of(CircuitBreakerConfig.builder().ticker(TICKER).build());
          Set<Object> tracked = ConcurrentHashMap.newKeySet();
          registry.onAdded(tracked::add);
          registry.onRemoved(tracked::remove);
          Thread creator = new Thread(() -> registry.circuitBreaker("inventory"));
          Thread remover = new Thread(() -> registry.remove("inventory"));
          creator.start();
          remover.start();
          join(creator);
          join(remover);
          // Plain checks: Lincheck runs this block under its own instrumentation, where AssertJ misbehaves.
          Set<Object> held = Set.copyOf(registry.all());
          if (!tracked.equals(held)) {
            throw new AssertionError("the listener tracks " + tracked + " while the registry holds " + held);
          }
        });
  }

  private static void join(Thread thread) {
    try {
      thread.join();
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }
}
