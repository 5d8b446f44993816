package dev.fusebox.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusebox.circuitbreaker.CircuitBreaker;
import dev.fusebox.circuitbreaker.CircuitBreaker.State;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Drives breakers into every state, scrapes a real Prometheus registry and checks every meter. */
class FuseboxMetricsScrapeTest {

  /** Every sample name the default binding produces, as Prometheus shows it. */
  static final Set<String> DEFAULT_SAMPLE_NAMES = Set.of(
      "fusebox_circuitbreaker_state",
      "fusebox_circuitbreaker_calls_total",
      "fusebox_circuitbreaker_slow_calls_total",
      "fusebox_circuitbreaker_probes_total",
      "fusebox_circuitbreaker_call_duration_seconds_count",
      "fusebox_circuitbreaker_call_duration_seconds_sum",
      "fusebox_circuitbreaker_failure_rate_percent",
      "fusebox_circuitbreaker_slow_call_rate_percent",
      "fusebox_circuitbreaker_buffered_calls",
      "fusebox_circuitbreaker_transitions_total",
      "fusebox_circuitbreaker_next_trial_seconds",
      "fusebox_circuitbreaker_time_in_state_seconds",
      "fusebox_circuitbreaker_ramp_percent",
      "fusebox_circuitbreaker_spared_calls_total",
      "fusebox_circuitbreaker_recovery_seconds_count",
      "fusebox_circuitbreaker_recovery_seconds_sum",
      "fusebox_circuitbreaker_recovery_seconds_max");

  private final Fixture f = new Fixture();
  private FuseboxMetrics metrics;
  private PrometheusText scrape;

  /**
   * inventory: closed, with fast, slow, failed and ignored calls; catalog: closed and ramping after a
   * recovery; payments: open for 10 s; search: half-open; orders: forced open; reviews: disabled; audit:
   * metrics-only. The ticker ends at 75 s.
   */
  @BeforeEach
  void driveEveryState() {
    metrics = FuseboxMetrics.bind(f.breakers, f.prometheus, Tags.of("application", "shop"));

    CircuitBreaker inventory = f.breakers.circuitBreaker("inventory");
    f.succeed(inventory);
    f.succeedSlowly(inventory, Duration.ofSeconds(2));
    f.failTaking(inventory, Duration.ofSeconds(3));
    f.ignored(inventory); // t = 5 s

    CircuitBreaker catalog = f.breakers.circuitBreaker("catalog");
    f.trip(catalog);
    f.ticker.advance(Fixture.WAIT);
    f.succeed(catalog); // the trial: t = 65 s, closed and ramping

    CircuitBreaker payments = f.breakers.circuitBreaker("payments");
    f.trip(payments);
    f.rejected(payments, 2);
    f.ticker.advance(Duration.ofSeconds(10)); // t = 75 s

    f.breakers.circuitBreaker("search").transitionToHalfOpenState();
    CircuitBreaker orders = f.breakers.circuitBreaker("orders");
    orders.transitionToForcedOpenState();
    f.rejected(orders, 3);
    f.breakers.circuitBreaker("reviews").transitionToDisabledState();
    f.breakers.circuitBreaker("audit").transitionToMetricsOnlyState();

    scrape = f.scrape();
  }

  @Test
  void publishesExactlyTheDocumentedMetricNames() {
    Set<String> fusebox = new TreeSet<>();
    scrape.sampleNames().stream().filter(n -> n.startsWith("fusebox_")).forEach(fusebox::add);
    assertThat(fusebox).containsExactlyInAnyOrderElementsOf(DEFAULT_SAMPLE_NAMES);
    assertThat(scrape.type("fusebox_circuitbreaker_state")).isEqualTo("gauge");
    assertThat(scrape.type("fusebox_circuitbreaker_calls_total")).isEqualTo("counter");
    assertThat(scrape.type("fusebox_circuitbreaker_slow_calls_total")).isEqualTo("counter");
    assertThat(scrape.type("fusebox_circuitbreaker_transitions_total")).isEqualTo("counter");
    assertThat(scrape.type("fusebox_circuitbreaker_call_duration_seconds")).isEqualTo("summary");
    assertThat(scrape.type("fusebox_circuitbreaker_next_trial_seconds")).isEqualTo("gauge");
  }

  @Test
  void everySampleCarriesTheBreakerNameAndTheCommonTags() {
    assertThat(scrape.samples()).filteredOn(s -> s.name().startsWith("fusebox_"))
        .isNotEmpty()
        .allSatisfy(s -> {
          assertThat(s.labels()).containsEntry("application", "shop");
          assertThat(s.labels()).containsKey("name");
        });
  }

  @Test
  void theStateGaugeIsOneForTheCurrentStateOnly() {
    Map<String, State> expected = Map.of(
        "inventory", State.CLOSED,
        "catalog", State.CLOSED,
        "payments", State.OPEN,
        "search", State.HALF_OPEN,
        "orders", State.FORCED_OPEN,
        "reviews", State.DISABLED,
        "audit", State.METRICS_ONLY);
    expected.forEach((name, current) -> {
      for (State state : State.values()) {
        String tag = state.name().toLowerCase(Locale.ROOT);
        assertThat(scrape.value("fusebox_circuitbreaker_state", Map.of("name", name, "state", tag)))
            .as("%s in %s", name, tag)
            .isEqualTo(state == current ? 1 : 0);
      }
    });
    assertThat(scrape.samples("fusebox_circuitbreaker_state", Map.of())).hasSize(7 * 6);
    assertThat(Arrays.stream(State.values()).map(s -> s.name().toLowerCase(Locale.ROOT)))
        .containsExactly("closed", "open", "half_open", "forced_open", "disabled", "metrics_only");
  }

  @Test
  void callsAreCountedByOutcomeFromTheBreakersTotals() {
    assertThat(calls("inventory")).isEqualTo(Map.of("successful", 2.0, "failed", 1.0, "ignored", 1.0, "not_permitted", 0.0));
    assertThat(slowCalls("inventory")).isEqualTo(Map.of("successful", 1.0, "failed", 1.0));
    assertThat(calls("payments")).isEqualTo(Map.of("successful", 0.0, "failed", 4.0, "ignored", 0.0, "not_permitted", 2.0));
    assertThat(calls("orders")).containsEntry("not_permitted", 3.0);
    assertThat(calls("catalog")).isEqualTo(Map.of("successful", 1.0, "failed", 4.0, "ignored", 0.0, "not_permitted", 0.0));
  }

  @Test
  void theCallDurationTimerSumsTheRecordedCalls() {
    assertThat(value("fusebox_circuitbreaker_call_duration_seconds_count", "inventory")).isEqualTo(3);
    assertThat(value("fusebox_circuitbreaker_call_duration_seconds_sum", "inventory")).isEqualTo(5.0);
    assertThat(value("fusebox_circuitbreaker_call_duration_seconds_count", "payments")).isEqualTo(4);
    assertThat(value("fusebox_circuitbreaker_call_duration_seconds_sum", "payments")).isEqualTo(0.0);
  }

  @Test
  void ratesAreMinusOneBelowTheMinimumCallsAndPercentAbove() {
    assertThat(value("fusebox_circuitbreaker_failure_rate_percent", "inventory")).isEqualTo(-1);
    assertThat(value("fusebox_circuitbreaker_slow_call_rate_percent", "inventory")).isEqualTo(-1);
    assertThat(value("fusebox_circuitbreaker_buffered_calls", "inventory")).isEqualTo(3);
    assertThat(value("fusebox_circuitbreaker_failure_rate_percent", "payments")).isEqualTo(100);
    assertThat(value("fusebox_circuitbreaker_slow_call_rate_percent", "payments")).isEqualTo(0);
    assertThat(value("fusebox_circuitbreaker_buffered_calls", "payments")).isEqualTo(4);
    assertThat(value("fusebox_circuitbreaker_failure_rate_percent", "search")).isEqualTo(-1);
  }

  @Test
  void theNextTrialCountsDownWhileOpenAndIsZeroOtherwise() {
    assertThat(value("fusebox_circuitbreaker_next_trial_seconds", "payments")).isEqualTo(50);
    for (String name : new String[] {"inventory", "catalog", "search", "orders", "reviews", "audit"}) {
      assertThat(value("fusebox_circuitbreaker_next_trial_seconds", name)).as(name).isEqualTo(0);
    }
    f.ticker.advance(Duration.ofSeconds(20));
    assertThat(f.scrape().value("fusebox_circuitbreaker_next_trial_seconds", Map.of("name", "payments")))
        .isEqualTo(30);
  }

  @Test
  void timeInStateAndRampSayHowLongAndHowFar() {
    assertThat(value("fusebox_circuitbreaker_time_in_state_seconds", "inventory")).isEqualTo(75);
    assertThat(value("fusebox_circuitbreaker_time_in_state_seconds", "payments")).isEqualTo(10);
    assertThat(value("fusebox_circuitbreaker_time_in_state_seconds", "search")).isEqualTo(0);
    assertThat(value("fusebox_circuitbreaker_ramp_percent", "catalog")).isEqualTo(25);
    assertThat(value("fusebox_circuitbreaker_ramp_percent", "inventory")).isEqualTo(100);
  }

  @Test
  void transitionsAreCountedByFromAndTo() {
    assertThat(transitions("catalog"))
        .isEqualTo(Map.of("closed->open", 1.0, "open->half_open", 1.0, "half_open->closed", 1.0, "half_open->open", 0.0));
    assertThat(transitions("payments"))
        .isEqualTo(Map.of("closed->open", 1.0, "open->half_open", 0.0, "half_open->closed", 0.0, "half_open->open", 0.0));
    assertThat(transitions("search")).containsEntry("closed->half_open", 1.0).hasSize(5);
    assertThat(transitions("orders")).containsEntry("closed->forced_open", 1.0).hasSize(5);
    assertThat(transitions("reviews")).containsEntry("closed->disabled", 1.0).hasSize(5);
    assertThat(transitions("audit")).containsEntry("closed->metrics_only", 1.0).hasSize(5);
    assertThat(transitions("inventory")).containsOnlyKeys("closed->open", "open->half_open", "half_open->closed", "half_open->open")
        .allSatisfy((k, v) -> assertThat(v).isZero());

    f.breakers.circuitBreaker("search").transitionToClosedState();
    f.breakers.circuitBreaker("search").transitionToHalfOpenState();
    assertThat(f.scrape().value(
        "fusebox_circuitbreaker_transitions_total", Map.of("name", "search", "from", "closed", "to", "half_open")))
        .isEqualTo(2);
  }

  @Test
  void theTrialCallMovesTheMetersWithTheBreaker() {
    f.ticker.advance(Duration.ofSeconds(50));
    f.succeed(f.breakers.circuitBreaker("payments"));
    PrometheusText after = f.scrape();
    assertThat(after.value("fusebox_circuitbreaker_state", Map.of("name", "payments", "state", "closed"))).isEqualTo(1);
    assertThat(after.value("fusebox_circuitbreaker_state", Map.of("name", "payments", "state", "open"))).isEqualTo(0);
    assertThat(after.value("fusebox_circuitbreaker_ramp_percent", Map.of("name", "payments"))).isEqualTo(10);
    assertThat(after.value("fusebox_circuitbreaker_next_trial_seconds", Map.of("name", "payments"))).isEqualTo(0);
    assertThat(after.value(
        "fusebox_circuitbreaker_transitions_total", Map.of("name", "payments", "from", "half_open", "to", "closed")))
        .isEqualTo(1);
  }

  @Test
  void removedBreakersVanishFromTheScrape() {
    f.breakers.remove("payments");
    f.breakers.remove("orders");
    PrometheusText after = f.scrape();
    assertThat(after.samples()).filteredOn(s -> s.name().startsWith("fusebox_"))
        .noneMatch(s -> s.labels().get("name").equals("payments") || s.labels().get("name").equals("orders"));
    assertThat(after.samples("fusebox_circuitbreaker_state", Map.of())).hasSize(5 * 6);
  }

  @Test
  void closingTheBindingRemovesEveryMeter() {
    metrics.close();
    assertThat(f.scrape().sampleNames()).noneMatch(n -> n.startsWith("fusebox_"));
    assertThat(f.prometheus.getMeters()).isEmpty();

    f.breakers.circuitBreaker("later");
    f.breakers.circuitBreaker("catalog").transitionToOpenState();
    assertThat(f.prometheus.getMeters()).isEmpty();
  }

  @Test
  void countsTheCallsSparedAndTheTimeToRecovery() {
    // catalog opened at 5 s and closed after its trial at 65 s; payments is open and rejected 2 calls.
    assertThat(value("fusebox_circuitbreaker_recovery_seconds_count", "catalog")).isEqualTo(1);
    assertThat(value("fusebox_circuitbreaker_recovery_seconds_sum", "catalog")).isEqualTo(Fixture.WAIT.toSeconds());
    assertThat(value("fusebox_circuitbreaker_recovery_seconds_count", "payments")).isZero();
    assertThat(value("fusebox_circuitbreaker_spared_calls_total", "payments")).isEqualTo(2);
    // Forced open by an operator: its rejections spare nothing the breaker decided.
    assertThat(value("fusebox_circuitbreaker_spared_calls_total", "orders")).isZero();
  }

  private double value(String metric, String breaker) {
    return scrape.value(metric, Map.of("name", breaker));
  }

  private Map<String, Double> calls(String breaker) {
    return byKind("fusebox_circuitbreaker_calls_total", breaker);
  }

  private Map<String, Double> slowCalls(String breaker) {
    return byKind("fusebox_circuitbreaker_slow_calls_total", breaker);
  }

  private Map<String, Double> byKind(String metric, String breaker) {
    Map<String, Double> values = new HashMap<>();
    scrape.samples(metric, Map.of("name", breaker)).forEach(s -> values.put(s.labels().get("kind"), s.value()));
    return values;
  }

  private Map<String, Double> transitions(String breaker) {
    Map<String, Double> values = new HashMap<>();
    scrape.samples("fusebox_circuitbreaker_transitions_total", Map.of("name", breaker))
        .forEach(s -> values.put(s.labels().get("from") + "->" + s.labels().get("to"), s.value()));
    return values;
  }
}
