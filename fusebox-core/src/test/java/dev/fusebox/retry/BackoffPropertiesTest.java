package dev.fusebox.retry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusebox.retry.RetryConfig.Jitter;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

class BackoffPropertiesTest {

  /** A year in nanoseconds. */
  private static final long MAX_NANOS = 31_536_000_000_000_000L;

  @Property
  void everyWaitLiesBetweenZeroAndTheCap(
      @ForAll @LongRange(min = 0, max = MAX_NANOS) long base,
      @ForAll @LongRange(min = 0, max = MAX_NANOS) long extra,
      @ForAll @DoubleRange(min = 1, max = 100) double multiplier,
      @ForAll Jitter jitter,
      @ForAll @IntRange(min = 1, max = 200) int retries,
      @ForAll long seed) {
    long cap = Math.min(MAX_NANOS, base + extra);
    Backoff backoff = new Backoff(base, multiplier, cap, jitter);
    Random random = new Random(seed);
    long previous = 0;
    for (int retry = 1; retry <= retries; retry++) {
      long wait = backoff.waitNanos(retry, previous, random);
      assertThat(wait).isBetween(0L, cap);
      previous = wait;
    }
  }

  @Property
  void withoutJitterTheWaitGrowsByTheMultiplierUntilTheCap(
      @ForAll @LongRange(min = 1, max = 1_000_000_000L) long base,
      @ForAll @LongRange(min = 0, max = 1_000_000_000_000L) long extra,
      @ForAll @DoubleRange(min = 1, max = 10) double multiplier,
      @ForAll @IntRange(min = 1, max = 100) int retry) {
    long cap = base + extra;
    Backoff backoff = new Backoff(base, multiplier, cap, Jitter.NONE);
    double exact = base * Math.pow(multiplier, retry - 1);
    long wait = backoff.waitNanos(retry, 0, new Random(0));
    if (exact >= cap) {
      assertThat(wait).isEqualTo(cap);
    } else {
      assertThat((double) wait).isCloseTo(exact, org.assertj.core.data.Offset.offset(1.0));
    }
    long next = backoff.waitNanos(retry + 1, wait, new Random(0));
    assertThat(next).isGreaterThanOrEqualTo(wait);
    assertThat((double) next).isLessThanOrEqualTo(Math.min(cap, wait * multiplier + multiplier + 1));
  }

  @Property
  void fullJitterStaysUnderTheExponentialCeiling(
      @ForAll @LongRange(min = 0, max = 1_000_000_000L) long base,
      @ForAll @LongRange(min = 0, max = 1_000_000_000_000L) long extra,
      @ForAll @DoubleRange(min = 1, max = 10) double multiplier,
      @ForAll @IntRange(min = 1, max = 60) int retry,
      @ForAll long seed) {
    long cap = base + extra;
    long ceiling = new Backoff(base, multiplier, cap, Jitter.NONE).waitNanos(retry, 0, new Random(0));
    long wait = new Backoff(base, multiplier, cap, Jitter.FULL).waitNanos(retry, 0, new Random(seed));
    assertThat(wait).isBetween(0L, ceiling);
  }

  @Property
  void equalJitterWaitsAtLeastHalfTheExponentialCeiling(
      @ForAll @LongRange(min = 0, max = 1_000_000_000L) long base,
      @ForAll @LongRange(min = 0, max = 1_000_000_000_000L) long extra,
      @ForAll @DoubleRange(min = 1, max = 10) double multiplier,
      @ForAll @IntRange(min = 1, max = 60) int retry,
      @ForAll long seed) {
    long cap = base + extra;
    long ceiling = new Backoff(base, multiplier, cap, Jitter.NONE).waitNanos(retry, 0, new Random(0));
    long wait = new Backoff(base, multiplier, cap, Jitter.EQUAL).waitNanos(retry, 0, new Random(seed));
    assertThat(wait).isBetween(ceiling - ceiling / 2, ceiling);
  }

  @Property
  void decorrelatedJitterStaysBetweenBaseAndPreviousTimesMultiplierCapped(
      @ForAll @LongRange(min = 0, max = 1_000_000_000L) long base,
      @ForAll @LongRange(min = 0, max = 1_000_000_000_000L) long extra,
      @ForAll @DoubleRange(min = 1, max = 10) double multiplier,
      @ForAll @IntRange(min = 1, max = 100) int retries,
      @ForAll long seed) {
    long cap = base + extra;
    Backoff backoff = new Backoff(base, multiplier, cap, Jitter.DECORRELATED);
    Random random = new Random(seed);
    long previous = base;
    for (int retry = 1; retry <= retries; retry++) {
      long wait = backoff.waitNanos(retry, previous, random);
      double upper = Math.min(cap, Math.max(base, (double) previous * multiplier));
      assertThat(wait).isGreaterThanOrEqualTo(Math.min(base, cap));
      assertThat((double) wait).isLessThanOrEqualTo(upper);
      previous = wait;
    }
  }

  @Property
  void decorrelatedJitterSpreadsWaitsAcrossItsRange(@ForAll long seed) {
    long base = 1_000;
    Backoff backoff = new Backoff(base, 3, 1_000_000, Jitter.DECORRELATED);
    Random random = new Random(seed);
    long low = Long.MAX_VALUE;
    long high = 0;
    for (int i = 0; i < 200; i++) {
      long wait = backoff.waitNanos(2, base, random);
      low = Math.min(low, wait);
      high = Math.max(high, wait);
    }
    // 200 draws from [1000, 3000]: a spread under half the range would mean the draw ignores the range.
    assertThat(high - low).isGreaterThan(1_000);
  }
}
