package dev.fusebox.fallback;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusebox.Subscription;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FallbackRegistryTest {

  @Test
  void createsEachNamedFallbackOnceWithItsOwnCache() {
    FallbackRegistry registry = FallbackRegistry.ofDefaults();
    Fallback<String> prices = registry.fallback("prices");
    assertThat(registry.<String>fallback("prices")).isSameAs(prices);
    registry.addConfiguration("constant", FallbackConfig.<Integer>builder().fallbackValue(0).build());
    Fallback<Integer> counts = registry.fallback("counts", "constant");
    assertThat(counts.executeSupplier(() -> {
      throw new IllegalStateException();
    })).isZero();
    Fallback<Long> other = registry.fallback("other", FallbackConfig.<Long>builder().fallbackValue(1L).build());
    assertThat(other.config().hasAlternative()).isTrue();
    assertThat(registry.all()).hasSize(3);

    prices.executeSupplier(() -> "cached");
    Fallback<String> pricesAgain = registry.fallback("prices");
    assertThat(pricesAgain.executeSupplier(() -> {
      throw new IllegalStateException();
    })).isEqualTo("cached");
  }

  @Test
  void forwardsEventsWhileSomebodyListensAndForgetsRemovedFallbacks() {
    FallbackRegistry registry = FallbackRegistry.of(FallbackConfig.<String>builder().fallbackValue("x").build());
    List<FallbackEvent> events = new ArrayList<>();
    Subscription subscription = registry.onEvent(events::add);
    Fallback<String> fallback = registry.fallback("a");
    fallback.executeSupplier(() -> {
      throw new IllegalStateException();
    });
    assertThat(events).singleElement().isInstanceOf(FallbackEvent.FallbackUsed.class);
    subscription.close();
    assertThat(registry.forwardingCount()).isZero();
    assertThat(registry.remove("a")).containsSame(fallback);
    assertThat(registry.find("a")).isEmpty();
  }
}
