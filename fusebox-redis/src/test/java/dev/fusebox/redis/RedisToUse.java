package dev.fusebox.redis;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * "A Redis to use" for tests that do not harm it: the machine's own on 127.0.0.1:6379 when one answers
 * there, else a redis-server this extension starts on a free port once per test run (and stops at the
 * end). Each test gets a {@link Target} with a key prefix of its own, and its keys are deleted after it.
 *
 * <pre>{@code
 * @ExtendWith(RedisToUse.class)
 * class SomeTest {
 *   @Test void works(RedisToUse.Target redis) { ... redis.uri() ... redis.prefix() ... }
 * }
 * }</pre>
 */
final class RedisToUse implements ParameterResolver, AfterEachCallback {

  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(RedisToUse.class);

  /** The Redis of one test, its key prefix, and a connection for the test's own reads. */
  static final class Target implements AutoCloseable {
    private final String uri;
    private final String prefix;
    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;

    Target(String uri) {
      this.uri = uri;
      this.prefix = "fbt-" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1);
      this.client = RedisClient.create(uri);
      this.connection = client.connect();
    }

    String uri() {
      return uri;
    }

    String prefix() {
      return prefix;
    }

    RedisCommands<String, String> commands() {
      return connection.sync();
    }

    /** The fleet state hash of one breaker under this test's prefix. */
    Map<String, String> state(String breaker) {
      return commands().hgetall(FlushScript.keys(prefix, breaker)[0]);
    }

    /** The fleet state of one breaker: 0 closed, 1 open, 2 half-open, -1 none yet. */
    int fleetState(String breaker) {
      String st = state(breaker).get("st");
      return st == null ? -1 : Integer.parseInt(st);
    }

    /** Sums the window's counters of one breaker: calls, failures, slow calls. */
    long[] window(String breaker) {
      long[] sums = new long[3];
      commands().hgetall(FlushScript.keys(prefix, breaker)[1]).forEach((field, value) -> {
        char kind = field.charAt(field.length() - 1);
        sums[kind == 'c' ? 0 : kind == 'f' ? 1 : 2] += Long.parseLong(value);
      });
      return sums;
    }

    void deleteKeys() {
      RedisCommands<String, String> sync = commands();
      ScanCursor cursor = ScanCursor.INITIAL;
      do {
        KeyScanCursor<String> page = sync.scan(cursor, ScanArgs.Builder.matches("{" + prefix + ":*").limit(500));
        if (!page.getKeys().isEmpty()) {
          sync.del(page.getKeys().toArray(String[]::new));
        }
        cursor = page;
      } while (!cursor.isFinished());
    }

    @Override
    public void close() {
      try {
        deleteKeys();
      } finally {
        connection.close();
        client.shutdown();
      }
    }
  }

  /** The test run's Redis: the machine's own, or one started for the run. */
  static String sharedUri(ExtensionContext context) {
    return context
        .getRoot()
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent(
            "server",
            key -> {
              if (RedisServer.ping(6379)) {
                return new Server("redis://127.0.0.1:6379", null);
              }
              RedisServer own = RedisServer.start();
              return new Server(own.uri(), own);
            },
            Server.class)
        .uri;
  }

  /** Stops the server this extension started, if any, when the test run ends. */
  record Server(String uri, RedisServer own) implements AutoCloseable {
    @Override
    public void close() {
      if (own != null) {
        own.close();
      }
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == Target.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    Target target = new Target(sharedUri(context));
    context.getStore(NAMESPACE).put("target", target);
    return target;
  }

  @Override
  public void afterEach(ExtensionContext context) {
    Target target = context.getStore(NAMESPACE).remove("target", Target.class);
    if (target != null) {
      target.close();
    }
  }
}
