package dev.fusebox.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusebox.circuitbreaker.CallNotPermittedException;
import dev.fusebox.circuitbreaker.CircuitBreaker;
import dev.fusebox.circuitbreaker.CircuitBreakerConfig;
import dev.fusebox.retry.Retry;
import dev.fusebox.retry.RetryConfig;
import dev.fusebox.timelimiter.TimeLimiter;
import dev.fusebox.timelimiter.TimeLimiterConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * The examples of docs/reactor.md, compiled and run. Each Java block of the guide follows an
 * {@code <!-- example: name -->} marker and must equal, character for character, the code between
 * {@code // tag::name[]} and {@code // end::name[]} in this module's tests.
 */
class DocsExampleTest {

  private static final Path GUIDE = Path.of("..", "docs", "reactor.md");
  private static final Pattern BLOCK =
      Pattern.compile("<!-- example: ([\\w-]+) -->\\s*```java\\n(.*?)```", Pattern.DOTALL);
  private static final Pattern TAGGED =
      Pattern.compile("// tag::([\\w-]+)\\[]\\n(.*?)\\n[ \\t]*// end::\\1\\[]", Pattern.DOTALL);

  /** Stands for a WebClient-based client: fails twice, then answers. */
  static final class QuoteClient {
    final AtomicInteger calls = new AtomicInteger();

    Mono<String> quote(String order) {
      return Mono.defer(() -> calls.incrementAndGet() <= 2
          ? Mono.error(new IOException("connection reset"))
          : Mono.just("quote for " + order));
    }

    Flux<String> prices(String sku) {
      return Flux.just(sku + ":10", sku + ":11");
    }
  }

  private final QuoteClient client = new QuoteClient();

  @Test
  void theChainExampleRetriesThroughTheBreakerAndTheTimeLimiter() {
    StepVerifier.withVirtualTime(() -> {
      // tag::chain[]
      CircuitBreaker breaker = CircuitBreaker.ofDefaults("quotes");
      Retry retry = Retry.of("quotes", RetryConfig.builder()
          .maxAttempts(3)
          .waitDuration(Duration.ofMillis(200))
          .build());
      TimeLimiter limiter = TimeLimiter.of("quotes", TimeLimiterConfig.builder()
          .timeoutDuration(Duration.ofSeconds(2))
          .build());

      Mono<String> quote = client.quote("A-17")
          .transformDeferred(TimeLimiterOperator.of(limiter))     // each attempt within 2 s
          .transformDeferred(CircuitBreakerOperator.of(breaker))  // each attempt asks the breaker
          .transformDeferred(RetryOperator.of(retry));            // up to 3 attempts, 200 ms apart
      // end::chain[]
      return quote;
    })
        .expectSubscription()
        .thenAwait(Duration.ofMillis(400))
        .expectNext("quote for A-17")
        .verifyComplete();

    assertThat(client.calls).hasValue(3);
  }

  @Test
  void theFluxExampleRecordsOneOutcomeForTheWholeStream() {
    CircuitBreaker breaker = CircuitBreaker.ofDefaults("prices");

    // tag::flux[]
    Flux<String> prices = client.prices("sku-9")
        .transformDeferred(CircuitBreakerOperator.of(breaker));   // one call, recorded when it ends
    // end::flux[]

    StepVerifier.create(prices).expectNext("sku-9:10", "sku-9:11").verifyComplete();
    assertThat(breaker.metrics().numberOfSuccessfulCalls()).isEqualTo(1);
  }

  @Test
  void theFallbackExampleAnswersWhileTheBreakerIsOpen() {
    CircuitBreaker breaker = CircuitBreaker.of("quotes", CircuitBreakerConfig.ofDefaults());
    breaker.transitionToOpenState();

    // tag::fallback[]
    Mono<String> quote = client.quote("A-17")
        .transformDeferred(CircuitBreakerOperator.of(breaker))
        .onErrorResume(CallNotPermittedException.class, rejected -> Mono.just("cached quote"));
    // end::fallback[]

    StepVerifier.create(quote).expectNext("cached quote").verifyComplete();
    assertThat(client.calls).hasValue(0);
  }

  @Test
  void theGuideShowsExactlyTheTaggedCode() throws IOException {
    Map<String, String> guide = new LinkedHashMap<>();
    Matcher block = BLOCK.matcher(Files.readString(GUIDE));
    while (block.find()) {
      assertThat(guide.put(block.group(1), block.group(2).strip())).as("example %s twice", block.group(1)).isNull();
    }
    Map<String, String> tagged = new LinkedHashMap<>();
    try (Stream<Path> files = Files.walk(Path.of("src", "test", "java"))) {
      for (Path file : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java"))::iterator) {
        Matcher tag = TAGGED.matcher(Files.readString(file));
        while (tag.find()) {
          tagged.put(tag.group(1), dedent(tag.group(2)));
        }
      }
    }
    assertThat(guide.keySet()).containsExactlyInAnyOrderElementsOf(tagged.keySet());
    guide.forEach((name, code) -> assertThat(code).as("docs/reactor.md example '%s'", name).isEqualTo(tagged.get(name)));
    assertThat(Files.readString(GUIDE)).as("every Java block is a tested example")
        .doesNotContainPattern("(?<!-->)\\n\\n```java");
  }

  private static String dedent(String code) {
    int common = code.lines().filter(line -> !line.isBlank())
        .mapToInt(line -> line.length() - line.stripLeading().length()).min().orElse(0);
    StringBuilder out = new StringBuilder();
    code.lines().forEach(line -> out.append(line.isBlank() ? "" : line.substring(common)).append('\n'));
    return out.toString().strip();
  }
}
