package dev.fusebox.throttle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusebox.PolicyKind;
import dev.fusebox.testing.ManualTicker;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What the registry adds to the contract every registry keeps (PolicyRegistryContractTest): the
 * throttle's kind and its measures, and event forwarding filtered by type.
 */
class AdaptiveThrottleRegistryTest {

  private final ManualTicker ticker = new ManualTicker();
  private final AdaptiveThrottleRegistry registry =
      AdaptiveThrottleRegistry.of(AdaptiveThrottleConfig.builder().ticker(ticker).random(Draws.always(0.0)).build());

  @Test
  void theKindPublishesRequestsAcceptsRejectionsAndTheProbabilityUnderOneName() {
    AdaptiveThrottle search = registry.adaptiveThrottle("search");
    search.onSuccess();
    search.onError(new IllegalStateException("503"));
    search.onError(new IllegalStateException("503"));
    search.tryAcquirePermission(); // p = 1/4, the draw 0.0 rejects
    search.onError(new java.util.concurrent.CancellationException());

    PolicyKind<AdaptiveThrottle> kind = registry.kind();

    assertThat(kind.id()).isEqualTo("adaptivethrottle");
    assertThat(kind.plural()).isEqualTo("adaptive throttles");
    assertThat(kind.read(search)).containsExactly(
        Map.entry("fusebox.adaptivethrottle.requests", 4.0),
        Map.entry("fusebox.adaptivethrottle.accepts", 1.0),
        Map.entry("fusebox.adaptivethrottle.rejected", 1.0),
        Map.entry("fusebox.adaptivethrottle.failed", 2.0),
        Map.entry("fusebox.adaptivethrottle.ignored", 1.0),
        Map.entry("fusebox.adaptivethrottle.rejection.probability", (4 - 2.0) / 5),
        Map.entry("fusebox.adaptivethrottle.window.requests", 4.0),
        Map.entry("fusebox.adaptivethrottle.window.accepts", 1.0));
    assertThat(kind.measures())
        .filteredOn(m -> m.type() == PolicyKind.Measure.Type.COUNTER)
        .extracting(PolicyKind.Measure::meterName)
        .containsExactly(
            "fusebox.adaptivethrottle.requests",
            "fusebox.adaptivethrottle.accepts",
            "fusebox.adaptivethrottle.rejected",
            "fusebox.adaptivethrottle.failed",
            "fusebox.adaptivethrottle.ignored");
  }

  @Test
  void aTypedListenerGetsOnlyItsTypesFromEveryThrottle() {
    List<AdaptiveThrottleEvent> rejections = new ArrayList<>();
    registry.onEvent(EnumSet.of(AdaptiveThrottleEvent.Type.REJECTED), rejections::add);
    AdaptiveThrottle search = registry.adaptiveThrottle("search");
    AdaptiveThrottle ads = registry.adaptiveThrottle("ads", AdaptiveThrottleConfig.builder().ticker(ticker).build());

    search.onSuccess();
    search.onError(new IllegalStateException("503"));
    search.onError(new IllegalStateException("503"));
    search.tryAcquirePermission();
    ads.onSuccess();

    assertThat(rejections).extracting(AdaptiveThrottleEvent::name).containsExactly("search");
    assertThat(rejections).extracting(AdaptiveThrottleEvent::type).containsOnly(AdaptiveThrottleEvent.Type.REJECTED);
  }
}
