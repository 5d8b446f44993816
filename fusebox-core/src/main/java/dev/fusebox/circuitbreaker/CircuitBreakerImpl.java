package dev.fusebox.circuitbreaker;

import dev.fusebox.Subscription;
import dev.fusebox.Ticker;
import dev.fusebox.circuitbreaker.spi.TrialGate;
import dev.fusebox.internal.Listeners;
import dev.fusebox.internal.Nanos;
import dev.fusebox.internal.Outcomes;
import dev.fusebox.internal.Tags;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The circuit breaker: its current stay, and the public API over its parts — {@link CallPath} (the call path),
 * {@link Transitions} (every decision that moves it), {@link BreakerEvents} and {@link CallCounters}.
 *
 * <p>Design note. The state is one volatile reference to an immutable-identity {@link Stay},
 * moved only by CAS ({@link #move}) from the stay that decided the move: of two racing decisions exactly
 * one wins, and an outcome reported to a stay that is no longer current cannot move the breaker. A
 * successful call through a plain closed breaker costs one volatile load of the state, one fetch-and-add
 * in the window, one uncontended {@link java.util.concurrent.atomic.LongAdder} increment, and clock reads
 * only for the features switched on; it allocates nothing unless someone listens for per-call events.
 */
final class CircuitBreakerImpl implements CircuitBreaker {

  private static final VarHandle STATE;
  private static final VarHandle DEPLOY_MODE;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      STATE = lookup.findVarHandle(CircuitBreakerImpl.class, "state", Stay.class);
      DEPLOY_MODE = lookup.findVarHandle(CircuitBreakerImpl.class, "deployMode", DeployMode.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final String name;
  private final Map<String, String> tags;
  /** The ticker the breaker was built with; a reconfiguration keeps it, as every deadline is on it. */
  final Ticker ticker;
  final CallCounters counters = new CallCounters();
  final BreakerEvents events;
  final Transitions transitions;
  /** The health probe's runner, or {@code null} without a probe: moves tell it where the breaker went. */
  private final Probing probing;
  private final CallPath callPath;
  private volatile Stay state;
  /** The breaker's own latency, or null while no configuration judged slow calls by it. */
  volatile LatencyBaseline baseline;
  /** Deploy mode, or null when it is off. */
  private volatile DeployMode deployMode;

  CircuitBreakerImpl(String name, CircuitBreakerConfig config) {
    this(name, config, Map.of());
  }

  CircuitBreakerImpl(String name, CircuitBreakerConfig config, Map<String, String> tags) {
    Objects.requireNonNull(name, "name must not be null");
    if (name.isBlank()) {
      throw new IllegalArgumentException("name must not be blank, was '" + name + "'");
    }
    this.name = name;
    Objects.requireNonNull(config, "config must not be null");
    this.tags = Tags.copyOf(tags);
    CompiledConfig compiled = config.compiled();
    this.ticker = compiled.ticker;
    this.events = new BreakerEvents(name);
    this.transitions = new Transitions(this);
    this.callPath = new CallPath(this);
    this.probing = Probing.of(this, config);
    long now = ticker.nanos();
    if (compiled.baseline) {
      this.baseline = new LatencyBaseline(now);
    }
    this.state = initialStay(compiled, config.initialState(), now);
    this.events.start(state);
    if (probing != null) {
      probing.entered(state);
    }
    if (state instanceof OpenStay open) {
      transitions.scheduleAutomaticTransition(open, now);
    }
  }

  /** The stay of a new breaker: its configured initial state, entered at {@code now}. */
  private Stay initialStay(CompiledConfig s, State initial, long now) {
    ClosedStay closed = ClosedStay.fresh(this, s, now);
    return switch (initial) {
      case CLOSED -> closed;
      // The first opening in a row, as if the breaker had just tripped: Resilience4j's attempts of 1.
      case OPEN ->
          OpenStay.opening(this, s, now, transitions.openWait(s, 1), 1, WindowCounts.EMPTY, closed.minimumCalls());
      case HALF_OPEN -> new HalfOpenStay(this, s, now, 1, 0);
      case FORCED_OPEN -> ManualStay.forcedOpen(this, s, now, closed);
      case DISABLED -> ManualStay.disabled(this, s, now, closed);
      case METRICS_ONLY -> ManualStay.metricsOnly(this, s, now, closed);
    };
  }

  /**
   * Moves the breaker from {@code expected} to {@code next}; false if another move came first. A move that
   * succeeds is announced with {@code announcement} (null: nothing to announce) in the order of the moves,
   * after every move before it; see {@link BreakerEvents}.
   */
  boolean move(Stay expected, Stay next, Runnable announcement) {
    if (!STATE.compareAndSet(this, expected, next)) {
      return false;
    }
    if (expected instanceof OpenStay open) {
      open.leave(); // a manual move, or any other, cancels the opening's pending automatic transition
    }
    if (expected.state == State.CLOSED && next.state != State.CLOSED) {
      left();
    }
    events.entered(expected, next, announcement);
    if (probing != null) {
      probing.entered(next);
    }
    return true;
  }

  /**
   * {@link #move}s to a stay of the same state that takes the data of {@code expected} over, and links it as
   * {@code expected}'s adopter, so that the outcomes of calls {@code expected} admitted reach it.
   */
  boolean adopt(Stay expected, Stay next, Runnable announcement) {
    if (!move(expected, next, announcement)) {
      return false;
    }
    expected.adopter = next;
    return true;
  }

  /** The breaker left CLOSED: its latency period teaches nothing, and deploy mode counts failures afresh. */
  private void left() {
    LatencyBaseline latency = baseline;
    if (latency != null) {
      latency.disturb();
    }
    DeployMode deploy = deployMode;
    if (deploy != null) {
      deploy.opened();
    }
  }

  /**
   * Counts a failure a closed stay recorded against deploy mode; returns whether it opens the breaker. Ends
   * deploy mode once its time is over, which reads the clock: only a breaker in deploy mode does.
   */
  boolean deployModeTrips(CompiledConfig s) {
    DeployMode deploy = deployMode;
    if (deploy == null) {
      return false;
    }
    if (deploy.over(ticker.nanos())) {
      expire(deploy);
      return false;
    }
    return deploy.failed() >= s.deployFailures;
  }

  private void expire(DeployMode deploy) {
    if (DEPLOY_MODE.compareAndSet(this, deploy, null)) {
      events.deployMode(false, Duration.ZERO);
    }
  }

  /** The current stay. */
  Stay stay() {
    return state;
  }

  CallPath callPath() {
    return callPath;
  }

  @Override
  public <T> T executeSupplier(Supplier<T> supplier) {
    Objects.requireNonNull(supplier, "supplier must not be null");
    Stay permit = callPath.acquireOrThrow();
    long start = callPath.startTime(permit);
    T result;
    try {
      result = supplier.get();
    } catch (Throwable e) {
      callPath.threw(permit, start, e);
      throw e;
    }
    callPath.returned(permit, start, result);
    return result;
  }

  @Override
  public <T> T executeCallable(Callable<T> callable) throws Exception {
    Objects.requireNonNull(callable, "callable must not be null");
    Stay permit = callPath.acquireOrThrow();
    long start = callPath.startTime(permit);
    T result;
    try {
      result = callable.call();
    } catch (Throwable e) {
      callPath.threw(permit, start, e);
      throw e;
    }
    callPath.returned(permit, start, result);
    return result;
  }

  @Override
  public void executeRunnable(Runnable runnable) {
    Objects.requireNonNull(runnable, "runnable must not be null");
    Stay permit = callPath.acquireOrThrow();
    long start = callPath.startTime(permit);
    try {
      runnable.run();
    } catch (Throwable e) {
      callPath.threw(permit, start, e);
      throw e;
    }
    callPath.returned(permit, start, null);
  }

  @Override
  public <T, R> Function<T, R> decorateFunction(Function<T, R> function) {
    Objects.requireNonNull(function, "function must not be null");
    return argument -> executeFunction(function, argument);
  }

  private <T, R> R executeFunction(Function<T, R> function, T argument) {
    Stay permit = callPath.acquireOrThrow();
    long start = callPath.startTime(permit);
    R result;
    try {
      result = function.apply(argument);
    } catch (Throwable e) {
      callPath.threw(permit, start, e);
      throw e;
    }
    callPath.returned(permit, start, result);
    return result;
  }

  @Override
  public <T> T executeSupplier(Supplier<T> supplier, Function<? super Throwable, ? extends T> fallback) {
    Objects.requireNonNull(supplier, "supplier must not be null");
    Objects.requireNonNull(fallback, "fallback must not be null");
    try {
      return executeSupplier(supplier);
    } catch (VirtualMachineError e) {
      throw e;
    } catch (Throwable e) {
      try {
        return fallback.apply(e);
      } catch (Throwable fallbackFailure) {
        // A fallback may throw one shared instance call after call: attach a bounded number, never pile up.
        Outcomes.addSuppressed(fallbackFailure, e, Outcomes.MAX_SUPPRESSED);
        throw fallbackFailure;
      }
    }
  }

  @Override
  public <T> CompletionStage<T> executeCompletionStage(Supplier<? extends CompletionStage<T>> supplier) {
    Objects.requireNonNull(supplier, "supplier must not be null");
    Stay current = state;
    Stay permit;
    if (current.admitsAll) {
      permit = current;
    } else {
      Object admission = callPath.admit(current);
      if (admission instanceof CallNotPermittedException rejection) {
        return rejection.asFailedStage();
      }
      permit = (Stay) admission;
    }
    long start = callPath.startTime(permit);
    CompletionStage<T> stage;
    try {
      stage = supplier.get();
    } catch (Throwable e) {
      callPath.threw(permit, start, e);
      return CompletableFuture.failedFuture(e);
    }
    if (stage == null) {
      NullPointerException npe = new NullPointerException("the supplier returned a null CompletionStage");
      callPath.threw(permit, start, npe);
      return CompletableFuture.failedFuture(npe);
    }
    if (stage instanceof CompletableFuture<T> done && done.isDone() && !done.isCompletedExceptionally()) {
      // Nothing to wait for: record now and hand back the call's own stage, which nobody can still complete
      // differently. Only a stage still running needs a stage of ours, to complete after the record.
      try {
        callPath.returned(permit, start, done.getNow(null));
      } catch (Throwable ruleFailure) {
        return CompletableFuture.failedFuture(ruleFailure);
      }
      return done;
    }
    AsyncCall<T> call = new AsyncCall<>(permit, start, stage);
    stage.whenComplete(call);
    return call;
  }

  @Override
  public boolean tryAcquirePermission() {
    Stay current = state;
    if (current.admitsAll) {
      return true;
    }
    if (callPath.admit(current) instanceof Stay permit) {
      callPath.admittedAnonymously(permit);
      return true;
    }
    return false;
  }

  @Override
  public Permit tryAcquirePermit() {
    Stay current = state;
    if (current.admitsAll) {
      return current;
    }
    return callPath.admit(current) instanceof Stay permit ? permit : null;
  }

  @Override
  public void acquirePermission() {
    callPath.admittedAnonymously(callPath.acquireOrThrow());
  }

  @Override
  public void releasePermission() {
    callPath.releaseAnonymous();
  }

  @Override
  public void onSuccess(long durationNanos) {
    callPath.succeeded(durationNanos);
  }

  @Override
  public void onResult(long durationNanos, Object result) {
    callPath.returned(durationNanos, result);
  }

  @Override
  public void onError(long durationNanos, Throwable error) {
    Objects.requireNonNull(error, "error must not be null");
    callPath.threw(durationNanos, error);
  }

  @Override
  public void transitionToClosedState() {
    transitions.toClosed();
  }

  @Override
  public void transitionToOpenState() {
    transitions.toOpen();
  }

  @Override
  public void transitionToOpenStateFor(Duration wait) {
    Objects.requireNonNull(wait, "wait must not be null");
    if (wait.isNegative() || wait.isZero()) {
      throw new IllegalArgumentException("wait must be positive, was " + wait);
    }
    transitions.toOpenFor(Nanos.saturated(wait));
  }

  @Override
  public void transitionToHalfOpenState() {
    transitions.toHalfOpen();
  }

  @Override
  public void transitionToForcedOpenState() {
    transitions.toForcedOpen();
  }

  @Override
  public void transitionToDisabledState() {
    transitions.toDisabled();
  }

  @Override
  public void transitionToMetricsOnlyState() {
    transitions.toMetricsOnly();
  }

  @Override
  public void reset() {
    transitions.reset(counters);
    LatencyBaseline latency = baseline;
    if (latency != null) {
      latency.forget(ticker.nanos());
    }
  }

  /** Installs a coordinator's trial gate; see {@link CircuitBreakerRegistry#coordinated}. */
  void coordinate(TrialGate gate) {
    callPath.coordinate(gate);
  }

  boolean holdOpen(long waitNanos) {
    return transitions.holdOpen(waitNanos);
  }

  /** Moves an automatic opening to half-open because the fleet ended it; see SharedBreakerControl#halfOpen. */
  boolean halfOpenForFleet() {
    return state instanceof OpenStay open && transitions.halfOpenAfterProbe(open);
  }

  boolean rampFrom(long elapsedNanos) {
    return transitions.rampFrom(elapsedNanos);
  }

  @Override
  public Subscription onStateTransition(Consumer<? super StateTransition> listener) {
    return events.onStateTransition(listener);
  }

  @Override
  public Subscription onEvent(Consumer<? super CircuitBreakerEvent> listener) {
    return events.onEvent(Listeners.ALL, listener);
  }

  @Override
  public Subscription onEvent(Set<CircuitBreakerEvent.Type> types, Consumer<? super CircuitBreakerEvent> listener) {
    return events.onEvent(types, listener);
  }

  /** Subscribes with a ready-made type mask; the registry forwards its listeners' union this way. */
  Subscription onEvent(long types, Consumer<? super CircuitBreakerEvent> listener) {
    return events.onEvent(types, listener);
  }

  /** Whether some listener wants events of this type, so that the breaker builds them. */
  boolean buildsEvents(CircuitBreakerEvent.Type type) {
    return events.wants(type);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public CircuitBreakerConfig config() {
    return state.s.config;
  }

  @Override
  public void reconfigure(CircuitBreakerConfig config) {
    Objects.requireNonNull(config, "config must not be null");
    if (config.compiled().baseline && baseline == null) {
      baseline = new LatencyBaseline(ticker.nanos());
    }
    transitions.reconfigure(config.compiled());
  }

  @Override
  public void startDeployMode(Duration duration) {
    Objects.requireNonNull(duration, "deploy mode duration must not be null");
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException("deploy mode duration must be positive, was " + duration);
    }
    long nanos = Nanos.saturated(duration);
    if (nanos == Long.MAX_VALUE) {
      throw new IllegalArgumentException(
          "deploy mode duration must fit in 292 years of nanoseconds, was " + duration);
    }
    deployMode = new DeployMode(ticker.nanos() + nanos);
    events.deployMode(true, duration);
  }

  @Override
  public void endDeployMode() {
    DeployMode deploy = deployMode;
    if (deploy != null && DEPLOY_MODE.compareAndSet(this, deploy, null)) {
      events.deployMode(false, Duration.ZERO);
    }
  }

  @Override
  public Optional<Duration> deployModeRemaining() {
    DeployMode deploy = deployMode;
    if (deploy == null) {
      return Optional.empty();
    }
    long now = ticker.nanos();
    if (deploy.over(now)) {
      expire(deploy);
      return Optional.empty();
    }
    return Optional.of(Duration.ofNanos(deploy.until - now));
  }

  @Override
  public Duration slowCallDurationThreshold() {
    return Duration.ofNanos(slowNanos(state.s));
  }

  /** The slow-call threshold in force under {@code s}: the learnt one when {@code s} learns it, else its own. */
  long slowNanos(CompiledConfig s) {
    if (!s.baseline) {
      return s.slowNanos;
    }
    LatencyBaseline latency = baseline;
    return latency != null ? latency.threshold(s) : s.slowNanos;
  }

  @Override
  public Map<String, String> tags() {
    return tags;
  }

  @Override
  public State state() {
    return state.state;
  }

  @Override
  public Metrics metrics() {
    Stay current = state;
    long now = ticker.nanos();
    WindowCounts counts = current.counts(now);
    int min = current.minimumCalls();
    double ramp = 100;
    if (current instanceof ClosedStay closed && closed.ramping()) {
      ramp = 100.0 / ClosedStay.rampPeriod(now - closed.rampStart, closed.s.rampNanos);
    }
    Duration nextTrialIn =
        current instanceof OpenStay open ? Duration.ofNanos(Math.max(0, open.nextTrialAt - now)) : null;
    boolean enough = counts.buffered() > 0 && counts.buffered() >= min;
    return new CircuitBreakerMetricsSnapshot(
        current.state,
        counts.rate(counts.failed(), min),
        current.s.slowDetection ? counts.rate(counts.slow(), min) : (enough ? 0 : -1),
        saturatedInt(counts.buffered()),
        saturatedInt(counts.failed()),
        saturatedInt(counts.slow()),
        saturatedInt(counts.buffered() - counts.failed()),
        saturatedInt(counts.slow() - counts.slowFailed()),
        saturatedInt(counts.slowFailed()),
        counters.notPermittedSinceReset(),
        counters.successful(),
        counters.failed(),
        counters.slowSuccessful(),
        counters.slowFailed(),
        counters.ignoredCalls(),
        counters.notPermitted(),
        counters.duration(),
        ramp,
        nextTrialIn,
        Duration.ofNanos(Math.max(0, now - current.enteredAt)),
        probing != null ? probing.succeeded() : 0,
        probing != null ? probing.failed() : 0);
  }

  private static int saturatedInt(long value) {
    return value > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) Math.max(0, value);
  }

  @Override
  public String toString() {
    return "CircuitBreaker[" + name + ", " + state.state + "]";
  }
}
