package dev.fusebox.observability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusebox.circuitbreaker.CircuitBreakerEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class EventRingTest {

  private static final int WRITERS = 4;
  private static final int EVENTS_PER_WRITER = 50_000;
  private static final int CAPACITY = 64;

  /** Writer {@code w}'s {@code i}-th event: the breaker name says the writer, the nanos the order. */
  private static CircuitBreakerEvent event(int writer, int i) {
    return new CircuitBreakerEvent.Reset("w" + writer, Instant.ofEpochSecond(0, i));
  }

  @Property(tries = 200)
  void holdsTheLastCapacityEventsInOrder(
      @ForAll @IntRange(min = 1, max = 40) int capacity, @ForAll @IntRange(min = 0, max = 200) int count) {
    EventRing ring = new EventRing(capacity);
    List<CircuitBreakerEvent> all = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      CircuitBreakerEvent e = event(0, i);
      all.add(e);
      ring.add(e);
    }
    assertThat(ring.snapshot()).containsExactlyElementsOf(all.subList(Math.max(0, count - capacity), count));
    assertThat(ring.recorded()).isEqualTo(count);
    assertThat(ring.occupiedSlots()).isEqualTo(Math.min(capacity, count));
  }

  @Test
  void concurrentWritersLoseNoSlotAccounting() throws Exception {
    EventRing ring = new EventRing(CAPACITY);
    CyclicBarrier start = new CyclicBarrier(WRITERS);
    ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
    try {
      List<Future<?>> writers = new ArrayList<>();
      for (int w = 0; w < WRITERS; w++) {
        int writer = w;
        writers.add(pool.submit(() -> {
          start.await();
          for (int i = 0; i < EVENTS_PER_WRITER; i++) {
            ring.add(event(writer, i));
          }
          return null;
        }));
      }
      for (Future<?> writer : writers) {
        writer.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(ring.recorded()).isEqualTo((long) WRITERS * EVENTS_PER_WRITER);
    List<CircuitBreakerEvent> held = ring.snapshot();
    // Once writers are quiet every slot holds the newest event claimed for it: exactly CAPACITY events.
    assertThat(held).hasSize(CAPACITY).doesNotHaveDuplicates();
    assertOrderedPerWriter(held);
  }

  @Test
  void readersDuringWritesSeeNoDuplicateAndNoReordering() throws Exception {
    EventRing ring = new EventRing(CAPACITY);
    CyclicBarrier start = new CyclicBarrier(WRITERS + 1);
    AtomicBoolean done = new AtomicBoolean();
    ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
    List<List<CircuitBreakerEvent>> snapshots = new ArrayList<>();
    try {
      List<Future<?>> writers = new ArrayList<>();
      for (int w = 0; w < WRITERS; w++) {
        int writer = w;
        writers.add(pool.submit(() -> {
          start.await();
          for (int i = 0; i < EVENTS_PER_WRITER / 5; i++) {
            ring.add(event(writer, i));
          }
          return null;
        }));
      }
      start.await();
      Future<?> watcher = pool.submit(() -> {
        for (Future<?> writer : writers) {
          writer.get();
        }
        done.set(true);
        return null;
      });
      while (!done.get() && snapshots.size() < 2_000) {
        snapshots.add(ring.snapshot());
      }
      for (Future<?> writer : writers) {
        writer.get(60, TimeUnit.SECONDS);
      }
      watcher.get(60, TimeUnit.SECONDS);
    } finally {
      pool.shutdownNow();
    }

    assertThat(snapshots).isNotEmpty();
    for (List<CircuitBreakerEvent> snapshot : snapshots) {
      assertThat(snapshot).hasSizeLessThanOrEqualTo(CAPACITY).doesNotHaveDuplicates().doesNotContainNull();
      assertOrderedPerWriter(snapshot);
    }
  }

  private static void assertOrderedPerWriter(List<CircuitBreakerEvent> events) {
    Map<String, Integer> last = new HashMap<>();
    for (CircuitBreakerEvent e : events) {
      int i = e.timestamp().getNano();
      Integer previous = last.put(e.breakerName(), i);
      if (previous != null) {
        assertThat(i).as("events of writer %s in recorded order", e.breakerName()).isGreaterThan(previous);
      }
    }
  }
}
