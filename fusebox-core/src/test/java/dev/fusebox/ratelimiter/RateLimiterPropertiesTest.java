package dev.fusebox.ratelimiter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusebox.testing.ManualSleeper;
import dev.fusebox.testing.ManualTicker;
import dev.fusebox.ratelimiter.RateLimiterConfig.Algorithm;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/**
 * Properties of the three algorithms for any sequence of time advances and requests, with and without
 * waiting. Two kinds: bounds that must hold over every span (the promise to the dependency), and exact
 * agreement, request by request, with a deliberately naive reference model (nothing refused that should
 * have been granted, nothing granted that should have been refused).
 */
class RateLimiterPropertiesTest {

  /**
   * One step: move time by {@code advancePermille}‰ of the period, then ask for permits (1 + seed modulo
   * the most one request may ask for), waiting up to {@code waitPermille}‰ of the period (0: not at all).
   */
  record Step(int advancePermille, int permitsSeed, int waitPermille) {}

  @Provide
  Arbitrary<List<Step>> steps() {
    Arbitrary<Integer> wait = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(1, Arbitraries.just(0)),
        net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(1, 3000)));
    return Combinators.combine(
            Arbitraries.integers().between(0, 1500),
            Arbitraries.integers().between(0, 1000),
            wait)
        .as(Step::new)
        .list()
        .ofMaxSize(60);
  }

  @Provide
  Arbitrary<List<Step>> stepsWithoutWaiting() {
    return Combinators.combine(
            Arbitraries.integers().between(0, 1500), Arbitraries.integers().between(0, 1000), Arbitraries.just(0))
        .as(Step::new)
        .list()
        .ofMaxSize(80);
  }

  /** A permit grant: {@code permits} permits usable from {@code at} (the ticker reading after any wait). */
  record Grant(long at, int permits) {}

  private static final class Run {
    final ManualTicker ticker = new ManualTicker(7_777_777_777L);
    final long origin = ticker.nanos();
    final RateLimiter limiter;
    final long period;
    final int maxPermits;
    final List<Grant> grants = new ArrayList<>();

    Run(RateLimiterConfig.Builder config) {
      RateLimiterConfig built = config.ticker(ticker).sleeper(new ManualSleeper(ticker)).build();
      this.limiter = RateLimiter.of("property", built);
      this.period = built.limitRefreshPeriod().toNanos();
      this.maxPermits = built.maxPermitsPerRequest();
    }

    /** Plays a step; returns whether it was granted. */
    boolean play(Step step) {
      ticker.advanceNanos(period * step.advancePermille() / 1000);
      int permits = 1 + step.permitsSeed() % maxPermits;
      boolean granted = step.waitPermille() == 0
          ? limiter.tryAcquirePermission(permits)
          : limiter.tryAcquirePermission(permits, Duration.ofNanos(period * step.waitPermille() / 1000));
      if (granted) {
        grants.add(new Grant(ticker.nanos(), permits));
      }
      return granted;
    }
  }

  // ---------------------------------------------------------------------------------------------------
  // Token bucket

  @Property(tries = 300)
  void tokenBucketNeverGrantsMoreThanCapacityPlusRateTimesAnySpan(
      @ForAll @IntRange(min = 1, max = 20) int limit,
      @ForAll @LongRange(min = 1_000, max = 3_000_000_000L) long periodNanos,
      @ForAll @IntRange(min = 1, max = 20) int capacity,
      @ForAll("steps") List<Step> steps) {
    Run run = new Run(RateLimiterConfig.builder()
        .algorithm(Algorithm.TOKEN_BUCKET)
        .limitForPeriod(limit)
        .limitRefreshPeriod(Duration.ofNanos(periodNanos))
        .burstCapacity(capacity));

    for (Step step : steps) {
      run.play(step);
      long tokens = run.limiter.metrics().availablePermissions();
      assertThat(tokens).isBetween(0L, (long) capacity);
    }

    // Over every span [t_i, t_j]: granted <= capacity + limit / period × (t_j − t_i), in exact integers.
    List<Grant> grants = run.grants;
    for (int i = 0; i < grants.size(); i++) {
      long sum = 0;
      for (int j = i; j < grants.size(); j++) {
        sum += grants.get(j).permits();
        long span = grants.get(j).at() - grants.get(i).at();
        assertThat(sum * periodNanos).isLessThanOrEqualTo(capacity * periodNanos + span * limit);
      }
    }
    // And from the start, the conservation the bucket promises: granted <= initial + refilled.
    long total = grants.stream().mapToLong(Grant::permits).sum();
    long elapsed = run.ticker.nanos() - run.origin;
    assertThat(total * periodNanos).isLessThanOrEqualTo(capacity * periodNanos + elapsed * limit);
  }

  @Property(tries = 300)
  void tokenBucketWithAWholeNumberOfNanosecondsPerTokenGrantsExactlyWhatTheClassicBucketGrants(
      @ForAll @IntRange(min = 1, max = 20) int limit,
      @ForAll @LongRange(min = 1, max = 50_000_000) long nanosPerToken,
      @ForAll @IntRange(min = 1, max = 20) int capacity,
      @ForAll("stepsWithoutWaiting") List<Step> steps) {
    Run run = new Run(RateLimiterConfig.builder()
        .algorithm(Algorithm.TOKEN_BUCKET)
        .limitForPeriod(limit)
        .limitRefreshPeriod(Duration.ofNanos(nanosPerToken * limit))
        .burstCapacity(capacity));
    // The textbook bucket: tokens accrue continuously and overflow when it is full.
    long tokens = capacity;
    long progress = 0;

    for (Step step : steps) {
      long advance = run.period * step.advancePermille() / 1000;
      if (tokens < capacity) {
        progress += advance;
        long arrived = Math.min(capacity - tokens, progress / nanosPerToken);
        tokens += arrived;
        progress = tokens == capacity ? 0 : progress - arrived * nanosPerToken;
      }
      int permits = 1 + step.permitsSeed() % capacity;
      boolean expected = tokens >= permits;
      if (expected) {
        tokens -= permits;
      }

      assertThat(run.play(step)).as("grant of %d with %d tokens", permits, tokens).isEqualTo(expected);
      assertThat(run.limiter.metrics().availablePermissions()).isEqualTo(tokens);
    }
  }

  // ---------------------------------------------------------------------------------------------------
  // Fixed window

  @Property(tries = 300)
  void fixedWindowNeverGrantsMoreThanTheLimitInAnyWindow(
      @ForAll @IntRange(min = 1, max = 20) int limit,
      @ForAll @LongRange(min = 1_000, max = 3_000_000_000L) long periodNanos,
      @ForAll("steps") List<Step> steps) {
    Run run = new Run(
        RateLimiterConfig.builder().limitForPeriod(limit).limitRefreshPeriod(Duration.ofNanos(periodNanos)));

    steps.forEach(run::play);

    Map<Long, Integer> perWindow = new HashMap<>();
    for (Grant g : run.grants) {
      perWindow.merge(Math.floorDiv(g.at() - run.origin, periodNanos), g.permits(), Integer::sum);
    }
    assertThat(perWindow.values()).allSatisfy(granted -> assertThat(granted).isLessThanOrEqualTo(limit));
  }

  @Property(tries = 300)
  void fixedWindowGrantsExactlyWhatAPerWindowCounterGrants(
      @ForAll @IntRange(min = 1, max = 20) int limit,
      @ForAll @LongRange(min = 1_000, max = 3_000_000_000L) long periodNanos,
      @ForAll("stepsWithoutWaiting") List<Step> steps) {
    Run run = new Run(
        RateLimiterConfig.builder().limitForPeriod(limit).limitRefreshPeriod(Duration.ofNanos(periodNanos)));
    Map<Long, Integer> used = new HashMap<>();

    for (Step step : steps) {
      long window = Math.floorDiv(run.ticker.nanos() + periodNanos * step.advancePermille() / 1000 - run.origin,
          periodNanos);
      int permits = 1 + step.permitsSeed() % limit;
      boolean expected = used.getOrDefault(window, 0) + permits <= limit;
      if (expected) {
        used.merge(window, permits, Integer::sum);
      }

      assertThat(run.play(step)).isEqualTo(expected);
      assertThat(run.limiter.metrics().availablePermissions()).isEqualTo(limit - used.getOrDefault(window, 0));
    }
  }

  // ---------------------------------------------------------------------------------------------------
  // Sliding window

  @Property(tries = 300)
  void slidingWindowNeverGrantsMoreThanTheLimitInAnySpanOfOnePeriod(
      @ForAll @IntRange(min = 1, max = 20) int limit,
      @ForAll @LongRange(min = 1_000, max = 3_000_000_000L) long periodNanos,
      @ForAll("steps") List<Step> steps) {
    Run run = new Run(RateLimiterConfig.builder()
        .algorithm(Algorithm.SLIDING_WINDOW)
        .limitForPeriod(limit)
        .limitRefreshPeriod(Duration.ofNanos(periodNanos)));

    steps.forEach(run::play);

    // Grant times never decrease, so the spans starting at each grant are the ones to check.
    List<Grant> grants = run.grants;
    for (int i = 0; i < grants.size(); i++) {
      int inSpan = 0;
      for (int j = i; j < grants.size() && grants.get(j).at() < grants.get(i).at() + periodNanos; j++) {
        inSpan += grants.get(j).permits();
      }
      assertThat(inSpan).isLessThanOrEqualTo(limit);
    }
  }

  @Property(tries = 300)
  void slidingWindowGrantsExactlyWhatASlidingLogGrants(
      @ForAll @IntRange(min = 1, max = 20) int limit,
      @ForAll @LongRange(min = 1_000, max = 3_000_000_000L) long periodNanos,
      @ForAll("stepsWithoutWaiting") List<Step> steps) {
    Run run = new Run(RateLimiterConfig.builder()
        .algorithm(Algorithm.SLIDING_WINDOW)
        .limitForPeriod(limit)
        .limitRefreshPeriod(Duration.ofNanos(periodNanos)));
    List<Long> log = new ArrayList<>();

    for (Step step : steps) {
      long now = run.ticker.nanos() + periodNanos * step.advancePermille() / 1000;
      int permits = 1 + step.permitsSeed() % limit;
      long recent = log.stream().filter(t -> t > now - periodNanos).count();
      boolean expected = recent + permits <= limit;
      if (expected) {
        for (int i = 0; i < permits; i++) {
          log.add(now);
        }
      }

      assertThat(run.play(step)).isEqualTo(expected);
      long recentAfter = log.stream().filter(t -> t > now - periodNanos).count();
      assertThat(run.limiter.metrics().availablePermissions()).isEqualTo(limit - recentAfter);
    }
  }
}
