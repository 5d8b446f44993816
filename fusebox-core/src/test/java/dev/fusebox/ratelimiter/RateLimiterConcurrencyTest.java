package dev.fusebox.ratelimiter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusebox.testing.ManualTicker;
import dev.fusebox.ratelimiter.RateLimiterConfig.Algorithm;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Many threads against one limiter, time frozen while they race: the hand-driven ticker only moves
 * between phases, so every permit's time is known, and the algorithms' promises can be checked exactly.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RateLimiterConcurrencyTest {

  private static final int THREADS = 8;
  private static final int LIMIT = 10;
  private static final long PERIOD = Duration.ofSeconds(1).toNanos();

  private final ManualTicker ticker = new ManualTicker(42);

  private RateLimiter limiter(Algorithm algorithm, Duration timeout) {
    return RateLimiter.of("contended", RateLimiterConfig.builder()
        .algorithm(algorithm)
        .limitForPeriod(LIMIT)
        .limitRefreshPeriod(Duration.ofNanos(PERIOD))
        .timeoutDuration(timeout)
        .ticker(ticker)
        .build());
  }

  /** Runs {@code body(threadIndex)} on every thread at once, and waits for all of them. */
  private static void race(IntConsumer body) throws Exception {
    CyclicBarrier start = new CyclicBarrier(THREADS);
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < THREADS; i++) {
      int index = i;
      Thread t = new Thread(() -> {
        try {
          start.await();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
        body.accept(index);
      });
      t.start();
      threads.add(t);
    }
    for (Thread t : threads) {
      t.join();
    }
  }

  /** Checks a list of (time, permits) grants against the promise of the algorithm. */
  private static void assertWithinPromise(Algorithm algorithm, long origin, List<long[]> grants) {
    grants.sort((a, b) -> Long.compare(a[0], b[0]));
    switch (algorithm) {
      case FIXED_WINDOW -> {
        Map<Long, Long> perWindow = new HashMap<>();
        grants.forEach(g -> perWindow.merge(Math.floorDiv(g[0] - origin, PERIOD), g[1], Long::sum));
        assertThat(perWindow.values()).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(LIMIT));
      }
      case SLIDING_WINDOW -> {
        for (int i = 0; i < grants.size(); i++) {
          long inSpan = 0;
          for (int j = i; j < grants.size() && grants.get(j)[0] < grants.get(i)[0] + PERIOD; j++) {
            inSpan += grants.get(j)[1];
          }
          assertThat(inSpan).isLessThanOrEqualTo(LIMIT);
        }
      }
      case TOKEN_BUCKET -> {
        for (int i = 0; i < grants.size(); i++) {
          long sum = 0;
          for (int j = i; j < grants.size(); j++) {
            sum += grants.get(j)[1];
            long span = grants.get(j)[0] - grants.get(i)[0];
            assertThat(sum * PERIOD).isLessThanOrEqualTo(LIMIT * PERIOD + span * LIMIT);
          }
        }
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Algorithm.class)
  void racingRequestsGetExactlyThePermitsAvailableAndNeverMore(Algorithm algorithm) throws Exception {
    RateLimiter limiter = limiter(algorithm, Duration.ZERO);
    long origin = ticker.nanos();
    List<long[]> grants = new ArrayList<>();

    for (int phase = 0; phase < 30; phase++) {
      ticker.advanceNanos(PERIOD * (phase % 4 + 1) / 7);
      long available = limiter.metrics().availablePermissions();
      AtomicLong granted = new AtomicLong();
      race(index -> {
        for (int attempt = 0; attempt < 200; attempt++) {
          int permits = 1 + (attempt + index) % 3;
          if (limiter.tryAcquirePermission(permits)) {
            granted.addAndGet(permits);
          }
        }
      });
      // Whatever is left is less than three permits: take it one by one, alone.
      while (limiter.tryAcquirePermission()) {
        granted.incrementAndGet();
      }

      assertThat(granted.get()).as("phase %d", phase).isEqualTo(available);
      grants.add(new long[] {ticker.nanos(), granted.get()});
    }

    assertWithinPromise(algorithm, origin, grants);
  }

  @ParameterizedTest
  @EnumSource(Algorithm.class)
  void racingReservationsAreEachDueAtADistinctPlaceWithinThePromise(Algorithm algorithm) throws Exception {
    RateLimiter limiter = limiter(algorithm, Duration.ofSeconds(60));
    long origin = ticker.nanos();
    ticker.advanceNanos(PERIOD / 3);
    long now = ticker.nanos();
    List<long[]> dues = Collections.synchronizedList(new ArrayList<>());

    race(index -> {
      for (int i = 0; i < 40; i++) {
        long wait = limiter.reservePermission(1);
        if (wait >= 0) {
          dues.add(new long[] {now + wait, 1});
        }
      }
    });

    // 320 requests, 10 permits per second, 60 s of patience: every one was reserved, somewhere.
    assertThat(dues).hasSize(THREADS * 40);
    assertWithinPromise(algorithm, origin, new ArrayList<>(dues));
    assertThat(limiter.metrics().totalPermittedPermits()).isEqualTo(THREADS * 40);
  }

  @ParameterizedTest
  @EnumSource(Algorithm.class)
  void limitChangesRacingWithRequestsNeverLetMoreThroughThanTheLargestLimit(Algorithm algorithm) throws Exception {
    RateLimiter limiter = limiter(algorithm, Duration.ZERO);
    AtomicLong granted = new AtomicLong();

    // Time stands still: at most the larger limit can ever be granted, whatever the changes do.
    race(index -> {
      for (int i = 0; i < 3_000; i++) {
        if (index == 0) {
          limiter.changeLimitForPeriod(i % 2 == 0 ? 5 : LIMIT);
        } else if (limiter.tryAcquirePermission()) {
          granted.incrementAndGet();
        }
      }
    });

    assertThat(granted.get()).isLessThanOrEqualTo(LIMIT);
    assertThat(limiter.metrics().totalPermittedPermits()).isEqualTo(granted.get());
  }
}
