package dev.fusebox.ratelimiter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fusebox.Subscription;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.junit.jupiter.api.Test;

class RateLimiterRegistryTest {

  @Test
  void returnsOneInstancePerNameWithTheConfigurationItWasCreatedWith() {
    RateLimiterRegistry registry = RateLimiterRegistry.ofDefaults();
    RateLimiterConfig small = RateLimiterConfig.builder().limitForPeriod(2).build();

    RateLimiter first = registry.rateLimiter("db", small);
    RateLimiter again = registry.rateLimiter("db", RateLimiterConfig.ofDefaults());

    assertThat(again).isSameAs(first);
    assertThat(again.config()).isSameAs(small);
    assertThat(registry.rateLimiter("other").config()).isSameAs(RateLimiterConfig.ofDefaults());
    assertThat(registry.all()).containsExactlyInAnyOrder(first, registry.rateLimiter("other"));
  }

  @Test
  void namedConfigurationsCreateLimitersAndUnknownNamesAreRejected() {
    RateLimiterConfig reports = RateLimiterConfig.builder().limitForPeriod(4).build();
    RateLimiterRegistry registry = RateLimiterRegistry.of(RateLimiterConfig.ofDefaults());
    registry.addConfiguration("reports", reports);

    assertThat(registry.rateLimiter("pdf", "reports").config()).isSameAs(reports);
    assertThat(registry.configuration("reports")).contains(reports);
    assertThat(registry.configuration(RateLimiterRegistry.DEFAULT_CONFIG)).contains(RateLimiterConfig.ofDefaults());
    assertThatThrownBy(() -> registry.rateLimiter("x", "missing"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("configName 'missing' is not known");
    assertThatThrownBy(() -> registry.addConfiguration("default", reports))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void racingCallersGetTheSameSingleInstance() throws Exception {
    RateLimiterRegistry registry = RateLimiterRegistry.ofDefaults();
    List<RateLimiter> added = new ArrayList<>();
    registry.onAdded(b -> {
      synchronized (added) {
        added.add(b);
      }
    });
    int threads = 8;
    CyclicBarrier barrier = new CyclicBarrier(threads);
    AtomicReferenceArray<RateLimiter> seen = new AtomicReferenceArray<>(threads);
    List<Thread> started = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      int index = i;
      Thread t = new Thread(() -> {
        try {
          barrier.await();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
        seen.set(index, registry.rateLimiter("shared"));
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
  void registryEventsForwardFromEveryLimiterOnlyWhileSomebodyListens() {
    RateLimiterRegistry registry = RateLimiterRegistry.ofDefaults();
    RateLimiter before = registry.rateLimiter("before");
    assertThat(registry.forwardingCount()).isZero();
    List<RateLimiterEvent> events = new ArrayList<>();

    Subscription subscription = registry.onEvent(events::add);
    RateLimiter after = registry.rateLimiter("after");
    before.tryAcquirePermission();
    after.tryAcquirePermission();

    assertThat(events).extracting(RateLimiterEvent::name).containsExactly("before", "after");
    subscription.close();
    assertThat(registry.forwardingCount()).isZero();
    before.tryAcquirePermission();
    assertThat(events).hasSize(2);
  }

  @Test
  void removeForgetsTheLimiterAndAnnouncesIt() {
    RateLimiterRegistry registry = RateLimiterRegistry.ofDefaults();
    List<RateLimiter> removed = new ArrayList<>();
    registry.onRemoved(removed::add);
    registry.onEvent(e -> {});
    RateLimiter db = registry.rateLimiter("db");

    assertThat(registry.remove("db")).contains(db);
    assertThat(registry.remove("db")).isEmpty();
    assertThat(registry.find("db")).isEmpty();
    assertThat(removed).containsExactly(db);
    assertThat(registry.forwardingCount()).isZero();
    assertThat(registry).hasToString("RateLimiterRegistry[0 rate limiters]");
  }
}
