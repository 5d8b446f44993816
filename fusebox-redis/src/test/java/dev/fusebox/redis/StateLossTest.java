package dev.fusebox.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusebox.circuitbreaker.CallNotPermittedException;
import dev.fusebox.circuitbreaker.CircuitBreaker;
import dev.fusebox.circuitbreaker.CircuitBreakerConfig;
import dev.fusebox.testsupport.Poll;
import dev.fusebox.testsupport.RedisServer;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Redis loses the fleet's state in the middle of an opening, while the dependency is down: restarted
 * empty, FLUSHALL, restarted with data from before the opening. Probes on every instance call the dead
 * dependency as often as their breakers let them; over the two half-open stays that follow, the fleet
 * sends at most {@code permittedNumberOfCallsInHalfOpenState} trials per stay, as if nothing had
 * happened, and an instance that joins after the loss sends no more.
 */
class StateLossTest {

  private static final Duration WAIT = Duration.ofSeconds(3);
  private static final int TRIALS = 2;
  private static final String NAME = "dep";
  private static final String PREFIX = "loss";

  private final CircuitBreakerConfig config =
      CircuitBreakerConfig.builder()
          .countBasedWindow(10)
          .minimumNumberOfCalls(5)
          .failureRateThreshold(50)
          .waitDurationInOpenState(WAIT)
          .permittedNumberOfCallsInHalfOpenState(TRIALS)
          .build();

  @Test
  void aRedisRestartedEmptyDuringAnOpeningKeepsTheFleetsTrials() {
    try (RedisServer server = RedisServer.start()) {
      scenario(server, RedisServer::restart, false, true);
    }
  }

  @Test
  void aFlushedRedisKeepsTheFleetsTrials() {
    try (RedisServer server = RedisServer.start()) {
      scenario(server, s -> RedisServer.command(s.port(), "FLUSHALL"), false, false);
    }
  }

  @Test
  void aRedisRestartedWithDataFromBeforeTheOpeningKeepsTheFleetsTrials() throws IOException {
    File directory = Files.createTempDirectory("fusebox-stale").toFile();
    try (RedisServer server = RedisServer.startWithDataIn(directory)) {
      scenario(server, RedisServer::restart, true, false);
    } finally {
      new File(directory, "dump.rdb").delete();
      directory.delete();
    }
  }

  /**
   * The race behind the three scenarios' worst case: an instance heard of the opening by message, but Redis
   * lost it before the instance's flush came back. Redis then holds an older state than the message said
   * (here none), and the instance's view, the last reply, is older still: it keeps the opening the message
   * announced, not the closed state Redis has, until its time is up or a reply brings a newer state.
   */
  @Test
  void anOpeningHeardOfOnlyByMessageOutlivesARedisThatLostIt() {
    try (RedisServer server = RedisServer.start();
        Fleet fleet = new Fleet(1, server.uri(), PREFIX, config, b -> {})) {
      CircuitBreaker breaker = fleet.breaker(0, NAME);
      fleet.awaitKnown(NAME);
      AtomicBoolean opened = new AtomicBoolean();
      breaker.onStateTransition(t -> {
        if (t.to() == CircuitBreaker.State.OPEN) {
          opened.set(true);
        }
      });
      long epoch = epochAhead(server);
      // Published and lost in one step, as when another instance's flush opened the fleet and Redis lost
      // the state before this instance's flush ran.
      RedisServer.command(server.port(), "EVAL",
          "redis.call('PUBLISH', ARGV[1], ARGV[2]) redis.call('FLUSHALL') return 1", "0",
          FlushScript.channel(PREFIX), "1 " + epoch + " " + WAIT.toMillis() + " " + NAME);
      Poll.until(Duration.ofSeconds(10), "the instance heard of the opening", opened::get);
      keepsTheAnnouncedOpening(breaker);
    }
  }

  /**
   * The same race, but Redis becomes unreachable instead of losing the state: the instance, degraded to a
   * local breaker, keeps the opening it heard of, as an instance that applied it keeps its wait.
   */
  @Test
  void anOpeningHeardOfOnlyByMessageHoldsWhenRedisCannotBeReached() {
    try (RedisServer server = RedisServer.start();
        DelayProxy proxy = new DelayProxy(server.port(), Duration.ZERO);
        Fleet fleet = new Fleet(1, proxy.uri(), PREFIX, config, b -> {})) {
      CircuitBreaker breaker = fleet.breaker(0, NAME);
      fleet.awaitKnown(NAME);
      AtomicBoolean opened = new AtomicBoolean();
      breaker.onStateTransition(t -> {
        if (t.to() == CircuitBreaker.State.OPEN && !opened.getAndSet(true)) {
          // Before the flush this message asks for can reach Redis: from now on Redis answers nothing.
          proxy.delay(Duration.ofMinutes(1));
        }
      });
      long epoch = epochAhead(server);
      RedisServer.command(server.port(), "PUBLISH", FlushScript.channel(PREFIX),
          "1 " + epoch + " " + WAIT.toMillis() + " " + NAME);
      Poll.until(Duration.ofSeconds(10), "the instance heard of the opening", opened::get);
      fleet.awaitMode(RedisSharedState.Mode.DEGRADED);
      keepsTheAnnouncedOpening(breaker);
    }
  }

  /** An epoch one second past Redis time: after every state the instances know, as a new opening's is. */
  private static long epochAhead(RedisServer server) {
    return Long.parseLong(
        RedisServer.command(server.port(), "EVAL", "return redis.call('TIME')[1] * 1000 + 1000", "0").substring(1));
  }

  /** No call reaches the dependency for half the announced wait; once it is over, calls go through again. */
  private static void keepsTheAnnouncedOpening(CircuitBreaker breaker) {
    AtomicBoolean stop = new AtomicBoolean();
    AtomicInteger reached = probe(breaker, stop);
    LockSupport.parkNanos(WAIT.toNanos() / 2);
    int during = reached.get();
    stop.set(true);
    assertThat(during).as("calls that reached the dependency during the announced opening").isZero();
    Poll.until(Duration.ofSeconds(20), "the breaker lets calls through once the opening is over",
        () -> Calls.succeed(breaker));
  }

  private void scenario(RedisServer server, Consumer<RedisServer> loss, boolean saveBefore, boolean joinAfter) {
    String stateKey = FlushScript.keys(PREFIX, NAME)[0];
    AtomicBoolean stop = new AtomicBoolean();
    List<AtomicInteger> reached = new ArrayList<>();
    try (Fleet fleet = new Fleet(3, server.uri(), PREFIX, config, b -> b.storeBackoffMax(Duration.ofMillis(400)))) {
      List<CircuitBreaker> breakers = fleet.breakers(NAME);
      fleet.awaitKnown(NAME);
      fleet.awaitFlushes(1);
      if (saveBefore) {
        // What the stale RDB holds: the fleet closed, at the epoch of before the opening.
        assertThat(RedisServer.command(server.port(), "SAVE")).isEqualTo("+OK");
      }

      Calls.fail(breakers.get(0), 10);
      Poll.until(Duration.ofSeconds(20), "every instance holds the fleet's opening",
          () -> breakers.stream().allMatch(b -> b.state() == CircuitBreaker.State.OPEN));
      assertThat(RedisServer.command(server.port(), "HGET", stateKey, "lvl")).isEqualTo("1");
      for (CircuitBreaker breaker : breakers) {
        reached.add(probe(breaker, stop));
      }

      loss.accept(server);
      fleet.awaitMode(RedisSharedState.Mode.SHARED);
      Poll.until(Duration.ofSeconds(20), "the opening is back in Redis",
          () -> "1".equals(RedisServer.command(server.port(), "HGET", stateKey, "st")));
      Fleet joiner = null;
      try {
        if (joinAfter) {
          joiner = new Fleet(1, server.uri(), PREFIX, config, b -> b.instanceId("joiner"));
          CircuitBreaker joining = joiner.breaker(0, NAME);
          joiner.awaitKnown(NAME);
          reached.add(probe(joining, stop));
        }
        boolean twoStays = Poll.within(Duration.ofSeconds(60), () -> level(server, stateKey) >= 3);
        int calls = reached.stream().mapToInt(AtomicInteger::get).sum();
        stop.set(true);
        assertThat(twoStays).as("the fleet failed two half-open stays").isTrue();
        assertThat(calls)
            .as("calls that reached the dead dependency in two half-open stays, per instance %s", reached)
            .isLessThanOrEqualTo(2 * TRIALS);
        if (joinAfter) {
          assertThat(reached.get(3).get()).isLessThanOrEqualTo(TRIALS);
        }
      } finally {
        stop.set(true);
        if (joiner != null) {
          joiner.close();
        }
      }
    } finally {
      stop.set(true);
    }
  }

  private static int level(RedisServer server, String stateKey) {
    String lvl = RedisServer.command(server.port(), "HGET", stateKey, "lvl");
    return lvl.startsWith("$") ? 0 : Integer.parseInt(lvl);
  }

  /** Calls the dead dependency through {@code breaker} every 2 ms; counts the calls that reached it. */
  private static AtomicInteger probe(CircuitBreaker breaker, AtomicBoolean stop) {
    AtomicInteger reached = new AtomicInteger();
    Thread thread = new Thread(() -> {
      while (!stop.get()) {
        try {
          breaker.executeRunnable(() -> {
            reached.incrementAndGet();
            throw new Calls.Boom();
          });
        } catch (Calls.Boom | CallNotPermittedException e) {
          // Either way the probe goes on.
        }
        LockSupport.parkNanos(2_000_000);
      }
    }, "probe-" + breaker.name());
    thread.setDaemon(true);
    thread.start();
    return reached;
  }
}
