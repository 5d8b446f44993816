package dev.fusebox.ratelimiter;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/** The examples of docs/bulkheads-and-rate-limiters.md, verbatim between the markers, compiled and run. */
class RateLimiterDocsExamplesTest {

  private int sent;

  private String quote(String order) {
    return "quote for " + order;
  }

  private CompletionStage<String> quoteAsync(String order) {
    return CompletableFuture.completedFuture("quote for " + order);
  }

  private void sendBatch(int items) {
    sent += items;
  }

  @Test
  void rateLimiterExample() {
    // --- docs: ratelimiter ---
    RateLimiter limiter = RateLimiter.of("partner-api", RateLimiterConfig.builder()
        .algorithm(RateLimiterConfig.Algorithm.TOKEN_BUCKET)
        .limitForPeriod(100)
        .limitRefreshPeriod(Duration.ofSeconds(1))
        .burstCapacity(20)
        .timeoutDuration(Duration.ofMillis(250))
        .build());

    String quote = limiter.executeSupplier(() -> quote("order-42"));
    CompletionStage<String> next = limiter.executeCompletionStage(() -> quoteAsync("order-43"));
    if (limiter.tryAcquirePermission(5)) {
      sendBatch(5);
    }

    limiter.changeLimitForPeriod(50); // the partner asked us to slow down
    // --- end ---

    assertThat(quote).isEqualTo("quote for order-42");
    assertThat(next.toCompletableFuture().join()).isEqualTo("quote for order-43");
    assertThat(sent).isEqualTo(5);
    assertThat(limiter.config().limitForPeriod()).isEqualTo(50);
  }

  @Test
  void slidingWindowExample() {
    // --- docs: sliding ---
    RateLimiter strict = RateLimiter.of("sms-gateway", RateLimiterConfig.builder()
        .algorithm(RateLimiterConfig.Algorithm.SLIDING_WINDOW)
        .limitForPeriod(30)
        .limitRefreshPeriod(Duration.ofMinutes(1))
        .build());
    RateLimiterRegistry registry = RateLimiterRegistry.ofDefaults();
    RateLimiter search = registry.rateLimiter("search");
    // --- end ---

    assertThat(strict.tryAcquirePermission(30)).isTrue();
    assertThat(strict.tryAcquirePermission()).isFalse();
    assertThat(search.config().limitForPeriod()).isEqualTo(50);
  }
}
