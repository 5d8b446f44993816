package dev.fusebox.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code --scenario} on a short script, its printed table parsed back: the seeds' claim, measured. During
 * the outage the protected route answers in milliseconds from its fallback and keeps its threads; the
 * unprotected one waits for its timeout with a thread per request.
 */
class ScenarioTest {

  /** One parsed line of the table. */
  record Line(String phase, String route, long requests, long errors, long fallbacks, double p50, double p99, int peakBlocked) {}

  @Test
  void theProtectedRouteAnswersFromItsFallbackWithinItsBulkheadDuringTheOutageAndTheUnprotectedOneFails() throws Exception {
    Options options = Options.parse(
        "--scenario", "--phases", "healthy=2s,outage=6s,slowdown=3s,recovery=3s", "--rate", "100", "--timeout", "1s");
    // Short timings: the upstream holds an unanswered request 2 s, a slow-down is 600 ms, and the breaker's
    // first wait outlasts the outage, so its figures show the opening, not the trials.
    options.hangFor = Duration.ofSeconds(2);
    options.slowdownLatency = Duration.ofMillis(600);
    options.breakerWait = Duration.ofSeconds(8);
    options.console = false;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    Scenario.run(options, new PrintStream(bytes, true, StandardCharsets.UTF_8));

    String output = bytes.toString(StandardCharsets.UTF_8);
    Files.writeString(Path.of(System.getProperty("fusebox.demo.target", "target"), "scenario-test.txt"), output);
    Map<String, Line> table = parse(output);
    assertThat(table.keySet()).containsExactlyInAnyOrder(
        "healthy/protected", "healthy/unprotected", "outage/protected", "outage/unprotected",
        "slowdown/protected", "slowdown/unprotected", "recovery/protected", "recovery/unprotected");

    Line healthy = table.get("healthy/protected");
    assertThat(healthy.requests()).as(output).isGreaterThan(100);
    assertThat(healthy.errors()).as(output).isZero();

    Line guarded = table.get("outage/protected");
    Line bare = table.get("outage/unprotected");
    // Counts, not times: how fast the answers came depends on the machine's load, what was answered does not.
    assertThat(guarded.requests()).as(output).isGreaterThan(300);
    assertThat(guarded.errors()).as(output).isZero();
    assertThat(guarded.fallbacks()).as(output).isPositive();
    assertThat(guarded.peakBlocked()).as(output).isLessThanOrEqualTo(4);      // the bulkhead's limit
    assertThat(bare.errors()).as(output).isPositive();                         // its timeouts
    assertThat(guarded.peakBlocked()).as(output).isLessThan(bare.peakBlocked());
  }

  /** Parses the table's lines into phase/route keys; fails on a line it cannot read. */
  static Map<String, Line> parse(String output) {
    Map<String, Line> lines = new HashMap<>();
    boolean inTable = false;
    for (String text : output.split("\n")) {
      if (text.startsWith("phase ")) {
        assertThat(text.trim().split("\\s+")).containsExactly("phase", "route", "requests", "errors", "fallbacks", "p50", "ms",
            "p99", "ms", "peak", "blocked");
        inTable = true;
        continue;
      }
      if (!inTable || text.isBlank() || text.startsWith("---")) {
        continue;
      }
      String[] f = text.trim().split("\\s+");
      assertThat(f).as(text).hasSize(8);
      Line line = new Line(f[0], f[1], Long.parseLong(f[2]), Long.parseLong(f[3]), Long.parseLong(f[4]), number(f[5]),
          number(f[6]), Integer.parseInt(f[7]));
      lines.put(line.phase() + "/" + line.route(), line);
    }
    return lines;
  }

  private static double number(String text) {
    return text.equals("-") ? Double.NaN : Double.parseDouble(text);
  }

  @Test
  void parsesTheScriptAndRefusesWhatItCannotRead() {
    assertThat(Options.phases("healthy=10s, outage=1.5s,recovery=250ms"))
        .containsExactly(
            new Options.Phase("healthy", Duration.ofSeconds(10)),
            new Options.Phase("outage", Duration.ofMillis(1500)),
            new Options.Phase("recovery", Duration.ofMillis(250)));
    for (String bad : List.of("meltdown=10s", "outage", "outage=soon", "outage=0s")) {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> Options.phases(bad)).as(bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Options.parse("--rate", "-3"))
        .hasMessageContaining("--rate needs a positive number");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Options.parse("--bogus"))
        .hasMessageContaining("unknown option --bogus");
  }
}
