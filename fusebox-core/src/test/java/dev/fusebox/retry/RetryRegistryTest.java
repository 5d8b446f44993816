package dev.fusebox.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fusebox.Subscription;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetryRegistryTest {

  private static final RetryConfig QUICK = RetryConfig.builder().waitDuration(Duration.ZERO).build();

  @Test
  void createsEachNamedRetryOnceWithTheDefaultConfiguration() {
    RetryRegistry registry = RetryRegistry.of(QUICK);
    Retry first = registry.retry("a");
    assertThat(registry.retry("a")).isSameAs(first);
    assertThat(first.config()).isSameAs(QUICK);
    assertThat(registry.retry("a", RetryConfig.ofDefaults())).isSameAs(first);
    assertThat(registry.all()).containsExactly(first);
    assertThat(registry.find("b")).isEmpty();
  }

  @Test
  void createsRetriesFromNamedConfigurations() {
    RetryRegistry registry = RetryRegistry.ofDefaults();
    RetryConfig reads = RetryConfig.builder().maxAttempts(5).build();
    registry.addConfiguration("reads", reads);
    assertThat(registry.retry("prices", "reads").config()).isSameAs(reads);
    assertThat(registry.configuration("reads")).containsSame(reads);
    assertThat(registry.defaultConfig()).isSameAs(RetryConfig.ofDefaults());
    assertThatThrownBy(() -> registry.retry("x", "missing"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("configName 'missing' is not known");
    assertThatThrownBy(() -> registry.addConfiguration(RetryRegistry.DEFAULT_CONFIG, reads))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void forwardsEventsOfEveryRetryWhileSomebodyListensAndForgetsRemovedOnes() {
    RetryRegistry registry = RetryRegistry.of(QUICK);
    List<RetryEvent> events = new ArrayList<>();
    List<Retry> added = new ArrayList<>();
    List<Retry> removed = new ArrayList<>();
    registry.onAdded(added::add);
    registry.onRemoved(removed::add);
    Subscription subscription = registry.onEvent(events::add);
    Retry retry = registry.retry("flaky");
    int[] calls = {0};
    retry.executeSupplier(() -> {
      if (calls[0]++ == 0) {
        throw new IllegalStateException("once");
      }
      return "ok";
    });
    assertThat(events).extracting(RetryEvent::type).containsExactly(RetryEvent.Type.RETRY, RetryEvent.Type.SUCCESS);
    assertThat(registry.forwardingCount()).isEqualTo(1);
    subscription.close();
    assertThat(registry.forwardingCount()).isZero();
    assertThat(registry.remove("flaky")).containsSame(retry);
    assertThat(added).containsExactly(retry);
    assertThat(removed).containsExactly(retry);
    assertThat(registry.find("flaky")).isEmpty();
  }
}
