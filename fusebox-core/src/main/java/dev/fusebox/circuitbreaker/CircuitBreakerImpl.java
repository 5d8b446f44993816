package dev.fusebox.circuitbreaker;

import dev.fusebox.Subscription;
import dev.fusebox.Ticker;
import dev.fusebox.circuitbreaker.spi.TrialGate;
import dev.fusebox.internal.Listeners;
import dev.fusebox.internal.OrderedDelivery;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The circuit breaker's state machine.
 *
 * <p>Design note. The call path is: read {@link #state} (one volatile load); if that stay admits everything
 * (closed without ramp, disabled, metrics-only) go ahead, otherwise take the slow path in
 * {@link #admitSlow}; run the call; report its outcome to the stay that admitted it. A plain closed stay
 * records a fast success with one fetch-and-add in its window and one uncontended {@link LongAdder}
 * increment, and reads the ticker only when slow calls are detected or the window is time-based. Nothing is
 * allocated unless someone listens for per-call events. Every transition is one CAS on {@link #state} from
 * the stay that decided it, so of two racing decisions exactly one wins, and an outcome reported to a stay
 * that is no longer current cannot move the breaker (see {@link BreakerState}). Transitions and the events
 * that explain them are published after the CAS, in order, through {@link OrderedDelivery}; nothing with a
 * side effect runs inside a CAS loop.
 */
final class CircuitBreakerImpl implements CircuitBreaker {

  private static final int SUCCESS_EVENT = CircuitBreakerEvent.Type.SUCCESS.ordinal();
  private static final int ERROR_EVENT = CircuitBreakerEvent.Type.ERROR.ordinal();
  private static final int IGNORED_EVENT = CircuitBreakerEvent.Type.IGNORED_ERROR.ordinal();
  private static final int NOT_PERMITTED_EVENT = CircuitBreakerEvent.Type.NOT_PERMITTED.ordinal();
  private static final int TRANSITION_EVENT = CircuitBreakerEvent.Type.STATE_TRANSITION.ordinal();
  private static final int RESET_EVENT = CircuitBreakerEvent.Type.RESET.ordinal();
  private static final int FAILURE_RATE_EVENT = CircuitBreakerEvent.Type.FAILURE_RATE_EXCEEDED.ordinal();
  private static final int SLOW_RATE_EVENT = CircuitBreakerEvent.Type.SLOW_CALL_RATE_EXCEEDED.ordinal();
  private static final VarHandle STATE;
  private static final VarHandle SLOW_SUCCESSES;
  private static final VarHandle FAILURES;
  private static final VarHandle SLOW_FAILURES;
  private static final VarHandle IGNORED;
  private static final VarHandle DELIVERY;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      STATE = lookup.findVarHandle(CircuitBreakerImpl.class, "state", BreakerState.class);
      SLOW_SUCCESSES = lookup.findVarHandle(CircuitBreakerImpl.class, "slowSuccesses", long.class);
      FAILURES = lookup.findVarHandle(CircuitBreakerImpl.class, "failures", long.class);
      SLOW_FAILURES = lookup.findVarHandle(CircuitBreakerImpl.class, "slowFailures", long.class);
      IGNORED = lookup.findVarHandle(CircuitBreakerImpl.class, "ignored", long.class);
      DELIVERY = lookup.findVarHandle(CircuitBreakerImpl.class, "delivery", OrderedDelivery.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final String name;
  private final CircuitBreakerConfig config;
  final Ticker ticker;
  private final Classifier classifier;
  private final Predicate<Object> recordResult;
  private final boolean slowDetection;
  private final boolean timeWindow;
  private final long slowNanos;
  private final float failureThreshold;
  private final float slowThreshold;
  private final int consecutiveFailures;
  private final long waitNanos;
  private final long maxWaitNanos;
  final long rampNanos;
  final long maxHalfOpenNanos;

  private volatile BreakerState state;
  private final LongAdder fastSuccesses = new LongAdder();
  private final LongAdder notPermitted = new LongAdder();
  private final LongAdder durationNanos = new LongAdder();
  private volatile long slowSuccesses;
  private volatile long failures;
  private volatile long slowFailures;
  private volatile long ignored;
  private volatile long notPermittedAtReset;
  private final Listeners<CircuitBreakerEvent> events;
  private final Listeners<StateTransition> transitions;
  private volatile OrderedDelivery delivery;
  /**
   * Consulted before admitting a half-open trial. Set once by a coordinating registry before the breaker
   * is published (a {@link java.util.concurrent.ConcurrentHashMap} insert, which is a safe publication),
   * so a plain field suffices.
   */
  private TrialGate gate = TrialGate.UNLIMITED;

  CircuitBreakerImpl(String name, CircuitBreakerConfig config) {
    Objects.requireNonNull(name, "name must not be null");
    if (name.isBlank()) {
      throw new IllegalArgumentException("name must not be blank, was '" + name + "'");
    }
    this.name = name;
    this.config = Objects.requireNonNull(config, "config must not be null");
    this.ticker = config.ticker();
    this.classifier = new Classifier(config);
    this.recordResult = config.recordResultOrNull();
    this.slowDetection = config.slowCallDetection();
    this.timeWindow = config.windowType() == CircuitBreakerConfig.WindowType.TIME_BASED;
    this.slowNanos = config.slowCallDurationThreshold().toNanos();
    this.failureThreshold = (float) config.failureRateThreshold();
    this.slowThreshold = (float) config.slowCallRateThreshold();
    this.consecutiveFailures = config.consecutiveFailureThreshold();
    this.waitNanos = config.waitDurationInOpenState().toNanos();
    this.maxWaitNanos = config.openStateBackoffMax().toNanos();
    this.rampNanos = config.recoveryRamp().toNanos();
    this.maxHalfOpenNanos = config.maxWaitDurationInHalfOpenState().toNanos();
    this.events = new Listeners<>("circuit breaker", name, event -> event.type().ordinal());
    this.transitions = new Listeners<>("circuit breaker", name);
    this.state = ClosedState.fresh(this, ticker.nanos());
  }

  // ---------------------------------------------------------------------------------------------------
  // Call path

  @Override
  public <T> T executeSupplier(Supplier<T> supplier) {
    Objects.requireNonNull(supplier, "supplier must not be null");
    BreakerState permit = acquireOrThrow();
    long start = startTime();
    T result;
    try {
      result = supplier.get();
    } catch (Throwable e) {
      onThrowable(permit, start, e);
      throw e;
    }
    onReturn(permit, start, result);
    return result;
  }

  @Override
  public <T> T executeCallable(Callable<T> callable) throws Exception {
    Objects.requireNonNull(callable, "callable must not be null");
    BreakerState permit = acquireOrThrow();
    long start = startTime();
    T result;
    try {
      result = callable.call();
    } catch (Throwable e) {
      onThrowable(permit, start, e);
      throw e;
    }
    onReturn(permit, start, result);
    return result;
  }

  @Override
  public void executeRunnable(Runnable runnable) {
    Objects.requireNonNull(runnable, "runnable must not be null");
    BreakerState permit = acquireOrThrow();
    long start = startTime();
    try {
      runnable.run();
    } catch (Throwable e) {
      onThrowable(permit, start, e);
      throw e;
    }
    onReturn(permit, start, null);
  }

  private <T, R> R executeFunction(Function<T, R> function, T argument) {
    BreakerState permit = acquireOrThrow();
    long start = startTime();
    R result;
    try {
      result = function.apply(argument);
    } catch (Throwable e) {
      onThrowable(permit, start, e);
      throw e;
    }
    onReturn(permit, start, result);
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
        if (fallbackFailure != e) {
          fallbackFailure.addSuppressed(e);
        }
        throw fallbackFailure;
      }
    }
  }

  @Override
  public <T> CompletionStage<T> executeCompletionStage(Supplier<? extends CompletionStage<T>> supplier) {
    Objects.requireNonNull(supplier, "supplier must not be null");
    BreakerState current = state;
    BreakerState permit;
    if (current.admitsAll) {
      permit = current;
    } else {
      Object admission = admitSlow(current);
      if (admission instanceof CallNotPermittedException rejection) {
        return CompletableFuture.failedFuture(rejection);
      }
      permit = (BreakerState) admission;
    }
    long start = startTime();
    CompletionStage<T> stage;
    try {
      stage = supplier.get();
    } catch (Throwable e) {
      onThrowable(permit, start, e);
      return CompletableFuture.failedFuture(e);
    }
    if (stage == null) {
      NullPointerException npe = new NullPointerException("the supplier returned a null CompletionStage");
      onThrowable(permit, start, npe);
      return CompletableFuture.failedFuture(npe);
    }
    AsyncCall<T> call = new AsyncCall<>(this, permit, start, stage);
    stage.whenComplete(call);
    return call;
  }

  @Override
  public <T> Supplier<T> decorateSupplier(Supplier<T> supplier) {
    Objects.requireNonNull(supplier, "supplier must not be null");
    return () -> executeSupplier(supplier);
  }

  @Override
  public <T> Callable<T> decorateCallable(Callable<T> callable) {
    Objects.requireNonNull(callable, "callable must not be null");
    return () -> executeCallable(callable);
  }

  @Override
  public Runnable decorateRunnable(Runnable runnable) {
    Objects.requireNonNull(runnable, "runnable must not be null");
    return () -> executeRunnable(runnable);
  }

  @Override
  public <T, R> Function<T, R> decorateFunction(Function<T, R> function) {
    Objects.requireNonNull(function, "function must not be null");
    return argument -> executeFunction(function, argument);
  }

  @Override
  public <T> Supplier<CompletionStage<T>> decorateCompletionStage(
      Supplier<? extends CompletionStage<T>> supplier) {
    Objects.requireNonNull(supplier, "supplier must not be null");
    return () -> executeCompletionStage(supplier);
  }

  // ---------------------------------------------------------------------------------------------------
  // Manual API

  @Override
  public boolean tryAcquirePermission() {
    BreakerState current = state;
    return current.admitsAll || admitSlow(current) instanceof BreakerState;
  }

  @Override
  public void acquirePermission() {
    acquireOrThrow();
  }

  @Override
  public void releasePermission() {
    release(state);
  }

  @Override
  public void onSuccess(long durationNanos) {
    BreakerState current = state;
    if (current.state != State.DISABLED) {
      record(current, isSlow(durationNanos) ? Window.SLOW : Window.SUCCESS, endTime(), durationNanos, null);
    }
  }

  @Override
  public void onResult(long durationNanos, Object result) {
    BreakerState current = state;
    if (current.state != State.DISABLED) {
      completeWithResult(current, endTime(), durationNanos, result);
    }
  }

  @Override
  public void onError(long durationNanos, Throwable error) {
    Objects.requireNonNull(error, "error must not be null");
    BreakerState current = state;
    if (current.state != State.DISABLED) {
      completeWithError(current, endTime(), durationNanos, error);
    }
  }

  // ---------------------------------------------------------------------------------------------------
  // Admission

  private BreakerState acquireOrThrow() {
    BreakerState current = state;
    if (current.admitsAll) {
      return current;
    }
    Object admission = admitSlow(current);
    if (admission instanceof BreakerState permit) {
      return permit;
    }
    throw (CallNotPermittedException) admission;
  }

  /**
   * Decides a call in a stay that does not admit everything.
   *
   * @return the {@link BreakerState} that admitted the call, or the {@link CallNotPermittedException} that
   *     rejects it (returned rather than thrown so the asynchronous and boolean APIs need no try/catch)
   */
  Object admitSlow(BreakerState current) {
    for (;;) {
      switch (current.state) {
        case OPEN -> {
          OpenState open = (OpenState) current;
          long now = ticker.nanos();
          if (now - open.nextTrialAt < 0) {
            return reject(open, open.rejection);
          }
          HalfOpenState halfOpen = new HalfOpenState(this, now, open.level(now), 1);
          if (STATE.compareAndSet(this, open, halfOpen)) {
            publishTransition(open, halfOpen);
            if (gate.tryAcquireTrial()) {
              return halfOpen;
            }
            halfOpen.release();
            return reject(halfOpen, halfOpen.rejection);
          }
        }
        case HALF_OPEN -> {
          HalfOpenState halfOpen = (HalfOpenState) current;
          if (halfOpen.deadline != Long.MAX_VALUE) {
            long now = ticker.nanos();
            if (now - halfOpen.deadline >= 0) {
              open(halfOpen, now, halfOpen.counts(now), halfOpen.minimumCalls(), false, false);
              current = state;
              continue;
            }
          }
          if (halfOpen.tryIssue()) {
            if (gate.tryAcquireTrial()) {
              return halfOpen;
            }
            halfOpen.release();
          }
          return reject(halfOpen, halfOpen.rejection);
        }
        case CLOSED -> {
          ClosedState closed = (ClosedState) current;
          if (!closed.ramping()) {
            return closed;
          }
          int period = ClosedState.rampPeriod(ticker.nanos() - closed.rampStart, rampNanos);
          if (period > 1) {
            return closed.admitRampCall(period) ? closed : reject(closed, closed.rampRejection);
          }
          ClosedState plain = closed.withoutRamp();
          if (STATE.compareAndSet(this, closed, plain)) {
            return plain;
          }
        }
        case FORCED_OPEN -> {
          ManualState forced = (ManualState) current;
          return reject(forced, forced.rejection);
        }
        default -> {
          return current;
        }
      }
      current = state;
    }
  }

  private CallNotPermittedException reject(BreakerState current, CallNotPermittedException rejection) {
    notPermitted.increment();
    if (events.wants(NOT_PERMITTED_EVENT)) {
      events.publish(new CircuitBreakerEvent.NotPermitted(name, Instant.now(), current.state));
    }
    return rejection;
  }

  private void release(BreakerState permit) {
    if (permit instanceof HalfOpenState halfOpen) {
      halfOpen.release();
      gate.releaseTrial();
    }
  }

  // ---------------------------------------------------------------------------------------------------
  // Outcomes

  private long startTime() {
    return slowDetection ? ticker.nanos() : 0L;
  }

  private long endTime() {
    return slowDetection || timeWindow ? ticker.nanos() : 0L;
  }

  private boolean isSlow(long durationNanos) {
    return slowDetection && durationNanos > slowNanos;
  }

  void onReturn(BreakerState permit, long start, Object result) {
    if (permit.state == State.DISABLED) {
      return;
    }
    long end = endTime();
    completeWithResult(permit, end, end - start, result);
  }

  void onThrowable(BreakerState permit, long start, Throwable error) {
    if (permit.state == State.DISABLED) {
      return;
    }
    long end = endTime();
    completeWithError(permit, end, end - start, error);
  }

  /** Gives back the permit of an asynchronous call that was cancelled before it reported an outcome. */
  void onCancelled(BreakerState permit) {
    release(permit);
  }

  private void completeWithResult(BreakerState permit, long end, long duration, Object result) {
    boolean failed;
    try {
      failed = recordResult != null && recordResult.test(result);
    } catch (RuntimeException | Error e) {
      release(permit);
      throw e;
    }
    int outcome = (failed ? Window.FAILED : Window.SUCCESS) | (isSlow(duration) ? Window.SLOW : 0);
    record(permit, outcome, end, duration, null);
  }

  private void completeWithError(BreakerState permit, long end, long duration, Throwable error) {
    int kind;
    try {
      kind = classifier.classify(error);
    } catch (RuntimeException | Error e) {
      release(permit);
      throw e;
    }
    if (kind == Classifier.IGNORED) {
      IGNORED.getAndAdd(this, 1L);
      release(permit);
      if (events.wants(IGNORED_EVENT)) {
        events.publish(new CircuitBreakerEvent.IgnoredError(name, Instant.now(), elapsed(duration), error));
      }
      return;
    }
    int outcome = (kind == Classifier.FAILURE ? Window.FAILED : Window.SUCCESS) | (isSlow(duration) ? Window.SLOW : 0);
    record(permit, outcome, end, duration, kind == Classifier.FAILURE ? error : null);
  }

  private void record(BreakerState permit, int outcome, long end, long duration, Throwable error) {
    // With the coarse ticker most calls measure zero; adding nothing would still write a shared cell.
    if (slowDetection && duration != 0) {
      durationNanos.add(duration);
    }
    switch (outcome) {
      case Window.SUCCESS -> fastSuccesses.increment();
      case Window.SLOW -> SLOW_SUCCESSES.getAndAdd(this, 1L);
      case Window.FAILED -> FAILURES.getAndAdd(this, 1L);
      default -> SLOW_FAILURES.getAndAdd(this, 1L);
    }
    if (events.wants((outcome & Window.FAILED) != 0 ? ERROR_EVENT : SUCCESS_EVENT)) {
      publishOutcome(outcome, duration, error);
    }
    switch (permit.state) {
      case CLOSED -> recordClosed((ClosedState) permit, outcome, end);
      case HALF_OPEN -> {
        HalfOpenState halfOpen = (HalfOpenState) permit;
        gate.trialFinished((outcome & Window.FAILED) != 0, (outcome & Window.SLOW) != 0);
        if (halfOpen.record(outcome)) {
          decide(halfOpen);
        }
      }
      case METRICS_ONLY -> {
        ManualState metricsOnly = (ManualState) permit;
        if (metricsOnly.window.record(outcome, end)) {
          announceMetricsOnly(metricsOnly);
        }
      }
      default -> {
        // OPEN, FORCED_OPEN: a manual report while nothing was admitted; counted in the totals only.
      }
    }
  }

  private void publishOutcome(int outcome, long duration, Throwable error) {
    boolean slow = (outcome & Window.SLOW) != 0;
    CircuitBreakerEvent event =
        (outcome & Window.FAILED) != 0
            ? new CircuitBreakerEvent.Failure(name, Instant.now(), elapsed(duration), slow, error)
            : new CircuitBreakerEvent.Success(name, Instant.now(), elapsed(duration), slow);
    events.publish(event);
  }

  private Duration elapsed(long duration) {
    return slowDetection && duration > 0 ? Duration.ofNanos(duration) : Duration.ZERO;
  }

  private void recordClosed(ClosedState closed, int outcome, long end) {
    boolean evaluate = closed.window.record(outcome, end);
    if (consecutiveFailures > 0) {
      if ((outcome & Window.FAILED) == 0) {
        closed.endStreak();
      } else if (closed.failureStreak() >= consecutiveFailures) {
        trip(closed, false, false);
        return;
      }
    }
    if (evaluate) {
      WindowCounts counts = closed.window.counts();
      long buffered = counts.buffered();
      if (buffered > 0 && buffered >= closed.window.minimumCalls) {
        boolean failureRate = Window.reaches(counts.failed(), buffered, failureThreshold);
        boolean slowRate = slowDetection && Window.reaches(counts.slow(), buffered, slowThreshold);
        if (failureRate || slowRate) {
          trip(closed, failureRate, slowRate);
        }
      }
    }
  }

  // ---------------------------------------------------------------------------------------------------
  // Transitions

  /** Opens a closed breaker; retried against a ramp-less copy of the same stay, which may have replaced it. */
  private void trip(ClosedState closed, boolean failureRate, boolean slowRate) {
    long now = ticker.nanos();
    for (;;) {
      int level = closed.levelAtTrip(now, rampNanos) + 1;
      WindowCounts counts = closed.window.snapshot(now);
      OpenState open = OpenState.opening(this, now, openWait(level), level, counts, closed.window.minimumCalls);
      if (STATE.compareAndSet(this, closed, open)) {
        publishTransition(closed, open, counts, failureRate, slowRate);
        scheduleAutomaticTransition(open, now);
        return;
      }
      if (!(state instanceof ClosedState current) || current.window != closed.window) {
        return;
      }
      closed = current;
    }
  }

  private void decide(HalfOpenState halfOpen) {
    long now = ticker.nanos();
    WindowCounts counts = halfOpen.counts(now);
    boolean failureRate = Window.reaches(counts.failed(), halfOpen.permitted, failureThreshold);
    boolean slowRate = slowDetection && Window.reaches(counts.slow(), halfOpen.permitted, slowThreshold);
    if (failureRate || slowRate) {
      open(halfOpen, now, counts, halfOpen.permitted, failureRate, slowRate);
    } else {
      ClosedState closed = ClosedState.recovered(this, now, halfOpen.level(now));
      if (STATE.compareAndSet(this, halfOpen, closed)) {
        publishTransition(halfOpen, closed);
      }
    }
  }

  private void open(BreakerState from, long now, WindowCounts counts, int min, boolean failureRate, boolean slowRate) {
    int level = from.level(now) + 1;
    OpenState open = OpenState.opening(this, now, openWait(level), level, counts, min);
    if (STATE.compareAndSet(this, from, open)) {
      publishTransition(from, open, counts, failureRate, slowRate);
      scheduleAutomaticTransition(open, now);
    }
  }

  /** The wait of the {@code level}-th opening in a row: backed off, capped, then spread by jitter. */
  long openWait(int level) {
    double multiplier = config.openStateBackoffMultiplier();
    long wait = waitNanos;
    if (level > 1 && multiplier > 1) {
      double backedOff = waitNanos * Math.pow(multiplier, level - 1);
      wait = backedOff >= maxWaitNanos ? maxWaitNanos : (long) backedOff;
    }
    double jitter = config.openStateJitter();
    if (jitter > 0) {
      double spread = 1 + jitter * (2 * ThreadLocalRandom.current().nextDouble() - 1);
      wait = Math.max(1, (long) (wait * spread));
    }
    return wait;
  }

  private void announceMetricsOnly(ManualState metricsOnly) {
    Window window = metricsOnly.window;
    WindowCounts counts = window.counts();
    long buffered = counts.buffered();
    boolean enough = buffered > 0 && buffered >= window.minimumCalls;
    boolean failureRate = enough && Window.reaches(counts.failed(), buffered, failureThreshold);
    boolean slowRate = enough && slowDetection && Window.reaches(counts.slow(), buffered, slowThreshold);
    boolean above = failureRate || slowRate;
    if (above != metricsOnly.aboveThreshold) {
      metricsOnly.aboveThreshold = above;
      if (above && (events.wants(FAILURE_RATE_EVENT) || events.wants(SLOW_RATE_EVENT))) {
        deliver(() -> publishRates(counts, window.minimumCalls, failureRate, slowRate));
      }
    }
  }

  private interface StayFactory {
    BreakerState next(BreakerState current, long now);
  }

  private void transition(StayFactory factory) {
    for (;;) {
      BreakerState current = state;
      long now = ticker.nanos();
      BreakerState next = factory.next(current, now);
      if (STATE.compareAndSet(this, current, next)) {
        publishTransition(current, next);
        if (next instanceof OpenState open) {
          scheduleAutomaticTransition(open, now);
        }
        return;
      }
    }
  }

  /** With the automatic transition on, moves this very opening to half-open once its wait is over. */
  private void scheduleAutomaticTransition(OpenState open, long now) {
    if (!config.automaticTransitionFromOpenToHalfOpenEnabled() || open.nextTrialAt == Long.MAX_VALUE) {
      return;
    }
    config.scheduler().schedule(
        () -> {
          // Only if nothing moved the breaker since: a later opening schedules its own transition.
          if (state == open) {
            HalfOpenState halfOpen = new HalfOpenState(this, ticker.nanos(), open.level(0), 0);
            if (STATE.compareAndSet(this, open, halfOpen)) {
              publishTransition(open, halfOpen);
            }
          }
        },
        open.nextTrialAt - now);
  }

  @Override
  public void transitionToClosedState() {
    transition((current, now) -> ClosedState.fresh(this, now));
  }

  @Override
  public void transitionToOpenState() {
    transition(
        (current, now) -> {
          int level = (current instanceof ClosedState closed ? closed.levelAtTrip(now, rampNanos) : current.level(now)) + 1;
          return OpenState.opening(this, now, openWait(level), level, current.counts(now), current.minimumCalls());
        });
  }

  @Override
  public void transitionToHalfOpenState() {
    transition((current, now) -> new HalfOpenState(this, now, current.level(now), 0));
  }

  @Override
  public void transitionToForcedOpenState() {
    transition((current, now) -> ManualState.forcedOpen(this, now, current));
  }

  @Override
  public void transitionToDisabledState() {
    transition((current, now) -> ManualState.disabled(now, current));
  }

  @Override
  public void transitionToMetricsOnlyState() {
    transition((current, now) -> ManualState.metricsOnly(this, now, current));
  }

  @Override
  public void reset() {
    BreakerState previous;
    for (;;) {
      previous = state;
      ClosedState fresh = ClosedState.fresh(this, ticker.nanos());
      if (STATE.compareAndSet(this, previous, fresh)) {
        notPermittedAtReset = notPermitted.sum();
        if (previous.state != State.CLOSED) {
          publishTransition(previous, fresh);
        }
        break;
      }
    }
    if (events.wants(RESET_EVENT)) {
      CircuitBreakerEvent.Reset reset = new CircuitBreakerEvent.Reset(name, Instant.now());
      deliver(() -> events.publish(reset));
    }
  }

  // ---------------------------------------------------------------------------------------------------
  // Coordination (see dev.fusebox.circuitbreaker.spi): only ever more restrictive

  void coordinate(TrialGate trialGate) {
    this.gate = Objects.requireNonNull(trialGate, "the coordinator's trial gate must not be null");
  }

  boolean holdOpen(long waitNanos) {
    for (;;) {
      BreakerState current = state;
      long now = ticker.nanos();
      long until = OpenState.saturatedAdd(now, waitNanos);
      BreakerState next;
      switch (current.state) {
        case CLOSED, HALF_OPEN -> {
          int level =
              (current instanceof ClosedState closed ? closed.levelAtTrip(now, rampNanos) : current.level(now)) + 1;
          next = OpenState.opening(this, now, waitNanos, level, current.counts(now), current.minimumCalls());
        }
        case OPEN -> {
          OpenState open = (OpenState) current;
          if (open.nextTrialAt - until >= 0) {
            return false;
          }
          next = open.heldUntil(this, until);
        }
        default -> {
          return false;
        }
      }
      if (STATE.compareAndSet(this, current, next)) {
        if (current.state != State.OPEN) {
          publishTransition(current, next);
        }
        scheduleAutomaticTransition((OpenState) next, now);
        return true;
      }
    }
  }

  boolean rampFrom(long elapsedNanos) {
    if (rampNanos == 0 || elapsedNanos >= rampNanos) {
      return false;
    }
    for (;;) {
      if (!(state instanceof ClosedState closed)) {
        return false;
      }
      long start = ticker.nanos() - Math.max(0, elapsedNanos);
      if (closed.ramping() && closed.rampStart - start >= 0) {
        return false;
      }
      if (STATE.compareAndSet(this, closed, closed.rampingFrom(this, start))) {
        return true;
      }
    }
  }

  // ---------------------------------------------------------------------------------------------------
  // Events

  private void publishTransition(BreakerState from, BreakerState to) {
    publishTransition(from, to, null, false, false);
  }

  private void publishTransition(
      BreakerState from, BreakerState to, WindowCounts counts, boolean failureRate, boolean slowRate) {
    if (transitions.isEmpty()
        && !events.wants(TRANSITION_EVENT)
        && !(counts != null && (events.wants(FAILURE_RATE_EVENT) || events.wants(SLOW_RATE_EVENT)))) {
      return;
    }
    StateTransition transition = new StateTransition(name, Instant.now(), from.state, to.state);
    int min = from.minimumCalls();
    deliver(
        () -> {
          if (counts != null) {
            publishRates(counts, min, failureRate, slowRate);
          }
          transitions.publish(transition);
          events.publish(transition);
        });
  }

  private void publishRates(WindowCounts counts, int min, boolean failureRate, boolean slowRate) {
    if (failureRate) {
      events.publish(
          new CircuitBreakerEvent.FailureRateExceeded(name, Instant.now(), counts.rate(counts.failed(), min)));
    }
    if (slowRate) {
      events.publish(
          new CircuitBreakerEvent.SlowCallRateExceeded(name, Instant.now(), counts.rate(counts.slow(), min)));
    }
  }

  private void deliver(Runnable task) {
    OrderedDelivery d = delivery;
    if (d == null) {
      OrderedDelivery created = new OrderedDelivery();
      d = (OrderedDelivery) DELIVERY.compareAndExchange(this, null, created);
      if (d == null) {
        d = created;
      }
    }
    d.submit(task);
  }

  @Override
  public Subscription onStateTransition(Consumer<? super StateTransition> listener) {
    return transitions.subscribe(listener);
  }

  @Override
  public Subscription onEvent(Consumer<? super CircuitBreakerEvent> listener) {
    return events.subscribe(listener);
  }

  @Override
  public Subscription onEvent(Set<CircuitBreakerEvent.Type> types, Consumer<? super CircuitBreakerEvent> listener) {
    return events.subscribe(Listeners.maskOf(types), listener);
  }

  /** Whether some listener wants events of this type, so that the breaker builds them. */
  boolean buildsEvents(CircuitBreakerEvent.Type type) {
    return events.wants(type.ordinal());
  }

  /** Subscribes with a ready-made type mask; the registry forwards its listeners' union this way. */
  Subscription onEvent(long types, Consumer<? super CircuitBreakerEvent> listener) {
    return events.subscribe(types, listener);
  }

  // ---------------------------------------------------------------------------------------------------
  // Introspection

  @Override
  public String name() {
    return name;
  }

  @Override
  public CircuitBreakerConfig config() {
    return config;
  }

  @Override
  public State state() {
    return state.state;
  }

  BreakerState stay() {
    return state;
  }

  @Override
  public Metrics metrics() {
    BreakerState current = state;
    long now = ticker.nanos();
    WindowCounts counts = current.counts(now);
    int min = current.minimumCalls();
    double ramp = 100;
    if (current instanceof ClosedState closed && closed.ramping()) {
      ramp = 100.0 / ClosedState.rampPeriod(now - closed.rampStart, rampNanos);
    }
    Duration nextTrialIn =
        current instanceof OpenState open ? Duration.ofNanos(Math.max(0, open.nextTrialAt - now)) : null;
    long rejected = notPermitted.sum();
    long slowOk = slowSuccesses;
    long slowFailed = slowFailures;
    return new MetricsSnapshot(
        current.state,
        counts.rate(counts.failed(), min),
        slowDetection ? counts.rate(counts.slow(), min) : (counts.buffered() < min || counts.buffered() == 0 ? -1 : 0),
        saturatedInt(counts.buffered()),
        saturatedInt(counts.failed()),
        saturatedInt(counts.slow()),
        saturatedInt(counts.buffered() - counts.failed()),
        saturatedInt(counts.slow() - counts.slowFailed()),
        saturatedInt(counts.slowFailed()),
        rejected - notPermittedAtReset,
        fastSuccesses.sum() + slowOk,
        failures + slowFailed,
        slowOk,
        slowFailed,
        ignored,
        rejected,
        Duration.ofNanos(durationNanos.sum()),
        ramp,
        nextTrialIn,
        Duration.ofNanos(Math.max(0, now - current.enteredAt)));
  }

  private static int saturatedInt(long value) {
    return value > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) Math.max(0, value);
  }

  @Override
  public String toString() {
    return "CircuitBreaker[" + name + ", " + state.state + "]";
  }
}
