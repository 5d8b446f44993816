package dev.fusebox.benchmarks;

import dev.fusebox.circuitbreaker.CircuitBreaker;
import dev.fusebox.circuitbreaker.CircuitBreakerConfig;
import dev.fusebox.circuitbreaker.CircuitBreakerRegistry;
import dev.fusebox.redis.RedisSharedState;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.locks.LockSupport;

/**
 * Issue 8: the load one instance puts on Redis, per second, with the default sync period (500 ms). Run by
 * {@link Main} in a JVM of its own after the footprint, only when a Redis answers at 127.0.0.1:6379:
 * {@code java -cp benchmarks.jar dev.fusebox.benchmarks.RedisLoad SECONDS}. It prints
 * {@code REDIS_LOAD breakers key value} lines.
 *
 * <p>For 1, then {@value #MANY} breakers of one instance, a caller thread keeps every breaker busy with
 * successful calls (so each flush has counts to carry); after the first flush and a second's settling, the
 * instance's own {@link RedisSharedState#metrics()} are read at the start and the end of a fixed interval.
 * Round trips are its flushes (one pipelined round trip each, a heartbeat when idle); EVALSHAs are the
 * flush scripts answered, one per breaker per flush. These are the instance's own numbers: Redis's
 * server-wide {@code INFO commandstats} would count every other client of the machine's Redis too.
 */
public final class RedisLoad {

  static final int MANY = 100;
  static final List<Integer> BREAKERS = List.of(1, MANY);

  private RedisLoad() {}

  /**
   * Measures the Redis load and prints its {@code REDIS_LOAD} lines.
   *
   * @param args how many seconds each measured interval lasts
   */
  public static void main(String[] args) {
    if (args.length != 1) {
      System.err.println("usage: RedisLoad SECONDS");
      System.exit(2);
    }
    int seconds = Integer.parseInt(args[0]);
    if (!LocalRedis.reachable()) {
      System.out.println("REDIS_LOAD_SKIPPED " + LocalRedis.SKIPPED);
      return;
    }
    for (int breakers : BREAKERS) {
      measure(breakers, Duration.ofSeconds(seconds));
    }
  }

  private static void measure(int count, Duration interval) {
    CircuitBreakerConfig config =
        (CircuitBreakerConfig)
            Contenders.factory(Contenders.FUSEBOX, Contenders.Scenario.CLOSED, Window.COUNT, 0).sharedConfig();
    String prefix = LocalRedis.newPrefix("load");
    RedisSharedState state = LocalRedis.state(prefix, "bench-load");
    Caller caller = null;
    try {
      CircuitBreakerRegistry registry = state.registry(config);
      CircuitBreaker[] breakers = new CircuitBreaker[count];
      for (int i = 0; i < count; i++) {
        breakers[i] = registry.circuitBreaker("dep-" + i);
      }
      caller = new Caller(breakers);
      caller.start();
      LocalRedis.awaitFirstFlush(state, Duration.ofSeconds(10));
      LockSupport.parkNanos(Duration.ofSeconds(1).toNanos());
      RedisSharedState.Metrics before = state.metrics();
      long start = System.nanoTime();
      LockSupport.parkNanos(interval.toNanos());
      RedisSharedState.Metrics after = state.metrics();
      double elapsed = (System.nanoTime() - start) / 1e9;
      report(count, "seconds", elapsed);
      report(count, "roundTripsPerSecond", (after.flushes() - before.flushes()) / elapsed);
      report(count, "evalshaPerSecond", (after.scripts() - before.scripts()) / elapsed);
      report(count, "failedFlushesPerSecond", (after.failedFlushes() - before.failedFlushes()) / elapsed);
      report(count, "messagesPerSecond", (after.messages() - before.messages()) / elapsed);
      report(count, "lastRoundTripMicros", after.lastRoundTrip().toNanos() / 1e3);
      report(count, "callsPerSecond", caller.calls / (double) Math.max(1, caller.elapsedNanos()) * 1e9);
      report(count, "shared", after.mode() == RedisSharedState.Mode.SHARED ? 1 : 0);
    } finally {
      if (caller != null) {
        caller.finish();
      }
      state.close();
      LocalRedis.deleteKeys(prefix);
    }
  }

  private static void report(int breakers, String key, double value) {
    System.out.println("REDIS_LOAD " + breakers + " " + key + " " + String.format(Locale.ROOT, "%.3f", value));
  }

  /** Keeps every breaker busy with successful calls, pausing briefly so the sync thread gets a core. */
  private static final class Caller extends Thread {
    private final CircuitBreaker[] breakers;
    private volatile boolean running = true;
    private final long started = System.nanoTime();
    volatile long calls;

    Caller(CircuitBreaker[] breakers) {
      super("redis-load-caller");
      this.breakers = breakers;
      setDaemon(true);
    }

    @Override
    public void run() {
      long n = 0;
      while (running) {
        for (CircuitBreaker breaker : breakers) {
          breaker.executeSupplier(Calls::succeed);
        }
        n += breakers.length;
        calls = n;
        LockSupport.parkNanos(100_000);
      }
    }

    long elapsedNanos() {
      return System.nanoTime() - started;
    }

    void finish() {
      running = false;
      try {
        join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
