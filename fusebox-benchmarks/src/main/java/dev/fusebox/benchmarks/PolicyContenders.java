package dev.fusebox.benchmarks;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeExecutor;
import dev.failsafe.function.CheckedSupplier;
import dev.fusebox.bulkhead.Bulkhead;
import dev.fusebox.bulkhead.BulkheadConfig;
import dev.fusebox.circuitbreaker.CircuitBreaker;
import dev.fusebox.circuitbreaker.CircuitBreakerConfig;
import dev.fusebox.fallback.Fallback;
import dev.fusebox.fallback.FallbackConfig;
import dev.fusebox.pipeline.Pipeline;
import dev.fusebox.ratelimiter.RateLimiter;
import dev.fusebox.ratelimiter.RateLimiterConfig;
import dev.fusebox.retry.Retry;
import dev.fusebox.retry.RetryConfig;
import dev.fusebox.timelimiter.TimeLimiter;
import dev.fusebox.timelimiter.TimeLimiterConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowSynchronizationStrategy;
import io.github.resilience4j.decorators.Decorators;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.function.Supplier;

/**
 * The policies other than the breaker (retry, bulkhead, rate limiter, time limiter, fallback) and the pipeline that
 * stacks them, configured the same way in each library: the one place that says what "the same
 * configuration" means for them, as {@link Contenders} does for the breaker.
 *
 * <p>Every call succeeds at once, so what is measured is each policy's cost on a healthy call:
 * <ul>
 *   <li>retry: {@value #MAX_ATTEMPTS} attempts, 500 ms apart, every exception retried (Fusebox's and
 *       Resilience4j's default; Failsafe: {@code withMaxAttempts(3).withDelay(500 ms)}); no call fails, so
 *       none is retried;</li>
 *   <li>bulkhead: a semaphore of {@value #MAX_CONCURRENT_CALLS} permits, no waiting (Fusebox's and
 *       Resilience4j's default; Failsafe: {@code Bulkhead.of(25)});</li>
 *   <li>rate limiter: a fixed window of {@value #PERMITS_PER_PERIOD} permits per second, no waiting (Fusebox's
 *       default algorithm, Resilience4j's {@code AtomicRateLimiter}, Failsafe's bursty limiter): far more
 *       than any thread can take, so no call is ever refused;</li>
 *   <li>time limiter: a 1 s limit on a {@link CompletionStage} that is already complete, with one daemon
 *       scheduler thread that drops cancelled timers (Fusebox's {@code Scheduler.system()}; the same
 *       executor is given to Resilience4j). Failsafe times a stage only by running its supplier on its own
 *       executor, so its row is its {@code Timeout} on a synchronous call instead, which also schedules and
 *       cancels one timer per call;</li>
 *   <li>fallback: a constant value for every exception (Resilience4j has no fallback policy of its own: its
 *       {@code Decorators.withFallback} stands in);</li>
 *   <li>pipeline: fallback, retry, circuit breaker (the common configuration, count window), rate limiter,
 *       bulkhead, outermost first, each configured as above; Fusebox's {@link Pipeline}, Resilience4j's
 *       {@link Decorators} with its breaker's two window strategies, and
 *       {@code Failsafe.with(fallback, retry, breaker, rateLimiter, bulkhead)}.</li>
 * </ul>
 * Every stack is decorated once, in the {@code @Setup}, and called many times.
 */
final class PolicyContenders {

  static final String FUSEBOX = Contenders.FUSEBOX;
  static final String RESILIENCE4J = "resilience4j";
  static final String FAILSAFE = "failsafe";

  static final int MAX_ATTEMPTS = 3;
  static final Duration RETRY_WAIT = Duration.ofMillis(500);
  static final int MAX_CONCURRENT_CALLS = 25;
  static final int PERMITS_PER_PERIOD = 1_000_000_000;
  static final Duration PERIOD = Duration.ofSeconds(1);
  static final Duration TIMEOUT = Duration.ofSeconds(1);

  /** What a fallback answers; a benchmark that sees it would have measured the failure path. */
  static final Object FALLBACK = new Object();

  /** The stage every asynchronous call returns: already complete with {@link Calls#RESULT}. */
  static final CompletableFuture<Object> COMPLETED = CompletableFuture.completedFuture(Calls.RESULT);

  /** What a benchmark measures. */
  enum Policy {
    RETRY,
    BULKHEAD,
    RATE_LIMITER,
    TIME_LIMITER,
    FALLBACK,
    PIPELINE
  }

  /**
   * One guarded call, decorated once: {@code call} returns {@link Calls#RESULT} (the time limiter: a stage
   * completed with it); {@code check} fails if the policy did anything but let the calls through (a retry, a
   * fallback, a timeout, a permit not given back) where the library lets that be seen.
   */
  record Guarded(Supplier<Object> call, Runnable check, AutoCloseable resources) implements AutoCloseable {
    @Override
    public void close() throws Exception {
      resources.close();
    }
  }

  private static final AutoCloseable NOTHING = () -> {};

  private PolicyContenders() {}

  /** Creates {@code contender}'s guarded call for {@code policy}. */
  static Guarded create(Policy policy, String contender) {
    return switch (policy) {
      case RETRY -> retry(contender);
      case BULKHEAD -> bulkhead(contender);
      case RATE_LIMITER -> rateLimiter(contender);
      case TIME_LIMITER -> timeLimiter(contender);
      case FALLBACK -> fallback(contender);
      case PIPELINE -> pipeline(contender);
    };
  }

  // -------------------------------------------------------------------------------------------------
  // Each policy

  private static Guarded retry(String contender) {
    return switch (contender) {
      case FUSEBOX -> {
        Retry retry = fuseboxRetry();
        yield new Guarded(retry.decorateSupplier(Calls::succeed),
            () -> expect(retry.metrics().numberOfTotalRetryAttempts() == 0, "the retry retried"), NOTHING);
      }
      case RESILIENCE4J -> {
        io.github.resilience4j.retry.Retry retry = r4jRetry();
        yield new Guarded(io.github.resilience4j.retry.Retry.decorateSupplier(retry, Calls::succeed),
            () -> expect(retry.getMetrics().getNumberOfSuccessfulCallsWithRetryAttempt() == 0
                && retry.getMetrics().getNumberOfFailedCallsWithoutRetryAttempt() == 0, "the retry retried"),
            NOTHING);
      }
      case FAILSAFE -> failsafe(failsafeRetry());
      default -> throw unknown(contender);
    };
  }

  private static Guarded bulkhead(String contender) {
    return switch (contender) {
      case FUSEBOX -> {
        Bulkhead bulkhead = fuseboxBulkhead();
        yield new Guarded(bulkhead.decorateSupplier(Calls::succeed),
            () -> expect(bulkhead.metrics().availableConcurrentCalls() == MAX_CONCURRENT_CALLS,
                "a bulkhead permit was not given back"), NOTHING);
      }
      case RESILIENCE4J -> {
        io.github.resilience4j.bulkhead.Bulkhead bulkhead = r4jBulkhead();
        yield new Guarded(io.github.resilience4j.bulkhead.Bulkhead.decorateSupplier(bulkhead, Calls::succeed),
            () -> expect(bulkhead.getMetrics().getAvailableConcurrentCalls() == MAX_CONCURRENT_CALLS,
                "a bulkhead permit was not given back"), NOTHING);
      }
      case FAILSAFE -> failsafe(failsafeBulkhead());
      default -> throw unknown(contender);
    };
  }

  private static Guarded rateLimiter(String contender) {
    return switch (contender) {
      case FUSEBOX -> {
        RateLimiter limiter = fuseboxRateLimiter();
        yield new Guarded(limiter.decorateSupplier(Calls::succeed),
            () -> expect(limiter.metrics().totalFailedAcquisitions() == 0, "the rate limiter refused a call"),
            NOTHING);
      }
      // A refusal throws RequestNotPermittedException (Failsafe: RateLimitExceededException), which JMH reports.
      case RESILIENCE4J -> new Guarded(
          io.github.resilience4j.ratelimiter.RateLimiter.decorateSupplier(r4jRateLimiter(), Calls::succeed),
          () -> {}, NOTHING);
      case FAILSAFE -> failsafe(failsafeRateLimiter());
      default -> throw unknown(contender);
    };
  }

  private static Guarded timeLimiter(String contender) {
    return switch (contender) {
      case FUSEBOX -> {
        TimeLimiter limiter =
            TimeLimiter.of("bench", TimeLimiterConfig.builder().timeoutDuration(TIMEOUT).build());
        yield new Guarded(limiter.decorateCompletionStage(() -> COMPLETED)::get,
            () -> expect(limiter.metrics().numberOfTimedOutCalls() == 0
                && limiter.metrics().numberOfFailedCalls() == 0, "a call timed out or failed"), NOTHING);
      }
      case RESILIENCE4J -> {
        // What Fusebox's Scheduler.system() is: one daemon thread, cancelled timers removed at once.
        ScheduledThreadPoolExecutor scheduler =
            new ScheduledThreadPoolExecutor(1, task -> {
              Thread thread = new Thread(task, "resilience4j-time-limiter");
              thread.setDaemon(true);
              return thread;
            });
        scheduler.setRemoveOnCancelPolicy(true);
        io.github.resilience4j.timelimiter.TimeLimiter limiter =
            io.github.resilience4j.timelimiter.TimeLimiter.of(
                io.github.resilience4j.timelimiter.TimeLimiterConfig.custom()
                    .timeoutDuration(TIMEOUT)
                    .cancelRunningFuture(true)
                    .build());
        Supplier<CompletionStage<Object>> decorated =
            limiter.decorateCompletionStage(scheduler, () -> COMPLETED);
        yield new Guarded(decorated::get, () -> {}, scheduler::shutdownNow);
      }
      case FAILSAFE -> failsafe(dev.failsafe.Timeout.of(TIMEOUT));
      default -> throw unknown(contender);
    };
  }

  private static Guarded fallback(String contender) {
    return switch (contender) {
      case FUSEBOX -> {
        Fallback<Object> fallback = fuseboxFallback();
        yield new Guarded(fallback.decorateSupplier(Calls::succeed),
            () -> expect(fallback.metrics().numberOfFallbackCalls() == 0, "the fallback answered"), NOTHING);
      }
      case RESILIENCE4J -> new Guarded(
          Decorators.ofSupplier(Calls::succeed).withFallback((Throwable e) -> FALLBACK).decorate(),
          () -> {}, NOTHING);
      case FAILSAFE -> failsafe(dev.failsafe.Fallback.of(FALLBACK));
      default -> throw unknown(contender);
    };
  }

  // -------------------------------------------------------------------------------------------------
  // The pipeline: fallback, retry, circuit breaker, rate limiter, bulkhead, the call

  private static Guarded pipeline(String contender) {
    switch (contender) {
      case FUSEBOX -> {
        CircuitBreaker breaker =
            CircuitBreaker.of("bench", (CircuitBreakerConfig) commonBreakerConfig(Contenders.FUSEBOX));
        Fallback<Object> fallback = fuseboxFallback();
        Supplier<Object> call =
            Pipeline.<Object>builder("bench")
                .fallback(fallback)
                .retry(fuseboxRetry())
                .circuitBreaker(breaker)
                .rateLimiter(fuseboxRateLimiter())
                .bulkhead(fuseboxBulkhead())
                .build()
                .decorateSupplier(Calls::succeed);
        return new Guarded(call, () -> {
          expect(breaker.state() == CircuitBreaker.State.CLOSED, "the breaker left CLOSED");
          expect(fallback.metrics().numberOfFallbackCalls() == 0, "the fallback answered");
        }, NOTHING);
      }
      case Contenders.R4J_SYNCHRONIZED, Contenders.R4J_LOCK_FREE -> {
        io.github.resilience4j.circuitbreaker.CircuitBreaker breaker =
            io.github.resilience4j.circuitbreaker.CircuitBreaker.of(
                "bench",
                (io.github.resilience4j.circuitbreaker.CircuitBreakerConfig) commonBreakerConfig(contender));
        expect(breaker.getCircuitBreakerConfig().getSlidingWindowSynchronizationStrategy()
            == (contender.equals(Contenders.R4J_LOCK_FREE)
                ? SlidingWindowSynchronizationStrategy.LOCK_FREE
                : SlidingWindowSynchronizationStrategy.SYNCHRONIZED), "wrong window strategy");
        // Decorators wrap in the order they are given: the innermost first.
        Supplier<Object> call =
            Decorators.ofSupplier(Calls::succeed)
                .withBulkhead(r4jBulkhead())
                .withRateLimiter(r4jRateLimiter())
                .withCircuitBreaker(breaker)
                .withRetry(r4jRetry())
                .withFallback((Throwable e) -> FALLBACK)
                .decorate();
        return new Guarded(call,
            () -> expect(breaker.getState()
                == io.github.resilience4j.circuitbreaker.CircuitBreaker.State.CLOSED, "the breaker left CLOSED"),
            NOTHING);
      }
      case FAILSAFE -> {
        dev.failsafe.CircuitBreaker<Object> breaker =
            dev.failsafe.CircuitBreaker.builder(
                    (dev.failsafe.CircuitBreakerConfig<Object>) commonBreakerConfig(Contenders.FAILSAFE_EXECUTOR))
                .build();
        Guarded guarded =
            failsafe(dev.failsafe.Fallback.of(FALLBACK), failsafeRetry(), breaker, failsafeRateLimiter(),
                failsafeBulkhead());
        return new Guarded(guarded.call(),
            () -> expect(breaker.isClosed(), "the breaker left CLOSED"), NOTHING);
      }
      default -> throw unknown(contender);
    }
  }

  /** The breaker of the common configuration, count window, as {@link Contenders} builds it. */
  private static Object commonBreakerConfig(String contender) {
    return Contenders.factory(contender, Contenders.Scenario.CLOSED, Window.COUNT, 0).sharedConfig();
  }

  // -------------------------------------------------------------------------------------------------
  // The policies, configured alike

  private static Retry fuseboxRetry() {
    return Retry.of("bench", RetryConfig.builder().maxAttempts(MAX_ATTEMPTS).waitDuration(RETRY_WAIT).build());
  }

  private static io.github.resilience4j.retry.Retry r4jRetry() {
    return io.github.resilience4j.retry.Retry.of(
        "bench",
        io.github.resilience4j.retry.RetryConfig.custom()
            .maxAttempts(MAX_ATTEMPTS)
            .waitDuration(RETRY_WAIT)
            .build());
  }

  private static dev.failsafe.RetryPolicy<Object> failsafeRetry() {
    return dev.failsafe.RetryPolicy.builder().withMaxAttempts(MAX_ATTEMPTS).withDelay(RETRY_WAIT).build();
  }

  private static Bulkhead fuseboxBulkhead() {
    return Bulkhead.of(
        "bench",
        BulkheadConfig.builder().maxConcurrentCalls(MAX_CONCURRENT_CALLS).maxWaitDuration(Duration.ZERO).build());
  }

  private static io.github.resilience4j.bulkhead.Bulkhead r4jBulkhead() {
    return io.github.resilience4j.bulkhead.Bulkhead.of(
        "bench",
        io.github.resilience4j.bulkhead.BulkheadConfig.custom()
            .maxConcurrentCalls(MAX_CONCURRENT_CALLS)
            .maxWaitDuration(Duration.ZERO)
            .build());
  }

  private static dev.failsafe.Bulkhead<Object> failsafeBulkhead() {
    return dev.failsafe.Bulkhead.of(MAX_CONCURRENT_CALLS);
  }

  private static RateLimiter fuseboxRateLimiter() {
    return RateLimiter.of(
        "bench",
        RateLimiterConfig.builder()
            .algorithm(RateLimiterConfig.Algorithm.FIXED_WINDOW)
            .limitForPeriod(PERMITS_PER_PERIOD)
            .limitRefreshPeriod(PERIOD)
            .timeoutDuration(Duration.ZERO)
            .build());
  }

  private static io.github.resilience4j.ratelimiter.RateLimiter r4jRateLimiter() {
    return io.github.resilience4j.ratelimiter.RateLimiter.of(
        "bench",
        io.github.resilience4j.ratelimiter.RateLimiterConfig.custom()
            .limitForPeriod(PERMITS_PER_PERIOD)
            .limitRefreshPeriod(PERIOD)
            .timeoutDuration(Duration.ZERO)
            .build());
  }

  private static dev.failsafe.RateLimiter<Object> failsafeRateLimiter() {
    return dev.failsafe.RateLimiter.burstyBuilder(PERMITS_PER_PERIOD, PERIOD).build();
  }

  private static Fallback<Object> fuseboxFallback() {
    return Fallback.of("bench", FallbackConfig.<Object>builder().fallbackValue(FALLBACK).build());
  }

  /** {@code Failsafe.with(policies).get(call)}: the policies wrap the call in argument order. */
  @SafeVarargs
  private static Guarded failsafe(dev.failsafe.Policy<Object>... policies) {
    FailsafeExecutor<Object> failsafe = Failsafe.with(List.of(policies));
    CheckedSupplier<Object> call = Calls::succeed;
    return new Guarded(() -> failsafe.get(call), () -> {}, NOTHING);
  }

  private static void expect(boolean condition, String otherwise) {
    if (!condition) {
      throw new IllegalStateException(otherwise);
    }
  }

  private static IllegalArgumentException unknown(String contender) {
    return new IllegalArgumentException("unknown contender " + contender);
  }
}
