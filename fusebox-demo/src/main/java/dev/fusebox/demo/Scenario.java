package dev.fusebox.demo;

import dev.fusebox.demo.Options.Phase;
import dev.fusebox.demo.Service.Route;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code --scenario}: a scripted outage, headless. The upstream goes through the script's phases (healthy,
 * outage, slow-down, recovery by default) under a steady load on both routes; then a table says, per phase
 * and route, what the service's clients saw: requests, errors, answers served by a fallback, the median and
 * 99th-percentile latency, and the most threads blocked on the upstream at once.
 */
final class Scenario {

  /**
   * One line of the table.
   *
   * @param phase the phase the requests started in
   * @param route the route they went to
   * @param figures what their clients saw
   */
  record Row(String phase, Route route, Recorder.Figures figures) {}

  private Scenario() {}

  /** Runs the script, prints the table to {@code out} and returns its rows. */
  static List<Row> run(Options options, PrintStream out) throws InterruptedException {
    List<String> names = options.phases.stream().map(Phase::name).toList();
    out.printf(Locale.ROOT, "Fusebox demo scenario: %s requests/s on each route; unprotected timeout %s; "
            + "protected: time limit %s, bulkhead 4, breaker, retry, last-known-good fallback%n",
        trim(options.rate()), Demo.human(options.unprotectedTimeout), Demo.human(options.timeLimit));
    out.println("Phases: " + String.join(", ", options.phases.stream().map(p -> p.name() + " " + Demo.human(p.duration())).toList()));
    out.println();
    List<Row> rows = new ArrayList<>();
    try (DemoApp app = new DemoApp(options, names, false, null)) {
      app.apply("healthy");
      app.start();
      for (int i = 0; i < options.phases.size(); i++) {
        Phase phase = options.phases.get(i);
        app.apply(phase.name());
        app.recorder.startPhase(i);
        Thread.sleep(phase.duration().toMillis());
      }
      app.recorder.finish();
      // Requests of the last phase still waiting for the upstream end by their timeout at the latest.
      app.load.stop(options.unprotectedTimeout.plus(options.hangFor));
      for (int i = 0; i < names.size(); i++) {
        for (Route route : Route.values()) {
          rows.add(new Row(names.get(i), route, app.recorder.figures(i, route)));
        }
      }
    }
    print(rows, out);
    return rows;
  }

  static final String HEADER =
      String.format(Locale.ROOT, "%-10s %-12s %9s %7s %10s %10s %10s %13s",
          "phase", "route", "requests", "errors", "fallbacks", "p50 ms", "p99 ms", "peak blocked");

  static void print(List<Row> rows, PrintStream out) {
    out.println(HEADER);
    out.println("-".repeat(HEADER.length()));
    String previous = null;
    for (Row row : rows) {
      if (previous != null && !previous.equals(row.phase())) {
        out.println();
      }
      previous = row.phase();
      Recorder.Figures f = row.figures();
      out.println(String.format(Locale.ROOT, "%-10s %-12s %9d %7d %10d %10s %10s %13d",
          row.phase(), row.route().label, f.requests(), f.errors(), f.fallbacks(), ms(f.p50Millis()), ms(f.p99Millis()),
          f.peakBlocked()));
    }
  }

  private static String ms(double millis) {
    if (Double.isNaN(millis)) {
      return "-";
    }
    return millis >= 100 ? String.format(Locale.ROOT, "%.0f", millis) : String.format(Locale.ROOT, "%.1f", millis);
  }

  private static String trim(double value) {
    return value == Math.rint(value) ? String.valueOf((long) value) : String.valueOf(value);
  }
}
