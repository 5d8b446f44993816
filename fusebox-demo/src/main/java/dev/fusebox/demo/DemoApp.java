package dev.fusebox.demo;

import dev.fusebox.chaos.Chaos;
import dev.fusebox.chaos.ChaosSettings;
import dev.fusebox.circuitbreaker.CircuitBreaker;
import dev.fusebox.circuitbreaker.CircuitBreakerRegistry;
import dev.fusebox.dashboard.Dashboard;
import dev.fusebox.dashboard.StatusCard;
import dev.fusebox.demo.Service.Route;
import dev.fusebox.redis.RedisSharedState;
import dev.fusebox.redis.StartupPolicy;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The whole demo in one process: the simulated upstream, the service with its two routes, the load, the
 * dashboard over every registry, and, with {@code --redis}, the breakers shared with the other instances.
 * Started by the constructor, stopped by {@link #close()}; {@link Demo} and the tests drive it.
 *
 * <p>Threadsafe.
 */
final class DemoApp implements AutoCloseable {

  static {
    // The JDK's HTTP server writes headers and body apart; with Nagle's algorithm on, the body then waits
    // for the client's delayed acknowledgement, some 40 ms per response. Read once, before any server.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  final Options options;
  final StoryLog notes;
  final RedisSharedState shared;
  final Policies policies;
  final Upstream upstream;
  private final SharedUpstream sharedUpstream;
  final Service service;
  final Recorder recorder;
  final LoadGenerator load;
  private final boolean withDashboard;
  private volatile Dashboard dashboard;
  private volatile String phase = "starting";

  /**
   * @param phases the names of the phases the recorder keeps figures for
   * @param withDashboard whether to serve the dashboard
   * @param console where notes go as they happen, or null
   */
  DemoApp(Options options, List<String> phases, boolean withDashboard, PrintStream console) {
    this.options = options;
    this.notes = new StoryLog(console);
    this.shared = options.redisUri == null ? null : RedisSharedState.builder()
        .uri(options.redisUri)
        .keyPrefix(options.keyPrefix)
        .instanceId(options.instanceId())
        .syncInterval(options.syncInterval)
        .startupPolicy(StartupPolicy.START_DEGRADED)
        .build();
    if (shared != null) {
      shared.onEvent(event -> notes.add("fleet: " + event.type() + " " + describe(event)));
    }
    this.policies = new Policies(options, config -> shared == null ? CircuitBreakerRegistry.of(config) : shared.registry(config));
    CircuitBreaker breaker = policies.breakers.circuitBreaker(Policies.NAME);
    breaker.onStateTransition(t -> notes.add("breaker " + t.breakerName() + ": " + t.from() + " -> " + t.to()));
    this.upstream = new Upstream(policies.upstreamChaos(), options.hangFor);
    this.sharedUpstream = shared != null && options.shareUpstream
        ? new SharedUpstream(options.redisUri, options.keyPrefix, options.instanceId(), policies.upstreamChaos(),
            options.syncInterval, notes)
        : null;
    policies.probe(upstream.uri());
    this.service = new Service(upstream.uri(), policies, options);
    Map<Route, BlockedThreads> blocked = new EnumMap<>(Route.class);
    for (Route route : Route.values()) {
      blocked.put(route, service.blockedThreads(route));
    }
    this.recorder = new Recorder(phases, blocked, withDashboard);
    this.load = new LoadGenerator(service.uri(), recorder, options.rate());
    this.withDashboard = withDashboard;
  }

  /** Returns the dashboard, once {@link #start()} has started it; null without one. */
  Dashboard dashboard() {
    return dashboard;
  }

  private Dashboard startDashboard() {
    Dashboard.Builder builder = Dashboard.builder(policies.breakers)
        .retryRegistry(policies.retries)
        .timeLimiterRegistry(policies.timeLimiters)
        .bulkheadRegistry(policies.bulkheads)
        .chaosRegistry(policies.chaos)
        .samplingInterval(options.samplingInterval)
        .historySize((int) Math.max(2, options.chartSpan.toMillis() / options.samplingInterval.toMillis()))
        .status(this::demoCard);
    if (shared != null) {
      builder.status(this::fleetCard).sharedState(shared);
    }
    if (options.token != null) {
      builder.token(options.token);
    }
    try {
      return builder.port(options.port).start();
    } catch (UncheckedIOException e) {
      // The port is taken (another demo instance, say): any free one will do.
      return builder.port(0).start();
    }
  }

  /**
   * Warms the JVM up, starts the load, then the dashboard. The first requests of a fresh JVM load classes, compile code
   * and open connections: slow enough to fill the bulkhead and open the breaker before anything has gone
   * wrong. So requests go one at a time through both routes first, then the load runs for a while before
   * any phase is recorded, and the breaker starts the demo from a clean state.
   */
  void start() {
    warmUp();
    load.start();
    try {
      Thread.sleep(WARM_UP_LOAD.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    policies.breakers.circuitBreaker(Policies.NAME).reset();
    // Started now, so that the warm-up's burst is not the first thing its charts show.
    if (withDashboard) {
      dashboard = startDashboard();
    }
  }

  static final Duration WARM_UP_LOAD = Duration.ofSeconds(2);

  private void warmUp() {
    java.net.http.HttpClient client = java.net.http.HttpClient.newBuilder()
        .version(java.net.http.HttpClient.Version.HTTP_1_1)
        .build();
    long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
    for (int i = 0; i < WARM_UP_REQUESTS && System.nanoTime() < deadline; i++) {
      for (Route route : Route.values()) {
        java.net.URI uri = service.uri().resolve("/" + route.label + "?sku=sku-" + (1 + i % LoadGenerator.PRODUCTS));
        try {
          client.send(java.net.http.HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).build(),
              java.net.http.HttpResponse.BodyHandlers.discarding());
        } catch (java.io.IOException e) {
          // A slow start is what the warm-up is for.
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  static final int WARM_UP_REQUESTS = 300;

  /** Sets the upstream to behave as a phase of a script says, and names the phase on the status card. */
  void apply(String phaseName) {
    Chaos chaos = policies.upstreamChaos();
    switch (phaseName) {
      case "outage" -> chaos.update(s -> s.withEnabled(true).healthy().outage());
      case "slowdown" -> chaos.update(s -> s.withEnabled(true).healthy().slowdown(options.slowdownLatency));
      case "errors" -> chaos.update(s -> s.withEnabled(true).healthy().withResultRate(options.errorRate));
      default -> chaos.update(s -> s.withEnabled(true).healthy());
    }
    this.phase = phaseName;
  }

  /** Names what is going on, for the status card: a phase, or who is at the controls. */
  void phase(String name) {
    this.phase = name;
  }

  String phase() {
    return phase;
  }

  /** The demo's own card: what the upstream does and what each route's clients see. */
  StatusCard demoCard() {
    ChaosSettings settings = policies.upstreamChaos().settings();
    String upstreamState = upstreamState(settings);
    StatusCard.Tone tone = switch (upstreamState) {
      case "HEALTHY" -> StatusCard.Tone.GOOD;
      case "OUTAGE" -> StatusCard.Tone.BAD;
      default -> StatusCard.Tone.WARNING;
    };
    long now = System.nanoTime();
    Recorder.Figures p = recorder.recent(Route.PROTECTED, now);
    Recorder.Figures u = recorder.recent(Route.UNPROTECTED, now);
    StatusCard card = StatusCard.of("Demo: " + phase, "UPSTREAM " + upstreamState, tone)
        .withFact("Protected: p50 / p99, 10 s", millis(p.p50Millis()) + " / " + millis(p.p99Millis()))
        .withFact("Protected: threads blocked", String.valueOf(p.peakBlocked()))
        .withFact("Protected: fallbacks, 10 s", String.valueOf(p.fallbacks()))
        .withFact("Unprotected: p50 / p99, 10 s", millis(u.p50Millis()) + " / " + millis(u.p99Millis()))
        .withFact("Unprotected: threads blocked", String.valueOf(u.peakBlocked()))
        .withFact("Unprotected: errors, 10 s", String.valueOf(u.errors()));
    for (String note : notes.latest()) {
      card = card.withNote(note);
    }
    return card;
  }

  /** The fleet's card: whether this instance shares its breakers through Redis, and how that goes. */
  StatusCard fleetCard() {
    RedisSharedState.Metrics m = shared.metrics();
    boolean sharing = m.mode() == RedisSharedState.Mode.SHARED;
    return StatusCard.of("Fleet", m.mode().name(), sharing ? StatusCard.Tone.GOOD : StatusCard.Tone.WARNING)
        .withFact("Instance", shared.instanceId())
        .withFact("Redis", redisAddress(options.redisUri))
        .withFact("Shared breakers", String.valueOf(m.breakers()))
        .withFact("Fleet breaker state here", policies.breakers.circuitBreaker(Policies.NAME).state().name())
        .withFact("Flushes ok / failed", m.flushes() + " / " + m.failedFlushes())
        .withFact("Messages received", String.valueOf(m.messages()))
        .withFact("Last round trip", millis(m.lastRoundTrip().toNanos() / 1e6));
  }

  static String upstreamState(ChaosSettings s) {
    if (!s.enabled() || (s.faultRate() == 0 && s.resultRate() == 0 && (s.latencyRate() == 0 || s.latency().isZero()))) {
      return "HEALTHY";
    }
    if (s.faultRate() >= 1) {
      return "OUTAGE";
    }
    if (s.faultRate() > 0 || s.resultRate() > 0) {
      return "FAULTY";
    }
    return "SLOW";
  }

  static String millis(double millis) {
    if (Double.isNaN(millis)) {
      return "—";
    }
    return millis >= 100 ? String.format(java.util.Locale.ROOT, "%,.0f ms", millis)
        : String.format(java.util.Locale.ROOT, "%.1f ms", millis);
  }

  /** The host and port of a Redis URI, without any password. */
  static String redisAddress(String uri) {
    String rest = uri.replaceFirst("^[a-z]+://", "");
    rest = rest.substring(rest.lastIndexOf('@') + 1);
    int slash = rest.indexOf('/');
    return slash < 0 ? rest : rest.substring(0, slash);
  }

  private static String describe(dev.fusebox.redis.RedisSharedStateEvent event) {
    if (event instanceof dev.fusebox.redis.RedisSharedStateEvent.ModeChanged m) {
      return m.from() + " -> " + m.to();
    }
    return "";
  }

  /** Stops the load (waiting for its requests at most {@code drain}), then everything else. */
  void stop(Duration drain) {
    load.stop(drain);
    close();
  }

  @Override
  public void close() {
    load.stop(Duration.ZERO);
    if (dashboard != null) {
      dashboard.close();
    }
    service.close();
    if (sharedUpstream != null) {
      sharedUpstream.close();
    }
    upstream.close();
    policies.close();
    if (shared != null) {
      shared.close();
    }
  }
}
