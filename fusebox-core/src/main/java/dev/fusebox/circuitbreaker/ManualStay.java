package dev.fusebox.circuitbreaker;

/**
 * A stay in a state only an operator leaves: {@link CircuitBreaker.State#FORCED_OPEN} (rejects, shows the
 * window it was forced from), {@link CircuitBreaker.State#DISABLED} (admits, records nothing) or
 * {@link CircuitBreaker.State#METRICS_ONLY} (admits, records in its own window, never opens).
 */
final class ManualStay extends Stay {

  /** The window of a metrics-only stay; {@code null} otherwise. */
  final Window window;
  private final WindowCounts frozen;
  private final int minimumCalls;
  private final int level;
  final CallNotPermittedException rejection;
  /**
   * Which rates of a metrics-only stay have been announced as exceeded ({@link Window#FAILURE_RATE},
   * {@link Window#SLOW_RATE}): each at most once per stay, as Resilience4j does.
   */
  final int announced;

  private ManualStay(
      CircuitBreakerImpl breaker,
      CompiledConfig s,
      CircuitBreaker.State state,
      long now,
      Window window,
      WindowCounts frozen,
      int minimumCalls,
      int level,
      CallNotPermittedException rejection,
      int announced) {
    super(breaker, s, state, now, state != CircuitBreaker.State.FORCED_OPEN);
    this.window = window;
    this.frozen = frozen;
    this.minimumCalls = minimumCalls;
    this.level = level;
    this.rejection = rejection;
    this.announced = announced;
  }

  static ManualStay forcedOpen(CircuitBreakerImpl breaker, CompiledConfig s, long now, Stay from) {
    CallNotPermittedException rejection =
        new CallNotPermittedException(
            breaker.name(), CircuitBreaker.State.FORCED_OPEN, null, null, 0);
    return new ManualStay(
        breaker,
        s,
        CircuitBreaker.State.FORCED_OPEN,
        now,
        null,
        from.counts(now),
        from.minimumCalls(),
        from.level(now),
        rejection,
        0);
  }

  static ManualStay disabled(CircuitBreakerImpl breaker, CompiledConfig s, long now, Stay from) {
    return new ManualStay(
        breaker, s, CircuitBreaker.State.DISABLED, now, null, WindowCounts.EMPTY, 1, from.level(now), null, 0);
  }

  static ManualStay metricsOnly(CircuitBreakerImpl breaker, CompiledConfig s, long now, Stay from) {
    Window window = Window.create(s.config, now);
    return new ManualStay(
        breaker,
        s,
        CircuitBreaker.State.METRICS_ONLY, now, window, null, window.minimumCalls, from.level(now), null, 0);
  }

  /** The same metrics-only stay (same entry time and window) once it has also announced {@code rates}. */
  ManualStay announcing(int rates) {
    return new ManualStay(breaker, s, state, enteredAt, window, frozen, minimumCalls, level, rejection, announced | rates);
  }

  /**
   * The same manual stay under new options: it stays in its state until an operator moves it; a metrics-only
   * stay keeps its window as far as the new one holds it, and the rates it has announced.
   */
  @Override
  ManualStay reconfigured(CompiledConfig config, long now) {
    Window kept = window == null ? null : window.reshaped(config.config, now);
    return new ManualStay(
        breaker,
        config,
        state,
        enteredAt,
        kept,
        frozen,
        kept == null ? minimumCalls : kept.minimumCalls,
        level,
        rejection,
        announced);
  }

  @Override
  WindowCounts counts(long now) {
    return window != null ? window.snapshot(now) : frozen;
  }

  @Override
  int minimumCalls() {
    return minimumCalls;
  }

  @Override
  int level(long now) {
    return level;
  }
}
