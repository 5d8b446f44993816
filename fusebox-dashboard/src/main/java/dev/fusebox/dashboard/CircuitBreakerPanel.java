package dev.fusebox.dashboard;

import dev.fusebox.circuitbreaker.CircuitBreaker;
import dev.fusebox.circuitbreaker.CircuitBreakerConfig;
import dev.fusebox.circuitbreaker.CircuitBreakerEvent;
import dev.fusebox.circuitbreaker.CircuitBreakerRegistry;
import dev.fusebox.circuitbreaker.StateTransition;
import dev.fusebox.dashboard.SampleRing.Sample;
import dev.fusebox.observability.EventHistory;
import dev.fusebox.observability.Outages;
import dev.fusebox.observability.EventHistoryConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The circuit breakers of a registry on the dashboard.
 *
 * <p>Design note. Current figures are read from the breaker at request time ({@link CircuitBreaker#metrics()}
 * is a consistent snapshot), so a control's answer and the next read show its effect at once. Rates need two
 * readings of the cumulative counters: the sampler thread keeps, per breaker, the previous reading and a
 * {@link SampleRing} of rates; those fields are the sampler's alone, the ring is safe to read from any
 * thread. A breaker is tracked by identity, so a breaker removed and re-created under the same name starts
 * a fresh chart. Breakers are listed from the registry on every read, so a removed breaker disappears at
 * once; its tracking goes at the next tick.
 *
 * <p>Events come from an {@link EventHistory}: by default the panel's own, keeping transitions, resets and
 * threshold crossings only, which the breakers build only when they happen (listening to those costs a
 * successful call nothing). New events are found by the identity of the last one announced, so neither a
 * racing writer nor a ring that wrapped makes one announced twice.
 */
final class CircuitBreakerPanel implements Panel {

  /** The series of a breaker's chart, in the order of its samples' values. */
  private static final List<String> SERIES = List.of("calls", "failed", "rejected");

  static final String KIND = "circuitbreaker";
  static final List<String> ACTIONS =
      List.of("force-open", "disable", "close", "reset", "deploy-mode", "end-deploy-mode");

  /** How long {@code deploy-mode} lasts without a {@code durationMillis}: a typical rollout. */
  static final Duration DEFAULT_DEPLOY_MODE = Duration.ofMinutes(10);

  /** The longest deploy mode the dashboard starts: a week, far beyond any rollout. */
  static final long MAX_DEPLOY_MODE_MILLIS = 7L * 86_400_000L;

  /** The event types the panel's own history keeps: what changes a breaker's course, not every call. */
  static final Set<CircuitBreakerEvent.Type> EVENT_TYPES =
      Set.of(
          CircuitBreakerEvent.Type.STATE_TRANSITION,
          CircuitBreakerEvent.Type.RESET,
          CircuitBreakerEvent.Type.FAILURE_RATE_EXCEEDED,
          CircuitBreakerEvent.Type.SLOW_CALL_RATE_EXCEEDED,
          CircuitBreakerEvent.Type.CONFIGURATION_CHANGED,
          CircuitBreakerEvent.Type.DEPLOY_MODE_CHANGED);

  private final CircuitBreakerRegistry registry;
  /** Calls spared and times to recovery, from the breakers' transitions. */
  private final Outages outages;
  /** The fleet, when the breakers are shared through Redis; null otherwise. */
  private final FleetSection fleet;
  private final EventHistory history;
  private final boolean ownsHistory;
  private final int historySize;
  private final int eventsPerInstance;
  private final ConcurrentHashMap<String, Tracked> tracked = new ConcurrentHashMap<>();
  /** Sampler thread only: whether a tick has run, before which existing events count as already seen. */
  private boolean primed;

  CircuitBreakerPanel(CircuitBreakerRegistry registry, EventHistory history, int historySize, int eventsPerInstance) {
    this(registry, history, historySize, eventsPerInstance, null);
  }

  CircuitBreakerPanel(
      CircuitBreakerRegistry registry, EventHistory history, int historySize, int eventsPerInstance, FleetSection fleet) {
    this.registry = registry;
    this.fleet = fleet;
    this.outages = Outages.attach(registry);
    this.ownsHistory = history == null;
    this.history =
        history != null
            ? history
            : EventHistory.attach(
                registry, EventHistoryConfig.builder().capacity(eventsPerInstance).eventTypes(EVENT_TYPES).build());
    this.historySize = historySize;
    this.eventsPerInstance = eventsPerInstance;
  }

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public String title() {
    return "Circuit breakers";
  }

  @Override
  public List<String> actions() {
    return ACTIONS;
  }

  @Override
  public void sample(long tick, long nanos) {
    Set<String> present = new HashSet<>();
    for (CircuitBreaker breaker : registry.all()) {
      present.add(breaker.name());
      Tracked t =
          tracked.compute(
              breaker.name(),
              (name, current) -> current != null && current.breaker == breaker ? current : new Tracked(breaker, historySize));
      t.sample(tick, nanos);
    }
    tracked.keySet().retainAll(present);
    if (fleet != null) {
      fleet.sample(present, nanos);
    }
  }

  @Override
  public void writeDescription(JsonWriter json) {
    if (fleet != null) {
      fleet.writeDescription(json);
    }
  }

  private List<String> names() {
    return registry.all().stream().map(CircuitBreaker::name).toList();
  }

  @Override
  public void writeInstances(JsonWriter json, boolean withHistory) {
    json.beginArray();
    for (CircuitBreaker breaker : sorted()) {
      write(breaker, json, withHistory);
    }
    json.endArray();
  }

  @Override
  public boolean writeInstance(String name, JsonWriter json, boolean withHistory) {
    CircuitBreaker breaker = registry.find(name).orElse(null);
    if (breaker == null) {
      return false;
    }
    write(breaker, json, withHistory);
    return true;
  }

  @Override
  public int writeNewEvents(JsonWriter json) {
    int written = 0;
    List<Tracked> all = new ArrayList<>(tracked.values());
    all.sort(Comparator.comparing(t -> t.breaker.name()));
    for (Tracked t : all) {
      List<CircuitBreakerEvent> events = history.events(t.breaker.name());
      if (events.isEmpty()) {
        continue;
      }
      CircuitBreakerEvent newest = events.get(events.size() - 1);
      if (primed && newest != t.lastAnnounced) {
        int from = Math.max(0, events.size() - eventsPerInstance);
        for (int i = events.size() - 1; i >= from; i--) {
          if (events.get(i) == t.lastAnnounced) {
            from = i + 1;
            break;
          }
        }
        for (int i = from; i < events.size(); i++) {
          writeEvent(events.get(i), json);
          written++;
        }
      }
      t.lastAnnounced = newest;
    }
    primed = true;
    return written;
  }

  @Override
  public Outcome control(String name, String action, ControlInput input) {
    if (!ACTIONS.contains(action)) {
      return Outcome.NO_SUCH_ACTION;
    }
    CircuitBreaker breaker = registry.find(name).orElse(null);
    if (breaker == null) {
      return Outcome.NO_SUCH_INSTANCE;
    }
    boolean deploy = action.equals("deploy-mode");
    if (fleet != null) {
      input.allowOnly(Set.of("scope", "reason", "durationMillis"));
      String scope = input.text("scope", 16).orElse("instance");
      if (scope.equals("fleet")) {
        if (action.endsWith("deploy-mode")) {
          throw new IllegalArgumentException(
              action + " acts on this instance only: deploy mode is per instance for now");
        }
        String reason = input.text("reason", FleetView.MAX_REASON).orElse("");
        if (reason.isBlank()) {
          throw new IllegalArgumentException("a fleet action needs a reason: it is logged and shown on every instance");
        }
        fleet.act(name, action, reason, input.millis("durationMillis", 365L * 86_400_000L).orElse(0), names());
        return Outcome.DONE;
      }
      if (!scope.equals("instance")) {
        throw new IllegalArgumentException("scope must be instance or fleet, was " + scope);
      }
      input.allowOnly(deploy ? Set.of("scope", "durationMillis") : Set.of("scope"));
    } else {
      input.allowOnly(deploy ? Set.of("durationMillis") : Set.of());
    }
    switch (action) {
      case "force-open" -> breaker.transitionToForcedOpenState();
      case "disable" -> breaker.transitionToDisabledState();
      case "close" -> breaker.transitionToClosedState();
      case "deploy-mode" -> {
        long millis = input.millis("durationMillis", MAX_DEPLOY_MODE_MILLIS).orElse(DEFAULT_DEPLOY_MODE.toMillis());
        if (millis == 0) {
          throw new IllegalArgumentException("durationMillis must be positive for deploy-mode, was 0");
        }
        breaker.startDeployMode(Duration.ofMillis(millis));
      }
      case "end-deploy-mode" -> breaker.endDeployMode();
      default -> breaker.reset();
    }
    return Outcome.DONE;
  }

  @Override
  public void close() {
    if (ownsHistory) {
      history.close();
    }
    if (fleet != null) {
      fleet.close();
    }
    outages.close();
    tracked.clear();
  }

  private List<CircuitBreaker> sorted() {
    List<CircuitBreaker> breakers = new ArrayList<>(registry.all());
    breakers.sort(Comparator.comparing(CircuitBreaker::name));
    return breakers;
  }

  private void write(CircuitBreaker breaker, JsonWriter json, boolean withHistory) {
    CircuitBreaker.Metrics m = breaker.metrics();
    CircuitBreakerConfig config = breaker.config();
    json.beginObject()
        .field("name", breaker.name())
        .field("state", m.state().name())
        .field("allowsCalls", m.state().allowsCalls());
    rate(json, "failureRate", m.failureRate());
    json.field("failureRateThreshold", config.failureRateThreshold());
    rate(json, "slowCallRate", m.slowCallRate());
    json.field("slowCallRateThreshold", config.slowCallRateThreshold())
        .field("bufferedCalls", m.numberOfBufferedCalls())
        .field("failedCalls", m.numberOfFailedCalls())
        .field("slowCalls", m.numberOfSlowCalls())
        .field("minimumNumberOfCalls", config.minimumNumberOfCalls())
        .field("notPermittedCalls", m.numberOfNotPermittedCalls());
    millis(json, "nextTrialMillis", m.nextTrialIn());
    json.field("rampPercent", m.rampPercentage())
        .field("timeInStateMillis", m.timeInState().toMillis());
    millis(json, "deployModeRemainingMillis", breaker.deployModeRemaining());
    // The threshold in force: configured, or learnt from the breaker's own latency.
    json.field("slowCallDurationThresholdMillis", breaker.slowCallDurationThreshold().toMillis());
    json.name("totals")
        .beginObject()
        .field("successful", m.totalSuccessfulCalls())
        .field("failed", m.totalFailedCalls())
        .field("ignored", m.totalIgnoredCalls())
        .field("notPermitted", m.totalNotPermittedCalls())
        .field("slowSuccessful", m.totalSlowSuccessfulCalls())
        .field("slowFailed", m.totalSlowFailedCalls())
        .endObject();
    Tracked t = tracked.get(breaker.name());
    SampleRing ring = t != null && t.breaker == breaker ? t.ring : null;
    if (ring == null) {
      json.name("rates").nullValue();
      if (withHistory) {
        SampleRing.writeEmptyHistory(SERIES, json);
      }
    } else {
      ring.writeRates(SERIES, json);
      if (withHistory) {
        ring.writeHistory(SERIES, json);
      }
    }
    if (fleet != null) {
      fleet.writeBreaker(breaker.name(), json);
    }
    // A health probe is shown where there is one: how often it ran and how it went.
    config.healthProbe().ifPresent(probe -> json.name("probes").beginObject()
        .field("successful", m.totalSuccessfulProbes())
        .field("failed", m.totalFailedProbes())
        .field("intervalMillis", probe.interval().toMillis())
        .field("failuresToOpen", probe.failuresToOpen())
        .endObject());
    outages.summary(breaker.name()).ifPresent(o -> {
      json.name("outages").beginObject().field("openings", o.openings()).field("recoveries", o.recoveries())
          .field("sparedCalls", o.sparedCalls());
      millis(json, "openForMillis", o.openFor());
      millis(json, "lastTimeToRecoveryMillis", o.lastTimeToRecovery());
      millis(json, "averageTimeToRecoveryMillis", o.averageTimeToRecovery());
      json.endObject();
    });
    json.name("events").beginArray();
    List<CircuitBreakerEvent> events = history.events(breaker.name());
    for (int i = Math.max(0, events.size() - eventsPerInstance); i < events.size(); i++) {
      writeEvent(events.get(i), json);
    }
    json.endArray().endObject();
  }

  /** Writes a duration in milliseconds, or null when there is none. */
  static void millis(JsonWriter json, String name, Optional<Duration> duration) {
    json.name(name);
    if (duration.isPresent()) {
      json.value(duration.get().toMillis());
    } else {
      json.nullValue();
    }
  }

  /** Writes a rate in percent, or null while there is none (negative: below the minimum number of calls). */
  static void rate(JsonWriter json, String name, double percent) {
    json.name(name);
    if (percent < 0) {
      json.nullValue(); // below the minimum number of calls: no rate yet
    } else {
      json.value(percent);
    }
  }

  /**
   * Writes an event. Exceptions appear by class name only: their messages may hold data that a read-only
   * viewer should not see.
   */
  static void writeEvent(CircuitBreakerEvent event, JsonWriter json) {
    json.beginObject()
        .field("kind", KIND)
        .field("name", event.breakerName())
        .field("type", event.type().name())
        .field("time", event.timestamp().toString());
    if (event instanceof StateTransition t) {
      json.field("from", t.from().name()).field("to", t.to().name());
    } else if (event instanceof CircuitBreakerEvent.FailureRateExceeded f) {
      json.field("failureRate", f.failureRate());
    } else if (event instanceof CircuitBreakerEvent.SlowCallRateExceeded s) {
      json.field("slowCallRate", s.slowCallRate());
    } else if (event instanceof CircuitBreakerEvent.ConfigurationChanged c) {
      json.field("changes", changes(c.previous(), c.current()));
    } else if (event instanceof CircuitBreakerEvent.DeployModeChanged d) {
      json.field("active", d.active()).field("durationMillis", d.duration().toMillis());
    } else if (event instanceof CircuitBreakerEvent.NotPermitted n) {
      json.field("state", n.state().name());
    } else if (event instanceof CircuitBreakerEvent.Failure f) {
      json.field("elapsedMillis", f.elapsed().toMillis()).field("slow", f.slow());
      json.field("error", f.error() == null ? "result recorded as failure" : f.error().getClass().getName());
    } else if (event instanceof CircuitBreakerEvent.IgnoredError e) {
      json.field("elapsedMillis", e.elapsed().toMillis()).field("error", e.error().getClass().getName());
    } else if (event instanceof CircuitBreakerEvent.Success s) {
      json.field("elapsedMillis", s.elapsed().toMillis()).field("slow", s.slow());
    }
    json.endObject();
  }

  /** The options an operator tunes live, for a reconfiguration's line: what changed, old and new. */
  private static final List<Map.Entry<String, Function<CircuitBreakerConfig, Object>>> TUNED =
      List.of(
          Map.entry("failureRateThreshold", CircuitBreakerConfig::failureRateThreshold),
          Map.entry("slowCallRateThreshold", CircuitBreakerConfig::slowCallRateThreshold),
          Map.entry("slowCallDurationThreshold", CircuitBreakerConfig::slowCallDurationThreshold),
          Map.entry("windowType", CircuitBreakerConfig::windowType),
          Map.entry("windowSize", CircuitBreakerConfig::windowSize),
          Map.entry("windowSpan", CircuitBreakerConfig::windowSpan),
          Map.entry("minimumNumberOfCalls", CircuitBreakerConfig::minimumNumberOfCalls),
          Map.entry("failureRateConfidence", CircuitBreakerConfig::failureRateConfidence),
          Map.entry("slowCallDurationPercentile", CircuitBreakerConfig::slowCallDurationPercentile),
          Map.entry("slowCallDurationMultiplier", CircuitBreakerConfig::slowCallDurationMultiplier),
          Map.entry("deployModeFailureThreshold", CircuitBreakerConfig::deployModeFailureThreshold),
          Map.entry("waitDurationInOpenState", CircuitBreakerConfig::waitDurationInOpenState),
          Map.entry("permittedNumberOfCallsInHalfOpenState", CircuitBreakerConfig::permittedNumberOfCallsInHalfOpenState));

  /** Names the tuned options that differ, "option old → new", or says that none of them did. */
  static String changes(CircuitBreakerConfig previous, CircuitBreakerConfig current) {
    StringJoiner changed = new StringJoiner(", ");
    for (Map.Entry<String, Function<CircuitBreakerConfig, Object>> option : TUNED) {
      Object before = option.getValue().apply(previous);
      Object after = option.getValue().apply(current);
      if (!Objects.equals(before, after)) {
        changed.add(option.getKey() + " " + before + " → " + after);
      }
    }
    return changed.length() == 0 ? "other options" : changed.toString();
  }

  /** A breaker followed by the sampler; the mutable fields are the sampler thread's alone. */
  private static final class Tracked {
    final CircuitBreaker breaker;
    final SampleRing ring;
    long lastNanos = Long.MIN_VALUE;
    long lastCalls;
    long lastFailed;
    long lastRejected;
    CircuitBreakerEvent lastAnnounced;

    Tracked(CircuitBreaker breaker, int historySize) {
      this.breaker = breaker;
      this.ring = new SampleRing(historySize);
    }

    void sample(long tick, long nanos) {
      CircuitBreaker.Metrics m = breaker.metrics();
      long calls = m.totalSuccessfulCalls() + m.totalFailedCalls() + m.totalIgnoredCalls();
      long failed = m.totalFailedCalls();
      long rejected = m.totalNotPermittedCalls();
      // The first reading is the baseline; a ticker that has not moved gives no rate.
      if (lastNanos != Long.MIN_VALUE && nanos > lastNanos) {
        double seconds = (nanos - lastNanos) / 1e9;
        ring.add(new Sample(tick, new double[] {
            (calls - lastCalls) / seconds, (failed - lastFailed) / seconds, (rejected - lastRejected) / seconds}));
      }
      if (lastNanos == Long.MIN_VALUE || nanos > lastNanos) {
        lastNanos = nanos;
        lastCalls = calls;
        lastFailed = failed;
        lastRejected = rejected;
      }
    }
  }
}
