package dev.fusebox.benchmarks;

import dev.fusebox.redis.RedisSharedState;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * The Redis the shared-breaker figures use: the machine's own at {@value #HOST}:{@value #PORT}, never
 * started, stopped or flushed by the benchmarks. Every run works under a key prefix of its own and deletes
 * its keys when done; when nothing answers there, the Redis rows are skipped, not failed.
 */
final class LocalRedis {

  static final String HOST = "127.0.0.1";
  static final int PORT = 6379;
  static final String URI = "redis://" + HOST + ":" + PORT;
  /** What the report says in place of the Redis figures when {@link #reachable()} is false. */
  static final String SKIPPED = "skipped: no Redis at " + HOST + ":" + PORT;

  private LocalRedis() {}

  /** Whether a Redis answers PING at {@value #HOST}:{@value #PORT} within a second, without a password. */
  static boolean reachable() {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(HOST, PORT), 1000);
      socket.setSoTimeout(1000);
      OutputStream out = socket.getOutputStream();
      out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      byte[] reply = new byte[5];
      int read = 0;
      while (read < reply.length) {
        int n = in.read(reply, read, reply.length - read);
        if (n < 0) {
          return false;
        }
        read += n;
      }
      return new String(reply, StandardCharsets.US_ASCII).equals("+PONG");
    } catch (IOException e) {
      return false;
    }
  }

  /** A fresh key prefix, so that a run never meets another run's keys. */
  static String newPrefix(String what) {
    return "bench-" + what + "-" + System.nanoTime();
  }

  /** Shared state under {@code prefix}, with the default sync period of 500 ms. */
  static RedisSharedState state(String prefix, String instanceId) {
    return RedisSharedState.builder().uri(URI).keyPrefix(prefix).instanceId(instanceId).build();
  }

  /** Waits until the sync loop has had a flush answered, or fails after {@code timeout}. */
  static void awaitFirstFlush(RedisSharedState state, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (state.metrics().scripts() == 0) {
      if (System.nanoTime() - deadline > 0) {
        throw new IllegalStateException("no flush reached Redis at " + URI + " within " + timeout + ": "
            + state.metrics());
      }
      LockSupport.parkNanos(10_000_000);
    }
  }

  /** Counts the keys under {@code prefix}. */
  static long keyCount(String prefix) {
    RedisClient client = RedisClient.create(URI);
    try (StatefulRedisConnection<String, String> connection = client.connect()) {
      RedisCommands<String, String> redis = connection.sync();
      long count = 0;
      ScanCursor cursor = ScanCursor.INITIAL;
      do {
        KeyScanCursor<String> page = redis.scan(cursor, ScanArgs.Builder.matches("{" + prefix + ":*").limit(1000));
        count += page.getKeys().size();
        cursor = page;
      } while (!cursor.isFinished());
      return count;
    } finally {
      client.shutdown();
    }
  }

  /** Deletes every key under {@code prefix}: the breakers' keys all carry the hash tag {@code {prefix:name}}. */
  static void deleteKeys(String prefix) {
    RedisClient client = RedisClient.create(URI);
    try (StatefulRedisConnection<String, String> connection = client.connect()) {
      RedisCommands<String, String> redis = connection.sync();
      ScanCursor cursor = ScanCursor.INITIAL;
      do {
        KeyScanCursor<String> page = redis.scan(cursor, ScanArgs.Builder.matches("{" + prefix + ":*").limit(1000));
        if (!page.getKeys().isEmpty()) {
          redis.del(page.getKeys().toArray(String[]::new));
        }
        cursor = page;
      } while (!cursor.isFinished());
    } finally {
      client.shutdown();
    }
  }
}
