package dev.fusebox.demo;

import dev.fusebox.chaos.Chaos;
import dev.fusebox.chaos.ChaosSettings;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * With {@code --redis}, makes the simulated upstreams of every demo instance behave as one dependency, as
 * the instances of a real service call the same one: chaos settings changed on any instance (from its
 * dashboard, its story, a script) are copied to all the others through Redis.
 *
 * <p>Every period the instance compares its chaos settings with those it last published or adopted. A
 * change made here is written to a hash under a version number from {@code INCR}; otherwise a newer
 * version written by another instance is adopted. The last writer wins; instances converge within a period.
 * Redis being unreachable only stops the copying: each upstream then goes its own way. This is the demo's
 * own plumbing, not part of fusebox-redis: the breakers share their state through {@code RedisSharedState}.
 * Threadsafe.
 */
final class SharedUpstream implements AutoCloseable {

  private final Chaos chaos;
  private final String key;
  private final String instanceId;
  private final StoryLog notes;
  private final RedisClient client;
  /** The timer thread's alone: connected on first use, and again after a failure. */
  private StatefulRedisConnection<String, String> connection;
  private final ScheduledExecutorService timer = new ScheduledThreadPoolExecutor(1, Threads.daemons("shared-upstream"));
  /** The timer thread's alone. */
  private ChaosSettings known;
  private long version = -1;

  SharedUpstream(String uri, String keyPrefix, String instanceId, Chaos chaos, Duration period, StoryLog notes) {
    this.chaos = chaos;
    this.key = keyPrefix + ":demo:upstream";
    this.instanceId = instanceId;
    this.notes = notes;
    this.client = RedisClient.create(uri);
    timer.scheduleWithFixedDelay(this::sync, 0, period.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void sync() {
    try {
      if (connection == null) {
        connection = client.connect();
        connection.setTimeout(Duration.ofSeconds(1));
      }
      RedisCommands<String, String> redis = connection.sync();
      ChaosSettings now = chaos.settings();
      if (now != known) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("enabled", String.valueOf(now.enabled()));
        fields.put("faultRate", String.valueOf(now.faultRate()));
        fields.put("resultRate", String.valueOf(now.resultRate()));
        fields.put("latencyRate", String.valueOf(now.latencyRate()));
        fields.put("latencyMillis", String.valueOf(now.latency().toMillis()));
        fields.put("by", instanceId);
        version = redis.incr(key + ":version");
        fields.put("version", String.valueOf(version));
        redis.hset(key, fields);
        known = now;
        return;
      }
      Map<String, String> shared = redis.hgetall(key);
      long theirs = Long.parseLong(shared.getOrDefault("version", "-1"));
      if (theirs > version) {
        known = chaos.update(s -> s.withEnabled(Boolean.parseBoolean(shared.get("enabled")))
            .withFaultRate(Double.parseDouble(shared.get("faultRate")))
            .withResultRate(Double.parseDouble(shared.get("resultRate")))
            .withLatency(Double.parseDouble(shared.get("latencyRate")), Duration.ofMillis(Long.parseLong(shared.get("latencyMillis")))));
        version = theirs;
        notes.add("fleet: upstream now " + DemoApp.upstreamState(known) + ", as instance " + shared.get("by") + " set it");
      }
    } catch (RuntimeException e) {
      // Redis unreachable or the hash half-written: try again next period.
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
    try {
      timer.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (connection != null) {
      connection.close();
    }
    client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
  }
}
