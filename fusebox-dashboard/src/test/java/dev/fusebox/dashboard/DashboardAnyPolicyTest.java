package dev.fusebox.dashboard;

import static dev.fusebox.dashboard.Requests.json;
import static dev.fusebox.dashboard.Requests.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fusebox.PolicyKind;
import dev.fusebox.PolicyRegistry;
import dev.fusebox.fallback.FallbackRegistry;
import dev.fusebox.retry.RetryRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A registry of any kind, a policy of the application's own included, gets a section from its kind. */
class DashboardAnyPolicyTest {

  private static final String TOKEN = "any-policy-token-0123456789";

  /** A hedge: sends a second request when the first is slow. Only its counts matter here. */
  static final class Hedge {
    final String name;
    final AtomicLong requests = new AtomicLong();
    final AtomicLong inFlight = new AtomicLong();
    final Duration delay;

    Hedge(String name, Duration delay) {
      this.name = name;
      this.delay = delay;
    }
  }

  static final class HedgeRegistry extends PolicyRegistry<Hedge, Duration, String> {
    static final PolicyKind<Hedge> KIND = PolicyKind.<Hedge>builder("hedge", "hedges", h -> h.name)
        .counter("fusebox.hedge.calls", "hedged", "Requests sent a second time", h -> h.requests.get())
        .gauge("fusebox.hedge.in.flight", "requests", "Requests in flight", h -> h.inFlight.get())
        .timeGauge("fusebox.hedge.delay", null, "Delay before the hedged request", h -> Optional.of(h.delay))
        .build();

    HedgeRegistry() {
      super(KIND, Duration.ofMillis(50), Hedge::new, (hedge, consumer) -> () -> {});
    }

    Hedge hedge(String name) {
      return getOrCreate(name, defaultConfig());
    }
  }

  private final Breakers breakers = new Breakers();
  private final HedgeRegistry hedges = new HedgeRegistry();
  private DashboardHandler handler;

  @AfterEach
  void close() {
    if (handler != null) {
      handler.close();
    }
  }

  private Map<String, Object> snapshot(String path) {
    return json(handler.handle(request("GET", path, "X-Fusebox-Token", TOKEN)));
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> sections(Map<String, Object> snapshot) {
    return (List<Map<String, Object>>) snapshot.get("sections");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object value) {
    return (Map<String, Object>) value;
  }

  @Test
  void showsAPolicyOfTheApplicationsOwnFromItsMeasures() {
    Hedge search = hedges.hedge("search");
    handler = Dashboard.builder().registry(hedges).ticker(breakers.ticker).token(TOKEN).manualSampling()
        .buildHandler();
    handler.sampleNow();
    search.requests.addAndGet(4);
    search.inFlight.set(2);
    breakers.ticker.advance(Duration.ofSeconds(2));
    handler.sampleNow();

    Map<String, Object> snapshot = snapshot("/api/snapshot");
    assertThat(sections(snapshot)).extracting(s -> s.get("kind")).containsExactly("hedge");
    Map<String, Object> section = sections(snapshot).get(0);
    assertThat(section.get("title")).isEqualTo("Hedges");
    List<Map<String, Object>> measures = measuresOf(section);
    assertThat(measures).extracting(m -> m.get("key"))
        .containsExactly("fusebox.hedge.calls{kind=hedged}", "fusebox.hedge.in.flight", "fusebox.hedge.delay");
    assertThat(measures).extracting(m -> m.get("label")).containsExactly("calls · hedged", "in flight", "delay");
    assertThat(measures).extracting(m -> m.get("type")).containsExactly("counter", "gauge", "time_gauge");
    assertThat(measures).extracting(m -> m.get("unit")).containsExactly(null, "requests", "ms");

    @SuppressWarnings("unchecked")
    Map<String, Object> instance = ((List<Map<String, Object>>) section.get("instances")).get(0);
    assertThat(instance.get("name")).isEqualTo("search");
    assertThat(instance.get("values")).isEqualTo(List.of(4.0, 2.0, 50.0));
    // 4 hedged requests over 2 seconds; gauges as read.
    assertThat(map(instance.get("rates")))
        .containsEntry("fusebox.hedge.calls{kind=hedged}", 2.0)
        .containsEntry("fusebox.hedge.in.flight", 2.0)
        .containsEntry("fusebox.hedge.delay", 50.0);

    Map<String, Object> one = snapshot("/api/hedge/search");
    assertThat(map(map(one).get("history")).get("fusebox.hedge.calls{kind=hedged}")).isEqualTo(List.of(2.0));
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> measuresOf(Map<String, Object> section) {
    return (List<Map<String, Object>>) section.get("measures");
  }

  @Test
  void kindsWithoutAPanelOfTheirOwnComeAfterTheOthersInTheOrderGiven() {
    FallbackRegistry fallbacks = FallbackRegistry.ofDefaults();
    fallbacks.fallback("catalog");
    handler = Dashboard.builder()
        .registry(hedges)
        .registry(fallbacks)
        .registry(RetryRegistry.ofDefaults())
        .registry(breakers.registry)
        .token(TOKEN)
        .manualSampling()
        .buildHandler();

    List<Map<String, Object>> sections = sections(snapshot("/api/snapshot"));
    assertThat(sections).extracting(s -> s.get("kind"))
        .containsExactly("circuitbreaker", "retry", "hedge", "fallback");
    // Kinds with panels of their own keep their look: no measures to learn from.
    assertThat(sections.get(0)).doesNotContainKey("measures");
    assertThat(sections.get(1)).doesNotContainKey("measures");
    assertThat(measuresOf(sections.get(3))).extracting(m -> m.get("label"))
        .contains("calls · fallback", "stale values", "cache size");
  }

  @Test
  void needsARegistryAndOneOfEachKind() {
    assertThatThrownBy(() -> Dashboard.builder().buildHandler())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("registry: give at least one");
    assertThatThrownBy(() -> Dashboard.builder().registry(hedges).registry(new HedgeRegistry()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("kind 'hedge' was given before");
    assertThatThrownBy(() -> Dashboard.builder(breakers.registry).registry(breakers.registry))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("kind 'circuitbreaker'");
    assertThatThrownBy(() -> Dashboard.builder().registry(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("registry must not be null");
    assertThatThrownBy(() -> Dashboard.builder().retryRegistry(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("retryRegistry must not be null");
  }
}
