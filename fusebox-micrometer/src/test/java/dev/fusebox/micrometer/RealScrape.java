package dev.fusebox.micrometer;

import dev.fusebox.bulkhead.AdaptiveBulkheadRegistry;
import dev.fusebox.bulkhead.BulkheadRegistry;
import dev.fusebox.chaos.ChaosRegistry;
import dev.fusebox.circuitbreaker.CircuitBreaker;
import dev.fusebox.fallback.FallbackRegistry;
import dev.fusebox.ratelimiter.RateLimiterRegistry;
import dev.fusebox.retry.RetryRegistry;
import dev.fusebox.throttle.AdaptiveThrottleRegistry;
import dev.fusebox.timelimiter.TimeLimiterRegistry;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The sample names of real scrapes, with and without the histogram, to check names used elsewhere. */
final class RealScrape {

  private static final Pattern METRIC = Pattern.compile("\\bfusebox_[a-z0-9_]+");

  private RealScrape() {}

  /** Every sample name the bindings can produce: the breakers' (default and histogram) and every other kind's. */
  static Set<String> sampleNames() {
    Set<String> names = new TreeSet<>();
    names.addAll(scrape(false));
    names.addAll(scrape(true));
    names.addAll(otherPolicies());
    return names;
  }

  private static Set<String> otherPolicies() {
    RetryRegistry retries = RetryRegistry.ofDefaults();
    BulkheadRegistry bulkheads = BulkheadRegistry.ofDefaults();
    AdaptiveBulkheadRegistry adaptive = AdaptiveBulkheadRegistry.ofDefaults();
    RateLimiterRegistry rateLimiters = RateLimiterRegistry.ofDefaults();
    TimeLimiterRegistry timeLimiters = TimeLimiterRegistry.ofDefaults();
    ChaosRegistry chaos = ChaosRegistry.ofDefaults();
    FallbackRegistry fallbacks = FallbackRegistry.ofDefaults();
    AdaptiveThrottleRegistry throttles = AdaptiveThrottleRegistry.ofDefaults();
    Fixture f = new Fixture();
    FuseboxMetrics.builder()
        .registry(retries)
        .registry(bulkheads)
        .registry(adaptive)
        .registry(rateLimiters)
        .registry(timeLimiters)
        .registry(chaos)
        .registry(fallbacks)
        .registry(throttles)
        .build()
        .bindTo(f.prometheus);
    retries.retry("pricing");
    bulkheads.bulkhead("reports");
    adaptive.bulkhead("search");
    rateLimiters.rateLimiter("partner");
    timeLimiters.timeLimiter("slow");
    chaos.chaos("inventory");
    fallbacks.fallback("catalog");
    throttles.adaptiveThrottle("backend");
    return f.scrape().sampleNames();
  }

  private static Set<String> scrape(boolean histogram) {
    Fixture f = new Fixture();
    FuseboxMetrics.builder(f.breakers).percentileHistogram(histogram).build().bindTo(f.prometheus);
    CircuitBreaker breaker = f.breakers.circuitBreaker("inventory");
    f.succeedSlowly(breaker, Duration.ofSeconds(2));
    f.fail(breaker);
    f.fail(breaker);
    f.fail(breaker); // 3 of 4 failed: open
    return f.scrape().sampleNames();
  }

  /** Returns the Fusebox metric names a PromQL expression uses. */
  static Set<String> metricNamesIn(String promql) {
    Set<String> names = new TreeSet<>();
    Matcher m = METRIC.matcher(promql);
    while (m.find()) {
      names.add(m.group());
    }
    return names;
  }
}
