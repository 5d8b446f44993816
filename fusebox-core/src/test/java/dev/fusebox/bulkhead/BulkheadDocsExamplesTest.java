package dev.fusebox.bulkhead;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/** The examples of docs/bulkheads-and-rate-limiters.md, verbatim between the markers, compiled and run. */
class BulkheadDocsExamplesTest {

  private final List<String> log = new ArrayList<>();

  private String render(String quarter) {
    return "report " + quarter;
  }

  private CompletionStage<String> renderAsync(String quarter) {
    return CompletableFuture.completedFuture("report " + quarter);
  }

  private List<String> query(String terms) {
    return List.of(terms);
  }

  @Test
  void semaphoreBulkheadExample() {
    // --- docs: bulkhead ---
    Bulkhead bulkhead = Bulkhead.of("reports", BulkheadConfig.builder()
        .maxConcurrentCalls(4)
        .maxWaitDuration(Duration.ofMillis(50))
        .build());

    String report = bulkhead.executeSupplier(() -> render("q3"));
    CompletionStage<String> later = bulkhead.executeCompletionStage(() -> renderAsync("q4"));

    Bulkhead.Metrics m = bulkhead.metrics();
    log.add(m.concurrentCalls() + "/" + m.maxAllowedConcurrentCalls() + " busy, " + m.waitingCalls() + " waiting");
    // --- end ---

    assertThat(report).isEqualTo("report q3");
    assertThat(later.toCompletableFuture().join()).isEqualTo("report q4");
    assertThat(log).containsExactly("0/4 busy, 0 waiting");
  }

  @Test
  void adaptiveBulkheadExample() {
    // --- docs: adaptive ---
    AdaptiveBulkhead search = AdaptiveBulkhead.of("search", AdaptiveBulkheadConfig.builder()
        .initialLimit(10)
        .maxLimit(100)
        .build());
    search.onEvent(event -> {
      if (event instanceof BulkheadEvent.LimitChanged change) {
        log.add("search limit " + change.oldLimit() + " -> " + change.newLimit() + ": " + change.reason());
      }
    });

    List<String> hits = search.executeSupplier(() -> query("fusebox"));
    // --- end ---

    assertThat(hits).containsExactly("fusebox");
    assertThat(search.metrics().limit()).isEqualTo(10);
  }

  @Test
  void manualApiExample() {
    AdaptiveBulkhead bulkhead = AdaptiveBulkhead.ofDefaults("grpc");
    // --- docs: manual ---
    if (bulkhead.tryAcquirePermission()) {
      long start = bulkhead.config().ticker().nanos();
      try {
        query("manual");
        bulkhead.onSuccess(bulkhead.config().ticker().nanos() - start);
      } catch (RuntimeException e) {
        bulkhead.releasePermission();
        throw e;
      }
    }
    // --- end ---

    assertThat(bulkhead.metrics().concurrentCalls()).isZero();
    assertThat(bulkhead.metrics().totalPermittedCalls()).isEqualTo(1);
  }
}
