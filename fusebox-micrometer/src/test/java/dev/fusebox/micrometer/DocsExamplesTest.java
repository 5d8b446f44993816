package dev.fusebox.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusebox.Subscription;
import dev.fusebox.circuitbreaker.CircuitBreaker.State;
import dev.fusebox.circuitbreaker.CircuitBreakerEvent;
import dev.fusebox.circuitbreaker.CircuitBreakerRegistry;
import dev.fusebox.observability.CircuitBreakerHealth;
import dev.fusebox.observability.EventHistory;
import dev.fusebox.observability.EventLogger;
import dev.fusebox.observability.EventLoggerConfig;
import dev.fusebox.observability.HealthReport;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Runs the Java examples of docs/observability.md, and checks that every Java block of the documentation
 * appears in this file, so the documented code compiles and runs.
 */
class DocsExamplesTest {

  private static final Path SOURCE = Path.of("src", "test", "java", "dev", "fusebox", "micrometer", "DocsExamplesTest.java");

  private final Fixture f = new Fixture();
  private final CircuitBreakerRegistry circuitBreakerRegistry = f.breakers;
  private final MeterRegistry meterRegistry = f.prometheus;
  private final List<String> warnings = new ArrayList<>();

  /** Stands in for the application's logger in the examples. */
  private final class Log {
    void warn(String message) {
      warnings.add(message);
    }
  }

  private final Log log = new Log();

  @Test
  void everyJavaBlockOfTheDocumentationIsHere() throws IOException {
    String source = normalized(Files.readString(SOURCE, StandardCharsets.UTF_8));
    List<String> blocks = javaBlocks();
    assertThat(blocks).hasSizeGreaterThanOrEqualTo(6);
    for (String block : blocks) {
      assertThat(source).as("documented example:%n%s", block).contains(normalized(block));
    }
  }

  @Test
  void bindingInOneLine() {
    circuitBreakerRegistry.circuitBreaker("inventory");
    FuseboxMetrics metrics = FuseboxMetrics.bind(circuitBreakerRegistry, meterRegistry);
    assertThat(f.scrape().sampleNames()).contains("fusebox_circuitbreaker_state");
    metrics.close();
  }

  @Test
  void bindingWithCommonTags() {
    circuitBreakerRegistry.circuitBreaker("inventory");
    FuseboxMetrics metrics = FuseboxMetrics.builder(circuitBreakerRegistry)
        .tags("application", "shop", "region", "eu-west")
        .build();
    metrics.bindTo(meterRegistry);
    assertThat(f.scrape().samples()).allSatisfy(s -> assertThat(s.labels()).containsEntry("region", "eu-west"));
  }

  @Test
  void history() {
    EventHistory history = EventHistory.attach(circuitBreakerRegistry);

    List<CircuitBreakerEvent> recent = history.events("inventory");
    List<CircuitBreakerEvent> lastQuarterHour = history.query()
        .breaker("inventory")
        .types(CircuitBreakerEvent.Type.STATE_TRANSITION, CircuitBreakerEvent.Type.NOT_PERMITTED)
        .since(Instant.now().minus(Duration.ofMinutes(15)))
        .last(20)
        .list();

    assertThat(recent).isEmpty();
    assertThat(lastQuarterHour).isEmpty();
    f.trip(circuitBreakerRegistry.circuitBreaker("inventory"));
    f.rejected(circuitBreakerRegistry.circuitBreaker("inventory"), 2);
    assertThat(history.query().breaker("inventory").types(CircuitBreakerEvent.Type.NOT_PERMITTED).list()).hasSize(2);
  }

  @Test
  void logging() {
    Subscription logging = EventLogger.attach(circuitBreakerRegistry);
    logging.close();
    EventLogger.attach(circuitBreakerRegistry, EventLoggerConfig.builder()
        .logger(System.getLogger("shop.resilience"))
        .rejectionLogPeriod(Duration.ofMinutes(1))
        .build());
  }

  @Test
  void health() {
    f.trip(circuitBreakerRegistry.circuitBreaker("payments"));
    CircuitBreakerHealth health = CircuitBreakerHealth.builder(circuitBreakerRegistry)
        .critical("payments", "auth")                      // or .criticalIf(breaker -> ...)
        .build();

    HealthReport report = health.check();
    report.status();                                       // UP, DEGRADED or DOWN
    for (HealthReport.BreakerHealth b : report.inState(State.OPEN, State.FORCED_OPEN)) {
      log.warn(b.name() + " open since " + b.since() + ", next trial at " + b.nextTrialAt());
    }
    report.ramping();                                      // closed breakers admitting 10, 25 or 50% of calls

    assertThat(report.status()).isEqualTo(HealthReport.Status.DOWN);
    assertThat(warnings).singleElement().asString().startsWith("payments open since ");
  }

  private static List<String> javaBlocks() throws IOException {
    List<String> lines = Files.readAllLines(PromqlDocsTest.DOCS, StandardCharsets.UTF_8);
    List<String> blocks = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).equals("```java")) {
        StringBuilder block = new StringBuilder();
        for (i++; !lines.get(i).equals("```"); i++) {
          block.append(lines.get(i)).append('\n');
        }
        blocks.add(block.toString());
      }
    }
    return blocks;
  }

  /** Joins the lines, each stripped, with single spaces inside them, so that indentation does not matter. */
  private static String normalized(String code) {
    StringBuilder out = new StringBuilder();
    for (String line : code.split("\n")) {
      String stripped = line.strip().replaceAll("\\s+", " ");
      if (!stripped.isEmpty()) {
        out.append(stripped).append('\n');
      }
    }
    return out.toString();
  }
}
