package dev.fusebox.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fusebox.testing.ManualTicker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class RetryBudgetTest {

  private final ManualTicker ticker = new ManualTicker();

  private RetryBudget budget(double percent, int minPerSecond, Duration window) {
    return RetryBudget.builder()
        .retryPercent(percent)
        .minRetriesPerSecond(minPerSecond)
        .window(window)
        .ticker(ticker)
        .build();
  }

  private static int drain(RetryBudget budget) {
    int granted = 0;
    while (budget.tryAcquireRetry()) {
      granted++;
    }
    return granted;
  }

  @Test
  void defaultsAreFinaglesTwentyPercentTenPerSecondOverTenSeconds() {
    RetryBudget budget = RetryBudget.ofDefaults();
    assertThat(budget.retryPercent()).isEqualTo(20);
    assertThat(budget.minRetriesPerSecond()).isEqualTo(10);
    assertThat(budget.window()).isEqualTo(Duration.ofSeconds(10));
    assertThat(budget.availableRetries()).isEqualTo(100);
  }

  @Test
  void freshBudgetGrantsTheFloorTimesTheWindowAndNoMore() {
    RetryBudget budget = budget(0, 2, Duration.ofSeconds(10));
    assertThat(budget.availableRetries()).isEqualTo(20);
    assertThat(drain(budget)).isEqualTo(20);
    assertThat(budget.tryAcquireRetry()).isFalse();
  }

  @Test
  void requestsEarnTheirPercentOfRetries() {
    RetryBudget budget = budget(10, 0, Duration.ofSeconds(10));
    assertThat(budget.tryAcquireRetry()).isFalse();
    for (int i = 0; i < 99; i++) {
      budget.recordRequest();
    }
    assertThat(drain(budget)).isEqualTo(9);
    budget.recordRequest();
    assertThat(drain(budget)).isEqualTo(1);
  }

  @Test
  void fractionalPercentagesAreExact() {
    RetryBudget budget = budget(12.5, 0, Duration.ofSeconds(10));
    for (int i = 0; i < 7; i++) {
      budget.recordRequest();
    }
    assertThat(budget.tryAcquireRetry()).isFalse();
    budget.recordRequest();
    assertThat(drain(budget)).isEqualTo(1);
  }

  @Test
  void floorAndPercentAddUp() {
    RetryBudget budget = budget(50, 1, Duration.ofSeconds(4));
    for (int i = 0; i < 10; i++) {
      budget.recordRequest();
    }
    assertThat(drain(budget)).isEqualTo(4 + 5);
  }

  @Test
  void spentRetriesComeBackOnceTheyLeaveTheWindow() {
    RetryBudget budget = budget(0, 1, Duration.ofSeconds(10));
    assertThat(drain(budget)).isEqualTo(10);
    ticker.advance(Duration.ofMillis(9_999));
    assertThat(budget.tryAcquireRetry()).isFalse();
    ticker.advance(Duration.ofMillis(1));
    assertThat(drain(budget)).isEqualTo(10);
  }

  @Test
  void requestCreditExpiresWithItsBucket() {
    RetryBudget budget = budget(100, 0, Duration.ofSeconds(10));
    // The request falls in the first bucket [0 s, 1 s); it counts until the window no longer covers it.
    ticker.advance(Duration.ofMillis(999));
    budget.recordRequest();
    ticker.advance(Duration.ofMillis(9_000));
    assertThat(budget.availableRetries()).isEqualTo(1);
    ticker.advance(Duration.ofMillis(1));
    assertThat(budget.availableRetries()).isZero();
    assertThat(budget.tryAcquireRetry()).isFalse();
  }

  @Test
  void creditLeavesTheWindowEvenWhenNothingHappensForLong() {
    RetryBudget budget = budget(100, 0, Duration.ofSeconds(1));
    for (int i = 0; i < 5; i++) {
      budget.recordRequest();
    }
    ticker.advance(Duration.ofDays(400));
    assertThat(budget.tryAcquireRetry()).isFalse();
    budget.recordRequest();
    assertThat(drain(budget)).isEqualTo(1);
  }

  @Test
  void retriesSpentInOldBucketsAreRefundedBucketByBucket() {
    RetryBudget budget = budget(0, 1, Duration.ofSeconds(10));
    assertThat(budget.tryAcquireRetry()).isTrue();
    ticker.advance(Duration.ofSeconds(5));
    assertThat(drain(budget)).isEqualTo(9);
    ticker.advance(Duration.ofSeconds(5));
    assertThat(budget.availableRetries()).isEqualTo(1);
    ticker.advance(Duration.ofSeconds(5));
    assertThat(budget.availableRetries()).isEqualTo(10);
  }

  @Test
  void threadsRacingForTheLastRetriesNeverGetMoreThanTheBudget() throws Exception {
    RetryBudget budget = budget(10, 3, Duration.ofSeconds(10));
    for (int i = 0; i < 1_000; i++) {
      budget.recordRequest();
    }
    int expected = 30 + 100;
    int threads = 8;
    CyclicBarrier start = new CyclicBarrier(threads);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<Integer>> grants = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        grants.add(pool.submit(() -> {
          start.await();
          int granted = 0;
          for (int i = 0; i < 100; i++) {
            if (budget.tryAcquireRetry()) {
              granted++;
            }
          }
          return granted;
        }));
      }
      int total = 0;
      for (Future<Integer> grant : grants) {
        total += grant.get(30, TimeUnit.SECONDS);
      }
      assertThat(total).isEqualTo(expected);
      assertThat(budget.availableRetries()).isZero();
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void concurrentRequestsAndRetriesConserveTheBudgetExactly() throws Exception {
    RetryBudget budget = budget(25, 0, Duration.ofSeconds(10));
    int threads = 6;
    int requestsPerThread = 2_000;
    CyclicBarrier start = new CyclicBarrier(threads);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<Integer>> grants = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        grants.add(pool.submit(() -> {
          start.await();
          int granted = 0;
          for (int i = 0; i < requestsPerThread; i++) {
            budget.recordRequest();
            if (budget.tryAcquireRetry()) {
              granted++;
            }
          }
          return granted;
        }));
      }
      int total = 0;
      for (Future<Integer> grant : grants) {
        total += grant.get(30, TimeUnit.SECONDS);
      }
      // Every grant was backed by credit: what was spent plus what is left is exactly what was earned.
      int earned = threads * requestsPerThread / 4;
      assertThat(total).isLessThanOrEqualTo(earned);
      assertThat(total + budget.availableRetries()).isEqualTo(earned);
    } finally {
      pool.shutdownNow();
    }
  }

  // ---------------------------------------------------------------------------------------------------
  // The conservation property: a retry is granted exactly when the window's rule allows it.

  sealed interface Op permits Request, Withdraw, Advance {}

  record Request() implements Op {}

  record Withdraw() implements Op {}

  record Advance(long millis) implements Op {}

  @Provide
  Arbitrary<List<Op>> operations() {
    Arbitrary<Op> op =
        Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(6, Arbitraries.just(new Request())),
            net.jqwik.api.Tuple.of(4, Arbitraries.just(new Withdraw())),
            net.jqwik.api.Tuple.of(2, Arbitraries.longs().between(1, 4_000).map(Advance::new)));
    return op.list().ofMaxSize(400);
  }

  @Property(tries = 300)
  void grantsARetryExactlyWhenTheLiveWindowAllowsIt(
      @ForAll("operations") List<Op> ops,
      @ForAll @IntRange(min = 0, max = 100) int percent,
      @ForAll @IntRange(min = 0, max = 3) int minPerSecond) {
    if (percent == 0 && minPerSecond == 0) {
      percent = 1;
    }
    ManualTicker time = new ManualTicker();
    RetryBudget budget =
        RetryBudget.builder()
            .retryPercent(percent)
            .minRetriesPerSecond(minPerSecond)
            .window(Duration.ofSeconds(10))
            .ticker(time)
            .build();
    long bucket = Duration.ofSeconds(1).toNanos();
    long reserve = minPerSecond * 10L;
    List<Long> requestEpochs = new ArrayList<>();
    List<Long> retryEpochs = new ArrayList<>();
    for (Op op : ops) {
      long epoch = time.nanos() / bucket;
      if (op instanceof Request) {
        budget.recordRequest();
        requestEpochs.add(epoch);
      } else if (op instanceof Advance a) {
        time.advance(Duration.ofMillis(a.millis()));
      } else {
        long liveRequests = requestEpochs.stream().filter(e -> e > epoch - 10).count();
        long liveRetries = retryEpochs.stream().filter(e -> e > epoch - 10).count();
        boolean allowed = 100 * (liveRetries + 1) <= 100 * reserve + (long) percent * liveRequests;
        assertThat(budget.tryAcquireRetry()).as("retry at epoch %d", epoch).isEqualTo(allowed);
        if (allowed) {
          retryEpochs.add(epoch);
        }
      }
    }
  }

  // ---------------------------------------------------------------------------------------------------
  // Validation

  @Test
  void rejectsAPercentOutsideZeroToHundred() {
    assertThatThrownBy(() -> RetryBudget.builder().retryPercent(100.5).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid RetryBudget: retryPercent must be in [0, 100], was 100.5");
    assertThatThrownBy(() -> RetryBudget.builder().retryPercent(-1).build())
        .hasMessageContaining("retryPercent must be in [0, 100], was -1.0");
  }

  @Test
  void rejectsANegativeFloor() {
    assertThatThrownBy(() -> RetryBudget.builder().minRetriesPerSecond(-1).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid RetryBudget: minRetriesPerSecond must be in [0, 1000000], was -1");
  }

  @Test
  void rejectsAWindowOutsideOneSecondToOneHour() {
    assertThatThrownBy(() -> RetryBudget.builder().window(Duration.ofMillis(999)).build())
        .hasMessage("Invalid RetryBudget: window must be in [PT1S, PT1H], was PT0.999S");
    assertThatThrownBy(() -> RetryBudget.builder().window(Duration.ofMinutes(61)).build())
        .hasMessage("Invalid RetryBudget: window must be in [PT1S, PT1H], was PT1H1M");
  }

  @Test
  void rejectsABudgetThatCouldNeverGrantARetry() {
    assertThatThrownBy(() -> RetryBudget.builder().retryPercent(0).minRetriesPerSecond(0).build())
        .hasMessageContaining("retryPercent and minRetriesPerSecond must not both be 0");
  }

  @Test
  void reportsEveryViolationAtOnce() {
    assertThatThrownBy(() -> RetryBudget.builder().retryPercent(200).window(Duration.ZERO).build())
        .hasMessageStartingWith("Invalid RetryBudget (2 problems): ")
        .hasMessageContaining("retryPercent must be in [0, 100], was 200.0")
        .hasMessageContaining("window must be in [PT1S, PT1H], was PT0S");
  }

  @Test
  void rejectsNullsNamingTheOption() {
    assertThatThrownBy(() -> RetryBudget.builder().window(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("window must not be null");
    assertThatThrownBy(() -> RetryBudget.builder().ticker(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("ticker must not be null");
  }
}
