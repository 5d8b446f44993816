package dev.fusebox.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fusebox.PolicyKind;
import dev.fusebox.PolicyRegistry;
import dev.fusebox.Subscription;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A policy of the user's own gets meters from its registry's kind alone: this module knows nothing of it.
 */
class CustomPolicyMetricsTest {

  /** A hedge: sends a second request when the first is slow. Only its counts matter here. */
  static final class Hedge {
    final String name;
    final AtomicLong requests = new AtomicLong();
    final AtomicLong hedged = new AtomicLong();
    volatile Duration delay;

    Hedge(String name, Duration delay) {
      this.name = name;
      this.delay = delay;
    }
  }

  static final PolicyKind<Hedge> HEDGE = PolicyKind.<Hedge>builder("hedge", "hedges", h -> h.name)
      .counter("fusebox.hedge.calls", "first", "Requests sent: first or hedged", h -> h.requests.get())
      .counter("fusebox.hedge.calls", "hedged", "Requests sent: first or hedged", h -> h.hedged.get())
      .timeGauge("fusebox.hedge.delay", null, "Delay before the hedged request", h -> Optional.of(h.delay))
      .build();

  static final class HedgeRegistry extends PolicyRegistry<Hedge, Duration, String> {
    HedgeRegistry() {
      super(HEDGE, Duration.ofMillis(50), Hedge::new, (hedge, consumer) -> () -> {});
    }

    Hedge hedge(String name) {
      return getOrCreate(name, defaultConfig());
    }
  }

  private final PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final HedgeRegistry hedges = new HedgeRegistry();

  private PrometheusText scrape() {
    return PrometheusText.parse(prometheus.scrape());
  }

  @Test
  void publishesEveryMeasureOfAUserPolicyAndFollowsItsRegistry() {
    Hedge search = hedges.hedge("search");
    FuseboxMetrics metrics = FuseboxMetrics.builder().registry(hedges).tags("application", "shop").build();
    metrics.bindTo(prometheus);
    search.requests.addAndGet(5);
    search.hedged.incrementAndGet();

    PrometheusText s = scrape();
    assertThat(s.value("fusebox_hedge_calls_total", Map.of("name", "search", "kind", "first", "application", "shop")))
        .isEqualTo(5);
    assertThat(s.value("fusebox_hedge_calls_total", Map.of("name", "search", "kind", "hedged", "application", "shop")))
        .isEqualTo(1);
    assertThat(s.value("fusebox_hedge_delay_seconds", Map.of("name", "search", "application", "shop")))
        .isEqualTo(0.05);

    hedges.hedge("checkout");
    assertThat(metrics.size(prometheus)).isEqualTo(2);
    hedges.remove("search");
    assertThat(scrape().samples().stream().filter(x -> "search".equals(x.labels().get("name")))).isEmpty();
    metrics.close();
    assertThat(prometheus.getMeters()).isEmpty();
  }

  @Test
  void commonTagsMustNotUseTheKeysOfTheKindsMeasures() {
    PolicyKind<Hedge> tagged = PolicyKind.<Hedge>builder("hedge", "hedges", h -> h.name)
        .measure("fusebox.hedge.sent", PolicyKind.Measure.Type.COUNTER, Map.of("path", "first"), null, "Sent",
            h -> h.requests.get())
        .build();
    PolicyRegistry<Hedge, Duration, String> registry =
        new PolicyRegistry<Hedge, Duration, String>(
            tagged, Duration.ZERO, Hedge::new, (Hedge hedge, java.util.function.Consumer<String> c) -> noop()) {};

    assertThatThrownBy(() -> FuseboxMetrics.builder().registry(registry).tags("path", "x").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'path'");
  }

  private static Subscription noop() {
    return () -> {};
  }
}
