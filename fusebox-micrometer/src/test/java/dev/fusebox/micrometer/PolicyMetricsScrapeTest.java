package dev.fusebox.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fusebox.bulkhead.AdaptiveBulkhead;
import dev.fusebox.bulkhead.AdaptiveBulkheadConfig;
import dev.fusebox.bulkhead.AdaptiveBulkheadRegistry;
import dev.fusebox.bulkhead.Bulkhead;
import dev.fusebox.bulkhead.BulkheadConfig;
import dev.fusebox.bulkhead.BulkheadRegistry;
import dev.fusebox.chaos.ChaosRegistry;
import dev.fusebox.fallback.FallbackRegistry;
import dev.fusebox.ratelimiter.RateLimiter;
import dev.fusebox.ratelimiter.RateLimiterConfig;
import dev.fusebox.ratelimiter.RateLimiterRegistry;
import dev.fusebox.retry.Retry;
import dev.fusebox.retry.RetryConfig;
import dev.fusebox.retry.RetryRegistry;
import dev.fusebox.throttle.AdaptiveThrottleRegistry;
import dev.fusebox.testing.ManualScheduler;
import dev.fusebox.testing.ManualSleeper;
import dev.fusebox.testing.ManualTicker;
import dev.fusebox.timelimiter.TimeLimiter;
import dev.fusebox.timelimiter.TimeLimiterConfig;
import dev.fusebox.timelimiter.TimeLimiterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Drives every kind of policy to known counts on a hand-driven ticker, scrapes a real Prometheus registry. */
class PolicyMetricsScrapeTest {

  private final ManualTicker ticker = new ManualTicker();
  private final ManualScheduler scheduler = new ManualScheduler(ticker);
  private final PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final RetryRegistry retries = RetryRegistry.of(RetryConfig.builder()
      .maxAttempts(3)
      .waitDuration(Duration.ofMillis(10))
      .retryOnException(e -> e instanceof IllegalStateException)
      .ticker(ticker)
      .sleeper(new ManualSleeper(ticker))
      .build());
  private final BulkheadRegistry bulkheads =
      BulkheadRegistry.of(BulkheadConfig.builder().maxConcurrentCalls(2).ticker(ticker).build());
  private final AdaptiveBulkheadRegistry adaptive =
      AdaptiveBulkheadRegistry.of(AdaptiveBulkheadConfig.builder().initialLimit(5).ticker(ticker).build());
  private final RateLimiterRegistry rateLimiters = RateLimiterRegistry.of(RateLimiterConfig.builder()
      .limitForPeriod(2)
      .limitRefreshPeriod(Duration.ofSeconds(1))
      .timeoutDuration(Duration.ZERO)
      .ticker(ticker)
      .build());
  private final TimeLimiterRegistry timeLimiters = TimeLimiterRegistry.of(
      TimeLimiterConfig.builder().timeoutDuration(Duration.ofSeconds(1)).scheduler(scheduler).build());
  private final ChaosRegistry chaos = ChaosRegistry.ofDefaults();
  private final FallbackRegistry fallbacks = FallbackRegistry.ofDefaults();
  private final AdaptiveThrottleRegistry throttles = AdaptiveThrottleRegistry.ofDefaults();
  private FuseboxMetrics metrics;

  @BeforeEach
  void bind() {
    metrics = FuseboxMetrics.builder()
        .registry(retries)
        .registry(bulkheads)
        .registry(adaptive)
        .registry(rateLimiters)
        .registry(timeLimiters)
        .registry(chaos)
        .registry(fallbacks)
        .registry(throttles)
        .tags("application", "shop")
        .build();
    metrics.bindTo(prometheus);
  }

  private PrometheusText scrape() {
    return PrometheusText.parse(prometheus.scrape());
  }

  private static Map<String, String> of(String name, String kind) {
    return Map.of("name", name, "kind", kind, "application", "shop");
  }

  private static Map<String, String> of(String name) {
    return Map.of("name", name, "application", "shop");
  }

  @Test
  void retryCallsByOutcomeAndAttempts() {
    Retry retry = retries.retry("pricing");
    AtomicInteger calls = new AtomicInteger();
    retry.executeSupplier(() -> "first time");
    retry.executeSupplier(() -> {
      if (calls.incrementAndGet() == 1) {
        throw new IllegalStateException("once");
      }
      return "second time";
    });
    for (int i = 0; i < 2; i++) {
      try {
        retry.executeSupplier(() -> {
          throw new IllegalStateException("always");
        });
      } catch (IllegalStateException expected) {
        // three attempts, then the last failure
      }
    }
    try {
      retry.executeSupplier(() -> {
        throw new IllegalArgumentException("not retried");
      });
    } catch (IllegalArgumentException expected) {
      // not retryable
    }
    PrometheusText s = scrape();
    assertThat(s.value("fusebox_retry_calls_total", of("pricing", "successful_without_retry"))).isEqualTo(1);
    assertThat(s.value("fusebox_retry_calls_total", of("pricing", "successful_with_retry"))).isEqualTo(1);
    assertThat(s.value("fusebox_retry_calls_total", of("pricing", "failed_with_retry"))).isEqualTo(2);
    assertThat(s.value("fusebox_retry_calls_total", of("pricing", "failed_without_retry"))).isEqualTo(1);
    assertThat(s.value("fusebox_retry_attempts_total", of("pricing"))).isEqualTo(1 + 2 * 2);
    assertThat(s.value("fusebox_retry_budget_exhausted_total", of("pricing"))).isZero();
    assertThat(s.type("fusebox_retry_calls_total")).isEqualTo("counter");
  }

  @Test
  void bulkheadGaugesAndCalls() {
    Bulkhead bulkhead = bulkheads.bulkhead("reports");
    assertThat(bulkhead.tryAcquirePermission()).isTrue();
    assertThat(bulkhead.tryAcquirePermission()).isTrue();
    assertThat(bulkhead.tryAcquirePermission()).isFalse();
    bulkhead.onComplete();
    PrometheusText s = scrape();
    assertThat(s.value("fusebox_bulkhead_available_concurrent_calls", of("reports"))).isEqualTo(1);
    assertThat(s.value("fusebox_bulkhead_max_allowed_concurrent_calls", of("reports"))).isEqualTo(2);
    assertThat(s.value("fusebox_bulkhead_concurrent_calls", of("reports"))).isEqualTo(1);
    assertThat(s.value("fusebox_bulkhead_waiting_calls", of("reports"))).isZero();
    assertThat(s.value("fusebox_bulkhead_calls_total", of("reports", "permitted"))).isEqualTo(2);
    assertThat(s.value("fusebox_bulkhead_calls_total", of("reports", "rejected"))).isEqualTo(1);
    assertThat(s.value("fusebox_bulkhead_calls_total", of("reports", "finished"))).isEqualTo(1);
    assertThat(s.type("fusebox_bulkhead_available_concurrent_calls")).isEqualTo("gauge");
    assertThat(s.type("fusebox_bulkhead_calls_total")).isEqualTo("counter");
  }

  @Test
  void adaptiveBulkheadLimitLatencyAndCalls() {
    AdaptiveBulkhead search = adaptive.bulkhead("search");
    for (int i = 0; i < 5; i++) {
      assertThat(search.tryAcquirePermission()).isTrue();
    }
    assertThat(search.tryAcquirePermission()).isFalse();
    search.onSuccess(Duration.ofMillis(20).toNanos());
    search.onDropped(Duration.ofMillis(900).toNanos());
    PrometheusText s = scrape();
    AdaptiveBulkhead.Metrics m = search.metrics();
    assertThat(s.value("fusebox_bulkhead_adaptive_limit", of("search"))).isEqualTo(m.limit());
    assertThat(s.value("fusebox_bulkhead_adaptive_concurrent_calls", of("search"))).isEqualTo(3);
    assertThat(s.value("fusebox_bulkhead_adaptive_available_concurrent_calls", of("search")))
        .isEqualTo(m.availableConcurrentCalls());
    assertThat(s.value("fusebox_bulkhead_adaptive_probing", of("search"))).isZero();
    assertThat(s.value("fusebox_bulkhead_adaptive_calls_total", of("search", "permitted"))).isEqualTo(5);
    assertThat(s.value("fusebox_bulkhead_adaptive_calls_total", of("search", "rejected"))).isEqualTo(1);
    assertThat(s.value("fusebox_bulkhead_adaptive_calls_total", of("search", "dropped"))).isEqualTo(1);
    // No window of latency samples is complete yet: no baseline to show.
    assertThat(m.noLoadRtt()).isEmpty();
    assertThat(s.value("fusebox_bulkhead_adaptive_rtt_seconds", of("search", "no_load"))).isNaN();
  }

  @Test
  void adaptiveBulkheadLatencyOnceMeasured() {
    AdaptiveBulkhead search = adaptive.bulkhead("measured");
    for (int i = 0; i < 30; i++) {
      search.acquirePermission();
      search.onSuccess(Duration.ofMillis(20).toNanos());
    }
    assertThat(search.metrics().latestRtt()).isPresent();
    PrometheusText s = scrape();
    assertThat(s.value("fusebox_bulkhead_adaptive_rtt_seconds", of("measured", "latest")))
        .isEqualTo(search.metrics().latestRtt().orElseThrow().toNanos() / 1e9);
    assertThat(s.value("fusebox_bulkhead_adaptive_rtt_seconds", of("measured", "no_load")))
        .isEqualTo(search.metrics().noLoadRtt().orElseThrow().toNanos() / 1e9);
  }

  @Test
  void rateLimiterPermitsAndRequests() {
    RateLimiter limiter = rateLimiters.rateLimiter("partner");
    assertThat(limiter.tryAcquirePermission()).isTrue();
    assertThat(limiter.tryAcquirePermission()).isTrue();
    assertThat(limiter.tryAcquirePermission()).isFalse();
    PrometheusText s = scrape();
    assertThat(s.value("fusebox_ratelimiter_available_permissions", of("partner"))).isZero();
    assertThat(s.value("fusebox_ratelimiter_waiting_threads", of("partner"))).isZero();
    assertThat(s.value("fusebox_ratelimiter_limit_for_period_permissions", of("partner"))).isEqualTo(2);
    assertThat(s.value("fusebox_ratelimiter_calls_total", of("partner", "successful"))).isEqualTo(2);
    assertThat(s.value("fusebox_ratelimiter_calls_total", of("partner", "failed"))).isEqualTo(1);
    assertThat(s.value("fusebox_ratelimiter_permits_total", of("partner"))).isEqualTo(2);
    ticker.advance(Duration.ofSeconds(1));
    assertThat(scrape().value("fusebox_ratelimiter_available_permissions", of("partner"))).isEqualTo(2);
  }

  @Test
  void timeLimiterOutcomes() {
    TimeLimiter limiter = timeLimiters.timeLimiter("slow");
    limiter.executeCompletionStage(() -> CompletableFuture.completedFuture("fast"));
    limiter.executeCompletionStage(() -> CompletableFuture.failedFuture(new IllegalStateException("down")));
    CompletableFuture<String> hung = new CompletableFuture<>();
    CompletableFuture<String> timed = limiter.executeCompletionStage(() -> hung).toCompletableFuture();
    scheduler.advance(Duration.ofSeconds(2));
    assertThat(timed).isCompletedExceptionally();
    PrometheusText s = scrape();
    assertThat(s.value("fusebox_timelimiter_calls_total", of("slow", "successful"))).isEqualTo(1);
    assertThat(s.value("fusebox_timelimiter_calls_total", of("slow", "failed"))).isEqualTo(1);
    assertThat(s.value("fusebox_timelimiter_calls_total", of("slow", "timeout"))).isEqualTo(1);
  }

  @Test
  void chaosCallsAndInjections() {
    dev.fusebox.chaos.Chaos inventory = chaos.chaos("inventory");
    inventory.executeSupplier(() -> "real");
    inventory.update(s -> s.withFaultRate(1.0));
    for (int i = 0; i < 2; i++) {
      try {
        inventory.executeSupplier(() -> "real");
      } catch (dev.fusebox.chaos.InjectedFaultException expected) {
        // injected
      }
    }
    PrometheusText s = scrape();
    assertThat(s.value("fusebox_chaos_calls_total", of("inventory"))).isEqualTo(3);
    assertThat(s.value("fusebox_chaos_injections_total", of("inventory", "fault"))).isEqualTo(2);
    assertThat(s.value("fusebox_chaos_injections_total", of("inventory", "latency"))).isZero();
    assertThat(s.value("fusebox_chaos_enabled", of("inventory"))).isEqualTo(1);
    inventory.disable();
    assertThat(scrape().value("fusebox_chaos_enabled", of("inventory"))).isZero();
  }

  @Test
  void policiesAddedLaterGetMetersAndRemovedOnesLoseThem() {
    retries.retry("early");
    bulkheads.bulkhead("early");
    assertThat(scrape().samples("fusebox_retry_calls_total", of("early"))).hasSize(4);
    Retry late = retries.retry("late");
    late.executeSupplier(() -> "ok");
    assertThat(scrape().value("fusebox_retry_calls_total", of("late", "successful_without_retry"))).isEqualTo(1);

    retries.remove("early");
    bulkheads.remove("early");
    PrometheusText s = scrape();
    assertThat(s.samples().stream().filter(x -> "early".equals(x.labels().get("name")))).isEmpty();
    assertThat(s.samples("fusebox_retry_calls_total", of("late"))).hasSize(4);
    // A new policy of a removed one's name gets fresh meters, reading the new one.
    retries.retry("early");
    assertThat(scrape().value("fusebox_retry_calls_total", of("early", "successful_without_retry"))).isZero();
  }

  @Test
  void closingRemovesEveryMeterAndBindingTwiceRegistersOnce() {
    bulkheads.bulkhead("reports");
    rateLimiters.rateLimiter("partner");
    metrics.bindTo(prometheus);
    assertThat(metrics.size(prometheus)).isEqualTo(2);
    assertThat(scrape().samples("fusebox_bulkhead_calls_total", of("reports"))).hasSize(3);
    metrics.close();
    assertThat(prometheus.getMeters()).isEmpty();
    assertThat(scrape().samples()).isEmpty();
    assertThatThrownBy(() -> metrics.bindTo(prometheus))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
    // Policies created after closing are not followed.
    bulkheads.bulkhead("after");
    assertThat(prometheus.getMeters()).isEmpty();
  }

  @Test
  void badInputIsNamed() {
    assertThatThrownBy(() -> FuseboxMetrics.builder().build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least one registry");
    assertThatThrownBy(() -> FuseboxMetrics.builder().registry(retries).registry(retries))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("given twice");
    assertThatThrownBy(() -> FuseboxMetrics.builder().tags("kind", "x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'kind'");
    assertThatThrownBy(() -> FuseboxMetrics.builder().registry(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("registry must not be null");
  }

  @Test
  void everyMeterNameIsDocumentedInTheGuide() throws Exception {
    retries.retry("r");
    bulkheads.bulkhead("b");
    adaptive.bulkhead("a");
    rateLimiters.rateLimiter("l");
    timeLimiters.timeLimiter("t");
    chaos.chaos("c");
    fallbacks.fallback("f");
    throttles.adaptiveThrottle("h");
    Set<String> names = scrape().sampleNames();
    String readme = java.nio.file.Files.readString(java.nio.file.Path.of("..", "docs", "micrometer.md"));
    for (String name : names) {
      assertThat(readme).as("README mentions %s", name).contains(name.replaceAll("_total$", ""));
    }
    assertThat(names).hasSize(36);
  }
}
