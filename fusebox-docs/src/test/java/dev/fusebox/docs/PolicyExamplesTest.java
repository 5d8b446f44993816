package dev.fusebox.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusebox.Policy;
import dev.fusebox.bulkhead.AdaptiveBulkhead;
import dev.fusebox.bulkhead.AdaptiveBulkheadConfig;
import dev.fusebox.bulkhead.Bulkhead;
import dev.fusebox.bulkhead.BulkheadConfig;
import dev.fusebox.chaos.Chaos;
import dev.fusebox.chaos.ChaosSettings;
import dev.fusebox.circuitbreaker.CircuitBreaker;
import dev.fusebox.fallback.Fallback;
import dev.fusebox.fallback.FallbackConfig;
import dev.fusebox.fallback.FallbackResult;
import dev.fusebox.pipeline.Pipeline;
import dev.fusebox.ratelimiter.RateLimiter;
import dev.fusebox.ratelimiter.RateLimiterConfig;
import dev.fusebox.retry.Retry;
import dev.fusebox.retry.RetryBudget;
import dev.fusebox.retry.RetryConfig;
import dev.fusebox.timelimiter.TimeLimiter;
import dev.fusebox.throttle.AdaptiveThrottle;
import dev.fusebox.throttle.AdaptiveThrottleConfig;
import dev.fusebox.throttle.CallThrottledException;
import dev.fusebox.timelimiter.TimeLimiterConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The examples of the README and of docs/policies.md: every policy, the pipeline, a policy of one's own. */
class PolicyExamplesTest {

  /** A quote, as the examples' dependency returns it. */
  record Quote(String symbol, double price) {
    static final Quote UNKNOWN = new Quote("?", Double.NaN);
  }

  /** Stands in for a remote quote service. */
  static final class Quotes {
    final AtomicBoolean down = new AtomicBoolean();

    Quote fetch(String symbol) {
      if (down.get()) {
        throw new UncheckedIOException(new IOException("quote service unavailable"));
      }
      return new Quote(symbol, 42.0);
    }

    CompletionStage<Quote> fetchAsync(String symbol) {
      return CompletableFuture.completedFuture(fetch(symbol));
    }
  }

  private final Quotes quotes = new Quotes();
  private final Map<String, String> headers = new HashMap<>();
  private final ExecutorService executor = Executors.newCachedThreadPool();

  @AfterEach
  void stopExecutor() {
    executor.shutdownNow();
  }

  @Test
  void pipeline() {
    // tag::pipeline[]
    Pipeline<Quote> pipeline = Pipeline.<Quote>builder("quotes")
        .fallback(Fallback.of("quotes", FallbackConfig.<Quote>builder()
            .lastKnownGood(Duration.ofMinutes(10), 10_000)
            .build()))
        .retry(Retry.of("quotes", RetryConfig.builder().maxAttempts(3).build()))
        .circuitBreaker(CircuitBreaker.ofDefaults("quotes"))
        .timeLimiter(TimeLimiter.of("quotes", TimeLimiterConfig.builder()
            .timeoutDuration(Duration.ofMillis(500))
            .executor(executor)                  // Java 17 to 20; on 21+ blocking calls run on virtual threads
            .build()))
        .bulkhead(Bulkhead.of("quotes", BulkheadConfig.builder().maxConcurrentCalls(20).build()))
        .build();

    Supplier<Quote> guarded = pipeline.decorateSupplier(() -> quotes.fetch("ACME"));   // decorate once
    Quote quote = guarded.get();                                                        // call many times
    CompletionStage<Quote> later = pipeline.executeCompletionStage(() -> quotes.fetchAsync("ACME"));
    // end::pipeline[]
    assertThat(quote.price()).isEqualTo(42.0);
    assertThat(later.toCompletableFuture().join().symbol()).isEqualTo("ACME");
    assertThat(pipeline.layers()).hasSize(5);
  }

  @Test
  void retry() {
    // tag::retry[]
    RetryBudget budget = RetryBudget.builder().retryPercent(20).minRetriesPerSecond(5).build();
    Retry retry = Retry.of("prices", RetryConfig.builder()
        .maxAttempts(4)
        .waitDuration(Duration.ofMillis(100))
        .exponentialBackoff(2.0, Duration.ofSeconds(2))
        .jitter(RetryConfig.Jitter.FULL)
        .maxDuration(Duration.ofSeconds(5))
        .retryExceptions(UncheckedIOException.class)
        .retryBudget(budget)                                  // one budget per downstream, shared
        .build());

    Quote price = retry.executeSupplier(() -> quotes.fetch("ACME"));
    // end::retry[]
    assertThat(price.symbol()).isEqualTo("ACME");
  }

  @Test
  void timeLimiter() {
    // tag::time-limiter[]
    TimeLimiter limiter = TimeLimiter.of("search", TimeLimiterConfig.builder()
        .timeoutDuration(Duration.ofMillis(300))
        .build());
    CompletionStage<Quote> bounded = limiter.executeCompletionStage(() -> quotes.fetchAsync("ACME"));
    // end::time-limiter[]
    assertThat(bounded.toCompletableFuture().join().symbol()).isEqualTo("ACME");
  }

  @Test
  void bulkheads() {
    // tag::bulkheads[]
    Bulkhead reports = Bulkhead.of("reports", BulkheadConfig.builder()
        .maxConcurrentCalls(4)
        .maxWaitDuration(Duration.ofMillis(50))
        .build());
    AdaptiveBulkhead search = AdaptiveBulkhead.of("search", AdaptiveBulkheadConfig.builder()
        .initialLimit(10)
        .maxLimit(100)
        .build());

    Quote q = reports.executeSupplier(() -> quotes.fetch("ACME"));
    Quote s = search.executeSupplier(() -> quotes.fetch("ACME"));
    // end::bulkheads[]
    assertThat(q).isEqualTo(s);
    assertThat(reports.metrics().availableConcurrentCalls()).isEqualTo(4);
  }

  @Test
  void rateLimiter() {
    // tag::rate-limiter[]
    RateLimiter limiter = RateLimiter.of("partner-api", RateLimiterConfig.builder()
        .algorithm(RateLimiterConfig.Algorithm.TOKEN_BUCKET)
        .limitForPeriod(100)
        .limitRefreshPeriod(Duration.ofSeconds(1))
        .burstCapacity(20)
        .timeoutDuration(Duration.ofMillis(250))
        .build());

    Quote q = limiter.executeSupplier(() -> quotes.fetch("ACME"));
    boolean sent = limiter.tryAcquirePermission(5);
    limiter.changeLimitForPeriod(50);                         // the partner asked us to slow down
    // end::rate-limiter[]
    assertThat(q.symbol()).isEqualTo("ACME");
    assertThat(sent).isTrue();
  }

  @Test
  void fallback() {
    // tag::fallback[]
    Fallback<Quote> fallback = Fallback.of("quotes", FallbackConfig.<Quote>builder()
        .lastKnownGood(Duration.ofMinutes(10), 10_000)
        .fallbackValue(Quote.UNKNOWN)
        .build());

    FallbackResult<Quote> answer = fallback.executeSupplierForResult("ACME", () -> quotes.fetch("ACME"));
    if (answer.isStale()) {
      headers.put("X-Cache", "stale");
      headers.put("Age", Long.toString(answer.age().toSeconds()));
    }
    // end::fallback[]
    assertThat(answer.isStale()).isFalse();
    quotes.down.set(true);
    FallbackResult<Quote> stale = fallback.executeSupplierForResult("ACME", () -> quotes.fetch("ACME"));
    assertThat(stale.isStale()).isTrue();
    assertThat(stale.value().price()).isEqualTo(42.0);
    assertThat(fallback.executeSupplierForResult("OTHER", () -> quotes.fetch("OTHER")).value())
        .isEqualTo(Quote.UNKNOWN);
  }

  @Test
  void chaos() {
    // tag::chaos[]
    Chaos chaos = Chaos.ofDefaults("inventory");                   // injects nothing yet
    Supplier<Quote> call = chaos.decorateSupplier(() -> quotes.fetch("ACME"));

    chaos.update(s -> s.withFaultRate(0.5));                        // half the calls fail
    chaos.update(s -> s.withLatency(1.0, Duration.ofMillis(800)));  // every call 800 ms later
    chaos.update(ChaosSettings::outage);                            // full outage
    chaos.update(ChaosSettings::healthy);                           // back to normal
    // end::chaos[]
    assertThat(call.get().symbol()).isEqualTo("ACME");
  }

  @Test
  void adaptiveThrottle() {
    // tag::adaptive-throttle[]
    AdaptiveThrottle throttle = AdaptiveThrottle.of("quotes", AdaptiveThrottleConfig.builder()
        .k(2.0)                                          // the SRE book's K: up to 2 requests per accept
        .samplingWindow(Duration.ofMinutes(2))
        .maxRejectionProbability(0.9)
        .recordExceptions(UncheckedIOException.class)    // any other exception was an answer (a 4xx, say)
        .build());

    Quote q = throttle.executeSupplier(() -> quotes.fetch("ACME"));
    double shedding = throttle.metrics().rejectionProbability();   // 0.0: every request was accepted
    // end::adaptive-throttle[]
    assertThat(q.symbol()).isEqualTo("ACME");
    assertThat(shedding).isZero();
    quotes.down.set(true);
    for (int i = 0; i < 20; i++) {
      try {
        throttle.executeSupplier(() -> quotes.fetch("ACME"));
      } catch (UncheckedIOException | CallThrottledException expected) {
        // failed, or shed: either way a request that was not accepted
      }
    }
    AdaptiveThrottle.Metrics m = throttle.metrics();
    assertThat(m.totalRequests()).isEqualTo(21);
    assertThat(m.rejectionProbability()).isEqualTo((21 - 2.0 * 1) / (21 + 1));

    // tag::adaptive-throttle-pipeline[]
    Pipeline<Quote> pipeline = Pipeline.<Quote>builder("quotes")
        .retry(Retry.of("quotes", RetryConfig.builder().maxAttempts(3).build()))
        .circuitBreaker(CircuitBreaker.ofDefaults("quotes"))
        .adaptiveThrottle(throttle)                      // judges every attempt the breaker lets through
        .rateLimiter(RateLimiter.ofDefaults("quotes"))   // an attempt the throttle sheds spends no permit
        .build();
    // end::adaptive-throttle-pipeline[]
    assertThat(pipeline.layers()).containsExactly(
        "retry 'quotes'", "circuitBreaker 'quotes'", "adaptiveThrottle 'quotes'", "rateLimiter 'quotes'");
  }

  // tag::custom-policy[]
  /** Counts the calls it lets through and the ones that failed; every other call form comes from Policy. */
  static final class CallCounter implements Policy {
    final LongAdder calls = new LongAdder();
    final LongAdder failures = new LongAdder();

    @Override
    public String name() {
      return "counter";
    }

    @Override
    public <T> T executeCallable(Callable<T> callable) throws Exception {
      calls.increment();
      try {
        return callable.call();
      } catch (Exception e) {
        failures.increment();
        throw e;
      }
    }

    @Override
    public <T> CompletionStage<T> executeCompletionStage(Supplier<? extends CompletionStage<T>> supplier) {
      calls.increment();
      CompletionStage<T> stage;
      try {
        stage = supplier.get();
      } catch (RuntimeException e) {
        failures.increment();
        return CompletableFuture.failedFuture(e);
      }
      return stage.whenComplete((value, error) -> {
        if (error != null) {
          failures.increment();
        }
      });
    }
  }
  // end::custom-policy[]

  @Test
  void aPolicyOfOnesOwnSitsInThePipelineLikeTheOthers() {
    CircuitBreaker breaker = CircuitBreaker.ofDefaults("quotes");
    // tag::custom-policy-pipeline[]
    CallCounter counter = new CallCounter();
    Pipeline<Quote> pipeline = Pipeline.<Quote>builder("quotes")
        .circuitBreaker(breaker)
        .policy(counter)                  // wraps the call inside the breaker
        .build();
    Quote quote = pipeline.executeSupplier(() -> quotes.fetch("ACME"));
    // end::custom-policy-pipeline[]
    assertThat(quote.symbol()).isEqualTo("ACME");
    assertThat(pipeline.layers()).containsExactly("circuitBreaker 'quotes'", "policy 'counter'");
    pipeline.executeCompletionStage(() -> quotes.fetchAsync("ACME")).toCompletableFuture().join();
    assertThat(counter.calls.sum()).isEqualTo(2);
    assertThat(counter.failures.sum()).isZero();
    assertThat(breaker.metrics().numberOfSuccessfulCalls()).isEqualTo(2);
  }
}
