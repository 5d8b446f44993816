package dev.fusebox.throttle;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The window's time rules, read straight off the window with hand-picked ticker readings. */
class RequestWindowTest {

  private static final long SECOND = Duration.ofSeconds(1).toNanos();

  private static RequestWindow window(Duration span, long now) {
    return new RequestWindow(AdaptiveThrottleConfig.builder().samplingWindow(span).build(), now);
  }

  @Test
  void bucketsAreAboutASecondAndNumberTenToAThousand() {
    RequestWindow twoMinutes = window(Duration.ofMinutes(2), 0);
    RequestWindow oneSecond = window(Duration.ofSeconds(1), 0);
    RequestWindow oneHour = window(Duration.ofHours(1), 0);
    RequestWindow odd = window(Duration.ofMillis(90_500), 0);
    RequestWindow tiny = window(Duration.ofNanos(3), 0);

    assertThat(twoMinutes.buckets()).isEqualTo(120);
    assertThat(twoMinutes.bucketNanos()).isEqualTo(SECOND);
    assertThat(oneSecond.buckets()).isEqualTo(10);
    assertThat(oneSecond.bucketNanos()).isEqualTo(SECOND / 10);
    assertThat(oneHour.buckets()).isEqualTo(1000);
    assertThat(oneHour.bucketNanos()).isEqualTo(3_600_000_000L);
    assertThat(odd.buckets()).isEqualTo(91);
    assertThat(odd.bucketNanos()).isEqualTo(994_505_495L); // rounded up: 91 buckets span at least 90.5 s
    assertThat(tiny.buckets()).isEqualTo(10);
    assertThat(tiny.bucketNanos()).isEqualTo(1);
  }

  @Test
  void anOutcomeStaysUntilTheWholeWindowHasPassedAfterItsBucket() {
    long start = 5 * SECOND + 123;
    RequestWindow w = window(Duration.ofSeconds(10), start); // 10 buckets of 1 s
    w.failed();

    assertThat(w.counts(start + 10 * SECOND - 1)).isEqualTo(new RequestWindow.Counts(1, 0));
    assertThat(w.counts(start + 10 * SECOND)).isEqualTo(RequestWindow.Counts.EMPTY);
  }

  @Test
  void eachBucketLeavesInTurn() {
    RequestWindow w = window(Duration.ofSeconds(10), 0);
    for (int second = 0; second < 10; second++) {
      w.rejectionProbability(second * SECOND); // the decision that opens the bucket
      w.accepted();
    }

    for (int second = 10; second < 20; second++) {
      assertThat(w.counts(second * SECOND).accepts()).isEqualTo(19 - second);
    }
  }

  @Test
  void anIdlePeriodOfManyWindowsEmptiesItAndLaterOutcomesCountAfresh() {
    RequestWindow w = window(Duration.ofSeconds(10), 0);
    w.accepted();
    w.failed();
    w.rejected();

    long later = 1_000_000 * SECOND + 7;
    assertThat(w.counts(later)).isEqualTo(RequestWindow.Counts.EMPTY);
    w.accepted();
    assertThat(w.counts(later + 9 * SECOND)).isEqualTo(new RequestWindow.Counts(1, 1));
    assertThat(w.counts(later + 10 * SECOND)).isEqualTo(RequestWindow.Counts.EMPTY);
    assertThat(w.totalAccepts()).isEqualTo(2);
    assertThat(w.totalFailures()).isEqualTo(1);
    assertThat(w.totalRejections()).isEqualTo(1);
  }

  @Test
  void readingsPastLongMaxValueKeepTheBucketsInStep() {
    long start = Long.MAX_VALUE - 4 * SECOND - 500;
    RequestWindow w = window(Duration.ofSeconds(10), start);
    w.failed(); // in bucket 0

    long wrapped = start + 6 * SECOND; // overflows: a negative reading, 6 s later
    assertThat(wrapped).isNegative();
    w.rejectionProbability(wrapped);
    w.accepted(); // in bucket 6
    assertThat(w.counts(start + 10 * SECOND - 1)).isEqualTo(new RequestWindow.Counts(2, 1));
    assertThat(w.counts(start + 10 * SECOND)).isEqualTo(new RequestWindow.Counts(1, 1));
    assertThat(w.counts(start + 16 * SECOND)).isEqualTo(RequestWindow.Counts.EMPTY);
  }

  @Test
  void aWindowCreatedNearLongMaxValueTreatsTheFirstWrappedReadingAsLater() {
    long start = Long.MAX_VALUE;
    RequestWindow w = window(Duration.ofMinutes(2), start);
    w.failed();

    long oneNanosecondLater = Long.MIN_VALUE;
    assertThat(w.counts(oneNanosecondLater)).isEqualTo(new RequestWindow.Counts(1, 0));
    assertThat(w.counts(oneNanosecondLater + 120 * SECOND - 2)).isEqualTo(new RequestWindow.Counts(1, 0));
    assertThat(w.counts(oneNanosecondLater + 120 * SECOND - 1)).isEqualTo(RequestWindow.Counts.EMPTY);
  }

  @Test
  void anOutcomeReportedAfterAQuietSpellWithNoDecisionCountsInTheBucketBefore() {
    RequestWindow w = window(Duration.ofSeconds(10), 0);
    w.rejectionProbability(0);
    w.accepted(); // bucket 0
    w.accepted(); // reported at 5 s, but nothing read the clock since bucket 0: it counts there

    assertThat(w.counts(5 * SECOND)).isEqualTo(new RequestWindow.Counts(2, 2));
    assertThat(w.counts(10 * SECOND)).isEqualTo(RequestWindow.Counts.EMPTY);
  }

  @Test
  void theFormulaIsCappedAndSilentBelowTheMinimum() {
    RequestWindow w =
        new RequestWindow(
            AdaptiveThrottleConfig.builder().k(2).maxRejectionProbability(0.5).minimumNumberOfRequests(3).build(), 0);

    assertThat(w.probability(2, 0)).isZero();
    assertThat(w.probability(3, 1)).isEqualTo(0.25);
    assertThat(w.probability(9, 0)).isEqualTo(0.5);
    assertThat(w.probability(10, 5)).isZero();
    assertThat(w.probability(10, 6)).isZero();
  }
}
