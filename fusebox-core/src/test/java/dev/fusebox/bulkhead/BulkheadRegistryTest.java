package dev.fusebox.bulkhead;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fusebox.Subscription;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.junit.jupiter.api.Test;

class BulkheadRegistryTest {

  @Test
  void returnsOneInstancePerNameWithTheConfigurationItWasCreatedWith() {
    BulkheadRegistry registry = BulkheadRegistry.ofDefaults();
    BulkheadConfig small = BulkheadConfig.builder().maxConcurrentCalls(2).build();

    Bulkhead first = registry.bulkhead("db", small);
    Bulkhead again = registry.bulkhead("db", BulkheadConfig.ofDefaults());

    assertThat(again).isSameAs(first);
    assertThat(again.config()).isSameAs(small);
    assertThat(registry.bulkhead("other").config()).isSameAs(BulkheadConfig.ofDefaults());
    assertThat(registry.all()).containsExactlyInAnyOrder(first, registry.bulkhead("other"));
  }

  @Test
  void namedConfigurationsCreateBulkheadsAndUnknownNamesAreRejected() {
    BulkheadConfig reports = BulkheadConfig.builder().maxConcurrentCalls(4).build();
    BulkheadRegistry registry = BulkheadRegistry.of(BulkheadConfig.ofDefaults());
    registry.addConfiguration("reports", reports);

    assertThat(registry.bulkhead("pdf", "reports").config()).isSameAs(reports);
    assertThat(registry.configuration("reports")).contains(reports);
    assertThat(registry.configuration(BulkheadRegistry.DEFAULT_CONFIG)).contains(BulkheadConfig.ofDefaults());
    assertThatThrownBy(() -> registry.bulkhead("x", "missing"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("configName 'missing' is not known");
    assertThatThrownBy(() -> registry.addConfiguration("default", reports))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void racingCallersGetTheSameSingleInstance() throws Exception {
    BulkheadRegistry registry = BulkheadRegistry.ofDefaults();
    List<Bulkhead> added = new ArrayList<>();
    registry.onAdded(b -> {
      synchronized (added) {
        added.add(b);
      }
    });
    int threads = 8;
    CyclicBarrier barrier = new CyclicBarrier(threads);
    AtomicReferenceArray<Bulkhead> seen = new AtomicReferenceArray<>(threads);
    List<Thread> started = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      int index = i;
      Thread t = new Thread(() -> {
        try {
          barrier.await();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
        seen.set(index, registry.bulkhead("shared"));
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

  @Test
  void registryEventsForwardFromEveryBulkheadOnlyWhileSomebodyListens() {
    BulkheadRegistry registry = BulkheadRegistry.ofDefaults();
    Bulkhead before = registry.bulkhead("before");
    assertThat(registry.forwardingCount()).isZero();
    List<BulkheadEvent> events = new ArrayList<>();

    Subscription subscription = registry.onEvent(events::add);
    Bulkhead after = registry.bulkhead("after");
    before.executeRunnable(() -> {});
    after.executeRunnable(() -> {});

    assertThat(events).extracting(BulkheadEvent::name).containsExactly("before", "before", "after", "after");
    subscription.close();
    assertThat(registry.forwardingCount()).isZero();
    before.executeRunnable(() -> {});
    assertThat(events).hasSize(4);
  }

  @Test
  void removeForgetsTheBulkheadAndAnnouncesIt() {
    BulkheadRegistry registry = BulkheadRegistry.ofDefaults();
    List<Bulkhead> removed = new ArrayList<>();
    registry.onRemoved(removed::add);
    registry.onEvent(e -> {});
    Bulkhead db = registry.bulkhead("db");

    assertThat(registry.remove("db")).contains(db);
    assertThat(registry.remove("db")).isEmpty();
    assertThat(registry.find("db")).isEmpty();
    assertThat(removed).containsExactly(db);
    assertThat(registry.forwardingCount()).isZero();
    assertThat(registry).hasToString("BulkheadRegistry[0 bulkheads]");
  }
}
