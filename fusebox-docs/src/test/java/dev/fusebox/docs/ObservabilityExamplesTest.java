package dev.fusebox.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusebox.Subscription;
import dev.fusebox.circuitbreaker.CircuitBreaker;
import dev.fusebox.circuitbreaker.CircuitBreaker.State;
import dev.fusebox.circuitbreaker.CircuitBreakerConfig;
import dev.fusebox.circuitbreaker.CircuitBreakerEvent;
import dev.fusebox.circuitbreaker.CircuitBreakerRegistry;
import dev.fusebox.bulkhead.BulkheadRegistry;
import dev.fusebox.PolicyKind;
import dev.fusebox.PolicyRegistry;
import dev.fusebox.micrometer.FuseboxMetrics;
import dev.fusebox.observability.CircuitBreakerHealth;
import dev.fusebox.observability.EventHistory;
import dev.fusebox.observability.EventLogger;
import dev.fusebox.observability.EventLoggerConfig;
import dev.fusebox.observability.HealthReport;
import dev.fusebox.observability.Outages;
import dev.fusebox.ratelimiter.RateLimiterRegistry;
import dev.fusebox.retry.RetryRegistry;
import dev.fusebox.testing.ManualTicker;
import dev.fusebox.timelimiter.TimeLimiterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The README's observability examples, run. */
class ObservabilityExamplesTest {

  private final ManualTicker ticker = new ManualTicker();
  private final CircuitBreakerRegistry circuitBreakerRegistry =
      CircuitBreakerRegistry.of(CircuitBreakerConfig.builder().ticker(ticker).countBasedWindow(2).build());
  private final PrometheusMeterRegistry meterRegistry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final List<String> warnings = new ArrayList<>();

  /** Stands in for the application's logger in the examples. */
  private final class Log {
    void warn(String message) {
      warnings.add(message);
    }
  }

  private final Log log = new Log();

  private static void trip(CircuitBreaker breaker) {
    breaker.transitionToOpenState();
  }

  @Test
  void bindingInOneLine() {
    circuitBreakerRegistry.circuitBreaker("inventory");
    // tag::metrics-bind[]
    FuseboxMetrics metrics = FuseboxMetrics.bind(circuitBreakerRegistry, meterRegistry);
    // end::metrics-bind[]
    assertThat(meterRegistry.scrape()).contains("fusebox_circuitbreaker_state{name=\"inventory\"");
    metrics.close();
    assertThat(meterRegistry.scrape()).doesNotContain("fusebox_circuitbreaker");
  }

  @Test
  void bindingWithCommonTags() {
    circuitBreakerRegistry.circuitBreaker("inventory");
    // tag::metrics-tags[]
    FuseboxMetrics metrics = FuseboxMetrics.builder(circuitBreakerRegistry)
        .tags("application", "shop", "region", "eu-west")
        .build();
    metrics.bindTo(meterRegistry);
    // end::metrics-tags[]
    assertThat(meterRegistry.scrape()).contains("region=\"eu-west\"");
  }

  @Test
  void everyKindOfPolicysMeters() {
    RetryRegistry retryRegistry = RetryRegistry.ofDefaults();
    BulkheadRegistry bulkheadRegistry = BulkheadRegistry.ofDefaults();
    RateLimiterRegistry rateLimiterRegistry = RateLimiterRegistry.ofDefaults();
    TimeLimiterRegistry timeLimiterRegistry = TimeLimiterRegistry.ofDefaults();
    bulkheadRegistry.bulkhead("reports");
    // tag::metrics-policies[]
    FuseboxMetrics metrics = FuseboxMetrics.builder()
        .registry(circuitBreakerRegistry)
        .registry(retryRegistry)
        .registry(bulkheadRegistry)
        .registry(rateLimiterRegistry)
        .registry(timeLimiterRegistry)
        .tags("application", "shop")
        .build();
    metrics.bindTo(meterRegistry);
    // end::metrics-policies[]
    assertThat(meterRegistry.scrape())
        .contains("fusebox_bulkhead_available_concurrent_calls{application=\"shop\",name=\"reports\"} 25");
    metrics.close();
    assertThat(meterRegistry.scrape()).doesNotContain("fusebox_bulkhead");
  }

  /** A policy of the user's own, as the Micrometer guide shows one: only its counts matter here. */
  record Hedge(String name, long firstRequests, long hedgedRequests) {}

  record HedgeConfig(long first, long hedged) {}

  record HedgeEvent() {}

  static final class HedgeRegistry extends PolicyRegistry<Hedge, HedgeConfig, HedgeEvent> {
    HedgeRegistry(PolicyKind<Hedge> kind) {
      super(kind, new HedgeConfig(3, 1), (name, c) -> new Hedge(name, c.first(), c.hedged()), (h, c) -> () -> {});
    }

    Hedge hedge(String name) {
      return getOrCreate(name, defaultConfig());
    }
  }

  @Test
  void aPolicyOfYourOwnGetsMetersFromItsKind() {
    // tag::metrics-own-policy[]
    PolicyKind<Hedge> kind = PolicyKind.<Hedge>builder("hedge", "hedges", Hedge::name)
        .counter("fusebox.hedge.calls", "first", "Requests sent: first or hedged", h -> h.firstRequests())
        .counter("fusebox.hedge.calls", "hedged", "Requests sent: first or hedged", h -> h.hedgedRequests())
        .build();
    // HedgeRegistry extends PolicyRegistry<Hedge, HedgeConfig, HedgeEvent> and passes kind to super(...)
    HedgeRegistry hedgeRegistry = new HedgeRegistry(kind);
    FuseboxMetrics.bind(hedgeRegistry, meterRegistry);
    // end::metrics-own-policy[]
    hedgeRegistry.hedge("search");
    assertThat(meterRegistry.scrape())
        .contains("fusebox_hedge_calls_total{kind=\"hedged\",name=\"search\"} 1");
  }

  @Test
  void history() {
    // tag::history[]
    EventHistory history = EventHistory.attach(circuitBreakerRegistry);

    List<CircuitBreakerEvent> recent = history.events("inventory");
    List<CircuitBreakerEvent> lastQuarterHour = history.query()
        .breaker("inventory")
        .types(CircuitBreakerEvent.Type.STATE_TRANSITION, CircuitBreakerEvent.Type.NOT_PERMITTED)
        .since(Instant.now().minus(Duration.ofMinutes(15)))
        .last(20)
        .list();
    // end::history[]
    assertThat(recent).isEmpty();
    assertThat(lastQuarterHour).isEmpty();
    CircuitBreaker inventory = circuitBreakerRegistry.circuitBreaker("inventory");
    trip(inventory);
    inventory.tryAcquirePermission();
    assertThat(history.query().breaker("inventory").list())
        .extracting(CircuitBreakerEvent::type)
        .containsExactly(CircuitBreakerEvent.Type.STATE_TRANSITION, CircuitBreakerEvent.Type.NOT_PERMITTED);
  }

  @Test
  void outages() {
    circuitBreakerRegistry.circuitBreaker("inventory");
    // tag::outages[]
    Outages outages = Outages.attach(circuitBreakerRegistry);
    outages.onRecovery(r -> log.warn(r.breaker() + " recovered after " + r.timeToRecovery()
        + ", sparing its dependency " + r.sparedCalls() + " calls"));

    Outages.Summary inventory = outages.summary("inventory").orElseThrow();
    inventory.sparedCalls();              // rejected during openings, the current one included
    inventory.averageTimeToRecovery();    // Optional<Duration>, over every recovery
    // end::outages[]
    assertThat(inventory.openings()).isZero();
    assertThat(inventory.averageTimeToRecovery()).isEmpty();
    // An opening that spares 3 calls and recovers after the open state's wait: the listener says so.
    CircuitBreaker breaker = circuitBreakerRegistry.circuitBreaker("inventory");
    trip(breaker);
    for (int i = 0; i < 3; i++) {
      assertThat(breaker.tryAcquirePermission()).isFalse();
    }
    ticker.advance(breaker.config().waitDurationInOpenState());
    for (int i = 0; i < breaker.config().permittedNumberOfCallsInHalfOpenState(); i++) {
      breaker.executeSupplier(() -> "ok");
    }
    assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
    assertThat(warnings).containsExactly("inventory recovered after PT1M, sparing its dependency 3 calls");
    Outages.Summary after = outages.summary("inventory").orElseThrow();
    assertThat(after.sparedCalls()).isEqualTo(3);
    assertThat(after.averageTimeToRecovery()).contains(java.time.Duration.ofMinutes(1));
  }

  @Test
  void logging() {
    // tag::logging[]
    Subscription logging = EventLogger.attach(circuitBreakerRegistry);
    // end::logging[]
    logging.close();
    // tag::logging-config[]
    EventLogger.attach(circuitBreakerRegistry, EventLoggerConfig.builder()
        .logger(System.getLogger("shop.resilience"))
        .rejectionLogPeriod(Duration.ofMinutes(1))
        .build());
    // end::logging-config[]
  }

  @Test
  void health() {
    trip(circuitBreakerRegistry.circuitBreaker("payments"));
    // tag::health[]
    CircuitBreakerHealth health = CircuitBreakerHealth.builder(circuitBreakerRegistry)
        .critical("payments", "auth")                      // or .criticalIf(breaker -> ...)
        .build();

    HealthReport report = health.check();
    report.status();                                       // UP, DEGRADED or DOWN
    for (HealthReport.BreakerHealth b : report.inState(State.OPEN, State.FORCED_OPEN)) {
      log.warn(b.name() + " open since " + b.since() + ", next trial at " + b.nextTrialAt());
    }
    report.ramping();                                      // closed breakers admitting 10, 25 or 50% of calls
    // end::health[]
    assertThat(report.status()).isEqualTo(HealthReport.Status.DOWN);
    assertThat(warnings).singleElement().asString().startsWith("payments open since ");
  }
}
