package dev.fusebox.circuitbreaker;

import dev.fusebox.RegistryProbe;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fusebox.testing.ManualTicker;
import dev.fusebox.Subscription;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CircuitBreakerRegistryTest {

  private final ManualTicker ticker = new ManualTicker();
  private final CircuitBreakerConfig defaults = CircuitBreakerConfig.builder().ticker(ticker).build();

  @Test
  void returnsOneBreakerPerName() {
    CircuitBreakerRegistry registry = CircuitBreakerRegistry.of(defaults);
    CircuitBreaker first = registry.circuitBreaker("a");
    assertThat(registry.circuitBreaker("a")).isSameAs(first);
    assertThat(registry.circuitBreaker("a", CircuitBreakerConfig.ofDefaults())).isSameAs(first);
    assertThat(first.config()).isSameAs(defaults);
    assertThat(registry.circuitBreaker("b")).isNotSameAs(first);
    assertThat(registry.all()).containsExactlyInAnyOrder(first, registry.circuitBreaker("b"));
  }

  @Test
  void createsABreakerExactlyOnceUnderARace() throws Exception {
    for (int round = 0; round < 50; round++) {
      CircuitBreakerRegistry registry = CircuitBreakerRegistry.of(defaults);
      AtomicInteger added = new AtomicInteger();
      registry.onAdded(b -> added.incrementAndGet());
      int threads = 8;
      CyclicBarrier barrier = new CyclicBarrier(threads);
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      try {
        List<Future<CircuitBreaker>> results = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          results.add(pool.submit(() -> {
            barrier.await();
            return registry.circuitBreaker("contended");
          }));
        }
        Set<CircuitBreaker> distinct = ConcurrentHashMap.newKeySet();
        for (Future<CircuitBreaker> result : results) {
          distinct.add(result.get(10, TimeUnit.SECONDS));
        }
        assertThat(distinct).hasSize(1);
        assertThat(added).hasValue(1);
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @Test
  void namedConfigurationsApplyToNewBreakers() {
    CircuitBreakerRegistry registry = CircuitBreakerRegistry.of(defaults);
    CircuitBreakerConfig strict = CircuitBreakerConfig.builder().failureRateThreshold(10).build();
    registry.addConfiguration("strict", strict);
    assertThat(registry.configuration("strict")).containsSame(strict);
    assertThat(registry.configuration("default")).containsSame(defaults);
    assertThat(registry.defaultConfig()).isSameAs(defaults);
    assertThat(registry.circuitBreaker("payments", "strict").config()).isSameAs(strict);
    assertThatThrownBy(() -> registry.circuitBreaker("other", "missing"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("configName 'missing' is not known");
    assertThatThrownBy(() -> registry.addConfiguration("default", strict))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'default'");
    assertThatThrownBy(() -> registry.circuitBreaker(" ")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> registry.circuitBreaker(null)).isInstanceOf(NullPointerException.class).hasMessage("name must not be null");
  }

  @Test
  void findDoesNotCreateAndRemoveForgets() {
    CircuitBreakerRegistry registry = CircuitBreakerRegistry.of(defaults);
    List<String> removed = new CopyOnWriteArrayList<>();
    registry.onRemoved(b -> removed.add(b.name()));
    assertThat(registry.find("x")).isEmpty();
    CircuitBreaker x = registry.circuitBreaker("x");
    assertThat(registry.find("x")).containsSame(x);
    assertThat(registry.remove("x")).containsSame(x);
    assertThat(registry.remove("x")).isEmpty();
    assertThat(registry.find("x")).isEmpty();
    assertThat(removed).containsExactly("x");
    assertThat(registry.circuitBreaker("x")).isNotSameAs(x);
  }

  @Test
  void resetAllResetsEveryBreaker() {
    CircuitBreakerRegistry registry = CircuitBreakerRegistry.of(defaults);
    registry.circuitBreaker("a").transitionToForcedOpenState();
    registry.circuitBreaker("b").transitionToOpenState();
    registry.resetAll();
    assertThat(registry.all()).allSatisfy(b -> assertThat(b.state()).isEqualTo(CircuitBreaker.State.CLOSED));
  }

  @Test
  void theRegistryStreamCarriesEventsOfPresentAndFutureBreakers() {
    CircuitBreakerRegistry registry = CircuitBreakerRegistry.of(defaults);
    CircuitBreaker early = registry.circuitBreaker("early");
    List<String> seen = new CopyOnWriteArrayList<>();
    Subscription subscription = registry.onEvent(e -> seen.add(e.breakerName() + ":" + e.type()));
    CircuitBreaker late = registry.circuitBreaker("late");
    early.executeSupplier(() -> 1);
    late.transitionToOpenState();
    assertThat(seen).containsExactly("early:SUCCESS", "late:STATE_TRANSITION");
    subscription.close();
    early.executeSupplier(() -> 1);
    assertThat(seen).hasSize(2);
    assertThat(RegistryProbe.forwardingCount(registry)).isZero();
  }


  @Test
  void theRegistryStreamForwardsOnlyTheTypesItsListenersWant() {
    CircuitBreakerRegistry registry = CircuitBreakerRegistry.of(defaults);
    CircuitBreakerImpl breaker = (CircuitBreakerImpl) registry.circuitBreaker("typed");
    List<String> seen = new CopyOnWriteArrayList<>();
    Subscription transitions =
        registry.onEvent(java.util.EnumSet.of(CircuitBreakerEvent.Type.STATE_TRANSITION), e -> seen.add("t:" + e.type()));
    assertThat(breaker.buildsEvents(CircuitBreakerEvent.Type.SUCCESS)).isFalse();
    breaker.executeSupplier(() -> 1);
    breaker.transitionToOpenState();
    assertThat(seen).containsExactly("t:STATE_TRANSITION");
    Subscription everything = registry.onEvent(e -> seen.add("all:" + e.type()));
    assertThat(breaker.buildsEvents(CircuitBreakerEvent.Type.SUCCESS)).isTrue();
    breaker.transitionToClosedState();
    breaker.executeSupplier(() -> 1);
    assertThat(seen).containsExactly(
        "t:STATE_TRANSITION", "t:STATE_TRANSITION", "all:STATE_TRANSITION", "all:SUCCESS");
    everything.close();
    assertThat(breaker.buildsEvents(CircuitBreakerEvent.Type.SUCCESS)).isFalse();
    assertThat(breaker.buildsEvents(CircuitBreakerEvent.Type.STATE_TRANSITION)).isTrue();
    transitions.close();
    assertThat(breaker.buildsEvents(CircuitBreakerEvent.Type.STATE_TRANSITION)).isFalse();
    assertThat(RegistryProbe.forwardingCount(registry)).isZero();
  }

  @Test
  void breakersCarryTheRegistrysTagsUnderTheirOwnAsInResilience4j() {
    CircuitBreakerRegistry registry =
        CircuitBreakerRegistry.of(CircuitBreakerConfig.ofDefaults(), java.util.Map.of("team", "checkout", "tier", "2"));

    CircuitBreaker plain = registry.circuitBreaker("plain");
    CircuitBreaker own =
        registry.circuitBreaker("own", CircuitBreakerConfig.ofDefaults(), java.util.Map.of("tier", "1", "region", "eu"));

    assertThat(registry.tags()).containsOnly(java.util.Map.entry("team", "checkout"), java.util.Map.entry("tier", "2"));
    assertThat(plain.tags()).isEqualTo(registry.tags());
    assertThat(own.tags())
        .containsOnly(
            java.util.Map.entry("team", "checkout"), java.util.Map.entry("tier", "1"), java.util.Map.entry("region", "eu"));
    assertThat(registry.circuitBreaker("own", CircuitBreakerConfig.ofDefaults(), java.util.Map.of("tier", "3")).tags())
        .as("an existing breaker keeps its tags")
        .containsEntry("tier", "1");
  }

  @Test
  void aBreakerOnItsOwnCarriesTheTagsItWasCreatedWith() {
    java.util.Map<String, String> tags = new java.util.HashMap<>(java.util.Map.of("team", "search"));
    CircuitBreaker breaker = CircuitBreaker.of("alone", CircuitBreakerConfig.ofDefaults(), tags);
    tags.put("team", "changed");

    assertThat(breaker.tags()).containsOnly(java.util.Map.entry("team", "search"));
    assertThat(CircuitBreaker.ofDefaults("untagged").tags()).isEmpty();
    assertThat(CircuitBreakerRegistry.ofDefaults().tags()).isEmpty();
  }

  @Test
  void nullTagsAreRefusedWithTheirName() {
    java.util.Map<String, String> nullValue = new java.util.HashMap<>();
    nullValue.put("team", null);

    assertThatThrownBy(() -> CircuitBreaker.of("a", CircuitBreakerConfig.ofDefaults(), null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("tags must not be null");
    assertThatThrownBy(() -> CircuitBreakerRegistry.of(CircuitBreakerConfig.ofDefaults(), nullValue))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("tag 'team' must not have a null value");
    assertThatThrownBy(() -> CircuitBreakerRegistry.ofDefaults().circuitBreaker("a", CircuitBreakerConfig.ofDefaults(), nullValue))
        .hasMessage("tag 'team' must not have a null value");
  }
}
