package dev.fusebox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusebox.circuitbreaker.CallNotPermittedException;
import dev.fusebox.circuitbreaker.CircuitBreaker;
import dev.fusebox.circuitbreaker.CircuitBreakerConfig;
import dev.fusebox.pipeline.Pipeline;
import dev.fusebox.testing.ManualTicker;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every path the documentation calls allocation-free, and the asynchronous path's stated figure, as bytes
 * counted by the JVM for the calling thread ({@code com.sun.management.ThreadMXBean}): a byte count is
 * stable where a time is not. Each path runs {@value #WARM_UP} times first, so that class loading and
 * compilation are not counted, then {@value #CALLS} times measured; the bytes per call must be the figure
 * given, to the byte. (The counter itself allocates nothing to read.)
 */
class AllocationTest {

  static final int WARM_UP = 30_000;
  static final int CALLS = 20_000;

  /** A path, the bytes it may allocate per call, and one call of it. */
  record Path(String name, long bytesPerCall, Runnable call) {
    @Override
    public String toString() {
      return name + " (" + bytesPerCall + " B)";
    }
  }

  /** What the calls throw: one instance, built once, so that its own allocation is not counted. */
  static final IllegalStateException FAILURE = new IllegalStateException("down");

  private static final Supplier<String> OK = () -> "ok";
  private static final Supplier<String> FAILING = () -> {
    throw FAILURE;
  };
  private static final CompletableFuture<String> COMPLETED = CompletableFuture.completedFuture("ok");
  private static final Supplier<CompletionStage<String>> COMPLETED_STAGE = () -> COMPLETED;

  private static CircuitBreaker breaker(CircuitBreakerConfig.Builder builder) {
    return CircuitBreaker.of("allocation", builder.build());
  }

  private static CircuitBreakerConfig.Builder countWindow() {
    return CircuitBreakerConfig.builder().countBasedWindow(100).minimumNumberOfCalls(100);
  }

  private static CircuitBreakerConfig.Builder timeWindow(int minimum) {
    return CircuitBreakerConfig.builder().timeBasedWindow(Duration.ofSeconds(10)).minimumNumberOfCalls(minimum);
  }

  private static CircuitBreaker open() {
    CircuitBreaker breaker = breaker(countWindow().waitDurationInOpenState(Duration.ofDays(1)));
    breaker.transitionToOpenState();
    return breaker;
  }

  /** Calls {@code supplier} through {@code breaker}; the exception the path ends in is not allocated per call. */
  private static void attempt(CircuitBreaker breaker, Supplier<String> supplier) {
    try {
      breaker.executeSupplier(supplier);
    } catch (IllegalStateException | CallNotPermittedException expected) {
      // the path's own end
    }
  }

  static Stream<Path> paths() {
    CircuitBreaker closed = breaker(countWindow());
    CircuitBreaker timed = breaker(timeWindow(100));
    CircuitBreaker timedBelowMinimum = breaker(timeWindow(Integer.MAX_VALUE));
    CircuitBreaker failing = breaker(countWindow().failureRateThreshold(100));
    CircuitBreaker timedFailing = breaker(timeWindow(Integer.MAX_VALUE));
    CircuitBreaker open = open();
    CircuitBreaker forcedOpen = breaker(countWindow());
    forcedOpen.transitionToForcedOpenState();
    CircuitBreaker halfOpenFull = breaker(countWindow().permittedNumberOfCallsInHalfOpenState(1));
    halfOpenFull.transitionToHalfOpenState();
    halfOpenFull.tryAcquirePermit();
    CircuitBreaker disabled = breaker(countWindow());
    disabled.transitionToDisabledState();
    CircuitBreaker metricsOnly = breaker(countWindow());
    metricsOnly.transitionToMetricsOnlyState();
    ManualTicker rampTicker = new ManualTicker();
    CircuitBreaker ramping =
        breaker(countWindow().ticker(rampTicker).permittedNumberOfCallsInHalfOpenState(1).recoveryRamp(Duration.ofDays(1)));
    ramping.transitionToHalfOpenState();
    ramping.executeSupplier(OK);
    CircuitBreaker manual = breaker(countWindow());
    CircuitBreaker permits = breaker(countWindow());
    CircuitBreaker failingPermits = breaker(countWindow().failureRateThreshold(100));
    CircuitBreaker async = breaker(countWindow());
    CircuitBreaker asyncOpen = open();
    CircuitBreaker reconfigured = breaker(countWindow());
    reconfigured.executeSupplier(OK);
    reconfigured.reconfigure(reconfigured.config().toBuilder().countBasedWindow(50).minimumNumberOfCalls(50).build());
    CircuitBreaker timedReconfigured = breaker(timeWindow(100));
    timedReconfigured.executeSupplier(OK);
    timedReconfigured.reconfigure(timedReconfigured.config().toBuilder().failureRateThreshold(90).build());
    CircuitBreaker handedOn = breaker(countWindow());
    CircuitBreaker.Permit admittedBefore = handedOn.tryAcquirePermit();
    handedOn.reconfigure(handedOn.config().toBuilder().countBasedWindow(200).minimumNumberOfCalls(200).build());
    handedOn.reconfigure(handedOn.config().toBuilder().failureRateThreshold(60).build());
    CircuitBreaker baseline =
        breaker(countWindow().slowCallDurationPercentile(99, 3).slowCallBaselineMinimumCalls(1)
            .slowCallBaselinePeriod(Duration.ofNanos(1)));
    CircuitBreaker confident = breaker(countWindow().failureRateThreshold(99).failureRateConfidence(0.95));
    CircuitBreaker deploying =
        breaker(countWindow().failureRateThreshold(100).deployModeFailureThreshold(Integer.MAX_VALUE));
    deploying.startDeployMode(Duration.ofDays(1));
    Supplier<String> decorated = closed.decorateSupplier(OK);
    Supplier<String> pipeline = Pipeline.<String>builder("allocation").circuitBreaker(breaker(countWindow())).build()
        .decorateSupplier(OK);
    return Stream.of(
        new Path("closed, count window: executeSupplier", 0, () -> closed.executeSupplier(OK)),
        new Path("closed, count window: executeRunnable", 0, () -> closed.executeRunnable(() -> {})),
        new Path("closed, count window: a decorated supplier", 0, decorated::get),
        new Path("closed, time window: executeSupplier", 0, () -> timed.executeSupplier(OK)),
        new Path("closed, time window below the minimum of calls", 0, () -> timedBelowMinimum.executeSupplier(OK)),
        new Path(
            "closed, count window: a recorded failure (and a success, to stay below the threshold)",
            0,
            () -> {
              attempt(failing, FAILING);
              failing.executeSupplier(OK);
            }),
        new Path("closed, time window: a recorded failure", 0, () -> attempt(timedFailing, FAILING)),
        new Path("open: a rejected executeSupplier", 0, () -> attempt(open, OK)),
        new Path("open: tryAcquirePermission", 0, open::tryAcquirePermission),
        new Path("open: tryAcquirePermit", 0, open::tryAcquirePermit),
        new Path("forced open: a rejected executeSupplier", 0, () -> attempt(forcedOpen, OK)),
        new Path("half-open with every trial taken: a rejection", 0, () -> attempt(halfOpenFull, OK)),
        new Path("ramping: an admitted or rejected call", 0, () -> attempt(ramping, OK)),
        new Path("disabled: executeSupplier", 0, () -> disabled.executeSupplier(OK)),
        new Path("metrics only: executeSupplier", 0, () -> metricsOnly.executeSupplier(OK)),
        new Path(
            "manual: tryAcquirePermission and onSuccess",
            0,
            () -> {
              if (manual.tryAcquirePermission()) {
                manual.onSuccess(1);
              }
            }),
        new Path(
            "permit: tryAcquirePermit and onResult",
            0,
            () -> {
              CircuitBreaker.Permit permit = permits.tryAcquirePermit();
              permit.onResult(1, "ok");
            }),
        new Path(
            "permit: a failure (and a success) reported through permits",
            0,
            () -> {
              failingPermits.tryAcquirePermit().onError(1, FAILURE);
              failingPermits.tryAcquirePermit().onSuccess(1);
            }),
        new Path("asynchronous: a rejected executeCompletionStage", 0, () -> asyncOpen.executeCompletionStage(COMPLETED_STAGE)),
        new Path("asynchronous: a call whose stage is already complete", 0, () -> async.executeCompletionStage(COMPLETED_STAGE)),
        new Path("closed, count window, after a reconfiguration: executeSupplier", 0, () -> reconfigured.executeSupplier(OK)),
        new Path("closed, time window, after a reconfiguration: executeSupplier", 0, () -> timedReconfigured.executeSupplier(OK)),
        new Path("a permit admitted before two reconfigurations, reported after them", 0, () -> admittedBefore.onSuccess(1)),
        new Path("pipeline: a decorated call through a breaker", 0, pipeline::get),
        new Path("slow calls by a latency percentile, learning every call", 0, () -> baseline.executeSupplier(OK)),
        new Path(
            "a failure decided with failureRateConfidence (and a success)",
            0,
            () -> {
              attempt(confident, FAILING);
              confident.executeSupplier(OK);
            }),
        new Path(
            "deploy mode: a recorded failure (and a success)",
            0,
            () -> {
              attempt(deploying, FAILING);
              deploying.executeSupplier(OK);
            }));
  }

  /**
   * What the asynchronous API allocates for a call whose stage is still running, the least the
   * {@link CompletionStage} API allows while keeping the documented behaviour: a stage of its own to
   * return (40 B), which completes only once the outcome is recorded and whose cancellation gives the permit
   * back and cancels the call's stage, and the dependent stage and completion node (24 B and 40 B) that
   * {@code whenComplete} creates for the breaker to hear of the call's completion.
   */
  static final long ASYNC_PENDING_BYTES = 104;

  /** Hands out the stage set before each call, so that the measured call captures nothing. */
  static final class Later implements Supplier<CompletionStage<String>> {
    CompletableFuture<String> next;

    @Override
    public CompletionStage<String> get() {
      return next;
    }
  }

  @Test
  void aCallWhoseStageCompletesLaterAllocatesTheStatedBytesBeyondItsOwnStage() {
    CircuitBreaker breaker = breaker(countWindow());
    Later later = new Later();
    long withBreaker = bytesPerCall(() -> {
      later.next = new CompletableFuture<>();
      breaker.executeCompletionStage(later);
      later.next.complete("ok");
    });
    long alone = bytesPerCall(() -> {
      later.next = new CompletableFuture<>();
      later.get();
      later.next.complete("ok");
    });

    assertThat(withBreaker - alone).isEqualTo(ASYNC_PENDING_BYTES);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("paths")
  void allocatesExactlyItsStatedBytesPerCall(Path path) {
    assertThat(bytesPerCall(path.call())).as(path.name()).isEqualTo(path.bytesPerCall());
  }

  /** Bytes the calling thread allocates per call, over {@value #CALLS} calls after the warm-up. */
  static long bytesPerCall(Runnable call) {
    for (int i = 0; i < WARM_UP; i++) {
      call.run();
    }
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long before = threads.getCurrentThreadAllocatedBytes();
    for (int i = 0; i < CALLS; i++) {
      call.run();
    }
    long after = threads.getCurrentThreadAllocatedBytes();
    return Math.round((after - before) / (double) CALLS);
  }
}
