package dev.fusebox.benchmarks;

import dev.failsafe.CircuitBreakerBuilder;
import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeExecutor;
import dev.failsafe.function.CheckedSupplier;
import dev.fusebox.Ticker;
import dev.fusebox.circuitbreaker.CircuitBreaker;
import dev.fusebox.circuitbreaker.CircuitBreakerConfig;
import dev.fusebox.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowSynchronizationStrategy;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The one place that says what "the same configuration" means in each library, and the contenders that
 * every benchmark compares.
 *
 * <p>The common configuration is Fusebox's and Resilience4j's default: a window of the last 100 calls (or of
 * the last 10 seconds), at least 100 calls before a rate counts, open at a 50% failure rate or a 100%
 * slow-call rate, slow meaning over 60 s, 60 s open, 10 half-open trials, and {@link Calls.IgnoredFailure}
 * ignored. Failsafe says the same thing its own way: "50 failures out of the last 100 executions" for the
 * count window and "a 50% failure rate over at least 100 executions in 10 s" for the time window; it has no
 * slow-call detection and no ignore list (an exception its failure predicate rejects is recorded as a
 * success), and {@code withSuccessThreshold(10)} stands for the 10 trials.
 *
 * <p>Each scenario then changes only what it must:
 * <ul>
 *   <li>{@link Scenario#FAILING}: the failure-rate threshold becomes 100% (Failsafe: 100 failures out of
 *       100), and the benchmark lets one call in ten succeed, so no window of 100 calls is ever all failures
 *       (with up to 10 threads) and every library stays closed while recording failures;</li>
 *   <li>{@link Scenario#OPEN}: a one-hour open wait, then the breaker is opened by hand, so nothing can move
 *       it to half-open during a run;</li>
 *   <li>{@link Scenario#HALF_OPEN}: one more trial permit than a batch takes (see {@link HalfOpenBenchmark}),
 *       so no batch ever reaches the decision that ends the half-open stay.</li>
 * </ul>
 */
final class Contenders {

  /** Fusebox's default configuration (coarse ticker, slow-call detection on): the headline figure. */
  static final String FUSEBOX = "fusebox";
  /** Fusebox with {@code ticker(Ticker.system())}: two {@code System.nanoTime()} reads per call. */
  static final String FUSEBOX_SYSTEM_TICKER = "fusebox-system-ticker";
  /** Fusebox with {@code slowCallDetection(false)}: no clock read at all with a count window. */
  static final String FUSEBOX_NO_SLOW_CALLS = "fusebox-no-slow-calls";
  /** Resilience4j's default: the SYNCHRONIZED sliding window, stack traces on rejections. */
  static final String R4J_SYNCHRONIZED = "resilience4j-synchronized";
  /** Resilience4j with the LOCK_FREE sliding window added in 2.3. */
  static final String R4J_LOCK_FREE = "resilience4j-lock-free";
  /** Resilience4j's default window, with {@code writableStackTraceEnabled(false)}. */
  static final String R4J_STACKLESS = "resilience4j-stackless";
  /** Failsafe through its executor, {@code Failsafe.with(breaker).get(...)}: what its users write. */
  static final String FAILSAFE_EXECUTOR = "failsafe-executor";
  /** Failsafe's breaker used on its own: {@code acquirePermit()}, the call, {@code recordResult(...)}. */
  static final String FAILSAFE_STANDALONE = "failsafe-standalone";

  static final List<String> ALL =
      List.of(
          FUSEBOX,
          FUSEBOX_SYSTEM_TICKER,
          FUSEBOX_NO_SLOW_CALLS,
          R4J_SYNCHRONIZED,
          R4J_LOCK_FREE,
          R4J_STACKLESS,
          FAILSAFE_EXECUTOR,
          FAILSAFE_STANDALONE);

  static final int WINDOW_CALLS = 100;
  static final int WINDOW_SECONDS = 10;
  static final int MINIMUM_CALLS = 100;
  static final Duration SLOW_CALL = Duration.ofSeconds(60);
  static final Duration OPEN_WAIT = Duration.ofSeconds(60);
  /** Long enough that no open breaker becomes half-open during a run. */
  static final Duration OPEN_FOR_THE_RUN = Duration.ofHours(1);
  static final int HALF_OPEN_TRIALS = 10;

  /** What a benchmark needs the breaker to be doing. */
  enum Scenario {
    /** Closed, the common configuration. */
    CLOSED,
    /** Closed, recording failures without ever reaching the failure-rate threshold. */
    FAILING,
    /** Open for the whole run. */
    OPEN,
    /** Half-open, with {@code trials + 1} trial permits per stay. */
    HALF_OPEN
  }

  /** Creates breakers of one contender from one shared configuration. */
  interface Factory {

    /** The configuration every breaker of this factory shares (Failsafe copies it into each breaker). */
    Object sharedConfig();

    /** Creates a breaker named {@code name}. */
    Subject create(String name);

    /** Returns a fresh registry's get-or-create operation (Failsafe has none: a map stands in). */
    Function<String, Object> newRegistry();
  }

  private Contenders() {}

  /** Creates one breaker of {@code contender}, set up for {@code scenario}. */
  static Subject create(String contender, Scenario scenario, Window window, int trials) {
    Subject subject = factory(contender, scenario, window, trials).create(contender);
    switch (scenario) {
      case OPEN -> subject.open.run();
      case HALF_OPEN -> {
        subject.open.run();
        subject.halfOpen.run();
      }
      default -> {}
    }
    subject.expect(
        switch (scenario) {
          case CLOSED, FAILING -> "CLOSED";
          case OPEN -> "OPEN";
          case HALF_OPEN -> "HALF_OPEN";
        });
    return subject;
  }

  /** Returns a factory of {@code contender} breakers configured for {@code scenario}. */
  static Factory factory(String contender, Scenario scenario, Window window, int trials) {
    return switch (contender) {
      case FUSEBOX, FUSEBOX_SYSTEM_TICKER, FUSEBOX_NO_SLOW_CALLS -> fusebox(contender, scenario, window, trials);
      case R4J_SYNCHRONIZED, R4J_LOCK_FREE, R4J_STACKLESS -> resilience4j(contender, scenario, window, trials);
      case FAILSAFE_EXECUTOR, FAILSAFE_STANDALONE -> failsafe(contender, scenario, window, trials);
      default -> throw new IllegalArgumentException("unknown contender " + contender + ", known: " + ALL);
    };
  }

  // -------------------------------------------------------------------------------------------------
  // Fusebox

  private static Factory fusebox(String contender, Scenario scenario, Window window, int trials) {
    CircuitBreakerConfig.Builder b = CircuitBreakerConfig.builder();
    if (window == Window.COUNT) {
      b.countBasedWindow(WINDOW_CALLS);
    } else {
      b.timeBasedWindow(Duration.ofSeconds(WINDOW_SECONDS));
    }
    b.minimumNumberOfCalls(MINIMUM_CALLS)
        .failureRateThreshold(scenario == Scenario.FAILING ? 100 : 50)
        .slowCallRateThreshold(100)
        .slowCallDurationThreshold(SLOW_CALL)
        .waitDurationInOpenState(scenario == Scenario.OPEN ? OPEN_FOR_THE_RUN : OPEN_WAIT)
        .permittedNumberOfCallsInHalfOpenState(scenario == Scenario.HALF_OPEN ? trials + 1 : HALF_OPEN_TRIALS)
        .ignoreExceptions(Calls.IgnoredFailure.class);
    if (contender.equals(FUSEBOX_SYSTEM_TICKER)) {
      b.ticker(Ticker.system());
    } else if (contender.equals(FUSEBOX_NO_SLOW_CALLS)) {
      b.slowCallDetection(false);
    }
    CircuitBreakerConfig config = b.build();
    return new Factory() {
      @Override
      public Object sharedConfig() {
        return config;
      }

      @Override
      public Subject create(String name) {
        return subject(CircuitBreaker.of(name, config));
      }

      @Override
      public Function<String, Object> newRegistry() {
        CircuitBreakerRegistry registry = CircuitBreakerRegistry.of(config);
        return registry::circuitBreaker;
      }
    };
  }

  /** The operations of a Fusebox breaker, however it was made: on its own, from a registry, shared. */
  static Subject subject(CircuitBreaker breaker) {
    return new Subject(
        breaker,
        breaker.decorateSupplier(Calls::succeed),
        breaker.decorateSupplier(Calls::fail),
        breaker.decorateSupplier(Calls::failIgnored),
        breaker::tryAcquirePermission,
        breaker::transitionToOpenState,
        breaker::transitionToHalfOpenState,
        () -> breaker.state().name());
  }

  // -------------------------------------------------------------------------------------------------
  // Resilience4j

  private static Factory resilience4j(String contender, Scenario scenario, Window window, int trials) {
    SlidingWindowSynchronizationStrategy strategy =
        contender.equals(R4J_LOCK_FREE)
            ? SlidingWindowSynchronizationStrategy.LOCK_FREE
            : SlidingWindowSynchronizationStrategy.SYNCHRONIZED;
    io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.Builder b =
        io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.custom();
    if (scenario == Scenario.HALF_OPEN) {
      // A half-open stay decides after min(minimumNumberOfCalls, permitted) trials, and a count window
      // clamps minimumNumberOfCalls to its size: both must exceed a batch for the stay to last it.
      b.slidingWindow(trials + 1, trials + 1, SlidingWindowType.COUNT_BASED, strategy);
    } else if (window == Window.COUNT) {
      b.slidingWindow(WINDOW_CALLS, MINIMUM_CALLS, SlidingWindowType.COUNT_BASED, strategy);
    } else {
      b.slidingWindow(WINDOW_SECONDS, MINIMUM_CALLS, SlidingWindowType.TIME_BASED, strategy);
    }
    io.github.resilience4j.circuitbreaker.CircuitBreakerConfig config =
        b.failureRateThreshold(scenario == Scenario.FAILING ? 100 : 50)
            .slowCallRateThreshold(100)
            .slowCallDurationThreshold(SLOW_CALL)
            .waitDurationInOpenState(scenario == Scenario.OPEN ? OPEN_FOR_THE_RUN : OPEN_WAIT)
            .permittedNumberOfCallsInHalfOpenState(
                scenario == Scenario.HALF_OPEN ? trials + 1 : HALF_OPEN_TRIALS)
            .ignoreExceptions(Calls.IgnoredFailure.class)
            .writableStackTraceEnabled(!contender.equals(R4J_STACKLESS))
            .build();
    return new Factory() {
      @Override
      public Object sharedConfig() {
        return config;
      }

      @Override
      public Subject create(String name) {
        io.github.resilience4j.circuitbreaker.CircuitBreaker breaker =
            io.github.resilience4j.circuitbreaker.CircuitBreaker.of(name, config);
        return new Subject(
            breaker,
            io.github.resilience4j.circuitbreaker.CircuitBreaker.decorateSupplier(breaker, Calls::succeed),
            io.github.resilience4j.circuitbreaker.CircuitBreaker.decorateSupplier(breaker, Calls::fail),
            io.github.resilience4j.circuitbreaker.CircuitBreaker.decorateSupplier(breaker, Calls::failIgnored),
            breaker::tryAcquirePermission,
            breaker::transitionToOpenState,
            breaker::transitionToHalfOpenState,
            () -> breaker.getState().name());
      }

      @Override
      public Function<String, Object> newRegistry() {
        io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry registry =
            io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry.of(config);
        return registry::circuitBreaker;
      }
    };
  }

  // -------------------------------------------------------------------------------------------------
  // Failsafe

  private static Factory failsafe(String contender, Scenario scenario, Window window, int trials) {
    int failurePercent = scenario == Scenario.FAILING ? 100 : 50;
    CircuitBreakerBuilder<Object> b =
        dev.failsafe.CircuitBreaker.builder()
            .handleIf((Throwable e) -> !(e instanceof Calls.IgnoredFailure))
            .withDelay(scenario == Scenario.OPEN ? OPEN_FOR_THE_RUN : OPEN_WAIT)
            .withSuccessThreshold(scenario == Scenario.HALF_OPEN ? trials + 1 : HALF_OPEN_TRIALS);
    if (window == Window.COUNT) {
      b.withFailureThreshold(WINDOW_CALLS * failurePercent / 100, WINDOW_CALLS);
    } else {
      b.withFailureRateThreshold(failurePercent, MINIMUM_CALLS, Duration.ofSeconds(WINDOW_SECONDS));
    }
    dev.failsafe.CircuitBreakerConfig<Object> config = b.build().getConfig();
    boolean executor = contender.equals(FAILSAFE_EXECUTOR);
    return new Factory() {
      @Override
      public Object sharedConfig() {
        return config;
      }

      @Override
      public Subject create(String name) {
        dev.failsafe.CircuitBreaker<Object> breaker = dev.failsafe.CircuitBreaker.builder(config).build();
        return new Subject(
            breaker,
            failsafeCall(breaker, executor, Calls::succeed),
            failsafeCall(breaker, executor, Calls::fail),
            failsafeCall(breaker, executor, Calls::failIgnored),
            breaker::tryAcquirePermit,
            breaker::open,
            breaker::halfOpen,
            () -> breaker.getState().name());
      }

      @Override
      public Function<String, Object> newRegistry() {
        Map<String, dev.failsafe.CircuitBreaker<Object>> registry = new ConcurrentHashMap<>();
        return name -> registry.computeIfAbsent(name, n -> dev.failsafe.CircuitBreaker.builder(config).build());
      }
    };
  }

  /**
   * A Failsafe call: through {@code Failsafe.with(breaker)}, which rethrows a runtime exception unchanged and
   * throws {@code CircuitBreakerOpenException} on rejection, or through the breaker's own permit API.
   */
  private static Supplier<Object> failsafeCall(
      dev.failsafe.CircuitBreaker<Object> breaker, boolean executor, Supplier<Object> call) {
    if (executor) {
      FailsafeExecutor<Object> failsafe = Failsafe.with(breaker);
      CheckedSupplier<Object> checked = call::get;
      return () -> failsafe.get(checked);
    }
    return () -> {
      breaker.acquirePermit();
      Object result;
      try {
        result = call.get();
      } catch (RuntimeException e) {
        breaker.recordException(e);
        throw e;
      }
      breaker.recordResult(result);
      return result;
    };
  }
}
