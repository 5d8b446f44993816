package dev.fusebox.demo;

import dev.fusebox.circuitbreaker.CircuitBreaker;
import dev.fusebox.demo.Service.Route;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * The Fusebox demo: one command that shows a service saved from a failing dependency, live in the
 * browser.
 *
 * <pre>{@code
 * mvn -B -q -pl fusebox-demo -am package -DskipTests && java -jar fusebox-demo/target/fusebox-demo.jar
 * }</pre>
 *
 * <p>It starts, in this process, a simulated upstream whose failures a chaos policy drives, a small service
 * calling it through a protected route (a Fusebox pipeline) and an unprotected one, a steady load on both,
 * and the dashboard, whose address it prints with the token. A short story plays by itself (healthy, an
 * outage, recovery) until the reader takes the controls. {@code --scenario} runs a scripted outage
 * headless and prints what each route went through; {@code --redis URI --instance N} shares the breakers
 * of several demo processes through Redis. {@code --help} lists every option.
 */
public final class Demo {

  /** Held so that its level sticks: the banner prints the dashboard's address, its log line would repeat it. */
  private static final java.util.logging.Logger DASHBOARD_LOG =
      java.util.logging.Logger.getLogger("dev.fusebox.dashboard.Dashboard");

  private Demo() {}

  /**
   * Runs the demo.
   *
   * @param args the options; {@code --help} lists them
   * @throws InterruptedException if interrupted while the demo runs
   */
  public static void main(String[] args) throws InterruptedException {
    Options options;
    try {
      options = Options.parse(args);
    } catch (Options.HelpRequested e) {
      System.out.println(Options.USAGE);
      return;
    } catch (IllegalArgumentException e) {
      System.err.println("fusebox-demo: " + e.getMessage());
      System.err.println();
      System.err.println(Options.USAGE);
      System.exit(2);
      return;
    }
    DASHBOARD_LOG.setLevel(java.util.logging.Level.WARNING);
    if (options.scenario) {
      Scenario.run(options, System.out);
      return;
    }
    live(options, System.out);
  }

  /** The live demo: runs until the process is stopped. */
  static void live(Options options, PrintStream out) throws InterruptedException {
    DemoApp app = new DemoApp(options, List.of(), true, out);
    Story story = new Story(app, options.story());
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      story.close();
      app.close();
    }, "fusebox-demo-shutdown"));
    app.apply("healthy");
    app.phase(options.story ? "starting" : "healthy (no story)");
    app.start();
    banner(app, out);
    if (options.story) {
      story.start();
    }
    long started = System.nanoTime();
    for (;;) {
      Thread.sleep(5_000);
      if (options.story) {
        story.check();
      }
      if (options.console) {
        out.println(statusLine(app, (System.nanoTime() - started) / 1_000_000_000L));
      }
    }
  }

  static void banner(DemoApp app, PrintStream out) {
    String url = app.dashboard().urlWithToken().toString();
    String rule = "=".repeat(Math.max(60, url.length() + 16));
    out.println();
    out.println(rule);
    out.println("  Fusebox demo: a service, its failing dependency, and a circuit breaker");
    out.println(rule);
    out.println();
    out.println("  Open the dashboard:  " + url);
    out.println("  Token (controls):    " + app.dashboard().token());
    if (app.shared != null) {
      out.println("  Fleet:               instance " + app.options.instanceId() + ", breakers shared through Redis at "
          + DemoApp.redisAddress(app.options.redisUri));
    }
    out.println();
    out.println("  Running here: a simulated upstream (" + app.upstream.uri() + "), a service (" + app.service.uri() + ")");
    out.println("  with two routes to it, and " + (long) app.options.rate() + " requests/s on each:");
    out.println("    /protected    fallback > retry > circuit breaker > time limiter " + human(app.options.timeLimit)
        + " > bulkhead 4");
    out.println("    /unprotected  calls the upstream directly, " + human(app.options.unprotectedTimeout) + " timeout");
    out.println();
    if (app.options.story) {
      out.println("  The story: the upstream is healthy for " + human(app.options.storyHealthy) + ", then down for "
          + human(app.options.storyOutage) + ", then healthy again.");
      out.println("  Watch the 'upstream' breaker open, try again, close and ramp up. Click any chaos button to take over.");
    } else {
      out.println("  Click 'Outage' on the dashboard's chaos card to take the upstream down, 'Healthy' to bring it back.");
    }
    out.println("  Ctrl+C stops the demo.");
    out.println();
  }

  static String statusLine(DemoApp app, long seconds) {
    CircuitBreaker breaker = app.policies.breakers.circuitBreaker(Policies.NAME);
    long now = System.nanoTime();
    Recorder.Figures p = app.recorder.recent(Route.PROTECTED, now);
    Recorder.Figures u = app.recorder.recent(Route.UNPROTECTED, now);
    return String.format(Locale.ROOT,
        "  [%3ds] upstream %-7s breaker %-9s | protected: p50 %8s, p99 %9s, %3d blocked, %3d fallbacks"
            + " | unprotected: p50 %9s, p99 %9s, %3d blocked, %3d errors",
        seconds, DemoApp.upstreamState(app.policies.upstreamChaos().settings()), breaker.state(),
        DemoApp.millis(p.p50Millis()), DemoApp.millis(p.p99Millis()), p.peakBlocked(), p.fallbacks(),
        DemoApp.millis(u.p50Millis()), DemoApp.millis(u.p99Millis()), u.peakBlocked(), u.errors());
  }

  /** Formats a duration the way people say it: {@code 800 ms}, {@code 5 s}, {@code 1.5 s}. */
  static String human(Duration d) {
    long ms = d.toMillis();
    if (ms < 1000) {
      return ms + " ms";
    }
    return ms % 1000 == 0 ? ms / 1000 + " s" : String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
  }
}
