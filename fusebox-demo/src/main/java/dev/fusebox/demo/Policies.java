package dev.fusebox.demo;

import dev.fusebox.bulkhead.BulkheadConfig;
import dev.fusebox.bulkhead.BulkheadRegistry;
import dev.fusebox.chaos.Chaos;
import dev.fusebox.chaos.ChaosConfig;
import dev.fusebox.chaos.ChaosRegistry;
import dev.fusebox.circuitbreaker.CircuitBreakerConfig;
import dev.fusebox.circuitbreaker.CircuitBreakerRegistry;
import dev.fusebox.circuitbreaker.HealthProbe;
import dev.fusebox.fallback.Fallback;
import dev.fusebox.fallback.FallbackConfig;
import dev.fusebox.pipeline.Pipeline;
import dev.fusebox.retry.RetryConfig;
import dev.fusebox.retry.RetryRegistry;
import dev.fusebox.timelimiter.TimeLimiterConfig;
import dev.fusebox.timelimiter.TimeLimiterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ExecutorService;

/**
 * Every policy of the demo, in registries the dashboard shows: the protected route's pipeline and the
 * upstream's chaos policy. All are named {@code upstream}, after the dependency they are about.
 *
 * <p>The pipeline, from the outside in, and why each is set as it is:
 * <ol>
 *   <li><b>fallback</b>: the last known good price of the product (up to 10 minutes old), marked stale;
 *   <li><b>retry</b>: 3 attempts, 50 ms then 100 ms apart, for upstream errors only. A timeout or a full
 *       bulkhead is not retried: the dependency is slow or saturated, and asking again adds load and
 *       latency;
 *   <li><b>circuit breaker</b>: opens at 50% failures or 60% slow calls (over 400 ms) of the last 20 calls
 *       (10 at least); waits {@link Options#breakerWait}, doubling after each failed trial up to
 *       {@link Options#breakerWaitMax}; 2 trial calls; then ramps traffic up over
 *       {@link Options#recoveryRamp};
 *   <li><b>time limiter</b>: {@link Options#timeLimit} per attempt;
 *   <li><b>bulkhead</b>: 4 calls at once, a caller waits at most 10 ms for a slot. When the upstream
 *       stops answering, only 4 requests are caught waiting for it; the next ones are turned away at once,
 *       which the breaker counts as failures, so it opens within a few requests instead of a timeout.
 * </ol>
 */
final class Policies implements AutoCloseable {

  static final String NAME = "upstream";

  final CircuitBreakerRegistry breakers;
  final RetryRegistry retries = RetryRegistry.ofDefaults();
  final TimeLimiterRegistry timeLimiters = TimeLimiterRegistry.ofDefaults();
  final BulkheadRegistry bulkheads = BulkheadRegistry.ofDefaults();
  final ChaosRegistry chaos = ChaosRegistry.ofDefaults();
  final Fallback<Quote> fallback;
  final Pipeline<Quote> pipeline;
  private final ExecutorService callThreads = Threads.perTask("protected-call");
  /** Where the health probe checks the upstream; set once the upstream is listening. */
  private volatile URI probeTarget;
  private final HttpClient probeClient = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();

  /**
   * @param breakers where the breaker lives: a plain registry, or one shared through Redis
   */
  Policies(Options options, java.util.function.Function<CircuitBreakerConfig, CircuitBreakerRegistry> breakers) {
    this.breakers = breakers.apply(
        breakerConfig(options).toBuilder()
            .healthProbe(HealthProbe.of(this::probe).interval(options.probeInterval).build())
            .build());
    chaos.chaos(NAME, ChaosConfig.builder()
        .result(() -> Upstream.Reply.SERVER_ERROR)
        // The slow-down the chaos card starts by default; the rate stays 0 until then.
        .latency(options.slowdownLatency)
        .build());
    retries.retry(NAME, RetryConfig.builder()
        .maxAttempts(3)
        .waitDuration(Duration.ofMillis(50))
        .exponentialBackoff(2.0, Duration.ofMillis(200))
        .retryExceptions(UpstreamException.class)
        .build());
    timeLimiters.timeLimiter(NAME, TimeLimiterConfig.builder()
        .timeoutDuration(options.timeLimit)
        .executor(callThreads)
        .build());
    bulkheads.bulkhead(NAME, BulkheadConfig.builder()
        .maxConcurrentCalls(4)
        .maxWaitDuration(Duration.ofMillis(10))
        .build());
    fallback = Fallback.of(NAME, FallbackConfig.<Quote>builder()
        .lastKnownGood(Duration.ofMinutes(10), 10_000)
        .markStale((quote, age) -> quote.stale(age))
        .build());
    pipeline = Pipeline.<Quote>builder(NAME)
        .fallback(fallback)
        .retry(retries.retry(NAME))
        .circuitBreaker(this.breakers.circuitBreaker(NAME))
        .timeLimiter(timeLimiters.timeLimiter(NAME))
        .bulkhead(bulkheads.bulkhead(NAME))
        .build();
  }

  static CircuitBreakerConfig breakerConfig(Options options) {
    return CircuitBreakerConfig.builder()
        .countBasedWindow(20)
        .minimumNumberOfCalls(10)
        .failureRateThreshold(50)
        .slowCallDurationThreshold(Duration.ofMillis(400))
        .slowCallRateThreshold(60)
        .waitDurationInOpenState(options.breakerWait)
        .openStateBackoff(2.0, max(options.breakerWait, options.breakerWaitMax))
        .permittedNumberOfCallsInHalfOpenState(2)
        .recoveryRamp(options.recoveryRamp)
        .build();
  }

  /** Points the health probe at the upstream. */
  void probe(URI upstream) {
    this.probeTarget = upstream.resolve("/price?sku=health-probe");
  }

  /**
   * The breaker's health probe: one quote asked of the upstream, answered within half a second. While the
   * breaker is open, its first success moves it to half-open at once, rather than after the wait.
   */
  private String probe() throws IOException, InterruptedException {
    URI target = probeTarget;
    if (target == null) {
      throw new IllegalStateException("the upstream is not listening yet");
    }
    HttpResponse<String> reply = probeClient.send(
        HttpRequest.newBuilder(target).timeout(Duration.ofMillis(500)).build(), HttpResponse.BodyHandlers.ofString());
    if (reply.statusCode() != 200) {
      throw new IOException("the upstream answered " + reply.statusCode());
    }
    return reply.body();
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  Chaos upstreamChaos() {
    return chaos.chaos(NAME);
  }

  @Override
  public void close() {
    callThreads.shutdownNow();
  }
}
