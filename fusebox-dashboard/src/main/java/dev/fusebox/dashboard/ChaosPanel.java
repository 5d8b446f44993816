package dev.fusebox.dashboard;

import dev.fusebox.chaos.Chaos;
import dev.fusebox.chaos.ChaosRegistry;
import dev.fusebox.chaos.ChaosSettings;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The chaos policies of a registry, with controls that change what they inject while the application
 * runs: the page's game-day console.
 *
 * <p>Each card shows the settings in force (fault rate, error-result rate, latency rate and latency, on or
 * off), calls and injections per second, and the latest settings changes, whoever made them. The state is
 * {@code DISABLED}, {@code OUTAGE} (every call fails), {@code FAULTY} (some calls fail or get an error
 * result), {@code SLOW} (calls are delayed) or {@code HEALTHY}.
 *
 * <p>Actions, each behind the token like every control, each answered with the policy as it is now:
 *
 * <ul>
 *   <li>{@code set}: any of {@code faultRate}, {@code resultRate}, {@code latencyRate} (each in [0, 1]) and
 *       {@code latencyMillis} (a whole number in [0, {@value #MAX_LATENCY_MILLIS}]), from the JSON body;
 *       members left out keep their value. A positive {@code resultRate} needs a policy configured with a
 *       result to inject.
 *   <li>{@code outage}: every call fails ({@link ChaosSettings#outage()}).
 *   <li>{@code slowdown}: every call is delayed by {@code latencyMillis} from the body, else by the current
 *       latency if there is one, else by {@value #DEFAULT_SLOWDOWN_MILLIS} ms.
 *   <li>{@code healthy}: every rate back to 0 ({@link ChaosSettings#healthy()}).
 *   <li>{@code enable}, {@code disable}: start or stop injecting, keeping the rates.
 * </ul>
 *
 * <p>A change is one {@link Chaos#update}: calls see the old settings or the new ones, never half of
 * each. Invalid input changes nothing.
 */
final class ChaosPanel extends PolicyPanel<Chaos> {

  static final String KIND = "chaos";
  static final List<String> ACTIONS = List.of("outage", "slowdown", "healthy", "set", "enable", "disable");
  static final long MAX_LATENCY_MILLIS = 60_000;
  static final long DEFAULT_SLOWDOWN_MILLIS = 1_000;

  ChaosPanel(ChaosRegistry registry, int historySize, int eventsPerInstance) {
    super(KIND, "Chaos", registry::all, registry::find, Chaos::name,
        List.of(Series.rate("calls"), Series.rate("faults"), Series.rate("results"), Series.rate("latencies")),
        historySize, eventsPerInstance);
  }

  @Override
  public List<String> actions() {
    return ACTIONS;
  }

  @Override
  public Outcome control(String name, String action, ControlInput input) {
    if (!ACTIONS.contains(action)) {
      return Outcome.NO_SUCH_ACTION;
    }
    Chaos chaos = find(name).orElse(null);
    if (chaos == null) {
      return Outcome.NO_SUCH_INSTANCE;
    }
    if (!action.equals("set") && !action.equals("slowdown")) {
      input.allowOnly(Set.of());
    }
    switch (action) {
      case "outage" -> chaos.update(ChaosSettings::outage);
      case "healthy" -> chaos.update(s -> s.withEnabled(true).healthy());
      case "enable" -> chaos.enable();
      case "disable" -> chaos.disable();
      case "slowdown" -> {
        long asked = input.allowOnly(Set.of("latencyMillis")).millis("latencyMillis", MAX_LATENCY_MILLIS).orElse(-1);
        chaos.update(s -> s.slowdown(asked >= 0 ? Duration.ofMillis(asked)
            : s.latency().isZero() ? Duration.ofMillis(DEFAULT_SLOWDOWN_MILLIS) : s.latency()));
        return Outcome.DONE;
      }
      default -> {
        input.allowOnly(Set.of("faultRate", "resultRate", "latencyRate", "latencyMillis"));
        var faultRate = input.rate("faultRate");
        var resultRate = input.rate("resultRate");
        var latencyRate = input.rate("latencyRate");
        var latency = input.millis("latencyMillis", MAX_LATENCY_MILLIS);
        if (input.isEmpty()) {
          throw new IllegalArgumentException("set needs at least one of faultRate, resultRate, latencyRate, latencyMillis");
        }
        // The withers validate too: a result rate without a result to inject is refused, nothing changes.
        chaos.update(s -> {
          ChaosSettings next = s;
          if (faultRate.isPresent()) {
            next = next.withFaultRate(faultRate.getAsDouble());
          }
          if (resultRate.isPresent()) {
            next = next.withResultRate(resultRate.getAsDouble());
          }
          if (latency.isPresent()) {
            next = next.withLatency(latencyRate.orElse(next.latencyRate()), Duration.ofMillis(latency.getAsLong()));
          } else if (latencyRate.isPresent()) {
            next = next.withLatencyRate(latencyRate.getAsDouble());
          }
          return next;
        });
      }
    }
    return Outcome.DONE;
  }

  @Override
  void read(Chaos chaos, double[] into) {
    Chaos.Metrics m = chaos.metrics();
    into[0] = m.numberOfCalls();
    into[1] = m.numberOfInjectedFaults();
    into[2] = m.numberOfInjectedResults();
    into[3] = m.numberOfInjectedLatencies();
  }

  @Override
  void observe(Chaos chaos, Tracked<Chaos> t) {
    ChaosSettings settings = chaos.settings();
    if (t.remembered != null && t.remembered != settings) {
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("state", state(settings));
      details.put("enabled", settings.enabled());
      details.put("faultRate", settings.faultRate());
      details.put("resultRate", settings.resultRate());
      details.put("latencyRate", settings.latencyRate());
      details.put("latencyMillis", settings.latency().toNanos() / 1e6);
      event(t, "SETTINGS_CHANGED", details);
    }
    t.remembered = settings;
  }

  @Override
  void writeFields(Chaos chaos, JsonWriter json) {
    ChaosSettings s = chaos.settings();
    Chaos.Metrics m = chaos.metrics();
    json.field("state", state(s))
        .field("enabled", s.enabled())
        .field("faultRate", s.faultRate())
        .field("resultRate", s.resultRate())
        .field("resultAvailable", s.result().isPresent())
        .field("latencyRate", s.latencyRate())
        .field("latencyMillis", s.latency().toNanos() / 1e6)
        .field("maxLatencyMillis", MAX_LATENCY_MILLIS)
        .name("totals").beginObject()
        .field("calls", m.numberOfCalls())
        .field("faults", m.numberOfInjectedFaults())
        .field("results", m.numberOfInjectedResults())
        .field("latencies", m.numberOfInjectedLatencies())
        .endObject();
  }

  static String state(ChaosSettings s) {
    if (!s.enabled()) {
      return "DISABLED";
    }
    if (s.faultRate() >= 1) {
      return "OUTAGE";
    }
    if (s.faultRate() > 0 || s.resultRate() > 0) {
      return "FAULTY";
    }
    if (s.latencyRate() > 0 && !s.latency().isZero()) {
      return "SLOW";
    }
    return "HEALTHY";
  }
}
