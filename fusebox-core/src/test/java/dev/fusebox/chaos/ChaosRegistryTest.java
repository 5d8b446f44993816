package dev.fusebox.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusebox.Subscription;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChaosRegistryTest {

  @Test
  void letsAControlPanelFindAndSwitchEveryPolicy() {
    ChaosRegistry registry = ChaosRegistry.ofDefaults();
    Chaos inventory = registry.chaos("inventory");
    Chaos payments = registry.chaos("payments");
    assertThat(registry.chaos("inventory")).isSameAs(inventory);
    List<ChaosEvent> events = new ArrayList<>();
    Subscription subscription = registry.onEvent(events::add);

    registry.find("inventory").ifPresent(c -> c.update(s -> s.withFaultRate(1)));
    assertThat(payments.executeSupplier(() -> "fine")).isEqualTo("fine");
    assertThat(events).isEmpty();
    try {
      inventory.executeSupplier(() -> "never");
    } catch (InjectedFaultException expected) {
      // injected
    }
    assertThat(events).singleElement().isInstanceOf(ChaosEvent.FaultInjected.class);

    registry.all().forEach(Chaos::disable);
    assertThat(inventory.executeSupplier(() -> "fine again")).isEqualTo("fine again");
    subscription.close();
    assertThat(registry.forwardingCount()).isZero();
    assertThat(registry.remove("payments")).containsSame(payments);
    assertThat(registry.all()).containsExactly(inventory);
  }
}
