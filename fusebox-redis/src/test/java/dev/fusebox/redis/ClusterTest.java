package dev.fusebox.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fusebox.circuitbreaker.CircuitBreaker;
import dev.fusebox.circuitbreaker.CircuitBreakerConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Shared breakers on a real Redis Cluster of three masters, started by the test: breakers whose slots live
 * on different nodes are flushed in one pipelined write per node, open for the whole fleet, and survive a
 * node's restart.
 */
class ClusterTest {

  private static final String PREFIX = "fusebox-cluster";
  private static final CircuitBreakerConfig CONFIG =
      CircuitBreakerConfig.builder()
          .countBasedWindow(10)
          .minimumNumberOfCalls(10)
          .waitDurationInOpenState(Duration.ofMinutes(5))
          .build();

  private static LocalCluster cluster;

  @BeforeAll
  static void startCluster() {
    cluster = LocalCluster.start(3);
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  /** One breaker name per node, found by hashing candidate names as the flush script's keys are. */
  private static Map<RedisServer, String> oneBreakerPerNode(String stem) {
    Map<RedisServer, String> names = new LinkedHashMap<>();
    for (int i = 0; names.size() < cluster.nodes.size(); i++) {
      String name = stem + "-" + i;
      names.putIfAbsent(cluster.nodeOf(FlushScript.hashTag(PREFIX, name)), name);
    }
    return names;
  }

  private static String fleetState(RedisServer node, String name) {
    return RedisServer.command(node.port, "HGET", FlushScript.hashTag(PREFIX, name) + ":s", "st");
  }

  @Test
  void breakersOnEveryNodeOpenForTheWholeFleet() {
    Map<RedisServer, String> names = oneBreakerPerNode("spread");
    try (Fleet fleet = new Fleet(2, cluster.seedUri(), PREFIX, CONFIG, b -> b.cluster(true))) {
      names.values().forEach(name -> {
        fleet.breakers(name);
        fleet.awaitKnown(name);
      });
      for (Map.Entry<RedisServer, String> e : names.entrySet()) {
        String name = e.getValue();
        Calls.fail(fleet.breaker(0, name), 10);
        // The second instance made no call, yet adopts the opening the first one's flush caused.
        Poll.until(Duration.ofSeconds(20), "instance 1 adopts the fleet's opening of " + name,
            () -> fleet.breaker(1, name).state() == CircuitBreaker.State.OPEN);
        // The fleet's state lives on the node owning the breaker's slot, not on the seed.
        assertThat(fleetState(e.getKey(), name)).isEqualTo("1");
      }
      assertThat(fleet.states).allSatisfy(s -> assertThat(s.mode()).isEqualTo(RedisSharedState.Mode.SHARED));
      // Every flush reached all three nodes: no script failed on a node that does not own its slot.
      assertThat(fleet.states).allSatisfy(s -> assertThat(s.metrics().failedFlushes()).isZero());
    }
  }

  @Test
  void aRestartedNodeIsFoundAgainWithoutARestartOfTheInstances() {
    Map<RedisServer, String> names = oneBreakerPerNode("restart");
    RedisServer victim = cluster.nodes.get(1);
    String name = names.get(victim);
    try (Fleet fleet = new Fleet(2, cluster.seedUri(), PREFIX, CONFIG, b -> b.cluster(true))) {
      fleet.breakers(name);
      fleet.awaitKnown(name);
      victim.restart();
      // The node comes back empty but as itself (its node file keeps its slots), once the others see it.
      cluster.awaitHealthy();
      fleet.awaitMode(RedisSharedState.Mode.SHARED);
      long flushes = fleet.states.get(1).metrics().flushes();
      Poll.until(Duration.ofSeconds(20), "instance 1 flushes again",
          () -> fleet.states.get(1).metrics().flushes() > flushes + 2);
      Calls.fail(fleet.breaker(0, name), 10);
      // Instance 1 is idle, so it may learn of the opening from a message or, should the message not
      // reach it, at its next call: it keeps calling until a call is rejected.
      Poll.until(Duration.ofSeconds(20), "instance 1 adopts the opening through the restarted node",
          () -> !Calls.succeed(fleet.breaker(1, name)));
      // Open, or half-open with its trials denied while a message's opening awaits the reply.
      assertThat(fleet.breaker(1, name).state()).isNotEqualTo(CircuitBreaker.State.CLOSED);
      assertThat(fleetState(victim, name)).isEqualTo("1");
    }
  }

  @Test
  void manyBreakersSpreadOverTheNodesFlushInOneRoundTripEach() {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      names.add("many-" + i);
    }
    // Without messages every breaker flushes every period, idle or not.
    try (Fleet fleet = new Fleet(1, cluster.seedUri(), PREFIX, CONFIG, b -> b.cluster(true).pubSub(false))) {
      names.forEach(n -> fleet.breaker(0, n));
      names.forEach(fleet::awaitKnown);
      RedisSharedState.Metrics before = fleet.states.get(0).metrics();
      fleet.awaitFlushes(5);
      RedisSharedState.Metrics after = fleet.states.get(0).metrics();
      // Each round trip (a flush) answered one script per breaker, on all three nodes, and the heartbeat:
      // the scripts counted are 61 times the round trips, give or take the one in flight when a snapshot
      // was taken. A round trip that reached only the seed's slots would answer about 21.
      long roundTrips = after.flushes() - before.flushes();
      long scripts = after.scripts() - before.scripts();
      assertThat(roundTrips).isGreaterThanOrEqualTo(5);
      assertThat(scripts).isBetween((roundTrips - 1) * (names.size() + 1), (roundTrips + 1) * (names.size() + 1));
      assertThat(after.failedFlushes()).isZero();
      for (RedisServer node : cluster.nodes) {
        List<String> owned = names.stream().filter(n -> cluster.nodeOf(FlushScript.hashTag(PREFIX, n)) == node).toList();
        assertThat(owned).as("breakers on node %d", node.port).isNotEmpty();
        for (String n : owned) {
          assertThat(RedisServer.command(node.port, "EXISTS", FlushScript.hashTag(PREFIX, n) + ":s"))
              .as("the state of %s on node %d", n, node.port)
              .isEqualTo(":1");
        }
      }
    }
  }

  @Test
  void aClusterTakenForAStandaloneRedisIsNamedInTheDegradedWarning() {
    // Without cluster(true), scripts sent to the seed for slots it does not own answer MOVED.
    Map<RedisServer, String> names = oneBreakerPerNode("mistaken");
    String elsewhere = names.get(cluster.nodes.get(2));
    List<RedisSharedStateEvent> events = new CopyOnWriteArrayList<>();
    try (RedisSharedState state =
        RedisSharedState.builder().uri(cluster.seedUri()).keyPrefix(PREFIX).syncInterval(Duration.ofMillis(100)).build()) {
      state.onEvent(events::add);
      state.registry(CONFIG).circuitBreaker(elsewhere);
      // The event, not the mode: the mode is set just before its listeners hear of it.
      Poll.until(Duration.ofSeconds(20), "degraded",
          () -> events.stream().anyMatch(e -> e instanceof RedisSharedStateEvent.ModeChanged));
      assertThat(state.mode()).isEqualTo(RedisSharedState.Mode.DEGRADED);
      assertThat(events)
          .filteredOn(e -> e instanceof RedisSharedStateEvent.ModeChanged)
          .first()
          .satisfies(e -> assertThat(((RedisSharedStateEvent.ModeChanged) e).reason())
              .contains("MOVED")
              .contains("it is a Redis Cluster; build RedisSharedState with cluster(true)"));
    }
  }

  @Test
  void clusterModeAgainstAStandaloneRedisFailsAtStartWithTheReason() {
    try (RedisServer standalone = RedisServer.start()) {
      assertThatThrownBy(() -> RedisSharedState.builder().uri(standalone.uri()).cluster(true).build())
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("Redis at 127.0.0.1:" + standalone.port + " (Redis Cluster) cannot be used");
    }
  }
}
