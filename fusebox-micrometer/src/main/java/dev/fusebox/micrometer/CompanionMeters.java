package dev.fusebox.micrometer;

import dev.fusebox.bulkhead.AdaptiveBulkhead;
import dev.fusebox.bulkhead.Bulkhead;
import dev.fusebox.chaos.Chaos;
import dev.fusebox.ratelimiter.RateLimiter;
import dev.fusebox.retry.Retry;
import dev.fusebox.timelimiter.TimeLimiter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * The meters of one companion policy in one meter registry.
 *
 * <p>Design note. Every meter reads the policy's own metrics snapshot when the registry is scraped, as the
 * breaker's meters do: cumulative totals become function counters, current values gauges, and nothing is
 * added to the call path. Micrometer holds the policy weakly. All meters are registered up front, so
 * closing needs no lock.
 *
 * <p>This class is threadsafe once constructed.
 *
 * @param <P> the policy type
 * @param <M> its metrics snapshot type
 */
final class CompanionMeters<P, M> implements RegistryBinding.Meters {

  private final P policy;
  private final Function<P, M> metrics;
  private final MeterRegistry registry;
  private final Tags tags;
  private final List<Meter> meters = new ArrayList<>();
  private volatile boolean closed;

  private CompanionMeters(P policy, Function<P, M> metrics, String name, MeterRegistry registry, Tags commonTags) {
    this.policy = policy;
    this.metrics = metrics;
    this.registry = registry;
    this.tags = commonTags.and("name", name);
  }

  static CompanionMeters<Retry, Retry.Metrics> retry(Retry retry, MeterRegistry registry, Tags commonTags) {
    CompanionMeters<Retry, Retry.Metrics> m =
        new CompanionMeters<>(retry, Retry::metrics, retry.name(), registry, commonTags);
    String calls = "Calls through the retry by outcome: successful or failed, with or without a retry";
    m.counter(CompanionMetrics.RETRY_CALLS, "successful_without_retry", calls,
        Retry.Metrics::numberOfSuccessfulCallsWithoutRetryAttempt);
    m.counter(CompanionMetrics.RETRY_CALLS, "successful_with_retry", calls,
        Retry.Metrics::numberOfSuccessfulCallsWithRetryAttempt);
    m.counter(CompanionMetrics.RETRY_CALLS, "failed_without_retry", calls,
        Retry.Metrics::numberOfFailedCallsWithoutRetryAttempt);
    m.counter(CompanionMetrics.RETRY_CALLS, "failed_with_retry", calls,
        Retry.Metrics::numberOfFailedCallsWithRetryAttempt);
    m.counter(CompanionMetrics.RETRY_ATTEMPTS, null, "Retries made: attempts beyond each call's first",
        Retry.Metrics::numberOfTotalRetryAttempts);
    m.counter(CompanionMetrics.RETRY_BUDGET_EXHAUSTED, null, "Calls that ended because the retry budget refused a retry",
        Retry.Metrics::numberOfBudgetExhaustedCalls);
    return m;
  }

  static CompanionMeters<Bulkhead, Bulkhead.Metrics> bulkhead(
      Bulkhead bulkhead, MeterRegistry registry, Tags commonTags) {
    CompanionMeters<Bulkhead, Bulkhead.Metrics> m =
        new CompanionMeters<>(bulkhead, Bulkhead::metrics, bulkhead.name(), registry, commonTags);
    m.gauge(CompanionMetrics.BULKHEAD_AVAILABLE, "calls", "Calls that could start now without waiting",
        Bulkhead.Metrics::availableConcurrentCalls);
    m.gauge(CompanionMetrics.BULKHEAD_MAX_ALLOWED, "calls", "The bulkhead's limit of concurrent calls",
        Bulkhead.Metrics::maxAllowedConcurrentCalls);
    m.gauge(CompanionMetrics.BULKHEAD_CONCURRENT, "calls", "Admitted calls running now",
        Bulkhead.Metrics::concurrentCalls);
    m.gauge(CompanionMetrics.BULKHEAD_WAITING, "calls", "Callers waiting for a permit now",
        Bulkhead.Metrics::waitingCalls);
    String calls = "Calls through the bulkhead: permitted, rejected, and finished (permit given back)";
    m.counter(CompanionMetrics.BULKHEAD_CALLS, "permitted", calls, Bulkhead.Metrics::totalPermittedCalls);
    m.counter(CompanionMetrics.BULKHEAD_CALLS, "rejected", calls, Bulkhead.Metrics::totalRejectedCalls);
    m.counter(CompanionMetrics.BULKHEAD_CALLS, "finished", calls, Bulkhead.Metrics::totalFinishedCalls);
    return m;
  }

  static CompanionMeters<AdaptiveBulkhead, AdaptiveBulkhead.Metrics> adaptiveBulkhead(
      AdaptiveBulkhead bulkhead, MeterRegistry registry, Tags commonTags) {
    CompanionMeters<AdaptiveBulkhead, AdaptiveBulkhead.Metrics> m =
        new CompanionMeters<>(bulkhead, AdaptiveBulkhead::metrics, bulkhead.name(), registry, commonTags);
    m.gauge(CompanionMetrics.ADAPTIVE_LIMIT, null, "The concurrency limit learnt from latency",
        AdaptiveBulkhead.Metrics::limit);
    m.gauge(CompanionMetrics.ADAPTIVE_CONCURRENT, "calls", "Admitted calls in flight now",
        AdaptiveBulkhead.Metrics::concurrentCalls);
    m.gauge(CompanionMetrics.ADAPTIVE_AVAILABLE, "calls", "Calls that could start now: the limit minus those in flight",
        AdaptiveBulkhead.Metrics::availableConcurrentCalls);
    m.gauge(CompanionMetrics.ADAPTIVE_PROBING, null, "Whether a probe is lowering the limit to re-measure the no-load latency (1) or not (0)",
        x -> x.probing() ? 1 : 0);
    String rtt = "Latency the limit is judged by: no_load (the baseline) and latest (the last window); NaN until measured";
    m.timeGauge(CompanionMetrics.ADAPTIVE_RTT, "no_load", rtt, AdaptiveBulkhead.Metrics::noLoadRtt);
    m.timeGauge(CompanionMetrics.ADAPTIVE_RTT, "latest", rtt, AdaptiveBulkhead.Metrics::latestRtt);
    String calls = "Calls through the adaptive bulkhead: permitted, rejected, and dropped (which lowered the limit)";
    m.counter(CompanionMetrics.ADAPTIVE_CALLS, "permitted", calls, AdaptiveBulkhead.Metrics::totalPermittedCalls);
    m.counter(CompanionMetrics.ADAPTIVE_CALLS, "rejected", calls, AdaptiveBulkhead.Metrics::totalRejectedCalls);
    m.counter(CompanionMetrics.ADAPTIVE_CALLS, "dropped", calls, AdaptiveBulkhead.Metrics::totalDroppedCalls);
    return m;
  }

  static CompanionMeters<RateLimiter, RateLimiter.Metrics> rateLimiter(
      RateLimiter limiter, MeterRegistry registry, Tags commonTags) {
    CompanionMeters<RateLimiter, RateLimiter.Metrics> m =
        new CompanionMeters<>(limiter, RateLimiter::metrics, limiter.name(), registry, commonTags);
    m.gauge(CompanionMetrics.RATE_LIMITER_AVAILABLE, "permissions",
        "Permits available now; negative while permits are reserved ahead", RateLimiter.Metrics::availablePermissions);
    m.gauge(CompanionMetrics.RATE_LIMITER_WAITING, "threads", "Threads sleeping until their reserved permits are due",
        RateLimiter.Metrics::numberOfWaitingThreads);
    m.gauge(CompanionMetrics.RATE_LIMITER_LIMIT, "permissions", "Permits per period in force, run-time changes included",
        RateLimiter.Metrics::limitForPeriod);
    String calls = "Requests for permits: successful (granted) or failed (refused)";
    m.counter(CompanionMetrics.RATE_LIMITER_CALLS, "successful", calls, RateLimiter.Metrics::totalSuccessfulAcquisitions);
    m.counter(CompanionMetrics.RATE_LIMITER_CALLS, "failed", calls, RateLimiter.Metrics::totalFailedAcquisitions);
    m.counter(CompanionMetrics.RATE_LIMITER_PERMITS, null, "Permits granted", RateLimiter.Metrics::totalPermittedPermits);
    return m;
  }

  static CompanionMeters<TimeLimiter, TimeLimiter.Metrics> timeLimiter(
      TimeLimiter limiter, MeterRegistry registry, Tags commonTags) {
    CompanionMeters<TimeLimiter, TimeLimiter.Metrics> m =
        new CompanionMeters<>(limiter, TimeLimiter::metrics, limiter.name(), registry, commonTags);
    String calls = "Calls through the time limiter: successful or failed in time, or timeout";
    m.counter(CompanionMetrics.TIME_LIMITER_CALLS, "successful", calls, TimeLimiter.Metrics::numberOfSuccessfulCalls);
    m.counter(CompanionMetrics.TIME_LIMITER_CALLS, "failed", calls, TimeLimiter.Metrics::numberOfFailedCalls);
    m.counter(CompanionMetrics.TIME_LIMITER_CALLS, "timeout", calls, TimeLimiter.Metrics::numberOfTimedOutCalls);
    return m;
  }

  static CompanionMeters<Chaos, Chaos.Metrics> chaos(Chaos chaos, MeterRegistry registry, Tags commonTags) {
    CompanionMeters<Chaos, Chaos.Metrics> m =
        new CompanionMeters<>(chaos, Chaos::metrics, chaos.name(), registry, commonTags);
    m.counter(CompanionMetrics.CHAOS_CALLS, null, "Calls through the chaos policy", Chaos.Metrics::numberOfCalls);
    String injections = "What the chaos policy injected: fault, result or latency";
    m.counter(CompanionMetrics.CHAOS_INJECTIONS, "fault", injections, Chaos.Metrics::numberOfInjectedFaults);
    m.counter(CompanionMetrics.CHAOS_INJECTIONS, "result", injections, Chaos.Metrics::numberOfInjectedResults);
    m.counter(CompanionMetrics.CHAOS_INJECTIONS, "latency", injections, Chaos.Metrics::numberOfInjectedLatencies);
    m.meters.add(
        Gauge.builder(CompanionMetrics.CHAOS_ENABLED, chaos, c -> c.settings().enabled() ? 1 : 0)
            .description("Whether the chaos policy may inject anything (1) or not (0)")
            .tags(m.tags)
            .register(registry));
    return m;
  }

  private void counter(String name, String kind, String description, ToDoubleFunction<M> value) {
    FunctionCounter.Builder<P> b =
        FunctionCounter.builder(name, policy, p -> value.applyAsDouble(metrics.apply(p)))
            .description(description)
            .tags(tags);
    if (kind != null) {
      b.tag("kind", kind);
    }
    meters.add(b.register(registry));
  }

  private void gauge(String name, String unit, String description, ToDoubleFunction<M> value) {
    meters.add(
        Gauge.builder(name, policy, p -> value.applyAsDouble(metrics.apply(p)))
            .description(description)
            .baseUnit(unit)
            .tags(tags)
            .register(registry));
  }

  private void timeGauge(String name, String kind, String description, Function<M, Optional<Duration>> value) {
    meters.add(
        TimeGauge.builder(
                name,
                policy,
                TimeUnit.NANOSECONDS,
                p -> value.apply(metrics.apply(p)).map(d -> (double) d.toNanos()).orElse(Double.NaN))
            .description(description)
            .tags(tags)
            .tag("kind", kind)
            .register(registry));
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      meters.forEach(registry::remove);
    }
  }
}
