package dev.fusebox.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusebox.circuitbreaker.CircuitBreakerConfig;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.SlotHash;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The flush script on a real Redis, driven by hand: merging, deduplication, staleness, fleet transitions,
 * leases and fingerprints, one rule at a time and with exact outcomes.
 */
@ExtendWith(RedisToUse.class)
class FlushScriptTest {

  private static final String NAME = "dependency";

  /** One simulated instance: its cumulative counts, sequence number and lease counters of one epoch. */
  final class Instance {
    final String id;
    String run = "run-1";
    long seq;
    long calls;
    long failures;
    long slow;
    boolean recent = true;
    long epoch;
    long received;
    long done;
    long failed;
    long returned;
    int want;
    int viewState = FlushScript.NO_VIEW;
    long viewEpoch;
    long viewRemainingMs;
    int viewLevel;
    long acked;

    Instance(String id) {
      this.id = id;
    }

    Instance record(int ok, int bad) {
      calls += ok + bad;
      failures += bad;
      return this;
    }

    FlushScript.Reply flush() {
      return send(++seq);
    }

    FlushScript.Reply send(long sequence) {
      FlushScript.Request request =
          new FlushScript.Request(id, run, sequence, calls, failures, slow, recent, epoch, received, done, failed,
              0, returned, want, 0.5, viewState, viewEpoch, viewRemainingMs, viewLevel, acked);
      List<Object> raw =
          redis.commands().eval(FlushScript.SOURCE, ScriptOutputType.MULTI, keys,
              FlushScript.args(request, fleet, leaseMs, staleMs, 3_600_000, settleMs, channel, NAME, "", 0));
      FlushScript.Reply reply = FlushScript.Reply.parse(raw);
      acked = Math.max(acked, sequence);
      if (reply.epoch() != epoch) {
        epoch = reply.epoch();
        received = 0;
        done = 0;
        failed = 0;
        returned = 0;
      }
      received += reply.granted();
      viewState = reply.state();
      viewEpoch = reply.epoch();
      viewRemainingMs = reply.remainingMs();
      viewLevel = reply.level();
      return reply;
    }
  }

  private RedisToUse.Target redis;
  private String[] keys;
  private String channel;
  private FleetConfig fleet;
  private long leaseMs = 10_000;
  private long staleMs = 60_000;
  private long settleMs = 0;

  private void setUp(RedisToUse.Target target, CircuitBreakerConfig.Builder config) {
    this.redis = target;
    this.keys = FlushScript.keys(target.prefix(), NAME);
    this.channel = FlushScript.channel(target.prefix());
    this.fleet = new FleetConfig(config.build(), Duration.ofSeconds(10), Duration.ofMillis(100));
  }

  private static CircuitBreakerConfig.Builder config() {
    return CircuitBreakerConfig.builder()
        .countBasedWindow(100)
        .minimumNumberOfCalls(10)
        .failureRateThreshold(50)
        .waitDurationInOpenState(Duration.ofMinutes(1))
        .permittedNumberOfCallsInHalfOpenState(3);
  }

  /** Opens the fleet with a wait that has already ended, so that the next flush moves it to half-open. */
  private void openBriefly(Instance by) {
    by.record(0, 10);
    FlushScript.Reply opened = by.flush();
    assertThat(opened.state()).isEqualTo(FlushScript.OPEN);
    redis.commands().hset(keys[0], "until", "0");
  }

  @Test
  void aRetriedFlushIsMergedOnce(RedisToUse.Target target) {
    setUp(target, config());
    Instance a = new Instance("a").record(5, 1);
    assertThat(a.flush().duplicate()).isFalse();
    assertThat(a.send(1).duplicate()).isTrue();
    assertThat(redis.window(NAME)).containsExactly(6, 1, 0);
    a.record(2, 0);
    a.flush();
    assertThat(redis.window(NAME)).containsExactly(8, 1, 0);
    // A late copy of an older flush changes nothing either.
    assertThat(a.send(1).duplicate()).isTrue();
    assertThat(redis.window(NAME)).containsExactly(8, 1, 0);
  }

  @Test
  void countsAfterAGapAreDroppedNotReplayed(RedisToUse.Target target) {
    setUp(target, config());
    Instance a = new Instance("a").record(3, 0);
    a.flush();
    // The instance could not flush for a while: what it counted meanwhile is stale.
    a.record(0, 8);
    a.recent = false;
    a.flush();
    assertThat(redis.window(NAME)).containsExactly(3, 0, 0);
    // Later counts are merged again, from the new base.
    a.recent = true;
    a.record(2, 1);
    a.flush();
    assertThat(redis.window(NAME)).containsExactly(6, 1, 0);
  }

  @Test
  void anIdleBreakersCountsAreMergedHoweverLongAgoItFlushed(RedisToUse.Target target) {
    setUp(target, config());
    Instance a = new Instance("a").record(3, 0);
    a.flush();
    // An hour without a flush, in contact all along: the instance says so, and its counts are new ones.
    redis.commands().hset(keys[2], a.id + "/" + a.run, "run-1,1,3,0,0,0");
    a.record(0, 4);
    a.flush();
    assertThat(redis.window(NAME)).containsExactly(7, 4, 0);
  }

  @Test
  void aRedisThatLostTheRecordsMergesNothingOldButAFirstFlushCountsEverything(RedisToUse.Target target) {
    setUp(target, config());
    Instance a = new Instance("a").record(4, 0);
    a.flush();
    redis.commands().del(keys);
    a.record(0, 9);
    FlushScript.Reply reply = a.flush();
    assertThat(reply.lost()).isTrue();
    assertThat(reply.state()).isEqualTo(FlushScript.CLOSED);
    assertThat(redis.window(NAME)).containsExactly(0, 0, 0);
    // A restarted instance (new run) counts everything from its first flush.
    Instance b = new Instance("a");
    b.run = "run-2";
    b.record(2, 1);
    b.flush();
    assertThat(redis.window(NAME)).containsExactly(3, 1, 0);
  }

  @Test
  void aRedisRolledBackToAnOlderRecordReportsTheLossAndReplaysNothing(RedisToUse.Target target) {
    setUp(target, config());
    Instance a = new Instance("a").record(5, 1);
    a.flush();
    String before = redis.commands().hget(keys[2], "a/" + a.run);
    a.record(2, 0);
    a.flush();
    // Redis comes back with data saved before the second flush (an RDB, a promoted replica): the record
    // exists, but it is older than what the instance was told.
    redis.commands().hset(keys[2], "a/" + a.run, before);
    a.record(0, 4);
    FlushScript.Reply reply = a.flush();
    assertThat(reply.lost()).isTrue();
    assertThat(redis.window(NAME)).containsExactly(8, 1, 0);
    a.record(1, 0);
    assertThat(a.flush().lost()).isFalse();
    assertThat(redis.window(NAME)).containsExactly(9, 1, 0);
  }

  @Test
  void everyInstanceThatFlushedBeforeLearnsThatRedisLostTheState(RedisToUse.Target target) {
    setUp(target, config());
    Instance a = new Instance("a");
    Instance b = new Instance("b");
    a.flush();
    b.flush();
    redis.commands().del(keys);
    assertThat(a.flush().lost()).isTrue();
    // The state exists again (a recreated it), but b's record is gone: b learns it too, once.
    assertThat(b.flush().lost()).isTrue();
    assertThat(b.flush().lost()).isFalse();
    assertThat(new Instance("newcomer").flush().lost()).isFalse();
  }

  @Test
  void instancesBelowTheMinimumOpenTheFleetTogether(RedisToUse.Target target) {
    setUp(target, config());
    Instance a = new Instance("a").record(2, 3);
    Instance b = new Instance("b").record(2, 3);
    assertThat(a.flush().state()).isEqualTo(FlushScript.CLOSED);
    FlushScript.Reply opened = b.flush();
    assertThat(opened.state()).isEqualTo(FlushScript.OPEN);
    assertThat(opened.level()).isEqualTo(1);
    assertThat(opened.remainingMs()).isEqualTo(60_000);
    assertThat(a.flush().state()).isEqualTo(FlushScript.OPEN);
    assertThat(redis.window(NAME)).containsExactly(0, 0, 0);
  }

  @Test
  void staysClosedBelowTheThresholdWhateverOneInstanceDoes(RedisToUse.Target target) {
    setUp(target, config());
    Instance sick = new Instance("sick").record(0, 10);
    Instance healthy = new Instance("healthy").record(20, 0);
    healthy.flush();
    assertThat(sick.flush().state()).isEqualTo(FlushScript.CLOSED);
    assertThat(redis.window(NAME)).containsExactly(30, 10, 0);
  }

  @Test
  void halfOpenLeasesNeverExceedThePermittedTrialsAcrossInstances(RedisToUse.Target target) {
    setUp(target, config());
    Instance a = new Instance("a");
    Instance b = new Instance("b");
    Instance c = new Instance("c");
    openBriefly(a);
    for (Instance i : List.of(a, b, c)) {
      i.want = 2;
    }
    int granted = 0;
    for (Instance i : List.of(a, b, c)) {
      FlushScript.Reply reply = i.flush();
      assertThat(reply.state()).isEqualTo(FlushScript.HALF_OPEN);
      granted += reply.granted();
    }
    assertThat(granted).isEqualTo(3);
    assertThat(a.received).isEqualTo(2);
    assertThat(b.received).isEqualTo(1);
    assertThat(c.received).isZero();
    // Leases a did not use go back and are granted to the next instance that asks.
    a.returned = 2;
    a.want = 0;
    a.flush();
    assertThat(c.flush().granted()).isEqualTo(2);
  }

  @Test
  void aGrantWhoseReplyWasLostIsTakenBack(RedisToUse.Target target) {
    setUp(target, config());
    Instance a = new Instance("a");
    Instance b = new Instance("b");
    openBriefly(a);
    a.want = 3;
    assertThat(a.flush().granted()).isEqualTo(3);
    // The reply never reached a: it reports having received nothing, and the leases are free again.
    a.received = 0;
    a.want = 0;
    a.flush();
    b.want = 3;
    assertThat(b.flush().granted()).isEqualTo(3);
  }

  @Test
  void reportedTrialsDecideCloseOrReopenWithBackoff(RedisToUse.Target target) {
    setUp(target, config().openStateBackoff(2.0, Duration.ofMinutes(10)));
    Instance a = new Instance("a");
    openBriefly(a);
    a.want = 3;
    a.flush();
    a.done = 3;
    a.failed = 2;
    a.want = 0;
    FlushScript.Reply reopened = a.flush();
    assertThat(reopened.state()).isEqualTo(FlushScript.OPEN);
    assertThat(reopened.level()).isEqualTo(2);
    assertThat(reopened.remainingMs()).isEqualTo(120_000);
    redis.commands().hset(keys[0], "until", "0");
    a.want = 3;
    a.flush();
    a.done = 3;
    a.failed = 1;
    FlushScript.Reply closed = a.flush();
    assertThat(closed.state()).isEqualTo(FlushScript.CLOSED);
    assertThat(closed.recovered()).isTrue();
  }

  @Test
  void aLeaseNeverReportedExpiresAsAFailedTrial(RedisToUse.Target target) {
    setUp(target, config());
    Instance a = new Instance("a");
    Instance b = new Instance("b");
    openBriefly(a);
    a.want = 3;
    assertThat(a.flush().granted()).isEqualTo(3);
    a.done = 2;
    a.want = 0;
    assertThat(a.flush().state()).isEqualTo(FlushScript.HALF_OPEN);
    expireLeases();
    // Any flush sweeps: 2 good trials and 1 expired (failed) one, a third of failures: the fleet closes.
    FlushScript.Reply swept = b.flush();
    assertThat(swept.state()).isEqualTo(FlushScript.CLOSED);
  }

  @Test
  void aLateReportOfAnExpiredTrialDoesNotCountAgain(RedisToUse.Target target) {
    setUp(target, config().permittedNumberOfCallsInHalfOpenState(2));
    Instance a = new Instance("a");
    Instance b = new Instance("b");
    openBriefly(a);
    a.want = 1;
    a.flush();
    expireLeases();
    b.flush();
    assertThat(redis.state(NAME)).containsEntry("tn", "1").containsEntry("tf", "1");
    a.done = 1;
    a.flush();
    assertThat(redis.state(NAME)).containsEntry("tn", "1").containsEntry("tf", "1").containsEntry("st", "2");
  }

  @Test
  void trialReportsOfAnotherEpochAreIgnored(RedisToUse.Target target) {
    setUp(target, config());
    Instance a = new Instance("a");
    openBriefly(a);
    a.want = 3;
    a.flush();
    long halfOpenEpoch = a.epoch;
    a.epoch = halfOpenEpoch - 1;
    a.done = 3;
    a.failed = 3;
    FlushScript.Reply reply = a.flush();
    assertThat(reply.state()).isEqualTo(FlushScript.HALF_OPEN);
    assertThat(reply.epoch()).isEqualTo(halfOpenEpoch);
    assertThat(redis.state(NAME)).containsEntry("tn", "0");
  }

  @Test
  void aDifferentConfigurationIsReportedWithTheFirstInstancesFingerprint(RedisToUse.Target target) {
    setUp(target, config());
    Instance a = new Instance("a");
    assertThat(a.flush().otherInstance()).isEmpty();
    String first = fleet.fingerprint;
    fleet = new FleetConfig(config().failureRateThreshold(20).build(), Duration.ofSeconds(10), Duration.ofMillis(100));
    FlushScript.Reply reply = new Instance("b").flush();
    assertThat(reply.otherInstance()).isEqualTo("a");
    assertThat(reply.otherFingerprint()).isEqualTo(first).isNotEqualTo(fleet.fingerprint);
  }

  @Test
  void everyKeyOfABreakerSharesOneSlotAndExpires(RedisToUse.Target target) {
    setUp(target, config());
    Instance a = new Instance("a").record(1, 0);
    openBriefly(a);
    a.want = 1;
    a.flush();
    Set<Integer> slots = new HashSet<>();
    Arrays.stream(keys).forEach(k -> slots.add(SlotHash.getSlot(k)));
    assertThat(slots).hasSize(1);
    for (String key : List.of(keys[0], keys[2], keys[3], keys[4])) {
      assertThat(redis.commands().pttl(key)).as(key).isPositive();
    }
  }

  @Test
  void epochsGrowWithEveryTransitionAndNeverFallBehindRedisTime(RedisToUse.Target target) {
    setUp(target, config());
    Instance a = new Instance("a");
    long first = a.flush().epoch();
    openBriefly(a);
    long opened = a.epoch;
    long halfOpen = a.flush().epoch();
    assertThat(opened).isGreaterThan(first);
    assertThat(halfOpen).isGreaterThan(opened);
    List<String> time = redis.commands().time();
    assertThat(halfOpen).isLessThanOrEqualTo(Long.parseLong(time.get(0)) * 1000 + 1000);
  }

  @Test
  void anEmptyRedisRestoresAnOpeningFromTheInstancesView(RedisToUse.Target target) {
    setUp(target, config());
    Instance a = new Instance("a").record(0, 10);
    FlushScript.Reply opened = a.flush();
    assertThat(opened.state()).isEqualTo(FlushScript.OPEN);
    redis.commands().del(keys);
    FlushScript.Reply back = a.flush();
    assertThat(back.lost()).isTrue();
    assertThat(back.restored()).isTrue();
    assertThat(back.state()).isEqualTo(FlushScript.OPEN);
    assertThat(back.epoch()).isEqualTo(opened.epoch());
    assertThat(back.remainingMs()).isPositive().isLessThanOrEqualTo(opened.remainingMs());
    // An instance that joins after the loss finds the opening, not a closed fleet.
    FlushScript.Reply joined = new Instance("d").flush();
    assertThat(joined.state()).isEqualTo(FlushScript.OPEN);
    assertThat(joined.restored()).isFalse();
  }

  @Test
  void anOlderStateIsReplacedByTheNewerViewOfAnInstance(RedisToUse.Target target) {
    setUp(target, config());
    Instance a = new Instance("a");
    a.flush();
    java.util.Map<String, String> before = redis.commands().hgetall(keys[0]);
    a.record(0, 10);
    long opening = a.flush().epoch();
    // A replica promoted with data from before the opening: the fleet state says CLOSED, at an older epoch.
    redis.commands().del(keys);
    redis.commands().hset(keys[0], before);
    Instance b = new Instance("b");
    assertThat(b.flush().state()).as("b has no view").isEqualTo(FlushScript.CLOSED);
    FlushScript.Reply back = a.flush();
    assertThat(back.restored()).isTrue();
    assertThat(back.state()).isEqualTo(FlushScript.OPEN);
    assertThat(back.epoch()).isEqualTo(opening);
    assertThat(b.flush().state()).isEqualTo(FlushScript.OPEN);
    // An instance whose view is older restores nothing.
    b.viewEpoch = 1;
    b.viewState = FlushScript.CLOSED;
    assertThat(b.flush().state()).isEqualTo(FlushScript.OPEN);
  }

  @Test
  void aRestoredHalfOpenStayCountsTheLeasesInstancesHoldAndGrantsNoMore(RedisToUse.Target target) {
    setUp(target, config());
    Instance a = new Instance("a");
    Instance b = new Instance("b");
    openBriefly(a);
    a.want = 2;
    FlushScript.Reply halfOpen = a.flush();
    assertThat(halfOpen.granted()).isEqualTo(2);
    a.want = 0;
    // One trial of a's two finished before Redis lost everything.
    a.done = 1;
    a.failed = 0;
    redis.commands().del(keys);
    settleMs = 60_000;
    FlushScript.Reply back = a.flush();
    assertThat(back.restored()).isTrue();
    assertThat(back.state()).isEqualTo(FlushScript.HALF_OPEN);
    assertThat(back.epoch()).as("the same stay: a's lease is still valid").isEqualTo(halfOpen.epoch());
    b.want = 3;
    assertThat(b.flush().granted()).as("nothing granted while instances report").isZero();
    // Once settled: 3 permitted, 1 done, 1 outstanding at a: one left.
    redis.commands().hset(keys[0], "hold", "0");
    assertThat(b.flush().granted()).isEqualTo(1);
    // A joining instance gets nothing more.
    Instance d = new Instance("d");
    d.want = 3;
    assertThat(d.flush().granted()).isZero();
  }

  /** Puts every lease in Redis past its expiry, as if leaseDuration had passed, without waiting for it. */
  private void expireLeases() {
    redis.commands().hgetall(keys[3]).forEach((who, value) -> {
      String[] parts = value.split(",");
      parts[6] = "0";
      redis.commands().hset(keys[3], who, String.join(",", parts));
    });
  }
}
