package dev.fusebox.benchmarks;

import dev.fusebox.throttle.AdaptiveThrottle;
import dev.fusebox.throttle.AdaptiveThrottleConfig;
import dev.fusebox.throttle.CallThrottledException;
import java.util.function.Supplier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Issue 17: an adaptive throttle's cost on the call path, with the default configuration (2-minute window
 * of one-second buckets on the coarse ticker, K = 2, capped at 0.9, each thread's ThreadLocalRandom).
 * Neither Resilience4j nor Failsafe (for Java) has client-side adaptive throttling, so Fusebox is the only
 * contender.
 *
 * <ul>
 *   <li>{@code accepted}: a healthy dependency, every call accepted: the window read, no draw, one counter
 *       increment;</li>
 *   <li>{@code shedding}: a dependency that accepts nothing, the probability at its cap of 0.9: nine calls in
 *       ten are rejected (window read, draw, counter, the prebuilt exception), the tenth runs and fails;</li>
 *   <li>{@code sheddingAll}: the same with a cap of 1, so that (after a million failures) practically every
 *       call is rejected and the failure path never runs. With both paths hot, as in {@code shedding}, C2
 *       compiles the throttle's {@code executeSupplier} too big to inline into the benchmark ("already
 *       compiled into a big method"), so each exception leaves a compiled frame, which costs the JVM's
 *       exception unwinding; with one path hot it inlines and the throw is a jump. A caller that catches
 *       frames away from the throttle pays the unwinding either way; {@code tryAcquirePermission()} and the
 *       asynchronous form throw nothing;</li>
 *   <li>{@code tryAcquire}: the manual form's decision on the healthy throttle, with its
 *       {@code onSuccess()};</li>
 *   <li>{@code tryAcquireShedding}: the manual form on the throttle of the dependency that is down, so the
 *       same decisions as {@code shedding} without the exceptions.</li>
 * </ul>
 */
public class AdaptiveThrottleBenchmark extends BenchmarkDefaults {

  /** Thrown by the failing dependency: built once, like the throttle's own rejection. */
  static final RuntimeException UNAVAILABLE = new IllegalStateException("503") {
    @Override
    public synchronized Throwable fillInStackTrace() {
      return this;
    }
  };

  /** A throttle whose dependency accepts every call. */
  @State(Scope.Benchmark)
  public static class Healthy {
    /** The library measured: Fusebox alone, the others have no adaptive throttle. */
    @Param({Contenders.FUSEBOX})
    public String contender;

    AdaptiveThrottle throttle;
    Supplier<Object> call;

    /** Builds the throttle once per trial, before any measured call. */
    @Setup(Level.Trial)
    public void create() {
      throttle = AdaptiveThrottle.of("healthy", AdaptiveThrottleConfig.ofDefaults());
      Object answer = new Object();
      call = throttle.decorateSupplier(() -> answer);
    }

    /** Fails the iteration if the throttle did not do what this state is about. */
    @TearDown(Level.Iteration)
    public void check() {
      if (throttle.metrics().totalRejectedRequests() != 0) {
        throw new IllegalStateException("a healthy throttle rejected calls: " + throttle.metrics());
      }
    }
  }

  /** A throttle whose dependency accepts nothing, rejecting at its cap. */
  @State(Scope.Benchmark)
  public static class Down {
    /** The library measured: Fusebox alone, the others have no adaptive throttle. */
    @Param({Contenders.FUSEBOX})
    public String contender;

    AdaptiveThrottle throttle;
    Supplier<Object> call;

    /** Builds the throttle once per trial, before any measured call. */
    @Setup(Level.Trial)
    public void create() {
      throttle = AdaptiveThrottle.of("down", AdaptiveThrottleConfig.ofDefaults());
      for (int i = 0; i < 1_000; i++) {
        throttle.onError(UNAVAILABLE);
      }
      call = throttle.decorateSupplier(() -> {
        throw UNAVAILABLE;
      });
    }

    /** Fails the iteration if the throttle did not do what this state is about. */
    @TearDown(Level.Iteration)
    public void check() {
      double p = throttle.metrics().rejectionProbability();
      if (p != 0.9) {
        throw new IllegalStateException("the throttle of a dependency that is down rejects with p = " + p);
      }
    }
  }

  /** A throttle whose dependency accepts nothing, capped at 1: practically every call is rejected. */
  @State(Scope.Benchmark)
  public static class Gone {
    /** The library measured: Fusebox alone, the others have no adaptive throttle. */
    @Param({Contenders.FUSEBOX})
    public String contender;

    AdaptiveThrottle throttle;
    Supplier<Object> call;

    /** Builds the throttle once per trial, before any measured call. */
    @Setup(Level.Trial)
    public void create() {
      throttle = AdaptiveThrottle.of("gone", AdaptiveThrottleConfig.builder().maxRejectionProbability(1).build());
      for (int i = 0; i < 1_000_000; i++) {
        throttle.onError(UNAVAILABLE);
      }
      call = throttle.decorateSupplier(() -> {
        throw UNAVAILABLE;
      });
    }
  }

  /**
   * Isolates deciding and recording an accepted call.
   *
   * @param s the state: the throttle, built once per trial
   * @return the outcome, handed to JMH so that the call is not optimised away
   */
  @Benchmark
  public Object accepted(Healthy s) {
    return s.call.get();
  }

  /**
   * Isolates a shedding throttle: nine rejections in ten, the tenth a failed call.
   *
   * @param s the state: the throttle, built once per trial
   * @return the outcome, handed to JMH so that the call is not optimised away
   */
  @Benchmark
  public Object shedding(Down s) {
    try {
      return s.call.get();
    } catch (CallThrottledException | IllegalStateException e) {
      return e;
    }
  }

  /**
   * Isolates a rejection through the throwing API when rejections are all the throttle sees.
   *
   * @param s the state: the throttle, built once per trial
   * @return the outcome, handed to JMH so that the call is not optimised away
   */
  @Benchmark
  public Object sheddingAll(Gone s) {
    try {
      return s.call.get();
    } catch (CallThrottledException | IllegalStateException e) {
      return e;
    }
  }

  /**
   * Isolates a shedding throttle's decision without an exception: nine rejections in ten, one failure.
   *
   * @param s the state: the throttle, built once per trial
   * @return the outcome, handed to JMH so that the call is not optimised away
   */
  @Benchmark
  public boolean tryAcquireShedding(Down s) {
    boolean permitted = s.throttle.tryAcquirePermission();
    if (permitted) {
      s.throttle.onError(UNAVAILABLE);
    }
    return permitted;
  }

  /**
   * Isolates the manual form: deciding, then reporting an accept.
   *
   * @param s the state: the throttle, built once per trial
   * @return the outcome, handed to JMH so that the call is not optimised away
   */
  @Benchmark
  public boolean tryAcquire(Healthy s) {
    boolean permitted = s.throttle.tryAcquirePermission();
    if (permitted) {
      s.throttle.onSuccess();
    }
    return permitted;
  }
}
