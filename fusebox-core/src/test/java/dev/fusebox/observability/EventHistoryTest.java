package dev.fusebox.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fusebox.testing.ManualTicker;
import dev.fusebox.circuitbreaker.CircuitBreaker;
import dev.fusebox.circuitbreaker.CircuitBreaker.State;
import dev.fusebox.circuitbreaker.CircuitBreakerEvent;
import dev.fusebox.circuitbreaker.CircuitBreakerEvent.Type;
import dev.fusebox.circuitbreaker.CircuitBreakerRegistry;
import dev.fusebox.circuitbreaker.StateTransition;
import java.lang.ref.WeakReference;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class EventHistoryTest {

  private final ManualTicker ticker = new ManualTicker();
  private final CircuitBreakerRegistry registry = CircuitBreakerRegistry.of(Breakers.config(ticker));

  @Test
  void keepsEachBreakersEventsOldestFirstLeavingSuccessesOut() {
    EventHistory history = EventHistory.attach(registry);
    CircuitBreaker inventory = registry.circuitBreaker("inventory");
    Breakers.succeed(inventory, 2);
    Breakers.fail(inventory, 2); // 2 of 4 failed: 50%, the threshold
    Breakers.attempt(inventory, 1);

    assertThat(history.events("inventory"))
        .extracting(CircuitBreakerEvent::type)
        .containsExactly(
            Type.ERROR, Type.ERROR, Type.FAILURE_RATE_EXCEEDED, Type.STATE_TRANSITION, Type.NOT_PERMITTED);
    StateTransition opened = (StateTransition) history.events("inventory").get(3);
    assertThat(opened.from()).isEqualTo(State.CLOSED);
    assertThat(opened.to()).isEqualTo(State.OPEN);
    assertThat(history.recordedCount("inventory")).isEqualTo(5);
  }

  @Test
  void keepsSuccessesWhenEveryTypeIsChosen() {
    EventHistory history = EventHistory.attach(registry, EventHistoryConfig.builder().allEventTypes().build());
    Breakers.succeed(registry.circuitBreaker("inventory"), 3);

    assertThat(history.events("inventory")).extracting(CircuitBreakerEvent::type)
        .containsExactly(Type.SUCCESS, Type.SUCCESS, Type.SUCCESS);
  }

  @Test
  void keepsOnlyTheConfiguredTypes() {
    EventHistory history =
        EventHistory.attach(registry, EventHistoryConfig.builder().eventTypes(Type.STATE_TRANSITION).build());
    CircuitBreaker inventory = registry.circuitBreaker("inventory");
    Breakers.trip(inventory);
    Breakers.attempt(inventory, 5);

    assertThat(history.events("inventory")).singleElement().isInstanceOf(StateTransition.class);
  }

  @Test
  void coversBreakersPresentAtAttachmentAndAddedLater() {
    CircuitBreaker before = registry.circuitBreaker("before");
    EventHistory history = EventHistory.attach(registry);
    CircuitBreaker after = registry.circuitBreaker("after");
    Breakers.fail(before, 1);
    Breakers.fail(after, 2);

    assertThat(history.breakerNames()).containsExactly("after", "before");
    assertThat(history.events("before")).hasSize(1);
    assertThat(history.events("after")).hasSize(2);
    assertThat(history.events("unknown")).isEmpty();
  }

  @Test
  void overwritesTheOldestEventsBeyondCapacity() {
    EventHistory history = EventHistory.attach(registry, EventHistoryConfig.builder().capacity(3).build());
    CircuitBreaker inventory = registry.circuitBreaker("inventory");
    inventory.transitionToForcedOpenState(); // FORCED_OPEN
    inventory.transitionToDisabledState(); // DISABLED
    inventory.transitionToMetricsOnlyState(); // METRICS_ONLY
    inventory.transitionToHalfOpenState(); // HALF_OPEN
    inventory.transitionToClosedState(); // CLOSED

    assertThat(history.events("inventory"))
        .extracting(e -> ((StateTransition) e).to())
        .containsExactly(State.METRICS_ONLY, State.HALF_OPEN, State.CLOSED);
    assertThat(history.recordedCount("inventory")).isEqualTo(5);
  }

  @Test
  void staysBoundedInCountAndMemoryUnderAMillionEvents() {
    EventHistory history = EventHistory.attach(registry);
    CircuitBreaker inventory = registry.circuitBreaker("inventory");
    inventory.transitionToOpenState();
    Breakers.attempt(inventory, 100);
    List<WeakReference<CircuitBreakerEvent>> early = new ArrayList<>();
    for (CircuitBreakerEvent event : history.events("inventory")) {
      early.add(new WeakReference<>(event));
    }

    assertThat(Breakers.attempt(inventory, 1_000_000)).isEqualTo(1_000_000);

    EventRing ring = history.ring("inventory");
    assertThat(history.events("inventory")).hasSize(100);
    assertThat(ring.slotCount()).isEqualTo(100);
    assertThat(ring.occupiedSlots()).isEqualTo(100);
    assertThat(history.recordedCount("inventory")).isEqualTo(1 + 100 + 1_000_000);
    // Overwritten events are unreachable: the ring holds no more than its slots.
    assertThat(early).hasSize(100);
    for (WeakReference<CircuitBreakerEvent> reference : early) {
      assertThat(Gc.collected(reference)).as("an overwritten event was collected").isTrue();
    }
  }

  @Test
  void dropsTheHistoryOfARemovedBreakerAndKeepsNoReferenceToIt() {
    EventHistory history = EventHistory.attach(registry);
    WeakReference<CircuitBreaker> removed = tripAndRemove("payments");
    Breakers.trip(registry.circuitBreaker("stays"));

    assertThat(history.breakerNames()).containsExactly("stays");
    assertThat(history.events("payments")).isEmpty();
    assertThat(history.ringCount()).isEqualTo(1);
    assertThat(Gc.collected(removed)).as("the removed breaker was collected").isTrue();
  }

  private WeakReference<CircuitBreaker> tripAndRemove(String name) {
    CircuitBreaker breaker = registry.circuitBreaker(name);
    Breakers.trip(breaker);
    Breakers.attempt(breaker, 3);
    assertThat(registry.remove(name)).isPresent();
    return new WeakReference<>(breaker);
  }

  @Test
  void breakersAddedAndRemovedConcurrentlyLeaveNoHistoryOfRemovedOnes() throws Exception {
    EventHistory history = EventHistory.attach(registry);
    int threads = 4;
    CyclicBarrier start = new CyclicBarrier(threads);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> churners = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int seed = t;
        churners.add(pool.submit(() -> {
          start.await();
          for (int i = 0; i < 2_000; i++) {
            String name = "b" + ((seed * 7 + i) % 6); // threads share names, so events and removals race
            if ((i + seed) % 3 == 0) {
              registry.remove(name);
            } else {
              registry.circuitBreaker(name).transitionToForcedOpenState();
            }
          }
          return null;
        }));
      }
      for (Future<?> churner : churners) {
        churner.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    Set<String> present = new TreeSet<>();
    registry.all().forEach(b -> present.add(b.name()));
    assertThat(present).containsAll(history.breakerNames());
  }

  @Test
  void aBreakerAddedAgainUnderARemovedNameStartsAFreshHistory() {
    EventHistory history = EventHistory.attach(registry);
    Breakers.trip(registry.circuitBreaker("payments"));
    registry.remove("payments");
    Breakers.fail(registry.circuitBreaker("payments"), 1);

    assertThat(history.events("payments")).extracting(CircuitBreakerEvent::type).containsExactly(Type.ERROR);
  }

  @Test
  void eventsOfABreakerNoLongerInTheRegistryCreateNoHistory() {
    CircuitBreaker outside = registry.circuitBreaker("outside");
    EventHistory history = EventHistory.attach(registry);
    registry.remove("outside");

    history.record(new CircuitBreakerEvent.Reset("outside", Instant.EPOCH));

    assertThat(history.breakerNames()).isEmpty();
    assertThat(outside.state()).isEqualTo(State.CLOSED);
  }

  @Test
  void attachesToOneBreaker() {
    CircuitBreaker alone = CircuitBreaker.of("alone", Breakers.config(ticker));
    EventHistory history = EventHistory.attach(alone);
    Breakers.trip(alone);

    assertThat(history.breakerNames()).containsExactly("alone");
    assertThat(history.events("alone")).hasSize(6);
  }

  @Test
  void closingStopsRecordingAndForgetsEverything() {
    EventHistory history = EventHistory.attach(registry);
    CircuitBreaker inventory = registry.circuitBreaker("inventory");
    Breakers.fail(inventory, 1);
    history.close();
    Breakers.fail(inventory, 1);

    assertThat(history.breakerNames()).isEmpty();
    assertThat(history.events()).isEmpty();
    history.close();
  }

  @Test
  void queriesFilterByBreakerTypeTimeAndCount() {
    CircuitBreaker a = registry.circuitBreaker("a");
    registry.circuitBreaker("b");
    EventHistory history = EventHistory.attach(registry);
    history.record(new CircuitBreakerEvent.NotPermitted("a", at(10), State.OPEN));
    history.record(new StateTransition("b", at(20), State.CLOSED, State.OPEN));
    history.record(new CircuitBreakerEvent.NotPermitted("a", at(30), State.OPEN));
    history.record(new StateTransition("a", at(40), State.OPEN, State.HALF_OPEN));
    history.record(new CircuitBreakerEvent.Reset("b", at(50)));

    assertThat(history.events()).extracting(e -> e.timestamp().getEpochSecond()).containsExactly(10L, 20L, 30L, 40L, 50L);
    assertThat(history.query().breaker("a").list()).extracting(e -> e.timestamp().getEpochSecond())
        .containsExactly(10L, 30L, 40L);
    assertThat(history.query().types(Type.STATE_TRANSITION).list()).extracting(CircuitBreakerEvent::breakerName)
        .containsExactly("b", "a");
    assertThat(history.query().types(Set.of(Type.RESET, Type.NOT_PERMITTED)).since(at(30)).list())
        .extracting(e -> e.timestamp().getEpochSecond())
        .containsExactly(30L, 50L);
    assertThat(history.query().last(2).list()).extracting(e -> e.timestamp().getEpochSecond())
        .containsExactly(40L, 50L);
    assertThat(history.query().breaker("a").types(Type.NOT_PERMITTED).last(1).list())
        .extracting(e -> e.timestamp().getEpochSecond())
        .containsExactly(30L);
    assertThat(history.query().types(EnumSet.noneOf(Type.class)).list()).isEmpty();
    assertThat(history.query().last(0).list()).isEmpty();
    assertThat(a.state()).isEqualTo(State.CLOSED);
  }

  @Test
  void snapshotsAreImmutable() {
    EventHistory history = EventHistory.attach(registry);
    Breakers.fail(registry.circuitBreaker("inventory"), 1);

    List<CircuitBreakerEvent> events = history.events("inventory");
    assertThatThrownBy(events::clear).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> history.events().clear()).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void queryArgumentsAreChecked() {
    EventHistory history = EventHistory.attach(registry);
    assertThatThrownBy(() -> history.query().last(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("last must be at least 0, was -1");
    assertThatThrownBy(() -> history.query().since(null)).hasMessage("since must not be null");
    assertThatThrownBy(() -> history.query().breaker(null)).hasMessage("breaker name must not be null");
    assertThatThrownBy(() -> history.events(null)).hasMessage("breakerName must not be null");
  }

  private static Instant at(long second) {
    return Instant.ofEpochSecond(second);
  }
}
