package dev.fusebox.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fusebox.circuitbreaker.CallNotPermittedException;
import dev.fusebox.circuitbreaker.CircuitBreaker;
import dev.fusebox.circuitbreaker.CircuitBreaker.State;
import dev.fusebox.circuitbreaker.CircuitBreakerConfig;
import dev.fusebox.circuitbreaker.CircuitBreakerRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An operator acts on one breaker for the whole fleet through {@link FleetControl}: three instances share
 * a real Redis; the override reaches every one of them, new instances adopt it, it ends on release or at
 * its end, and a local move never silently fights it.
 */
@ExtendWith(RedisToUse.class)
class FleetControlTest {

  private static final Duration LIMIT = Duration.ofSeconds(20);
  private final CircuitBreakerConfig config =
      CircuitBreakerConfig.builder().countBasedWindow(10).minimumNumberOfCalls(5)
          .waitDurationInOpenState(Duration.ofMinutes(1)).build();

  @Test
  void aForcedOpeningReachesEveryInstanceAndIsAuditedOnEach(RedisToUse.Target redis) {
    try (Fleet fleet = new Fleet(3, redis.uri(), redis.prefix(), config, b -> {})) {
      List<CircuitBreaker> breakers = fleet.breakers("a");
      fleet.awaitKnown("a");
      List<List<RedisSharedStateEvent>> events = List.of(
          new CopyOnWriteArrayList<>(), new CopyOnWriteArrayList<>(), new CopyOnWriteArrayList<>());
      for (int i = 0; i < 3; i++) {
        fleet.states.get(i).onEvent(events.get(i)::add);
      }
      Instant before = Instant.now().minusSeconds(5);

      FleetOverride set = fleet.states.get(0).fleet().forceOpen("a", "INC-1: provider down");

      assertThat(set.breaker()).isEqualTo("a");
      assertThat(set.state()).isEqualTo(State.FORCED_OPEN);
      assertThat(set.reason()).isEqualTo("INC-1: provider down");
      assertThat(set.by()).isEqualTo("instance-0");
      assertThat(set.since()).isAfter(before);
      assertThat(set.until()).isEmpty();
      // The instance it was set from holds it before the call returns.
      assertThat(breakers.get(0).state()).isEqualTo(State.FORCED_OPEN);
      Poll.until(LIMIT, "every instance is forced open",
          () -> breakers.stream().allMatch(b -> b.state() == State.FORCED_OPEN));
      assertThatThrownBy(() -> breakers.get(2).executeSupplier(() -> "x")).isInstanceOf(CallNotPermittedException.class);

      for (int i = 0; i < 3; i++) {
        int instance = i;
        Poll.until(LIMIT, "instance " + i + " reports the override",
            () -> events.get(instance).stream().anyMatch(e -> e instanceof RedisSharedStateEvent.FleetOverrideApplied));
        assertThat(fleet.states.get(i).fleet().overrides()).containsOnlyKeys("a").containsEntry("a", set);
        assertThat(events.get(i)).filteredOn(e -> e instanceof RedisSharedStateEvent.FleetOverrideApplied)
            .singleElement()
            .satisfies(e -> assertThat(((RedisSharedStateEvent.FleetOverrideApplied) e).override()).isEqualTo(set));
      }
      Poll.until(LIMIT, "every instance's state is in Redis",
          () -> fleet.states.get(1).fleet().states("a").equals(
              Map.of("instance-0", State.FORCED_OPEN, "instance-1", State.FORCED_OPEN, "instance-2", State.FORCED_OPEN)));
    }
  }

  @Test
  void anyInstanceReleasesItAndTheReleaseIsAudited(RedisToUse.Target redis) {
    try (Fleet fleet = new Fleet(3, redis.uri(), redis.prefix(), config, b -> {})) {
      List<CircuitBreaker> breakers = fleet.breakers("a");
      fleet.awaitKnown("a");
      List<RedisSharedStateEvent> events = new CopyOnWriteArrayList<>();
      fleet.states.get(2).onEvent(events::add);
      fleet.states.get(0).fleet().forceOpen("a", "maintenance");
      Poll.until(LIMIT, "every instance is forced open",
          () -> breakers.stream().allMatch(b -> b.state() == State.FORCED_OPEN));

      assertThat(fleet.states.get(1).fleet().release("a", "maintenance over")).isTrue();

      assertThat(breakers.get(1).state()).isEqualTo(State.CLOSED);
      Poll.until(LIMIT, "every instance follows the fleet again",
          () -> breakers.stream().allMatch(b -> b.state() == State.CLOSED));
      assertThat(breakers.get(2).executeSupplier(() -> "x")).isEqualTo("x");
      assertThat(fleet.states.get(2).fleet().overrides()).isEmpty();
      Poll.until(LIMIT, "the release is reported",
          () -> events.stream().anyMatch(e -> e instanceof RedisSharedStateEvent.FleetOverrideReleased));
      assertThat(events).filteredOn(e -> e instanceof RedisSharedStateEvent.FleetOverrideReleased)
          .singleElement()
          .satisfies(e -> {
            RedisSharedStateEvent.FleetOverrideReleased r = (RedisSharedStateEvent.FleetOverrideReleased) e;
            assertThat(r.releasedBy()).isEqualTo("instance-1");
            assertThat(r.reason()).isEqualTo("maintenance over");
            assertThat(r.override().by()).isEqualTo("instance-0");
          });
      assertThat(fleet.states.get(0).fleet().release("a", "again")).isFalse();
    }
  }

  @Test
  void aDisabledBreakerLetsEveryCallThroughOnEveryInstance(RedisToUse.Target redis) {
    try (Fleet fleet = new Fleet(2, redis.uri(), redis.prefix(), config, b -> {})) {
      List<CircuitBreaker> breakers = fleet.breakers("a");
      fleet.awaitKnown("a");
      FleetOverride o = fleet.states.get(1).fleet().disable("a", "false alarms");
      assertThat(o.state()).isEqualTo(State.DISABLED);
      Poll.until(LIMIT, "every instance is disabled",
          () -> breakers.stream().allMatch(b -> b.state() == State.DISABLED));
      Calls.fail(breakers.get(0), 20);
      assertThat(breakers.get(0).state()).isEqualTo(State.DISABLED);
      assertThat(breakers.get(0).executeSupplier(() -> "through")).isEqualTo("through");
    }
  }

  @Test
  void anOverrideWithAnEndEndsByItselfOnEveryInstance(RedisToUse.Target redis) {
    try (Fleet fleet = new Fleet(2, redis.uri(), redis.prefix(), config, b -> {})) {
      List<CircuitBreaker> breakers = fleet.breakers("a");
      fleet.awaitKnown("a");
      List<RedisSharedStateEvent> events = new CopyOnWriteArrayList<>();
      fleet.states.get(1).onEvent(events::add);
      FleetOverride o = fleet.states.get(0).fleet().forceOpen("a", Duration.ofSeconds(2), "deploying the provider");
      assertThat(o.until()).hasValueSatisfying(u -> assertThat(Duration.between(o.since(), u)).isEqualTo(Duration.ofSeconds(2)));
      Poll.until(LIMIT, "every instance is forced open",
          () -> breakers.stream().allMatch(b -> b.state() == State.FORCED_OPEN));
      Poll.until(LIMIT, "the override ended everywhere",
          () -> breakers.stream().allMatch(b -> b.state() == State.CLOSED));
      assertThat(Instant.now()).isAfterOrEqualTo(o.until().orElseThrow().minusMillis(200));
      assertThat(fleet.states.get(0).fleet().overrides()).isEmpty();
      // The event follows the transition on the sync thread.
      Poll.until(LIMIT, "the end is reported",
          () -> events.stream().anyMatch(e -> e instanceof RedisSharedStateEvent.FleetOverrideReleased));
      assertThat(events).filteredOn(e -> e instanceof RedisSharedStateEvent.FleetOverrideReleased)
          .singleElement()
          .satisfies(e -> assertThat(((RedisSharedStateEvent.FleetOverrideReleased) e).reason()).isEqualTo("it expired"));
    }
  }

  @Test
  void anInstanceThatStartsLaterAdoptsTheOverrideBeforeItsFirstCall(RedisToUse.Target redis) {
    try (Fleet fleet = new Fleet(1, redis.uri(), redis.prefix(), config, b -> {})) {
      fleet.states.get(0).fleet().forceOpen("a", "held for the fleet");
      try (RedisSharedState later =
          RedisSharedState.builder().uri(redis.uri()).keyPrefix(redis.prefix()).instanceId("later")
              .syncInterval(Duration.ofMillis(200)).build()) {
        CircuitBreakerRegistry registry = later.registry(config);
        CircuitBreaker a = registry.circuitBreaker("a");
        assertThat(a.state()).isEqualTo(State.FORCED_OPEN);
        assertThat(registry.circuitBreaker("b").state()).isEqualTo(State.CLOSED);
        assertThat(later.fleet().overrides()).containsOnlyKeys("a");
      }
    }
  }

  @Test
  void aLocalMoveUnderAnOverrideGoesBackAndSaysWhy(RedisToUse.Target redis) {
    try (Logged logged = new Logged();
        Fleet fleet = new Fleet(2, redis.uri(), redis.prefix(), config, b -> {})) {
      List<CircuitBreaker> breakers = fleet.breakers("a");
      fleet.awaitKnown("a");
      List<RedisSharedStateEvent> events = new CopyOnWriteArrayList<>();
      fleet.states.get(1).onEvent(events::add);
      fleet.states.get(0).fleet().forceOpen("a", "INC-7");
      Poll.until(LIMIT, "every instance is forced open",
          () -> breakers.stream().allMatch(b -> b.state() == State.FORCED_OPEN));

      breakers.get(1).transitionToClosedState();

      Poll.until(LIMIT, "the local move is undone",
          () -> events.stream().anyMatch(e -> e instanceof RedisSharedStateEvent.LocalChangeOverridden));
      assertThat(breakers.get(1).state()).isEqualTo(State.FORCED_OPEN);
      assertThat(events).filteredOn(e -> e instanceof RedisSharedStateEvent.LocalChangeOverridden)
          .singleElement()
          .satisfies(e -> {
            RedisSharedStateEvent.LocalChangeOverridden o = (RedisSharedStateEvent.LocalChangeOverridden) e;
            assertThat(o.localState()).isEqualTo(State.CLOSED);
            assertThat(o.fleetState()).isEqualTo(State.FORCED_OPEN);
          });
      assertThat(logged.containing("but the fleet holds it")).singleElement()
          .extracting(Logged::format).asString().contains("instance-0").contains("INC-7");
    }
  }

  @Test
  void membersAndTheirStatesAreShown(RedisToUse.Target redis) {
    try (Fleet fleet = new Fleet(3, redis.uri(), redis.prefix(), config, b -> {})) {
      List<CircuitBreaker> breakers = fleet.breakers("a");
      fleet.awaitKnown("a");
      fleet.awaitFlushes(2);
      List<FleetMember> members = fleet.states.get(2).fleet().members();
      assertThat(members).extracting(FleetMember::instanceId).containsExactly("instance-0", "instance-1", "instance-2");
      assertThat(members).allSatisfy(m -> {
        assertThat(m.mode()).isEqualTo(RedisSharedState.Mode.SHARED);
        assertThat(m.lastSeen()).isBetween(Instant.now().minusSeconds(10), Instant.now().plusSeconds(10));
      });
      breakers.get(1).transitionToOpenState();
      Poll.until(LIMIT, "the local opening shows",
          () -> fleet.states.get(0).fleet().states("a").equals(
              Map.of("instance-0", State.CLOSED, "instance-1", State.OPEN, "instance-2", State.CLOSED)));
      assertThat(fleet.states.get(0).fleet().states("none")).isEmpty();
    }
  }

  @Test
  void badInputGetsAClearError(RedisToUse.Target redis) {
    try (Fleet fleet = new Fleet(1, redis.uri(), redis.prefix(), config, b -> {})) {
      FleetControl control = fleet.states.get(0).fleet();
      assertThatThrownBy(() -> control.forceOpen(null, "x")).isInstanceOf(NullPointerException.class)
          .hasMessageContaining("breaker");
      assertThatThrownBy(() -> control.forceOpen("a", null)).isInstanceOf(NullPointerException.class)
          .hasMessageContaining("reason");
      assertThatThrownBy(() -> control.disable("a", " ")).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("reason");
      assertThatThrownBy(() -> control.forceOpen("a", Duration.ofSeconds(-1), "x"))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("duration").hasMessageContaining("PT-1S");
      assertThatThrownBy(() -> control.release("", "x")).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("breaker");
      assertThat(control.overrides()).isEmpty();
    }
  }

  @Test
  void aReasonMayHoldAnyCharacter(RedisToUse.Target redis) {
    try (Fleet fleet = new Fleet(1, redis.uri(), redis.prefix(), config, b -> {})) {
      String reason = "a, b\nc 'd' {e} \u00e9\u6f22";
      fleet.states.get(0).fleet().forceOpen("x:y,z", reason);
      FleetOverride read = fleet.states.get(0).fleet().overrides().get("x:y,z");
      assertThat(read.reason()).isEqualTo(reason);
      assertThat(read.by()).isEqualTo("instance-0");
    }
  }

  @Test
  void theFleetsWindowIsSummedOverEveryInstance(RedisToUse.Target redis) {
    try (Fleet fleet = new Fleet(2, redis.uri(), redis.prefix(), config, b -> {})) {
      List<CircuitBreaker> breakers = fleet.breakers("a");
      fleet.awaitKnown("a");
      assertThat(fleet.states.get(0).fleet().window("none")).isEmpty();
      Calls.fail(breakers.get(0), 2);
      Poll.until(LIMIT, "the first instance's counts in the fleet's window", () -> fleet.states.get(0).fleet()
          .window("a").filter(w -> w.calls() == 2 && w.failures() == 2).isPresent());
      // The second instance's flush of its own calls answers with the window of both.
      Calls.succeed(breakers.get(1), 3);
      Poll.until(LIMIT, "both instances' counts in the fleet's window", () -> fleet.states.get(1).fleet().window("a")
          .filter(w -> w.calls() == 5 && w.failures() == 2).isPresent());
      FleetWindow w = fleet.states.get(1).fleet().window("a").orElseThrow();
      assertThat(w.state()).isEqualTo(State.CLOSED);
      assertThat(w.failureRate()).isEqualTo(40f);
      assertThat(w.slowCallRate()).isZero();

      Calls.fail(breakers.get(0), 10);
      Poll.until(LIMIT, "the fleet's opening, with its window cleared", () -> fleet.states.get(1).fleet().window("a")
          .filter(x -> x.state() == State.OPEN && x.calls() == 0).isPresent());
    }
  }
}
