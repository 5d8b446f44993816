package dev.fusebox.demo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The demo's command line and timings. The defaults make the live demo tell its story within a minute;
 * tests shorten every duration. Not threadsafe: filled in once, before the demo starts.
 */
final class Options {

  /**
   * One step of a script: what the upstream does, for how long.
   *
   * @param name {@code healthy}, {@code outage}, {@code slowdown}, {@code errors} or {@code recovery}
   * @param duration how long it lasts
   */
  record Phase(String name, Duration duration) {
    static final List<String> NAMES = List.of("healthy", "outage", "slowdown", "errors", "recovery");

    Phase {
      if (!NAMES.contains(name)) {
        throw new IllegalArgumentException("a phase is one of " + String.join(", ", NAMES) + ", was " + name);
      }
      if (duration.isNegative() || duration.isZero()) {
        throw new IllegalArgumentException("phase " + name + " must last a positive time, was " + duration);
      }
    }
  }

  static final String USAGE = String.join("\n",
      "Usage: java -jar fusebox-demo/target/fusebox-demo.jar [options]",
      "",
      "  (no option)              the live demo: a story of an outage, the dashboard to watch it and to start your own",
      "  --scenario               run a scripted outage headless and print what each route went through",
      "  --phases LIST            the script, e.g. healthy=10s,outage=20s,slowdown=15s,recovery=20s",
      "                           (phases: healthy, outage, slowdown, errors, recovery; durations in ms, s or m)",
      "  --rate N                 requests per second on each route (live 20, scenario 100)",
      "  --timeout D              the unprotected route's timeout, like most code's long default (5s)",
      "  --no-story               live demo without the automatic story: the upstream stays healthy until you act",
      "  --port N                 the dashboard's port (8080; the next free one if taken)",
      "  --token T                the dashboard's token (default: random)",
      "  --redis URI --instance N share the breakers with the other instances through Redis, e.g. redis://127.0.0.1:6379",
      "  --help                   this text");

  boolean scenario;
  boolean story = true;
  List<Phase> phases = List.of(
      new Phase("healthy", Duration.ofSeconds(10)),
      new Phase("outage", Duration.ofSeconds(20)),
      new Phase("slowdown", Duration.ofSeconds(15)),
      new Phase("recovery", Duration.ofSeconds(20)));
  /** The live story: healthy, then an outage, then healthy for good. */
  List<Phase> story() {
    return List.of(new Phase("healthy", storyHealthy), new Phase("outage", storyOutage), new Phase("recovery", Duration.ofDays(1)));
  }
  Duration storyHealthy = Duration.ofSeconds(10);
  Duration storyOutage = Duration.ofSeconds(20);

  double rate = -1;
  int port = 8080;
  String token;
  String redisUri;
  int instance = 1;
  /** The Redis key prefix of the shared breakers: one per demo fleet. */
  String keyPrefix = "fusebox-demo";
  /**
   * With Redis, whether the instances' simulated upstreams behave as one dependency: chaos settings
   * changed on any instance are copied to all. Tests turn it off to show the breakers' sharing alone.
   */
  boolean shareUpstream = true;

  /** The unprotected route's HTTP timeout: long, like most code's. */
  Duration unprotectedTimeout = Duration.ofSeconds(5);
  /** How long the upstream holds a request it does not answer (an injected fault), before it gives up. */
  Duration hangFor = Duration.ofSeconds(10);
  /** The upstream's latency in a slow-down. */
  Duration slowdownLatency = Duration.ofMillis(1500);
  /** The share of calls that get an HTTP 500 in the {@code errors} phase. */
  double errorRate = 0.6;
  /** The protected route's time limiter. */
  Duration timeLimit = Duration.ofMillis(800);
  /** The breaker's open wait, doubled after each failed trial up to {@link #breakerWaitMax}. */
  Duration breakerWait = Duration.ofSeconds(5);
  Duration breakerWaitMax = Duration.ofSeconds(10);
  Duration recoveryRamp = Duration.ofSeconds(10);
  /** How often the breaker's health probe checks the upstream while the breaker is open. */
  Duration probeInterval = Duration.ofSeconds(1);
  /** How often the dashboard samples; shorter in tests. */
  Duration samplingInterval = Duration.ofSeconds(1);
  /** How far back the dashboard's charts look: the story fits in it, with room to spare. */
  Duration chartSpan = Duration.ofMinutes(2);
  /** Redis sync period of the shared breakers. */
  Duration syncInterval = Duration.ofMillis(250);
  /** Whether the demo prints a status line every few seconds (live mode). */
  boolean console = true;

  /** Returns the rate per route: as given, else the mode's default. */
  double rate() {
    return rate > 0 ? rate : scenario ? 100 : 20;
  }

  /** Returns the name of this instance's breakers' fleet member: {@code demo-N}. */
  String instanceId() {
    return "demo-" + instance;
  }

  static Options parse(String... args) {
    Options o = new Options();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      switch (arg) {
        case "--scenario" -> o.scenario = true;
        case "--no-story" -> o.story = false;
        case "--phases" -> o.phases = phases(value(args, ++i, arg));
        case "--rate" -> o.rate = positive(value(args, ++i, arg), arg);
        case "--timeout" -> o.unprotectedTimeout = duration(value(args, ++i, arg));
        case "--port" -> o.port = (int) Math.min(65535, positive(value(args, ++i, arg), arg));
        case "--token" -> o.token = value(args, ++i, arg);
        case "--redis" -> o.redisUri = value(args, ++i, arg);
        case "--instance" -> o.instance = (int) positive(value(args, ++i, arg), arg);
        case "--help", "-h" -> throw new HelpRequested();
        default -> throw new IllegalArgumentException("unknown option " + arg);
      }
    }
    if (o.hangFor.compareTo(o.unprotectedTimeout) < 0) {
      o.hangFor = o.unprotectedTimeout.plusSeconds(1);
    }
    return o;
  }

  /** Parses {@code name=duration,...}. */
  static List<Phase> phases(String text) {
    List<Phase> phases = new ArrayList<>();
    for (String part : text.split(",")) {
      String[] pair = part.trim().split("=", 2);
      if (pair.length != 2) {
        throw new IllegalArgumentException("a phase is name=duration, was " + part);
      }
      phases.add(new Phase(pair[0].trim().toLowerCase(Locale.ROOT), duration(pair[1].trim())));
    }
    return List.copyOf(phases);
  }

  /** Parses {@code 250ms}, {@code 10s}, {@code 2m}. */
  static Duration duration(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    try {
      if (t.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
      }
      if (t.endsWith("s")) {
        return Duration.ofMillis(Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 1000));
      }
      if (t.endsWith("m")) {
        return Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)) * 60);
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("a duration is like 250ms, 10s or 2m, was " + text);
  }

  private static String value(String[] args, int i, String option) {
    if (i >= args.length) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return args[i];
  }

  private static double positive(String text, String option) {
    try {
      double value = Double.parseDouble(text);
      if (value > 0) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(option + " needs a positive number, was " + text);
  }

  /** Thrown by {@link #parse} for {@code --help}. */
  static final class HelpRequested extends RuntimeException {
    private static final long serialVersionUID = 1L;

    HelpRequested() {
      super("help", null, false, false);
    }
  }
}
