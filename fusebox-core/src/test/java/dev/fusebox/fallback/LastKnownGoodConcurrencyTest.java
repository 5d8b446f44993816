package dev.fusebox.fallback;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusebox.testing.ManualTicker;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The cache under concurrent writers: latest value wins, never an older one after a newer, size bounded. */
class LastKnownGoodConcurrencyTest {

  private static final long FOREVER = Long.MAX_VALUE / 2;
  private final ManualTicker ticker = new ManualTicker();
  private final ExecutorService pool = Executors.newFixedThreadPool(8);

  @AfterEach
  void stop() {
    pool.shutdownNow();
  }

  @Test
  void aReaderNeverSeesAnOlderValueAfterANewerOne() throws Exception {
    LastKnownGood<Integer> cache = new LastKnownGood<>(10, FOREVER, ticker);
    int writes = 20_000;
    CyclicBarrier start = new CyclicBarrier(2);
    AtomicBoolean done = new AtomicBoolean();
    Future<?> writer = pool.submit(() -> {
      start.await();
      for (int i = 1; i <= writes; i++) {
        cache.record("k", i);
      }
      done.set(true);
      return null;
    });
    Future<Integer> reader = pool.submit(() -> {
      start.await();
      int last = 0;
      while (!done.get()) {
        LastKnownGood.Entry<Integer> entry = cache.lookup("k", 0);
        if (entry != null) {
          assertThat(entry.value).isGreaterThanOrEqualTo(last);
          last = entry.value;
        }
      }
      return last;
    });
    writer.get(30, TimeUnit.SECONDS);
    reader.get(30, TimeUnit.SECONDS);
    assertThat(cache.lookup("k", 0).value).isEqualTo(writes);
  }

  @Test
  void concurrentWritersOfDistinctKeysLeaveEachKeysLastValueAndStayWithinMaxSize() throws Exception {
    int threads = 8;
    int keysPerThread = 500;
    int versions = 3;
    int maxSize = 1_000;
    LastKnownGood<String> cache = new LastKnownGood<>(maxSize, FOREVER, ticker);
    CyclicBarrier start = new CyclicBarrier(threads);
    List<Future<?>> writers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      writers.add(pool.submit(() -> {
        start.await();
        for (int version = 1; version <= versions; version++) {
          for (int k = 0; k < keysPerThread; k++) {
            cache.record(thread + "/" + k, thread + "/" + k + "@" + version);
          }
        }
        return null;
      }));
    }
    for (Future<?> writer : writers) {
      writer.get(30, TimeUnit.SECONDS);
    }
    assertThat(cache.size()).isLessThanOrEqualTo(maxSize).isGreaterThanOrEqualTo(maxSize - threads);
    int present = 0;
    for (int t = 0; t < threads; t++) {
      for (int k = 0; k < keysPerThread; k++) {
        LastKnownGood.Entry<String> entry = cache.lookup(t + "/" + k, 0);
        if (entry != null) {
          present++;
          assertThat(entry.value).isEqualTo(t + "/" + k + "@" + versions);
        }
      }
    }
    assertThat(present).isEqualTo(cache.size());
  }

  @Test
  void concurrentInsertionsOfNewKeysNeverLeaveTheCacheOverMaxSize() throws Exception {
    int threads = 8;
    int maxSize = 64;
    LastKnownGood<Integer> cache = new LastKnownGood<>(maxSize, FOREVER, ticker);
    CyclicBarrier start = new CyclicBarrier(threads);
    List<Future<?>> writers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      writers.add(pool.submit(() -> {
        start.await();
        for (int i = 0; i < 5_000; i++) {
          cache.record(thread * 1_000_000 + i, i);
        }
        return null;
      }));
    }
    for (Future<?> writer : writers) {
      writer.get(30, TimeUnit.SECONDS);
    }
    assertThat(cache.size()).isBetween(maxSize - threads, maxSize);
  }

  @Test
  void aKeyRefreshedBetweenInsertionsIsNeverEvictedWhileOthersChurn() {
    LastKnownGood<Integer> cache = new LastKnownGood<>(16, FOREVER, ticker);
    cache.record("hot", 0);
    for (int i = 0; i < 1_000; i++) {
      cache.record("cold-" + i, i);
      assertThat(cache.lookup("hot", 0)).as("after cold-%d", i).isNotNull();
      cache.record("hot", i);
    }
    assertThat(cache.size()).isEqualTo(16);
    assertThat(cache.lookup("cold-0", 0)).isNull();
  }

  @Test
  void anExpiredEntryIsEvictedBeforeItsTurnComesAsSecondChance() {
    LastKnownGood<Integer> cache = new LastKnownGood<>(2, 100, ticker);
    cache.record("a", 1);
    cache.record("b", 1);
    cache.record("a", 2);
    ticker.advanceNanos(101);
    cache.record("c", 1);
    // Looking up at time 0 sees every entry still in the map, expired or not.
    assertThat(cache.lookup("a", 0)).isNull();
    assertThat(cache.lookup("b", 0)).isNotNull();
    assertThat(cache.size()).isEqualTo(2);
  }
}
