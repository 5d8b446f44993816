package dev.fusebox.rxjava3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusebox.circuitbreaker.CallNotPermittedException;
import dev.fusebox.circuitbreaker.CircuitBreaker;
import dev.fusebox.retry.Retry;
import dev.fusebox.retry.RetryConfig;
import dev.fusebox.timelimiter.TimeLimiter;
import dev.fusebox.timelimiter.TimeLimiterConfig;
import io.reactivex.rxjava3.core.Completable;
import io.reactivex.rxjava3.core.Flowable;
import io.reactivex.rxjava3.core.Single;
import io.reactivex.rxjava3.schedulers.TestScheduler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The examples of docs/rxjava3.md, compiled and run. Each Java block of the guide follows an
 * {@code <!-- example: name -->} marker and must equal, character for character, the code between
 * {@code // tag::name[]} and {@code // end::name[]} in this module's tests.
 */
class DocsExampleTest {

  private static final Path GUIDE = Path.of("..", "docs", "rxjava3.md");
  private static final Pattern BLOCK =
      Pattern.compile("<!-- example: ([\\w-]+) -->\\s*```java\\n(.*?)```", Pattern.DOTALL);
  private static final Pattern TAGGED =
      Pattern.compile("// tag::([\\w-]+)\\[]\\n(.*?)\\n[ \\t]*// end::\\1\\[]", Pattern.DOTALL);

  /** Stands for a client: fails twice, then answers. */
  static final class QuoteClient {
    final AtomicInteger calls = new AtomicInteger();

    Single<String> quote(String order) {
      return Single.defer(() -> calls.incrementAndGet() <= 2
          ? Single.error(new IOException("connection reset"))
          : Single.just("quote for " + order));
    }

    Flowable<String> prices(String sku) {
      return Flowable.just(sku + ":10", sku + ":11");
    }

    Completable send(String message) {
      return Completable.complete();
    }
  }

  private final QuoteClient client = new QuoteClient();
  private final TestScheduler scheduler = new TestScheduler();

  @Test
  void theChainExampleRetriesThroughTheBreakerAndTheTimeLimiter() {
    // tag::chain[]
    CircuitBreaker breaker = CircuitBreaker.ofDefaults("quotes");
    Retry retry = Retry.of("quotes", RetryConfig.builder()
        .maxAttempts(3)
        .waitDuration(Duration.ofMillis(200))
        .build());
    TimeLimiter limiter = TimeLimiter.of("quotes", TimeLimiterConfig.builder()
        .timeoutDuration(Duration.ofSeconds(2))
        .build());

    Single<String> quote = client.quote("A-17")
        .compose(TimeLimiterTransformer.of(limiter, scheduler))   // each attempt within 2 s
        .compose(CircuitBreakerOperator.of(breaker))              // each attempt asks the breaker
        .compose(RetryTransformer.of(retry, scheduler));          // up to 3 attempts, 200 ms apart
    // end::chain[]

    var observer = quote.test();
    scheduler.advanceTimeBy(400, TimeUnit.MILLISECONDS);
    observer.assertResult("quote for A-17");
    assertThat(client.calls).hasValue(3);
  }

  @Test
  void theTypesExampleGuardsEveryType() {
    CircuitBreaker breaker = CircuitBreaker.ofDefaults("quotes");
    breaker.transitionToOpenState();

    // tag::types[]
    Flowable<String> prices = client.prices("sku-9").compose(CircuitBreakerOperator.of(breaker));
    Completable sent = client.send("hello").compose(CircuitBreakerOperator.of(breaker));
    Single<String> quote = client.quote("A-17")
        .compose(CircuitBreakerOperator.of(breaker))
        .onErrorResumeNext(e -> e instanceof CallNotPermittedException
            ? Single.just("cached quote")
            : Single.error(e));
    // end::types[]

    prices.test().assertError(CallNotPermittedException.class);
    sent.test().assertError(CallNotPermittedException.class);
    quote.test().assertResult("cached quote");
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
    guide.forEach((name, code) -> assertThat(code).as("docs/rxjava3.md example '%s'", name).isEqualTo(tagged.get(name)));
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
