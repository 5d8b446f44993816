package dev.fusebox;

import dev.fusebox.testing.ManualScheduler;
import dev.fusebox.testing.ManualSleeper;
import dev.fusebox.testing.ManualTicker;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.fusebox.chaos.Chaos;
import dev.fusebox.chaos.ChaosSettings;
import dev.fusebox.circuitbreaker.CircuitBreaker;
import dev.fusebox.fallback.Fallback;
import dev.fusebox.fallback.FallbackConfig;
import dev.fusebox.fallback.FallbackResult;
import dev.fusebox.retry.Retry;
import dev.fusebox.retry.RetryAfterHint;
import dev.fusebox.retry.RetryBudget;
import dev.fusebox.retry.RetryConfig;
import dev.fusebox.timelimiter.TimeLimiter;
import dev.fusebox.timelimiter.TimeLimiterConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The examples of docs/retry-timelimiter-fallback-chaos.md, compiled and run, so the guide cannot rot. Each test holds the
 * guide's snippet between the {@code // guide:} markers, with the guide's stand-in types defined below and
 * time moved by hand; {@link #theGuideShowsExactlyTheseSnippets} checks that the guide quotes them, without
 * the lines marked "tests only".
 */
class PolicyGuideTest {

  private static final Path GUIDE = Path.of("..", "docs", "retry-timelimiter-fallback-chaos.md");
  private static final Path SOURCE = Path.of("src", "test", "java", "dev", "fusebox", "PolicyGuideTest.java");

  @Test
  void theGuideShowsExactlyTheseSnippets() throws IOException {
    Assumptions.assumeTrue(Files.exists(GUIDE) && Files.exists(SOURCE), "run from the fusebox-core module");
    String guide = Files.readString(GUIDE);
    Matcher snippet = Pattern.compile("(?m)^\\s*// guide: ([a-z ]+)$\\n(.*?)\\n\\s*// guide: end$", Pattern.DOTALL)
        .matcher(Files.readString(SOURCE));
    int found = 0;
    while (snippet.find()) {
      found++;
      String[] lines = snippet.group(2).lines().filter(l -> !l.contains("// tests " + "only")).toArray(String[]::new);
      int indent = java.util.Arrays.stream(lines).filter(l -> !l.isBlank())
          .mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
      String expected = java.util.Arrays.stream(lines).map(l -> l.isBlank() ? "" : l.substring(indent))
          .collect(Collectors.joining("\n"));
      assertThat(guide).as("the guide's '%s' example", snippet.group(1)).contains("```java\n" + expected + "\n```");
    }
    assertThat(found).isEqualTo(6);
  }

  /** The guide's HTTP response stand-in. */
  record Response(int status, String body, Duration retryAfterHeader) implements RetryAfterHint {
    @Override
    public Optional<Duration> retryAfter() {
      return Optional.ofNullable(retryAfterHeader);
    }
  }

  /** The guide's price service stand-in: fails as told. */
  static final class PriceService {
    final AtomicInteger calls = new AtomicInteger();
    volatile int failures;

    Response fetch(String sku) {
      calls.incrementAndGet();
      if (failures > 0) {
        failures--;
        throw new UncheckedIOException(new IOException("connection reset"));
      }
      return new Response(200, "price of " + sku, null);
    }
  }

  private final ManualTicker ticker = new ManualTicker();
  private final ManualSleeper sleeper = new ManualSleeper(ticker);
  private final ManualScheduler scheduler = new ManualScheduler(ticker);
  private final PriceService priceService = new PriceService();

  @Test
  void retryExample() {
    priceService.failures = 2;
    String sku = "sku-1";
    // guide: retry
    RetryBudget pricingBudget = RetryBudget.builder()   // one budget per downstream, shared
        .retryPercent(20)
        .minRetriesPerSecond(5)
        .build();
    Retry retry = Retry.of("prices", RetryConfig.builder()
        .maxAttempts(4)
        .waitDuration(Duration.ofMillis(100))
        .exponentialBackoff(2.0, Duration.ofSeconds(2))
        .jitter(RetryConfig.Jitter.FULL)
        .maxDuration(Duration.ofSeconds(5))
        .retryExceptions(UncheckedIOException.class)
        .retryOnResult(r -> ((Response) r).status() == 503)   // Retry-After is honoured via RetryAfterHint
        .retryBudget(pricingBudget)
        .sleeper(sleeper).ticker(ticker).random(new Random(1))   // tests only: hand-moved time
        .build());

    Response price = retry.executeSupplier(() -> priceService.fetch(sku));
    // guide: end
    assertThat(price.body()).isEqualTo("price of sku-1");
    assertThat(priceService.calls).hasValue(3);
    assertThat(retry.metrics().numberOfSuccessfulCallsWithRetryAttempt()).isEqualTo(1);
  }

  @Test
  void asyncRetryExample() {
    AtomicInteger attempts = new AtomicInteger();
    Supplier<CompletionStage<Response>> fetchAsync = () -> attempts.incrementAndGet() == 1
        ? CompletableFuture.completedFuture(new Response(503, "busy", Duration.ofSeconds(2)))
        : CompletableFuture.completedFuture(new Response(200, "ok", null));
    // guide: async retry
    Retry retry = Retry.of("prices-async", RetryConfig.builder()
        .retryOnResult(r -> ((Response) r).status() == 503)
        .scheduler(scheduler)   // tests only; by default Scheduler.system()
        .build());
    CompletionStage<Response> response = retry.executeCompletionStage(fetchAsync);
    // guide: end
    assertThat(scheduler.pendingDelays()).containsExactly(Duration.ofSeconds(2));
    scheduler.advance(Duration.ofSeconds(2));
    assertThat(response.toCompletableFuture().join().status()).isEqualTo(200);
  }

  @Test
  void timeLimiterExample() throws Exception {
    CompletableFuture<String> slowSearch = new CompletableFuture<>();
    // guide: time limiter
    TimeLimiter limiter = TimeLimiter.of("search", TimeLimiterConfig.builder()
        .timeoutDuration(Duration.ofMillis(300))
        .scheduler(scheduler)   // tests only; by default Scheduler.system()
        .build());
    CircuitBreaker breaker = CircuitBreaker.ofDefaults("search");

    CompletionStage<String> hits = breaker.executeCompletionStage(
        limiter.decorateCompletionStage(() -> slowSearch));   // a timeout is a failure for the breaker
    // guide: end
    scheduler.advance(Duration.ofMillis(300));
    Throwable thrown = catchThrowable(() -> hits.toCompletableFuture().join());
    assertThat(thrown).hasCauseInstanceOf(TimeoutException.class);
    assertThat(slowSearch).isCancelled();
    assertThat(breaker.metrics().numberOfFailedCalls()).isEqualTo(1);
  }

  @Test
  void fallbackExample() {
    // guide: fallback
    Fallback<Response> prices = Fallback.of("prices", FallbackConfig.<Response>builder()
        .fallbackOnResult(r -> r.status() >= 500)
        .lastKnownGood(Duration.ofMinutes(10), 50_000)
        .fallbackValue(new Response(200, "price unavailable", null))
        .ticker(ticker)   // tests only
        .build());

    Function<String, Response> priceOf = prices.decorateFunction(priceService::fetch);   // keyed by sku
    priceOf.apply("sku-1");                       // recorded as last known good

    FallbackResult<Response> answer = prices.executeSupplierForResult("sku-1", () -> priceService.fetch("sku-1"));
    if (answer.isStale()) {
      // response.setHeader("X-Cache", "stale");
      // response.setHeader("Age", Long.toString(answer.age().toSeconds()));
    }
    // guide: end
    assertThat(answer.isStale()).isFalse();
    priceService.failures = 5;
    ticker.advance(Duration.ofSeconds(30));
    FallbackResult<Response> stale = prices.executeSupplierForResult("sku-1", () -> priceService.fetch("sku-1"));
    assertThat(stale.isStale()).isTrue();
    assertThat(stale.age()).isEqualTo(Duration.ofSeconds(30));
    assertThat(priceOf.apply("sku-2").body()).isEqualTo("price unavailable");
  }

  @Test
  void chaosExample() {
    Supplier<String> inventoryCall = () -> "in stock";
    // guide: chaos
    Chaos chaos = Chaos.ofDefaults("inventory");   // injects nothing yet
    Supplier<String> call = chaos.decorateSupplier(inventoryCall);

    chaos.update(s -> s.withFaultRate(0.5));                        // error rate: half the calls fail
    chaos.update(s -> s.withLatency(1.0, Duration.ofMillis(800)));  // slow-down: every call 800 ms later
    chaos.update(ChaosSettings::outage);                            // full outage
    chaos.update(ChaosSettings::healthy);                           // all rates back to 0
    chaos.disable();                                                // experiment over
    // guide: end
    assertThat(call.get()).isEqualTo("in stock");
    assertThat(chaos.settings().faultRate()).isZero();
    assertThat(chaos.settings().enabled()).isFalse();
  }

  @Test
  void stackingExample() {
    // guide: stacking
    Fallback<Response> fallback = Fallback.of("prices", FallbackConfig.<Response>builder()
        .fallbackValue(new Response(200, "price unavailable", null)).build());
    Retry retry = Retry.ofDefaults("prices");
    CircuitBreaker breaker = CircuitBreaker.ofDefaults("prices");
    Chaos chaos = Chaos.ofDefaults("prices");

    Supplier<Response> resilient = fallback.decorateSupplier(
        retry.decorateSupplier(
            breaker.decorateSupplier(
                chaos.decorateSupplier(() -> priceService.fetch("sku-1")))));
    // guide: end
    assertThat(resilient.get().body()).isEqualTo("price of sku-1");
    assertThat(chaos.metrics().numberOfCalls()).isEqualTo(1);
    assertThat(breaker.metrics().numberOfSuccessfulCalls()).isEqualTo(1);
    assertThat(retry.metrics().numberOfSuccessfulCallsWithoutRetryAttempt()).isEqualTo(1);
    assertThat(fallback.metrics().numberOfSuccessfulCalls()).isEqualTo(1);
  }
}
