package dev.fusebox.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The instance's book of fleet overrides, on a hand-driven ticker: when an override ends, and what a loss carries back. */
class OverrideBookTest {

  private static final long MS = 1_000_000L;

  private static FleetScript.Entry forced(String breaker, long epoch, long sinceMs, long untilMs) {
    return new FleetScript.Entry(breaker, epoch, FleetScript.FORCED_OPEN, sinceMs, untilMs, "ops-1", "INC-1");
  }

  @Test
  void anOverrideEndsAtItsEndByRedisTimeEvenWhenTheTickerWraps() {
    OverrideBook book = new OverrideBook();
    long start = Long.MAX_VALUE - 500 * MS;
    // Redis said 10,000 ms at the ticker's start; the override ends at 12,000 ms by Redis time.
    book.heartbeat(new FleetScript.Heartbeat("", 10_000, 1, Map.of("a", forced("a", 1, 9_000, 12_000))), start);

    assertThat(book.active("a", start)).isNotNull();
    assertThat(book.active("a", start + 1_999 * MS)).isNotNull();
    assertThat(book.active("a", start + 2_000 * MS)).isNull();
    assertThat(book.latest("a")).isNotNull();
    assertThat(book.redisAt(start + 2_000 * MS)).isEqualTo(12_000);
  }

  @Test
  void anOverrideWithoutAnEndHoldsUntilReleased() {
    OverrideBook book = new OverrideBook();
    long start = Long.MAX_VALUE - MS;
    book.heartbeat(new FleetScript.Heartbeat("", 10_000, 1, Map.of("a", forced("a", 1, 9_000, 0))), start);
    assertThat(book.active("a", start + 86_400_000L * MS)).isNotNull();

    FleetScript.Entry released = new FleetScript.Entry("a", 2, FleetScript.RELEASED, 11_000, 0, "ops-2", "over");
    book.heartbeat(new FleetScript.Heartbeat("", 11_000, 2, Map.of("a", released)), start + 1_000 * MS);
    assertThat(book.active("a", start + 1_000 * MS)).isNull();
    assertThat(book.latest("a")).isEqualTo(released);
  }

  @Test
  void aHeartbeatBelowTheKnownEpochKeepsTheBookAndCarriesItBack() {
    OverrideBook book = new OverrideBook();
    FleetScript.Entry a = forced("a", 4, 9_000, 0);
    book.heartbeat(new FleetScript.Heartbeat("", 10_000, 4, Map.of("a", a)), 0);
    assertThat(book.heartbeatTail("ch")).containsExactly("4", "ch");

    // Redis lost the hash: epoch 0, no entries.
    book.heartbeat(new FleetScript.Heartbeat("", 10_500, 0, Map.of()), 500 * MS);
    assertThat(book.active("a", 500 * MS)).isEqualTo(a);
    assertThat(book.heartbeatTail("ch")).containsExactly("4", "ch", "b:a", a.encode());

    // Carried back: Redis is at the known epoch again, and the tail is short again.
    book.heartbeat(new FleetScript.Heartbeat("", 11_000, 4, Map.of("a", a)), 1_000 * MS);
    assertThat(book.heartbeatTail("ch")).containsExactly("4", "ch");
  }

  @Test
  void anEntryOlderThanTheOneKnownIsNotAdopted() {
    OverrideBook book = new OverrideBook();
    book.heartbeat(new FleetScript.Heartbeat("", 10_000, 5, Map.of("a", forced("a", 5, 9_000, 0))), 0);
    assertThat(book.adopt(forced("a", 3, 9_500, 0), 10_000, 0)).isFalse();
    assertThat(book.latest("a").epoch()).isEqualTo(5);
    assertThat(book.adopt(forced("a", 6, 9_900, 0), 10_000, 0)).isTrue();
    assertThat(book.epoch()).isEqualTo(6);
  }

  @Test
  void entriesRoundTripWithAnyCharacterInTheReason() {
    FleetScript.Entry e = new FleetScript.Entry("x:y,z", 7, FleetScript.DISABLED, 1, 2, "id,with,commas", "r, s\nt");
    assertThat(FleetScript.Entry.decode("b:x:y,z", e.encode())).isEqualTo(e);
    assertThat(FleetScript.entries(List.of("epoch", "7", "b:x:y,z", e.encode(), "b:bad", "nonsense"), 0))
        .containsOnlyKeys("x:y,z");
  }
}
