package dev.fusebox.benchmarks;

import dev.fusebox.circuitbreaker.CircuitBreaker;
import dev.fusebox.circuitbreaker.CircuitBreakerConfig;
import dev.fusebox.circuitbreaker.CircuitBreakerRegistry;
import dev.fusebox.redis.RedisSharedState;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Issue 14: what a fleet of shared breakers costs Redis, as operators size it. {@code INSTANCES}
 * {@link RedisSharedState}s in this JVM (each its own connections and sync thread, as separate processes
 * would have), {@code BREAKERS} breakers each, of which {@code ACTIVE} percent get a call every
 * 20 ms or so (the others are idle), with the default sync period of 500 ms. After the first flushes
 * and a settling period it reads Redis's own counters ({@code INFO commandstats}, {@code INFO stats},
 * {@code INFO memory}) at the start and the end of {@code SECONDS}, so it needs a Redis of its own (other
 * clients would count too):
 *
 * <pre>{@code
 * redis-server --port 6390 --save '' &
 * java -cp fusebox-benchmarks/target/benchmarks.jar dev.fusebox.benchmarks.RedisCapacity \
 *     redis://127.0.0.1:6390 10 1000 0 30
 * }</pre>
 *
 * <p>It prints one {@code REDIS_CAPACITY} line: scripts per second (EVALSHA calls Redis answered), bytes
 * per second in and out of Redis, Redis memory per breaker and per instance, and the mode changes over
 * the interval and since the start (a flip to DEGRADED means Redis could not keep up).
 */
public final class RedisCapacity {

  private RedisCapacity() {}

  /**
   * Runs the measurement.
   *
   * @param args Redis URI, instances, breakers per instance, active percent, seconds
   */
  public static void main(String[] args) {
    if (args.length != 5) {
      System.err.println("usage: RedisCapacity REDIS_URI INSTANCES BREAKERS ACTIVE_PERCENT SECONDS");
      System.exit(2);
    }
    String uri = args[0];
    int instances = Integer.parseInt(args[1]);
    int breakers = Integer.parseInt(args[2]);
    int activePercent = Integer.parseInt(args[3]);
    Duration interval = Duration.ofSeconds(Integer.parseInt(args[4]));
    String prefix = "capacity-" + System.nanoTime();
    CircuitBreakerConfig config = CircuitBreakerConfig.builder().failureRateThreshold(50).build();
    ClientResources resources = DefaultClientResources.builder().ioThreadPoolSize(4).computationThreadPoolSize(2).build();
    RedisClient client = RedisClient.create(resources, uri);
    List<RedisSharedState> states = new ArrayList<>();
    List<CircuitBreaker> active = new ArrayList<>();
    try (StatefulRedisConnection<String, String> connection = client.connect()) {
      RedisCommands<String, String> redis = connection.sync();
      long memoryBefore = info(redis.info("memory"), "used_memory");
      for (int i = 0; i < instances; i++) {
        RedisSharedState state =
            RedisSharedState.builder().uri(uri).keyPrefix(prefix).clientResources(resources).build();
        states.add(state);
        CircuitBreakerRegistry registry = state.registry(config);
        for (int b = 0; b < breakers; b++) {
          CircuitBreaker breaker = registry.circuitBreaker("b" + b);
          if (b * 100L < (long) activePercent * breakers) {
            active.add(breaker);
          }
        }
      }
      Caller caller = new Caller(active);
      caller.start();
      // Every breaker's first flush, then the settling: idle breakers fall silent after their first reply.
      settle(states, Duration.ofSeconds(5));
      Counters start = Counters.read(redis);
      long modesBefore = states.stream().mapToLong(s -> s.metrics().modeChanges()).sum();
      LockSupport.parkNanos(interval.toNanos());
      Counters end = Counters.read(redis);
      long modeChangesTotal = states.stream().mapToLong(s -> s.metrics().modeChanges()).sum();
      long modeChanges = modeChangesTotal - modesBefore;
      long memory = info(redis.info("memory"), "used_memory") - memoryBefore;
      caller.stop = true;
      double seconds = (end.nanos - start.nanos) / 1e9;
      System.out.println(String.format(Locale.ROOT,
          "REDIS_CAPACITY instances=%d breakers=%d active=%d%% scripts_per_s=%.1f bytes_in_per_s=%.0f"
              + " bytes_out_per_s=%.0f memory_per_breaker=%.0f memory_per_instance_breaker=%.0f"
              + " mode_changes=%d mode_changes_since_start=%d seconds=%.1f",
          instances, breakers, activePercent, (end.scripts - start.scripts) / seconds,
          (end.bytesIn - start.bytesIn) / seconds, (end.bytesOut - start.bytesOut) / seconds,
          memory / (double) breakers, memory / (double) (breakers * (long) instances), modeChanges, modeChangesTotal, seconds));
      redis.eval("for _, k in ipairs(redis.call('KEYS', ARGV[1])) do redis.call('DEL', k) end return 0",
          io.lettuce.core.ScriptOutputType.INTEGER, new String[0], "{" + prefix + ":*");
    } finally {
      states.forEach(RedisSharedState::close);
      client.shutdown();
      resources.shutdown(0, 2, TimeUnit.SECONDS);
    }
  }

  private static void settle(List<RedisSharedState> states, Duration settling) {
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (states.stream().anyMatch(s -> s.metrics().flushes() < 3)) {
      if (System.nanoTime() - deadline > 0) {
        throw new IllegalStateException("the instances do not flush: " + states.get(0).metrics());
      }
      LockSupport.parkNanos(50_000_000);
    }
    LockSupport.parkNanos(settling.toNanos());
  }

  static long info(String info, String field) {
    for (String line : info.split("\r?\n")) {
      if (line.startsWith(field + ":")) {
        return Long.parseLong(line.substring(field.length() + 1).trim());
      }
      if (line.startsWith("cmdstat_" + field + ":")) {
        int start = line.indexOf("calls=") + 6;
        return Long.parseLong(line.substring(start, line.indexOf(',', start)));
      }
    }
    return 0;
  }

  /** Redis's own counters at one moment. */
  private record Counters(long nanos, long scripts, long bytesIn, long bytesOut) {
    static Counters read(RedisCommands<String, String> redis) {
      String stats = redis.info("stats");
      return new Counters(System.nanoTime(), info(redis.info("commandstats"), "evalsha"),
          info(stats, "total_net_input_bytes"), info(stats, "total_net_output_bytes"));
    }
  }

  /** One thread calling every active breaker in turn, a round every 20 ms. */
  private static final class Caller extends Thread {
    private final List<CircuitBreaker> breakers;
    volatile boolean stop;

    Caller(List<CircuitBreaker> breakers) {
      super("capacity-caller");
      this.breakers = breakers;
      setDaemon(true);
    }

    @Override
    public void run() {
      if (breakers.isEmpty()) {
        return;
      }
      while (!stop) {
        for (CircuitBreaker breaker : breakers) {
          breaker.executeRunnable(() -> {});
        }
        LockSupport.parkNanos(20_000_000);
      }
    }
  }
}
