package dev.fusebox.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusebox.benchmarks.Main.Measured;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The report's arithmetic and verdicts, on made-up measurements. */
class ReportTest {

  private static final String CLOSED = "ClosedPathBenchmark.success";
  private static final String THROWING = "RejectionBenchmark.throwing";

  private static final String PIPELINE = "PipelineBenchmark.success";
  private static final String MICROMETER = "MicrometerBenchmark.success";
  private static final String REDIS = "RedisSharedBenchmark.success";

  private final List<Measured> measured = new ArrayList<>();
  private final Map<String, Map<String, Double>> footprint = new LinkedHashMap<>();
  private String redisSkipped;
  private final Map<String, Double> redisLoad = new LinkedHashMap<>();

  private void avgt(String benchmark, String contender, String window, int threads, double ns, double error) {
    measured.add(new Measured(benchmark, contender, window, threads, "avgt", ns, error, 0));
  }

  private String report() {
    return new Report(Settings.parse(new String[0]), measured, footprint, Map.of(), Duration.ZERO)
        .redis(redisSkipped, redisLoad)
        .markdown();
  }

  @Test
  void dividesFuseboxByTheBestRowOfEachPeerLibrary() {
    avgt(CLOSED, Contenders.FUSEBOX, "COUNT", 1, 10, 0);
    avgt(CLOSED, Contenders.R4J_SYNCHRONIZED, "COUNT", 1, 50, 0);
    avgt(CLOSED, Contenders.R4J_LOCK_FREE, "COUNT", 1, 40, 0);
    avgt(CLOSED, Contenders.FAILSAFE_EXECUTOR, "COUNT", 1, 200, 0);
    avgt(CLOSED, Contenders.FAILSAFE_STANDALONE, "COUNT", 1, 20, 0);

    assertThat(report())
        .contains("| Closed path, success, count window | `fusebox` | 0.250 | 0.500 |")
        .contains("| Closed path, count window, 1 thread: Fusebox ÷ best Resilience4j | 0.250 | ≤ 0.40 | **PASS** |");
  }

  @Test
  void marksATargetMissedWhenTheRatioIsAboveItsLimit() {
    avgt(CLOSED, Contenders.FUSEBOX, "COUNT", 2, 30, 0);
    avgt(CLOSED, Contenders.R4J_SYNCHRONIZED, "COUNT", 2, 100, 0);

    assertThat(report())
        .contains("| Closed path, count window, 2 threads: Fusebox ÷ best Resilience4j | 0.300 | ≤ 0.20 | **MISS** |");
  }

  @Test
  void saysWhenTheConfidenceIntervalStraddlesTheLimit() {
    avgt(THROWING, Contenders.FUSEBOX, null, 1, 2, 0.5);
    avgt(THROWING, Contenders.R4J_STACKLESS, null, 1, 110, 0);
    avgt(THROWING, Contenders.R4J_SYNCHRONIZED, null, 1, 1000, 0);

    assertThat(report())
        .contains("Fusebox ÷ best Resilience4j (stackless) | 0.018 ± 0.005 | ≤ 0.02 | **PASS (within error)** |")
        .contains("Fusebox ÷ Resilience4j's default (stack traces) | 0.002 ± 0.001 | ≤ 0.02 | **PASS** |");
  }

  @Test
  void checksHeapAgainstTheSmallerResilience4jBreakerAndTheRegistryAgainstOneGigabyte() {
    footprint.put(Contenders.FUSEBOX, Map.of(
        "perBreaker.COUNT.bytes", 600.0, "perBreaker.TIME.bytes", 800.0,
        "registry.size", 1_000_000.0, "registry.heapBytes", 700e6,
        "registry.createMillis", 1.0, "registry.lookupMillis", 1.0));
    footprint.put(Contenders.R4J_SYNCHRONIZED, Map.of("perBreaker.COUNT.bytes", 5000.0, "perBreaker.TIME.bytes", 1100.0));
    footprint.put(Contenders.R4J_LOCK_FREE, Map.of("perBreaker.COUNT.bytes", 13000.0, "perBreaker.TIME.bytes", 2000.0));

    assertThat(report())
        .contains("| Heap per breaker, count window: Fusebox ÷ smallest Resilience4j | 0.120 | ≤ 1/8 (0.125) | **PASS** |")
        .contains("| Heap per breaker, time window: Fusebox ÷ smallest Resilience4j | 0.727 | ≤ 1/8 (0.125) | **MISS** |")
        .contains("| 1,000,000 Fusebox registry entries: heap | 700 MB | < 1 GB | **PASS** |");
  }

  @Test
  void setsTheClosedPathAgainstTheFloorOfItsPrimitivesAtEachThreadCount() {
    avgt(CLOSED, Contenders.FUSEBOX, "COUNT", 2, 30, 0);
    avgt(CLOSED, Contenders.FUSEBOX_SYSTEM_TICKER, "COUNT", 2, 80, 0);
    avgt("PrimitivesBenchmark.atomicIncrementShared", null, null, 2, 15, 0);
    avgt("PrimitivesBenchmark.longAdderIncrement", null, null, 2, 5, 0);
    avgt("PrimitivesBenchmark.atomicIncrementOwn", null, null, 1, 6, 0);

    assertThat(report()).contains("| 2 | 30.0 | 15.0 | 6.00 | 20.0 | 1.50 | 2.00 | 5.00 | 50.0 |");
  }

  @Test
  void checksThePipelineAgainstTheBestResilience4jDecoratorsAndShowsEachPolicysRatios() {
    avgt(PIPELINE, Contenders.FUSEBOX, null, 1, 40, 0);
    avgt(PIPELINE, Contenders.R4J_SYNCHRONIZED, null, 1, 100, 0);
    avgt(PIPELINE, Contenders.R4J_LOCK_FREE, null, 1, 90, 0);
    avgt(PIPELINE, PolicyContenders.FAILSAFE, null, 1, 400, 0);
    avgt("RetryBenchmark.success", Contenders.FUSEBOX, null, 1, 3, 0);
    avgt("RetryBenchmark.success", PolicyContenders.RESILIENCE4J, null, 1, 12, 0);
    avgt("RetryBenchmark.success", PolicyContenders.FAILSAFE, null, 1, 60, 0);

    assertThat(report())
        .contains("| Pipeline (fallback, retry, breaker, rate limiter, bulkhead), 1 thread: Fusebox ÷ best "
            + "Resilience4j Decorators | 0.444 | ≤ 0.50 | **PASS** |")
        .contains("| Pipeline: fallback, retry, breaker, rate limiter, bulkhead | `fusebox` | 0.444 | 0.100 |")
        .contains("| Retry, success at the first attempt | `fusebox` | 0.250 | 0.050 |");
  }

  @Test
  void showsWhatEachTrafficFollowingOptionAddsForContext() {
    avgt("AdaptiveThresholdsBenchmark.success", Contenders.FUSEBOX_SYSTEM_TICKER, null, 1, 40, 0);
    avgt("AdaptiveThresholdsBenchmark.success", AdaptiveThresholdsBenchmark.PERCENTILE, null, 1, 44, 0);
    avgt("AdaptiveThresholdsBenchmark.recorded", Contenders.FUSEBOX, null, 1, 25, 0);
    avgt("AdaptiveThresholdsBenchmark.recorded", AdaptiveThresholdsBenchmark.CONFIDENCE, null, 1, 30, 0);
    avgt("AdaptiveThresholdsBenchmark.recorded", AdaptiveThresholdsBenchmark.DEPLOY_MODE, null, 1, 50, 0);

    assertThat(report())
        .contains("| Slow calls by the breaker's own p99: ÷ the plain breaker on Ticker.system() | 1.100 | context |")
        .contains("| Failures decided with failureRateConfidence: ÷ the plain breaker | 1.200 | context |")
        .contains("| Failures in deploy mode: ÷ the plain breaker | 2.000 | context |");
  }

  @Test
  void checksTheFailurePathAgainstTheBestResilience4j() {
    avgt("FailurePathBenchmark.recorded", Contenders.FUSEBOX, "COUNT", 1, 25, 0);
    avgt("FailurePathBenchmark.recorded", Contenders.R4J_LOCK_FREE, "COUNT", 1, 160, 0);
    avgt("FailurePathBenchmark.recorded", Contenders.R4J_SYNCHRONIZED, "COUNT", 1, 200, 0);

    assertThat(report())
        .contains("| Failure path, 9 in 10 calls fail, count window, 1 thread: Fusebox ÷ best Resilience4j | 0.156 | "
            + "≤ 0.20 | **PASS** |");
  }

  @Test
  void checksTheBulkheadAndTheFallbackAgainstResilience4j() {
    avgt("BulkheadBenchmark.success", Contenders.FUSEBOX, null, 1, 4, 0);
    avgt("BulkheadBenchmark.success", PolicyContenders.RESILIENCE4J, null, 1, 10, 0);
    avgt("FallbackBenchmark.success", Contenders.FUSEBOX, null, 1, 3, 0);
    avgt("FallbackBenchmark.success", PolicyContenders.RESILIENCE4J, null, 1, 1.5, 0);

    assertThat(report())
        .contains("| Bulkhead (semaphore), permit taken and returned, 1 thread: Fusebox ÷ Resilience4j | 0.400 | "
            + "≤ 0.50 | **PASS** |")
        .contains("| Fallback, not used, 1 thread: Fusebox ÷ Resilience4j (a bare try/catch) | 2.000 | ≤ 1.40 | "
            + "**MISS** |");
  }

  @Test
  void setsEachIntegrationAgainstThePlainBreakerOfItsOwnBenchmarkAndKeepsItOutOfThePeerRatios() {
    avgt(MICROMETER, Contenders.FUSEBOX, null, 1, 10, 0);
    avgt(MICROMETER, MicrometerBenchmark.BOUND, null, 1, 10.5, 0);
    avgt(MICROMETER, MicrometerBenchmark.HISTOGRAM, null, 1, 200, 0);
    avgt(REDIS, Contenders.FUSEBOX, null, 1, 10, 0);
    avgt(REDIS, RedisSharedBenchmark.SHARED, null, 1, 13, 0);

    assertThat(report())
        .contains("| Breaker bound to Micrometer (Prometheus): bound ÷ unbound, 1 thread | 1.050 | ≤ 1.10 | **PASS** |")
        .contains("| Breaker shared through Redis: shared ÷ local, 1 thread | 1.300 | ≤ 1.20 | **MISS** |")
        .contains("| Breaker bound to Micrometer with percentileHistogram: bound ÷ unbound | 20.000 | context |")
        .doesNotContain("| Breaker bound to Micrometer, or not | `fusebox` | –");
  }

  @Test
  void saysTheRedisRowsWereSkippedWhenNoRedisAnswered() {
    redisSkipped = LocalRedis.SKIPPED;
    avgt(MICROMETER, Contenders.FUSEBOX, null, 1, 10, 0);

    assertThat(report())
        .contains("| Breaker shared through Redis: shared ÷ local, 1 thread | skipped: no Redis at 127.0.0.1:6379 "
            + "| ≤ 1.20 | skipped: no Redis at 127.0.0.1:6379 |")
        .contains("## Redis load per instance\n\nskipped: no Redis at 127.0.0.1:6379.");
  }

  @Test
  void tabulatesTheRedisLoadOfOneInstance() {
    Map.of("seconds", 10.0, "roundTripsPerSecond", 2.0, "evalshaPerSecond", 200.0, "failedFlushesPerSecond", 0.0,
            "messagesPerSecond", 0.0, "lastRoundTripMicros", 450.0, "callsPerSecond", 1e6, "shared", 1.0)
        .forEach((key, value) -> redisLoad.put("100." + key, value));

    assertThat(report()).contains("| 100 | 10.0 | 2.00 | 200.00 | 0.00 | 0.00 | 450 | 1,000,000 | SHARED |");
  }
}
